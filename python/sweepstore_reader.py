"""Read sweepstore's run folders from Python: whole groups, parameters (``config.ini``), arrays (``.npy``),
objects (``.cbor``).

Needs only the standard library and numpy. cbor2 is optional: :func:`load_obj` uses it when installed
(``pip install cbor2``; Debian/Ubuntu: ``apt-get install python3-cbor2``; faster on big files) and this
module's own decoder otherwise, with the same results. pandas too is optional (:func:`load_group` then gives a
DataFrame). Copy this file next to your script, or put its folder on ``PYTHONPATH``::

    from sweepstore_reader import load_group, load_obj, load_np, load_params

    runs = load_group("Data/StorageManager/MyName")  # every run: a DataFrame (a list of dicts without pandas)
    run = "Data/StorageManager/MyName/MyName1"
    meta = load_obj(f"{run}/meta.cbor")      # what saveObj("meta", …) stored
    weights = load_np(f"{run}/weights.npy")  # what saveNp("weights", …) stored
    params = load_params(run)                # [Parameters] of config.ini, typed as PymoNNto does

``load_group`` types values exactly as sweepstore's TypeScript side reads them (:func:`read_param`: ``nan``,
``None``, lists, dicts, numpy's ``[1.5 2.5]``), ``load_params`` as PymoNNto's ``load_param`` (:func:`parse_param`).

What ``load_obj`` gives for each JavaScript type (the CBOR format is in ``src/formats/objects.ts``):

========================================  ==============================================================
JavaScript                                Python
========================================  ==============================================================
number (also NaN, ±Infinity, -0)          ``int`` for integers, else ``float`` (``-0.0`` stays ``-0.0``)
BigInt                                    ``int``
string, boolean, null                     ``str``, ``bool``, ``None``
undefined                                 ``undefined`` (this module's; ``cbor2.undefined`` with cbor2)
array / plain object                      ``list`` / ``dict`` (every own key, ``"__proto__"`` too)
Map                                       ``dict``; a ``list`` of ``(key, value)`` tuples when a key cannot
                                          be a dict key (a typed array, or an array or object that is
                                          also used elsewhere); array keys are tuples, object keys
                                          ``FrozenDict``
Set                                       ``set`` (a ``list`` when a member cannot be in a set)
Date                                      ``datetime`` in UTC (invalid dates and years outside 1–9999
                                          are refused: Python has no such datetime)
ArrayBuffer                               ``bytes``
Uint8Array … Float64Array, BigInt64Array  ``numpy.ndarray``, 1-D, writable, native byte order: uint8,
                                          uint16, uint32, uint64, int8 … int64, float16, float32,
                                          float64 (Uint8ClampedArray: uint8)
RegExp, Error                             ``CBORTag(27, ["RegExp", source, flags])`` /
                                          ``CBORTag(27, [name, message])``
an object reached twice, or a cycle       the same Python object twice, or the cycle
========================================  ==============================================================

The files stay plain CBOR: ``cbor2.load(f)`` reads them without this module (typed arrays then come as
``CBORTag(85, b"...")`` and Maps as ``CBORTag(259, {...})``).
"""

import configparser
import os
import re
import warnings

import numpy as np

try:  # optional: only load_obj and decode_obj need it
    import cbor2
except ImportError:  # pragma: no cover - exercised by the tests without cbor2
    cbor2 = None

__all__ = [
    "load_obj", "decode_obj", "load_np", "load_params", "parse_param", "read_param", "load_group",
    "TYPED_ARRAY_DTYPES", "CBORTag", "undefined",
]

#: numpy dtypes of the RFC 8746 typed-array tags (sweepstore writes the little-endian ones on
#: little-endian machines; the big-endian ones are read too).
TYPED_ARRAY_DTYPES = {
    64: "u1", 65: ">u2", 66: ">u4", 67: ">u8", 68: "u1", 69: "<u2", 70: "<u4", 71: "<u8",
    72: "i1", 73: ">i2", 74: ">i4", 75: ">i8", 77: "<i2", 78: "<i4", 79: "<i8",
    80: ">f2", 81: ">f4", 82: ">f8", 84: "<f2", 85: "<f4", 86: "<f8",
}

