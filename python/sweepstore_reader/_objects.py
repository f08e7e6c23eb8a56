"""load_obj, decode_obj (.cbor) and load_np (.npy)."""

import numpy as np

try:  # optional: only load_obj and decode_obj need it
    import cbor2
except ImportError:  # pragma: no cover - exercised by the tests without cbor2
    cbor2 = None

from ._cbor_types import _NeedsTolerantRead
from ._cbor2_read import _fast_hook, _tolerant_decoder_class, _tolerant_hook
from ._cbor_decoder import _Decoder


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
