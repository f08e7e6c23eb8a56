/**
 * The decoder of the objects codec (`objects.ts`): CBOR items into JavaScript values, with the tags of the
 * type table (typed arrays, Map, Set, Date, bignums, shared references) and what Python's `cbor2` writes.
 *
 * @module
 */

import { StorageError } from "../errors.ts";
import { BREAK, CborInput } from "./_cbor_input.ts";
import { float16ToNumber } from "./_float16.ts";
import {
  ERROR_CLASSES,
  isStackOverflow,
  LITTLE_ENDIAN,
  TYPED_OF_TAG,
  type TypedArrayCtor,
} from "./_cbor_tags.ts";

/** A placeholder for a shared value that is still being read (only containers may refer to themselves). */
const PENDING = Symbol("pending");
const HAS_FLOAT16 = typeof Float16Array !== "undefined";

/**
 * Epoch seconds → milliseconds. Encoding divides by 1000, so the exact millisecond is the one whose
 * quotient is `s`: a neighbour of the rounded product (which is off by one for years beyond ±140,000).
 */
function secondsToMs(s: number): number {
  const c = Math.round(s * 1000);
  if (!Number.isFinite(c)) return NaN;
  for (const d of [0, -1, 1, -2, 2]) if ((c + d) / 1000 === s) return c + d;
  return c;
}

class Reader extends CborInput {
  readonly shared: unknown[] = [];
  /** Objects handed out by tag 29 (to detect a self-referencing map that must become a Map). */
  readonly referenced = new Set<unknown>();

  item(): unknown {
    const at = this.pos;
    if (at >= this.bytes.length) this.fail("the data ends too early");
    const ib = this.bytes[at];
    this.pos = at + 1;
    if (ib < 24) return ib; // the small unsigned integers, the most common item
    const major = ib >> 5;
    const ai = ib & 31;
    switch (major) {
      case 0: {
        if (ai === 31) this.fail("an indefinite-length integer", at);
        return this.arg(ai);
      }
      case 1: {
        if (ai === 31) this.fail("an indefinite-length integer", at);
        const n = this.arg(ai);
        return typeof n === "number" && n < Number.MAX_SAFE_INTEGER ? -1 - n : -1n - BigInt(n);
      }
      case 2:
        return this.byteContent(ai).slice().buffer;
      case 3:
        return this.textContent(ai);
      case 4:
        return this.arrayContent(ai, []);
      case 5:
        return this.mapContent(ai, {}, -1);
      case 6: {
        if (ai === 31) this.fail("an indefinite-length tag", at);
        return this.tagged(this.arg(ai), at);
      }
      default:
        return this.simple(ai, at);
    }
  }

