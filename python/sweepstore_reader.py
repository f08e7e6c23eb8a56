"""Read sweepstore's run folders from Python: objects (``.cbor``), arrays (``.npy``), parameters (``config.ini``).

Needs only the standard library, numpy and cbor2 (``pip install numpy cbor2``; Debian/Ubuntu:
``apt-get install python3-numpy python3-cbor2``). Copy this file next to your script, or put its folder on
``PYTHONPATH``::

    from sweepstore_reader import load_obj, load_np, load_params

    run = "Data/StorageManager/MyName/MyName1"
    meta = load_obj(f"{run}/meta.cbor")      # what saveObj("meta", …) stored
    weights = load_np(f"{run}/weights.npy")  # what saveNp("weights", …) stored
    params = load_params(run)                # [Parameters] of config.ini, typed as PymoNNto does

What ``load_obj`` gives for each JavaScript type (the CBOR format is in ``src/formats/objects.ts``):

========================================  ==============================================================
JavaScript                                Python
========================================  ==============================================================
number (also NaN, ±Infinity, -0)          ``int`` for integers, else ``float`` (``-0.0`` stays ``-0.0``)
BigInt                                    ``int``
string, boolean, null                     ``str``, ``bool``, ``None``
undefined                                 ``cbor2.undefined``
array / plain object                      ``list`` / ``dict`` (every own key, ``"__proto__"`` too)
Map                                       ``dict``; a ``list`` of ``(key, value)`` tuples when a key cannot
                                          be a dict key (a typed array, or an array or object that is
                                          also used elsewhere); array keys are tuples, object keys
                                          ``FrozenDict``
Set                                       ``set`` (a ``list`` when a member cannot be in a set)
Date                                      ``datetime`` in UTC (cbor2 refuses invalid dates and years
                                          outside 1–9999)
ArrayBuffer                               ``bytes``
Uint8Array … Float64Array, BigInt64Array  ``numpy.ndarray``, 1-D, writable, native byte order: uint8,
                                          uint16, uint32, uint64, int8 … int64, float16, float32,
                                          float64 (Uint8ClampedArray: uint8)
RegExp, Error                             ``cbor2.CBORTag(27, ["RegExp", source, flags])`` /
                                          ``CBORTag(27, [name, message])``
an object reached twice, or a cycle       the same Python object twice, or the cycle
========================================  ==============================================================

The files stay plain CBOR: ``cbor2.load(f)`` reads them without this module (typed arrays then come as
``CBORTag(85, b"...")`` and Maps as ``CBORTag(259, {...})``).
"""

import configparser
import os

import cbor2
import numpy as np

__all__ = ["load_obj", "decode_obj", "load_np", "load_params", "parse_param", "TYPED_ARRAY_DTYPES"]

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


# cbor2's C extension (the usual install) is fast and exact; without it, only the tolerant decoder is.
_HAS_C_DECODER = getattr(cbor2.loads, "__module__", "") == "_cbor2"


def decode_obj(data):
    """Decodes the bytes of a ``.cbor`` file that sweepstore's ``saveObj`` wrote (see the module doc)."""
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

    ``path`` is the file (``<run folder>/<key>.cbor``). Raises ``cbor2.CBORDecodeError`` for a corrupt file.
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
