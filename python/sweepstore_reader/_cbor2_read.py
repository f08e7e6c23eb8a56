"""Reading with cbor2: its C decoder (fast path) and its pure-Python decoder made tolerant of unhashable keys."""

try:  # optional: only load_obj and decode_obj need it
    import cbor2
except ImportError:  # pragma: no cover - exercised by the tests without cbor2
    cbor2 = None

from ._cbor_types import TYPED_ARRAY_DTYPES, _MAP_TAG, _NeedsTolerantRead, _Pairs, _map, _typed_array


def _fast_hook(decoder, tag):
    if tag.tag in TYPED_ARRAY_DTYPES:
        if decoder.immutable:  # a Map key or Set member: numpy arrays cannot be one
            raise _NeedsTolerantRead()
        return _typed_array(tag)
    if tag.tag == _MAP_TAG:
        return _map(tag.value)
    return tag


def _tolerant_hook(decoder, tag):
    if tag.tag in TYPED_ARRAY_DTYPES:
        return _typed_array(tag)
    if tag.tag == _MAP_TAG:
        return _map(tag.value)
    return tag


def _tolerant_decoder_class():
    """cbor2's pure-Python decoder, reading maps with unhashable keys as pairs and such sets as lists."""
    try:  # cbor2 >= 5.6
        from cbor2 import _decoder as pure
    except ImportError:
        from cbor2 import decoder as pure

    class TolerantDecoder(pure.CBORDecoder):
        # cbor2 dispatches through module tables, so the override is here, where every item starts. Arrays,
        # maps, sets, big integers and undefined are read here too: the pure-Python decoder of cbor2 5.4
        # lets the items of a shared array overwrite its entry in the shared table, refuses the bignum 0
        # (no bytes), and has its own classes for undefined and tags where cbor2's C extension is loaded.
        def _decode(self, immutable=False, unshared=False):
            if immutable:
                old_immutable, self._immutable = self._immutable, True
            if unshared:
                old_index, self._share_index = self._share_index, None
            try:
                initial = self.read(1)[0]
                major, subtype = initial >> 5, initial & 31
                if major == 4:
                    return self._array(subtype)
                if major == 5:
                    return self._map(subtype)
                if major == 6:
                    return self._tagged(self._decode_length(subtype))
                if major == 7 and subtype == 23:
                    return cbor2.undefined  # the same object as the fast path's

                return pure.major_decoders[major](self, subtype)
            finally:
                if immutable:
                    self._immutable = old_immutable
                if unshared:
                    self._share_index = old_index

        def _array(self, subtype):
            length = self._decode_length(subtype, allow_indefinite=True)
            items = []
            if not self._immutable:
                self.set_shareable(items)
            while length is None or len(items) < length:
                item = self._decode(unshared=True)
                if item is pure.break_marker:
                    break
                items.append(item)
            return self.set_shareable(tuple(items)) if self._immutable else items

        def _tagged(self, number):
            if number in (2, 3):
                magnitude = int.from_bytes(self._decode(unshared=True), "big")
                return self.set_shareable(magnitude if number == 2 else -1 - magnitude)
            if number == 258:
                items = self._decode(immutable=True)
                try:
                    value = frozenset(items) if self._immutable else set(items)
                except TypeError:
                    value = list(items)
                return self.set_shareable(value)
            decode = pure.semantic_decoders.get(number)
            if decode:
                return decode(self)
            tag = cbor2.CBORTag(number, None)  # the same class as the fast path's
            self.set_shareable(tag)
            tag.value = self._decode(unshared=True)
            return self.set_shareable(self._tag_hook(self, tag))

        def _map(self, subtype):
            length = self._decode_length(subtype, allow_indefinite=True)
            result = {}
            self.set_shareable(result)
            pairs = None
            count = 0
            while length is None or count < length:
                key = self._decode(immutable=True, unshared=True)
                if key is pure.break_marker:
                    break
                value = self._decode(unshared=True)
                count += 1
                if pairs is None:
                    try:
                        result[key] = value
                        continue
                    except TypeError:
                        pairs = _Pairs(result.items())
                        self.set_shareable(pairs)
                pairs.append((key, value))
            if pairs is not None:
                return pairs
            return self.set_shareable(pure.FrozenDict(result)) if self._immutable else result

    return TolerantDecoder
