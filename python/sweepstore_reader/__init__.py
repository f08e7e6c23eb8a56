"""Read sweepstore's run folders from Python: whole groups, parameters (``config.ini``), arrays (``.npy``),
objects (``.cbor``).

Needs only the standard library and numpy. cbor2 is optional: :func:`load_obj` uses it when installed
(``pip install cbor2``; Debian/Ubuntu: ``apt-get install python3-cbor2``; faster on big files) and this
module's own decoder otherwise, with the same results. pandas too is optional (:func:`load_group` then gives a
DataFrame). Copy this folder (``sweepstore_reader/``) next to your script, or put its parent folder on
``PYTHONPATH``::

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

from ._cbor_types import TYPED_ARRAY_DTYPES, CBORTag, cbor2, undefined
from ._objects import _HAS_C_DECODER, decode_obj, load_np, load_obj
from ._params import load_params, parse_param, read_param
from ._group import load_group

__all__ = [
    "load_obj", "decode_obj", "load_np", "load_params", "parse_param", "read_param", "load_group",
    "TYPED_ARRAY_DTYPES", "CBORTag", "undefined",
]
