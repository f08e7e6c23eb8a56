/**
 * The any-object codec of `saveObj`/`loadObj`: a value as CBOR (RFC 8949) in a `<key>.cbor` file that
 * Python reads with `cbor2`.
 *
 * ## What comes back
 *
 * Kept exactly: plain objects, arrays, strings, numbers (including NaN, ±Infinity and -0), booleans,
 * `null` and `undefined` (distinct), BigInt of any size (still a BigInt), Map (any keys, insertion order),
 * Set, Date (to the millisecond, invalid dates too), every typed array (Uint8Array … Float64Array,
 * Float16Array, BigInt64Array, BigUint64Array, Uint8ClampedArray), ArrayBuffer, RegExp, and shared or
 * cyclic references: an object reached twice is stored once and comes back as one object, also through
 * Maps and Sets.
 *
 * Changed: holes of sparse arrays come back as `undefined`; non-index properties of arrays are not
 * stored; class instances are stored as their own enumerable properties and come back as plain objects
 * (the prototype and its methods are lost); Errors keep their name and message only; a typed array comes
 * back with its own buffer (views that shared a buffer no longer do); a Node `Buffer` comes back as a
 * `Uint8Array`.
 *
 * Refused with a `TypeError` that names where the value sits (`value.a.b[2]`): functions, symbols,
 * symbol-keyed properties, strings with lone surrogates (not valid UTF-8), DataView, and built-in objects
 * that hold no plain data (WeakMap, WeakSet, WeakRef, Promise, boxed primitives, generators, URL, …).
 *
 * ## The format, for readers in other languages
 *
 * One CBOR data item per file (extension `.cbor`), definite lengths, shortest integer and float forms
 * (RFC 8949 preferred serialization). The types and tags used:
 *
 * | JavaScript | CBOR | Python (`cbor2`) |
 * | --- | --- | --- |
 * | number, integer within ±(2**53 − 1) | major type 0/1 | `int` |
 * | other number (incl. NaN, ±Infinity, -0) | float16/32/64, the shortest that is exact | `float` |
 * | BigInt | tag 2 / tag 3 bignum, always (also for small values) | `int` |
 * | string | text string | `str` |
 * | `true` / `false` / `null` / `undefined` | simple values 21 / 20 / 22 / 23 | `True` / `False` / `None` / `cbor2.undefined` |
 * | array | array | `list` |
 * | plain object | map with text keys | `dict` |
 * | Map | tag 259 around a map (keys of any type) | `CBORTag(259, dict)` |
 * | Set | tag 258 around an array | `set` |
 * | Date | tag 1: epoch seconds, an integer or a float with the milliseconds | `datetime` (UTC) |
 * | ArrayBuffer | byte string | `bytes` |
 * | typed arrays | RFC 8746 tags 64–86 around a byte string (machine order: little-endian tags) | `CBORTag(tag, bytes)` |
 * | RegExp / Error | tag 27 `["RegExp", source, flags]` / `[name, message]` | `CBORTag(27, list)` |
 * | object reached twice | tag 28 (shareable) on the first, tag 29 (index) on the others | the same object |
 *
 * The typed-array tags: 64 Uint8Array, 68 Uint8ClampedArray, 72 Int8Array, and for little-endian
 * data 69 Uint16Array, 70 Uint32Array, 71 BigUint64Array, 77 Int16Array, 78 Int32Array, 79 BigInt64Array,
 * 84 Float16Array, 85 Float32Array, 86 Float64Array (the big-endian tags 65–67, 73–75, 80–82 are written on
 * big-endian machines and read everywhere). A shared Map is written as tag 259 around tag 28, so that in
 * Python, too, a Map that holds itself comes back as one dict.
 *
 * Reading (also files that Python's `cbor2.dump` wrote, with or without `value_sharing=True`): BigInt
 * comes back from tags 2/3 and from integers beyond ±(2**53 − 1); other integers come back as numbers. A
 * map without tag 259 comes back as a plain object when all its keys are text, else as a Map (a Python
 * dict with int or tuple keys; tuples are arrays). A byte string (Python `bytes`) comes back as an
 * ArrayBuffer. Indefinite lengths are read. Besides the tags above, tag 0 (a date as text) and tag 55799
 * (self-described CBOR) are read; other tags and corrupt or truncated bytes give a `StorageError` naming
 * the file.
 *
 * ## In Python
 *
 * `python/sweepstore_reader/` (standard library, numpy and `cbor2`; copy the folder next to your script) reads
 * these files with every type converted: `load_obj(path)` gives typed arrays as numpy arrays of the right
 * dtype, Maps as dicts (a list of `(key, value)` pairs when a key cannot be a dict key), and keeps -0.0,
 * dates, big integers and shared references. Without it, this hook does the main part:
 *
 * ```python
 * import cbor2
 * import numpy as np
 *
 * # numpy dtypes of the RFC 8746 typed-array tags
 * DTYPES = {64: "u1", 65: ">u2", 66: ">u4", 67: ">u8", 68: "u1", 69: "<u2", 70: "<u4", 71: "<u8",
 *           72: "i1", 73: ">i2", 74: ">i4", 75: ">i8", 77: "<i2", 78: "<i4", 79: "<i8",
 *           80: ">f2", 81: ">f4", 82: ">f8", 84: "<f2", 85: "<f4", 86: "<f8"}
 *
 * def tag_hook(decoder, tag):
 *     if tag.tag in DTYPES:  # a typed array: a 1-D numpy array (read-only; .copy() to change it)
 *         return np.frombuffer(tag.value, DTYPES[tag.tag])
 *     if tag.tag == 259:  # a JavaScript Map: a dict
 *         return tag.value
 *     return tag  # 27 (RegExp, Error): left as CBORTag
 *
 * with open("Data/StorageManager/MyName/MyName1/meta.cbor", "rb") as f:
 *     value = cbor2.load(f, tag_hook=tag_hook)
 * ```
 *
 * Without the hook, `cbor2.load(f)` returns typed arrays as `CBORTag(86, b"...")` and Maps as
 * `CBORTag(259, {...})`. Python's `datetime` cannot hold an invalid Date or a year outside 1–9999, and a
 * Python set cannot hold itself: `cbor2` raises on such files.
 *
 * @module
 */

export { encodeObject } from "./_cbor_encode.ts";
export { decodeObject } from "./_cbor_decode.ts";