  simple(ai: number, at: number): unknown {
    switch (ai) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 25: {
        this.need(2);
        const bits = this.view.getUint16(this.pos);
        this.pos += 2;
        return float16ToNumber(bits);
      }
      case 26: {
        this.need(4);
        const v = this.view.getFloat32(this.pos);
        this.pos += 4;
        return v;
      }
      case 27: {
        this.need(8);
        const v = this.view.getFloat64(this.pos);
        this.pos += 8;
        return v;
      }
      case 31:
        return this.fail("a break code outside an indefinite-length item", at);
      default:
        return this.fail(
          `the simple value ${ai === 24 ? this.u8() : ai}, which has no meaning here`,
          at,
          "unsupported",
        );
    }
  }

  arrayContent(ai: number, target: unknown[]): unknown[] {
    if (ai === 31) {
      while (this.peek() !== BREAK) target.push(this.item());
      this.pos++;
      return target;
    }
    const n = this.length(ai, 1);
    for (let i = 0; i < n; i++) target.push(this.item());
    return target;
  }

  /**
   * Reads a map into a plain object while its keys are text; at the first other key it becomes a Map
   * (refused if the object was already handed out to a reference to itself). `shareId` is the object's
   * index in the shared table, or -1.
   */
  mapContent(ai: number, target: Record<string, unknown>, shareId: number): unknown {
    const indefinite = ai === 31;
    const n = indefinite ? Infinity : this.length(ai, 2);
    let map: Map<unknown, unknown> | undefined;
    for (let i = 0; i < n; i++) {
      if (indefinite && this.peek() === BREAK) break;
      const at = this.pos;
      const key = this.item();
      if (!map && typeof key !== "string") {
        if (this.referenced.has(target)) {
          this.fail("a map whose first non-text key comes after a reference to the map itself", at);
        }
        map = new Map(Object.entries(target));
        if (shareId >= 0) this.shared[shareId] = map;
      }
      const value = this.item();
      if (map) {
        map.set(key, value);
      } else if (key === "__proto__") {
        Object.defineProperty(target, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        target[key as string] = value;
      }
    }
    if (indefinite) this.pos++;
    return map ?? target;
  }

  mapInto(target: Map<unknown, unknown>): Map<unknown, unknown> {
    const at = this.pos;
    const ai = this.takeMajor(5);
    if (ai < 0) this.fail("tag 259 without a map", at);
    const indefinite = ai === 31;
    const n = indefinite ? Infinity : this.length(ai, 2);
    for (let i = 0; i < n; i++) {
      if (indefinite && this.peek() === BREAK) {
        this.pos++;
        break;
      }
      const key = this.item();
      target.set(key, this.item());
    }
    return target;
  }

  setInto(target: Set<unknown>): Set<unknown> {
    const at = this.pos;
    const ai = this.takeMajor(4);
    if (ai < 0) this.fail("tag 258 without an array", at);
    if (ai === 31) {
      while (this.peek() !== BREAK) target.add(this.item());
      this.pos++;
      return target;
    }
    const n = this.length(ai, 1);
    for (let i = 0; i < n; i++) target.add(this.item());
    return target;
  }

  /** Tag 28: the next item may be referred to by tag 29; containers are registered before their content. */
  shareable(): unknown {
    const id = this.shared.length;
    this.shared.push(PENDING);
    let ai: number;
    if ((ai = this.takeMajor(4)) >= 0) {
      const arr: unknown[] = [];
      this.shared[id] = arr;
      return this.arrayContent(ai, arr);
    }
    if ((ai = this.takeMajor(5)) >= 0) {
      const obj: Record<string, unknown> = {};
      this.shared[id] = obj;
      return this.mapContent(ai, obj, id);
    }
    if (this.takeTag(259)) {
      const map = new Map();
      this.shared[id] = map;
      return this.mapInto(map);
    }
    if (this.takeTag(258)) {
      const set = new Set();
      this.shared[id] = set;
      return this.setInto(set);
    }
    const v = this.item();
    this.shared[id] = v;
    return v;
  }

  tagged(tag: number | bigint, at: number): unknown {
    switch (tag) {
      case 0: {
        const s = this.item();
        const t = typeof s === "string" ? Date.parse(s) : NaN;
        if (Number.isNaN(t)) this.fail("tag 0 without a date text", at);
        return new Date(t);
      }
      case 1: {
        const s = this.item();
        if (typeof s === "number") return new Date(secondsToMs(s));
        if (typeof s === "bigint") return new Date(NaN);
        return this.fail("tag 1 without a number", at);
      }
      case 2:
      case 3: {
        const bytes = this.byteString(`tag ${tag}`);
        let hex = "";
        for (let i = 0; i < bytes.length; i++) hex += bytes[i].toString(16).padStart(2, "0");
        const n = hex ? BigInt("0x" + hex) : 0n;
        return tag === 2 ? n : -1n - n;
      }
      case 27:
        return this.genericObject(at);
      case 28:
        return this.shareable();
      case 29: {
        const id = this.item();
        if (typeof id !== "number" || !(id >= 0 && id < this.shared.length)) {
          this.fail(`tag 29 refers to ${String(id)}, which no tag 28 marked before`, at);
        }
        const v = this.shared[id];
        if (v === PENDING) {
          this.fail(
            "tag 29 refers to a value that is still being read (not an array, map or set)",
            at,
          );
        }
        if (v !== null && typeof v === "object") this.referenced.add(v);
        return v;
      }
      case 258:
        return this.setInto(new Set());
      case 259: {
        const map = new Map();
        if (this.takeTag(28)) {
          this.shared.push(map);
        }
        return this.mapInto(map);
      }
      case 55799:
        return this.item();
    }
    const typed = typeof tag === "number" ? TYPED_OF_TAG.get(tag) : undefined;
    if (typed) return this.typedArray(typed.name, typed.bigEndian, tag as number);
    if (tag === 83 || tag === 87) {
      this.fail(`tag ${tag} (float128 array), which JavaScript cannot hold`, at, "unsupported");
    }
    return this.fail(`CBOR tag ${tag}, which sweepstore does not read`, at, "unsupported");
  }

  typedArray(name: string, bigEndian: boolean, tag: number): ArrayBufferView {
    const at = this.pos;
    const bytes = this.byteString(`tag ${tag}`);
    const copy = bytes.slice();
    if (name === "Float16Array" && !HAS_FLOAT16) {
      if (copy.length % 2) this.fail(`tag ${tag} with a length that is not a multiple of 2`, at);
      const dv = new DataView(copy.buffer);
      const out = new Float32Array(copy.length / 2);
      for (let i = 0; i < out.length; i++) {
        out[i] = float16ToNumber(dv.getUint16(2 * i, !bigEndian));
      }
      return out;
    }
    const Ctor = (globalThis as unknown as Record<string, TypedArrayCtor>)[name];
    const size = Ctor.BYTES_PER_ELEMENT;
    if (copy.length % size) {
      this.fail(`tag ${tag} (${name}) with ${copy.length} bytes, not a multiple of ${size}`, at);
    }
    if (size > 1 && bigEndian === LITTLE_ENDIAN) {
      for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
    }
    return new Ctor(copy.buffer);
  }

  genericObject(at: number): unknown {
    const parts = this.item();
    if (!Array.isArray(parts) || !parts.every((p) => typeof p === "string")) {
      this.fail("tag 27 without an array of strings", at);
    }
    const [name, a = "", b = ""] = parts as string[];
    if (name === "RegExp") {
      try {
        return new RegExp(a, b);
      } catch {
        return this.fail(`an invalid regular expression /${a}/${b}`, at);
      }
    }
    const Ctor = ERROR_CLASSES[name];
    if (Ctor) return new Ctor(a);
    const err = new Error(a); // an Error of another class: its name is kept
    err.name = name;
    return err;
  }
}