_MAP_TAG = 259


class _Pairs(list):
    """The entries of a CBOR map whose keys cannot all be dict keys, in file order."""


class _NeedsTolerantRead(Exception):
    """Raised in the fast path where a value cannot be a dict key or set member."""


def _typed_array(tag):
    dtype = np.dtype(TYPED_ARRAY_DTYPES[tag.tag])
    if not isinstance(tag.value, bytes) or len(tag.value) % dtype.itemsize:
        raise ValueError(f"CBOR tag {tag.tag} does not hold whole {dtype} items")
    # astype copies: a writable array in this machine's byte order
    return np.frombuffer(tag.value, dtype).astype(dtype.newbyteorder("="))


def _map(value):
    if isinstance(value, _Pairs):
        return list(value)
    return value  # a dict (the same object that shared references point to)


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


# --- without cbor2: a small decoder of what sweepstore writes (RFC 8949; the tags of objects.ts) -----------

if cbor2 is not None:
    CBORTag = cbor2.CBORTag
    undefined = cbor2.undefined
    _FrozenDict = getattr(cbor2, "FrozenDict", None)
else:

    class CBORTag:
        """A CBOR tag this module does not convert (tag 27: RegExp and Error), as cbor2's ``CBORTag``."""

        def __init__(self, tag, value):
            self.tag, self.value = tag, value

        def __eq__(self, other):
            return isinstance(other, CBORTag) and (self.tag, self.value) == (other.tag, other.value)

        def __hash__(self):
            return hash((self.tag, self.value))

        def __repr__(self):
            return f"CBORTag({self.tag}, {self.value!r})"

    class _Undefined:
        """JavaScript's ``undefined`` (CBOR simple value 23), as cbor2's ``undefined``: one object."""

        def __repr__(self):
            return "undefined"

        def __bool__(self):
            return False

    undefined = _Undefined()
    _FrozenDict = None

if _FrozenDict is None:

    class FrozenDict(dict):
        """A map used as a dict key or set member (hashable), as cbor2's ``FrozenDict``."""

        def __hash__(self):
            return hash(frozenset(self.items()))

    _FrozenDict = FrozenDict


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


# cbor2's C extension (the usual install) is fast and exact; without it, only the tolerant decoder is.
_HAS_C_DECODER = cbor2 is not None and getattr(cbor2.loads, "__module__", "") == "_cbor2"


def decode_obj(data):
    """Decodes the bytes of a ``.cbor`` file that sweepstore's ``saveObj`` wrote (see the module doc).

    With cbor2 installed it reads them (its C decoder where it can); without it, this module's own decoder
    reads every type and tag sweepstore writes, with the same results (``ValueError`` for corrupt bytes).
    """
    if cbor2 is None:
        return _Decoder(bytes(data)).decode()
    if _HAS_C_DECODER:
        try:
            return cbor2.loads(data, tag_hook=_fast_hook)
        except (_NeedsTolerantRead, TypeError) as err:
            if isinstance(err, TypeError) and "unhashable" not in str(err):
                raise
    import io

    return _tolerant_decoder_class()(io.BytesIO(data), tag_hook=_tolerant_hook).decode()


def load_obj(path):
    """Reads a ``.cbor`` file that sweepstore's ``saveObj`` wrote: typed arrays as numpy arrays, Maps as dicts.

    ``path`` is the file (``<run folder>/<key>.cbor``). Raises ``cbor2.CBORDecodeError`` for a corrupt file
    (``ValueError`` without cbor2, whose ``CBORDecodeError`` is one too).
    """
    with open(path, "rb") as f:
        return decode_obj(f.read())


