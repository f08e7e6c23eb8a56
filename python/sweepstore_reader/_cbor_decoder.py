"""Without cbor2: a small decoder of what sweepstore writes (RFC 8949; the tags of src/formats/objects.ts)."""

from ._cbor_types import CBORTag, TYPED_ARRAY_DTYPES, _FrozenDict, _Pairs, _typed_array, undefined


class _Decoder:
    """Reads one CBOR item: shared references (tags 28/29), bignums (2/3), dates (0/1), sets (258), Maps (259),
    typed arrays (64–86) as ``decode_obj`` with cbor2 gives them; keys and set members that cannot be hashed
    make pairs and lists, as there."""

    def __init__(self, data):
        self.data, self.pos, self.shared, self.pending = data, 0, [], None

    def decode(self):
        value = self.item(False)
        if self.pos != len(self.data):
            raise ValueError(f"{len(self.data) - self.pos} bytes after the CBOR item")
        return value

    def read(self, n):
        if self.pos + n > len(self.data):
            raise ValueError("truncated CBOR data")
        self.pos += n
        return self.data[self.pos - n:self.pos]

    def length(self, info):
        if info < 24:
            return info
        if info == 31:
            return None  # indefinite
        if info > 27:
            raise ValueError(f"invalid CBOR length {info}")
        return int.from_bytes(self.read(1 << (info - 24)), "big")

    def share(self, value):
        """Registers `value` for the tag 28 that announced it (containers do so before their items)."""
        if self.pending is not None:
            self.shared[self.pending], self.pending = value, None
        return value

    def item(self, immutable):
        initial = self.read(1)[0]
        major, info = initial >> 5, initial & 31
        if major == 7:
            return self.simple(info)
        n = self.length(info)
        if major == 0:
            return self.share(n)
        if major == 1:
            return self.share(-1 - n)
        if major in (2, 3):
            if n is None:  # indefinite: definite chunks of the same type up to a break
                chunks = [c.encode("utf-8") if isinstance(c, str) else c for c in self.items(None, True)]
                raw = b"".join(chunks)
            else:
                raw = bytes(self.read(n))
            return self.share(raw if major == 2 else raw.decode("utf-8"))
        if major == 4:
            return self.array(n, immutable)
        if major == 5:
            return self.map(n, immutable)
        return self.tagged(n, immutable)

    def simple(self, info):
        import struct

        if info in (20, 21, 22, 23):
            return self.share({20: False, 21: True, 22: None, 23: undefined}[info])
        if info in (25, 26, 27):
            fmt, size = {25: (">e", 2), 26: (">f", 4), 27: (">d", 8)}[info]
            return self.share(struct.unpack(fmt, self.read(size))[0])
        if info == 31:
            return _BREAK
        raise ValueError(f"unsupported CBOR simple value {info}")

    def items(self, n, immutable):
        while n is None or n > 0:
            if n is None and self.data[self.pos] == 0xFF:
                self.pos += 1
                return
            yield self.item(immutable)
            if n is not None:
                n -= 1

    def array(self, n, immutable):
        if immutable:
            pending, self.pending = self.pending, None
            value = tuple(self.items(n, True))
            self.pending = pending
            return self.share(value)
        out = self.share([])
        out.extend(self.items(n, False))
        return out

    def map(self, n, immutable):
        index, self.pending = self.pending, None
        out = {}
        if index is not None:
            self.shared[index] = out
        pairs = None
        while n is None or n > 0:
            if n is None and self.data[self.pos] == 0xFF:
                self.pos += 1
                break
            key = self.item(True)
            value = self.item(False)
            n = None if n is None else n - 1
            if pairs is None:
                try:
                    out[key] = value
                    continue
                except TypeError:
                    pairs = _Pairs(out.items())
                    if index is not None:
                        self.shared[index] = pairs
            pairs.append((key, value))
        if pairs is not None:
            return pairs
        if immutable:
            out = _FrozenDict(out)
            if index is not None:
                self.shared[index] = out
        return out

    def tagged(self, tag, immutable):
        if tag == 28:
            self.pending = len(self.shared)
            self.shared.append(None)
            return self.item(immutable)
        if tag == 29:
            return self.shared[self.item(True)]
        if tag in (259, 55799):  # a Map (its dict may be the shared item), self-described CBOR
            value = self.item(immutable)
            return list(value) if isinstance(value, _Pairs) else value
        pending, self.pending = self.pending, None
        value = self.item(tag == 258 or immutable)
        self.pending = pending
        if tag in (2, 3):
            magnitude = int.from_bytes(value, "big")
            return self.share(magnitude if tag == 2 else -1 - magnitude)
        if tag == 258:
            try:
                return self.share(frozenset(value) if immutable else set(value))
            except TypeError:
                return self.share(list(value))
        if tag in (0, 1):
            import datetime

            if tag == 1:
                return self.share(datetime.datetime.fromtimestamp(value, datetime.timezone.utc))
            return self.share(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")))
        if tag in TYPED_ARRAY_DTYPES:
            return self.share(_typed_array(CBORTag(tag, value)))
        return self.share(CBORTag(tag, value))


_BREAK = object()