/**
 * Decodes CBOR bytes written by {@linkcode encodeObject} (or by Python's `cbor2`, with or without value
 * sharing). Corrupt, truncated or unsupported bytes throw a `StorageError` naming `source`.
 *
 * @example
 * ```ts
 * import { decodeObject, encodeObject } from "@sweepstore/sweepstore/objects";
 * const a: Record<string, unknown> = { n: 1n, tags: new Set(["x"]) };
 * a.self = a;
 * const back = decodeObject(encodeObject(a), "meta.cbor") as Record<string, unknown>;
 * console.log(back.self === back); // true
 * ```
 */
export function decodeObject(bytes: Uint8Array, source?: string): unknown {
  const r = new Reader(bytes, source);
  try {
    const value = r.item();
    if (r.pos !== bytes.length) r.fail(`${bytes.length - r.pos} bytes after the value`);
    return value;
  } catch (err) {
    if (err instanceof StorageError) throw err;
    const what = isStackOverflow(err)
      ? "nested too deeply for the call stack"
      : `${(err as Error)?.message ?? err}`;
    throw new StorageError(
      `${
        source ?? "<cbor bytes>"
      } cannot be read as CBOR (${what}, near byte ${r.pos}): the file is ` +
        "corrupt or was not written by saveObj",
      { path: source, cause: err, code: "corrupt" },
    );
  }
}