def load_np(path):
    """Reads a ``.npy`` file that sweepstore's ``saveNp`` wrote (plain ``numpy.load``, pickles refused)."""
    return np.load(path, allow_pickle=False)


def parse_param(text):
    """PymoNNto's ``load_param`` typing of a ``config.ini`` value text.

    ``True``/``False`` → bool; text with a ``.`` → ``float()``; else ``int()``; where that fails, the text.
    So ``1.0e-07`` and ``-0.0`` are floats, ``42`` an int, and ``nan``, ``inf``, ``None`` and ``[1, 2]`` stay
    strings (``ast.literal_eval`` reads the lists and dicts sweepstore writes).
    """
    if text == "True":
        return True
    if text == "False":
        return False
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


def load_params(run_folder, section="Parameters"):
    """Reads one section of a run folder's ``config.ini`` as PymoNNto's ``load_param`` does.

    Uses ``configparser.ConfigParser()`` (``[DEFAULT]`` and ``%(name)s`` interpolation included) and
    :func:`parse_param` on each value; keys are lowercase, as configparser gives them. Returns ``{}``
    when the section is missing.
    """
    parser = configparser.ConfigParser()
    with open(os.path.join(run_folder, "config.ini"), encoding="utf-8") as f:
        parser.read_file(f)
    if not parser.has_section(section):
        return {}
    return {key: parse_param(parser.get(section, key)) for key in parser.options(section)}


# --- sweepstore's typing of config.ini values (src/formats/_param_parse.ts), and whole groups ------------

_NUMBER_START = frozenset("0123456789-+.nNiI")
_LITERAL_START = frozenset("[({'\"")
_LITERAL_NUMBER_RE = re.compile(
    r"[-+]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|"
    r"(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?)(?![\w.])",
    re.ASCII,
)
_WORD_RE = re.compile(r"[-+]?[A-Za-z_]\w*", re.ASCII)
_INT_RE = re.compile(r"[-+]?\d(?:_?\d)*\Z", re.ASCII)
_SPECIAL_RE = re.compile(r"[-+]?(?:nan|inf|infinity)\Z", re.IGNORECASE)
_SPACE_RE = re.compile(r"\s*")
_SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "a": "\x07", "b": "\b",
    "f": "\f", "v": "\v", "\n": "",
}


class _LiteralError(ValueError):
    """A text that is no complete literal: it stays text."""


