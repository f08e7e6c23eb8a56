"""The CBOR tags sweepstore writes and the Python types they become (cbor2's where installed)."""

import numpy as np

try:  # optional: only load_obj and decode_obj need it
    import cbor2
except ImportError:  # pragma: no cover - exercised by the tests without cbor2
    cbor2 = None


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


# cbor2's classes where it is installed; without it, the same behaviour here.

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
