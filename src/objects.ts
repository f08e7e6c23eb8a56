/**
 * The any-object codec: values as CBOR (RFC 8949), in `<key>.cbor` files that Python reads with `cbor2`.
 *
 * Kept exactly: plain objects, arrays, strings, numbers (NaN, ±Infinity, -0), booleans, `null` and
 * `undefined` (distinct), BigInt of any size, Map (any keys), Set, Date, every typed array, ArrayBuffer,
 * and shared or cyclic references (an object referenced twice is stored once and comes back as one object).
 * Lost: prototypes (class instances come back as plain objects), the sign of a top-level or nested `-0`
 * (CBOR writes it as the integer 0), functions and symbols (refused).
 *
 * The CBOR tags used, for readers in other languages: 28/29 value sharing (shared and cyclic references),
 * 258 sets, 259 maps with non-string keys, 1 epoch-seconds dates, 2/3 bignums, 64–87 typed arrays (RFC 8746),
 * simple value 23 `undefined`. In Python:
 *
 * ```python
 * import cbor2, numpy as np
 * value = cbor2.load(open("meta.cbor", "rb"))
 * # Typed arrays come back as cbor2.CBORTag(tag, bytes) when cbor2 does not know the tag:
 * DTYPES = {64: "u1", 65: ">u2", 66: ">u4", 67: ">u8", 68: "u1", 69: "<u2", 70: "<u4", 71: "<u8",
 *           72: "i1", 73: ">i2", 74: ">i4", 75: ">i8", 77: "<i2", 78: "<i4", 79: "<i8",
 *           81: ">f4", 82: ">f8", 84: "<f2", 85: "<f4", 86: "<f8"}
 * def to_numpy(v):
 *     return np.frombuffer(v.value, DTYPES[v.tag]) if isinstance(v, cbor2.CBORTag) else v
 * ```
 *
 * @module
 */

import { Encoder } from "cbor-x";
import { StorageError } from "./errors.ts";

const codec = new Encoder({ structuredClone: true, useRecords: false, tagUint8Array: true });

function check(value: unknown, path: string, seen: Set<unknown>): void {
  if (typeof value === "function" || typeof value === "symbol") {
    throw new TypeError(
      `${path} is ${
        typeof value === "function" ? "a function" : "a symbol"
      }, which cannot be saved: ` +
        "store data only",
    );
  }
  if (value === null || typeof value !== "object" || seen.has(value) || ArrayBuffer.isView(value)) {
    return;
  }
  seen.add(value);
  if (value instanceof Map) {
    let i = 0;
    for (const [k, v] of value) {
      check(k, `${path}.<key ${i}>`, seen);
      check(v, `${path}.get(${i++})`, seen);
    }
  } else if (value instanceof Set) {
    let i = 0;
    for (const v of value) check(v, `${path}.<item ${i++}>`, seen);
  } else if (!(value instanceof Date) && !(value instanceof ArrayBuffer)) {
    for (const [k, v] of Object.entries(value)) check(v, `${path}.${k}`, seen);
  }
}

/**
 * Encodes any value as CBOR bytes (see the module documentation for what is kept).
 * Throws a `TypeError` naming the path of a function or symbol inside the value.
 *
 * @example
 * ```ts
 * import { decodeObject, encodeObject } from "@sweepstore/sweepstore";
 * const value = { ids: new Map([[1, "a"]]), tags: new Set(["x"]), when: new Date(0) };
 * console.log(decodeObject(encodeObject(value))); // the same structure back
 * ```
 */
export function encodeObject(value: unknown): Uint8Array {
  check(value, "value", new Set());
  return codec.encode(value);
}

/**
 * Decodes CBOR bytes written by {@linkcode encodeObject} (or any CBOR writer). Corrupt bytes throw a
 * `StorageError` naming `source`.
 *
 * @example
 * ```ts
 * import { decodeObject, encodeObject } from "@sweepstore/sweepstore";
 * const a: Record<string, unknown> = { n: 1n };
 * a.self = a;
 * const back = decodeObject(encodeObject(a)) as Record<string, unknown>;
 * console.log(back.self === back); // true
 * ```
 */
export function decodeObject(bytes: Uint8Array, source?: string): unknown {
  try {
    return codec.decode(bytes);
  } catch (err) {
    throw new StorageError(
      `${source ?? "<cbor bytes>"} is not valid CBOR (${
        (err as Error).message
      }): the file is corrupt or ` +
        "was not written by saveObj",
      { path: source, cause: err },
    );
  }
}