def _js_key(value):
    """A dict key as JavaScript's ``String()`` writes it (sweepstore's dict keys are strings)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    exponent = int(exponent)
    if -7 < exponent < 21:
        import decimal

        return format(decimal.Decimal(text), "f")
    return f"{mantissa}e{'+' if exponent > 0 else '-'}{abs(exponent)}"


class _LiteralReader:
    """Python literals as sweepstore reads them (``_py_literal_reader.ts``): lists and tuples → lists,
    dicts (keys → strings), strings, numbers, True/False/None, nan/inf, numpy's ``[1.5 2.5]``. Never eval."""

    def __init__(self, text):
        self.text, self.pos = text, 0

    def fail(self, what):
        raise _LiteralError(f"{what} at position {self.pos}")

    def skip(self):
        self.pos = _SPACE_RE.match(self.text, self.pos).end()

    def value(self, depth):
        if depth > 1000:
            self.fail("nesting too deep")
        self.skip()
        ch = self.text[self.pos:self.pos + 1]
        if ch in ("[", "("):
            return self.sequence("]" if ch == "[" else ")", depth)
        if ch == "{":
            return self.dict(depth)
        if ch in ("'", '"'):
            return self.string()
        m = _LITERAL_NUMBER_RE.match(self.text, self.pos)
        if m:
            self.pos = m.end()
            return self.number(m.group())
        m = _WORD_RE.match(self.text, self.pos)
        if not m:
            self.fail("expected a value")
        self.pos = m.end()
        word = m.group()
        if word in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[word]
        if _SPECIAL_RE.match(word):
            return float(word)
        self.fail(f"unexpected {word!r}")

    @staticmethod
    def number(text):
        clean = text.replace("_", "")
        body = clean.lstrip("+-")
        if body[:2].lower() in ("0x", "0o", "0b"):
            return -int(body, 0) if clean.startswith("-") else int(body, 0)
        return int(clean) if _INT_RE.match(clean) else float(clean)

    def sequence(self, close, depth):
        self.pos += 1
        items, comma = [], False
        self.skip()
        while self.text[self.pos:self.pos + 1] != close:
            if self.pos >= len(self.text):
                self.fail(f"missing {close!r}")
            items.append(self.value(depth + 1))
            self.skip()
            if self.text[self.pos:self.pos + 1] == ",":  # numpy separates items by white space only
                comma = True
                self.pos += 1
                self.skip()
        self.pos += 1
        return items[0] if close == ")" and len(items) == 1 and not comma else items

    def dict(self, depth):
        self.pos += 1
        out = {}
        self.skip()
        while self.text[self.pos:self.pos + 1] != "}":
            if self.pos >= len(self.text):
                self.fail("missing '}'")
            key = self.value(depth + 1)
            if isinstance(key, (list, dict)):
                self.fail("a dict key must be a string or number")
            self.skip()
            if self.text[self.pos:self.pos + 1] != ":":
                self.fail("expected ':'")
            self.pos += 1
            out[key if isinstance(key, str) else _js_key(key)] = self.value(depth + 1)
            self.skip()
            if self.text[self.pos:self.pos + 1] == ",":
                self.pos += 1
                self.skip()
            elif self.text[self.pos:self.pos + 1] != "}":
                self.fail("expected ',' or '}'")
        self.pos += 1
        return out

    def hex(self, length):
        digits = self.text[self.pos:self.pos + length]
        if len(digits) != length or not re.fullmatch(r"[0-9a-fA-F]+", digits):
            self.fail("a bad \\x, \\u or \\U escape")
        self.pos += length
        return int(digits, 16)

    def string(self):
        quote = self.text[self.pos]
        self.pos += 1
        out = []
        while True:
            start = self.pos
            while self.pos < len(self.text) and self.text[self.pos] not in (quote, "\\", "\n"):
                self.pos += 1
            out.append(self.text[start:self.pos])
            if self.pos >= len(self.text):
                self.fail("unterminated string")
            ch = self.text[self.pos]
            self.pos += 1
            if ch == quote:
                return "".join(out)
            if ch == "\n":
                self.fail("a line break in a string")
            out.append(self.escape())

    def escape(self):
        e = self.text[self.pos:self.pos + 1]
        self.pos += 1
        if e in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[e]
        if e in ("x", "u", "U"):
            cp = self.hex({"x": 2, "u": 4, "U": 8}[e])
            if cp > 0x10FFFF:
                self.fail("a \\U escape beyond U+10FFFF")
            return chr(cp)
        if e in ("N", ""):
            self.fail("a \\N{name} escape (not supported)" if e else "unterminated string")
        if "0" <= e <= "7":
            m = re.match(r"[0-7]{1,3}", self.text[self.pos - 1:self.pos + 2])
            self.pos += len(m.group()) - 1
            return chr(int(m.group(), 8))
        return "\\" + e  # Python keeps unknown escapes as they are


