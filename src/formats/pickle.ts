/**
 * A safe reader of Python pickles that hold plain data, for the `.obj` files PymoNNto's `save_obj` writes
 * (`pickle.dump(obj, f)`, protocol 4 by default; protocols 0–5 are read).
 *
 * What comes back: dict → a plain object when every key is a `str`, else a Map (tuple keys become arrays);
 * list and tuple → arrays; set and frozenset → Set; str → string; bytes and bytearray → Uint8Array;
 * int → number, or BigInt beyond ±(2**53 − 1); float → number; bool → boolean; None → null;
 * `collections.OrderedDict` → like dict; numpy scalars (`np.float64(0.5)`, `np.int64(3)`, `np.bool_(True)`,
 * other real number types) → number, BigInt or boolean. Shared and cyclic references stay shared.
 *
 * Nothing is ever executed. The reader is a stack machine over the opcodes that build data; the few
 * callables that protocols 0–3 name for plain data (`builtins.set`, `frozenset`, `bytes`, `bytearray`,
 * `_codecs.encode`, `collections.OrderedDict`, and numpy's `dtype`/`scalar` pair) are recognised by name
 * and rebuilt here in TypeScript. Any other class or callable (a numpy array, a custom class,
 * `os.system`, …) makes the whole pickle refused with a `StorageError` that names the class; corrupt or
 * truncated data also gives a `StorageError` naming the file.
 *
 * @module
 */

import { StorageError } from "../errors.ts";
import { ClassInData, findForeign, finish } from "./_pickle_convert.ts";
import { Unpickler } from "./_pickle_machine.ts";
import { load } from "./_pickle_opcodes.ts";

/**
 * Reads a Python pickle (protocols 0–5) of plain data without running any Python code. Pickles of
 * class instances (numpy arrays, custom classes) or calls and corrupt bytes throw a `StorageError`
 * naming `source`.
 *
 * @example
 * ```ts
 * import { decodePickle } from "@sweepstore/sweepstore/pickle";
 * // pickle.dumps({'a': [1, 2.5]}, protocol=2)
 * const bytes = new Uint8Array([
 *   0x80, 2, 0x7d, 0x71, 0, 0x58, 1, 0, 0, 0, 0x61, 0x71, 1, 0x5d, 0x71, 2, 0x28, 0x4b, 1,
 *   0x47, 0x40, 4, 0, 0, 0, 0, 0, 0, 0x65, 0x73, 0x2e,
 * ]);
 * console.log(decodePickle(bytes, "meta.obj")); // { a: [ 1, 2.5 ] }
 * ```
 */
export function decodePickle(bytes: Uint8Array, source?: string): unknown {
  const u = new Unpickler(bytes, source);
  const value = load(u);
  if (u.firstForeign) {
    const found = findForeign(value) ?? u.firstForeign;
    throw new StorageError(
      `${
        source ?? "<pickle bytes>"
      } holds a pickled Python object ${found.description}; sweepstore ` +
        "reads only plain data (dict, list, tuple, set, str, bytes, int, float, bool, None, numpy " +
        "scalars) and never runs pickled code: re-save it with np.save (arrays) or as plain data",
      { path: source, code: "unsupported" },
    );
  }
  try {
    return finish(value);
  } catch (err) {
    if (!(err instanceof ClassInData)) throw err;
    throw new StorageError(
      `${source ?? "<pickle bytes>"} holds ${err.message}, not data; sweepstore reads only ` +
        "plain data (dict, list, tuple, set, str, bytes, int, float, bool, " +
        "None): re-save the data without it",
      { path: source, code: "unsupported" },
    );
  }
}