def _number(text):
    """Python's ``int()``, else ``float()`` of the text (sweepstore mirrors both); None where both refuse."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return None


def read_param(text):
    """A ``config.ini`` value text typed exactly as sweepstore's TypeScript side reads it (``parseParam``).

    ``True``/``False`` → bool, ``None`` → None; what ``int()`` reads → int, else what ``float()`` reads
    (``2.5``, ``1e-07``, ``nan``, ``inf``) → float; a complete Python literal starting with ``[ ( { ' "`` →
    lists (tuples too), dicts (keys as strings), strings, numbers, with ``nan``/``inf`` inside and numpy's
    ``[1.5 2.5]`` read as well; anything else → the text. Never evaluates code. (PymoNNto's own, lossier rule
    is :func:`parse_param`.)
    """
    if text in ("True", "False"):
        return text == "True"
    if text == "None":
        return None
    if not text:
        return text
    first = text[0]
    if first in _NUMBER_START or first <= " " or ord(first) >= 0x80:
        number = _number(text)
        if number is not None:
            return number
    if first in _LITERAL_START:
        reader = _LiteralReader(text)
        try:
            value = reader.value(0)
            reader.skip()
            if reader.pos == len(text):
                return value
        except (_LiteralError, RecursionError):
            pass
    return text


def _natural_key(name):
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in re.split(r"(\d+)", name)]


def _read_config(path):
    """The sections of a ``config.ini`` as sweepstore reads them: configparser's ``get()`` per value, where
    interpolation would raise the text with only ``%%`` read as ``%``."""
    parser = configparser.ConfigParser()
    with open(path, encoding="utf-8-sig", errors="replace") as f:  # as Deno: BOM skipped, bad bytes replaced
        parser.read_file(f)
    sections = {}
    for section in parser.sections():
        values = {}
        for key in parser.options(section):
            try:
                text = parser.get(section, key)
            except configparser.InterpolationError:
                text = parser.get(section, key, raw=True).replace("%%", "%")
            values[key] = read_param(text)
        sections[section] = values
    return sections


def _run_dict(name, path, sections):
    run = {"run": name, "path": path}
    for key, value in sections.get("Parameters", {}).items():
        run[f"Parameters.{key}" if key in ("run", "path") else key] = value
    for section, values in sections.items():
        if section != "Parameters":
            run.update({f"{section}.{key}": value for key, value in values.items()})
    return run


def load_group(path, as_frame=None):
    """Reads every run of a group folder (``Data/StorageManager/<Name>``), as ``StorageManagerGroup.load``.

    Each sub-folder holding a ``config.ini`` is a run (sweepstore's ``<Name><nr>`` and PymoNNto's ``<Name>``,
    ``<Name>_0``, … alike); hidden and temporary folders are skipped; runs come in natural order (``Exp2``
    before ``Exp10``). A ``config.ini`` that cannot be read or parsed is skipped with a ``UserWarning`` naming
    it (the TypeScript side lists it in ``smg.errors``). A missing group folder is an empty group.

    Each run is a dict: ``run`` (the folder name), ``path`` (the folder), the ``[Parameters]`` values under
    their (lowercase) keys, and every other section's values as ``"<Section>.<key>"`` (``Run.status``,
    ``Run.seed``, … for sweep runs). A parameter named ``run`` or ``path`` is kept as ``Parameters.run`` /
    ``Parameters.path``. Values are typed as the TypeScript side reads them (:func:`read_param`).

    ``as_frame``: ``None`` (default) gives a ``pandas.DataFrame`` (one row per run, a column per key, NaN where
    a run lacks a key) when pandas is installed and the list of dicts otherwise; ``True`` always a DataFrame
    (``ImportError`` without pandas), ``False`` always the list.
    """
    names = []
    try:
        entries = list(os.scandir(path))
    except FileNotFoundError:
        entries = []
    for entry in entries:
        if entry.is_dir() and not entry.name.startswith("."):
            names.append(entry.name)
    names.sort(key=_natural_key)
    runs = []
    for name in names:
        folder = os.path.join(os.path.abspath(path), name)
        config = os.path.join(folder, "config.ini")
        try:
            sections = _read_config(config)
        except FileNotFoundError:
            continue  # not a run, or one still being created
        except (OSError, configparser.Error) as err:
            warnings.warn(f"skipped {config}: {err}", stacklevel=2)
            continue
        runs.append(_run_dict(name, folder, sections))
    if as_frame is False:
        return runs
    try:
        import pandas as pd
    except ImportError:
        if as_frame:
            raise ImportError("load_group(as_frame=True) needs pandas: pip install pandas") from None
        return runs
    return pd.DataFrame(runs)
