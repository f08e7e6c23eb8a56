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

import { StorageError } from "../errors.ts";

// ---------------------------------------------------------------------------------------------------
// Shared tables
// ---------------------------------------------------------------------------------------------------

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HAS_FLOAT16 = typeof Float16Array !== "undefined";

type TypedArrayCtor = {
  new (buffer: ArrayBuffer): ArrayBufferView;
  readonly BYTES_PER_ELEMENT: number;
};

/** Typed-array tags of RFC 8746: name → [little-endian tag, big-endian tag]. */
const TAG_OF: Record<string, [number, number]> = {
  Uint8Array: [64, 64],
  Uint8ClampedArray: [68, 68],
  Int8Array: [72, 72],
  Uint16Array: [69, 65],
  Uint32Array: [70, 66],
  BigUint64Array: [71, 67],
  Int16Array: [77, 73],
  Int32Array: [78, 74],
  BigInt64Array: [79, 75],
  Float16Array: [84, 80],
  Float32Array: [85, 81],
  Float64Array: [86, 82],
};

/** Tag → the typed array it holds and whether its bytes are big-endian. */
const TYPED_OF_TAG = new Map<number, { name: string; bigEndian: boolean }>();
for (const [name, [le, be]] of Object.entries(TAG_OF)) {
  TYPED_OF_TAG.set(le, { name, bigEndian: false });
  if (be !== le) TYPED_OF_TAG.set(be, { name, bigEndian: true });
}

const ERROR_CLASSES: Record<string, new (message?: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

// ---------------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function describePath(path: (string | number)[]): string {
  let out = "value";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (p.startsWith("\0")) out += p.slice(1);
    else out += IDENTIFIER.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
  }
  return out;
}

function describeKey(key: unknown): string {
  if (typeof key === "string") return JSON.stringify(key);
  if (typeof key === "bigint") return `${key}n`;
  if (key === null || typeof key !== "object") return String(key);
  return "<object key>";
}

/** What the first pass learns: the objects reached twice, and how many bytes typed arrays take. */
interface Analysis {
  shared: Set<object>;
  binaryBytes: number;
}

/** The first pass: refuses what cannot be stored (naming where it is) and finds shared objects. */
function analyze(root: unknown): Analysis {
  const seen = new Set<object>();
  const shared = new Set<object>();
  const path: (string | number)[] = [];
  let binaryBytes = 0;
  const refuse = (what: string, hint: string): never => {
    throw new TypeError(`${describePath(path)} is ${what}, which saveObj cannot store: ${hint}`);
  };
  const visit = (v: unknown): void => {
    switch (typeof v) {
      case "function":
        return refuse("a function", "store data only (functions and methods are not data)");
      case "symbol":
        return refuse("a symbol", "use a string instead");
      case "string":
        if (!v.isWellFormed()) {
          refuse(
            "a string with a lone surrogate (not valid UTF-8)",
            "fix the string or store its UTF-16 code units in a Uint16Array",
          );
        }
        return;
      case "object":
        break;
      default:
        return;
    }
    if (v === null) return;
    if (seen.has(v)) {
      shared.add(v);
      return;
    }
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        const t = typeof x;
        if (
          t === "number" || t === "boolean" || t === "undefined" || t === "bigint" || x === null
        ) {
          continue; // nothing to check: skip the call
        }
        path.push(i);
        visit(x);
        path.pop();
      }
      return;
    }
    if (ArrayBuffer.isView(v)) {
      if (!((v as unknown as { [Symbol.toStringTag]: string })[Symbol.toStringTag] in TAG_OF)) {
        refuse("a DataView", "store its bytes as a Uint8Array (new Uint8Array(view.buffer, …))");
      }
      binaryBytes += v.byteLength;
      return;
    }
    if (
      v instanceof ArrayBuffer || Object.prototype.toString.call(v) === "[object SharedArrayBuffer]"
    ) {
      binaryBytes += (v as ArrayBuffer).byteLength;
      return;
    }
    if (v instanceof Map) {
      let i = 0;
      for (const [k, x] of v) {
        path.push(`\0.<key ${i++}>`);
        visit(k);
        path.pop();
        path.push(`\0.get(${describeKey(k)})`);
        visit(x);
        path.pop();
      }
      return;
    }
    if (v instanceof Set) {
      let i = 0;
      for (const x of v) {
        path.push(`\0.<item ${i++}>`);
        visit(x);
        path.pop();
      }
      return;
    }
    if (v instanceof Date || v instanceof RegExp) return;
    if (v instanceof Error) {
      path.push("message");
      visit(v.message);
      path.pop();
      return;
    }
    const kind = Object.prototype.toString.call(v);
    if (kind !== "[object Object]") {
      const name = kind.slice(8, -1);
      refuse(
        `${/^[AEIO]/.test(name) ? "an" : "a"} ${name}`,
        "store plain data (objects, arrays, Map, Set, Date, typed arrays, numbers, strings)",
      );
    }
    for (const s of Object.getOwnPropertySymbols(v)) {
      if (Object.prototype.propertyIsEnumerable.call(v, s)) {
        path.push(`\0[${String(s)}]`);
        refuse("a symbol-keyed property", "use string keys");
      }
    }
    for (const k of Object.keys(v)) {
      path.push(k);
      visit((v as Record<string, unknown>)[k]);
      path.pop();
    }
  };
  visit(root);
  return { shared, binaryBytes };
}

const TWO_32 = 2 ** 32;
const textEncoder = new TextEncoder();

/** The size of a head whose argument is `n`. */
function headSize(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < TWO_32 ? 5 : 9;
}

/** The second pass: writes the CBOR bytes into a growing buffer. */
class Writer {
  buf: Uint8Array;
  view: DataView;
  pos = 0;
  readonly ids = new Map<object, number>();

  constructor(capacity: number, readonly shared: Set<object>) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Writes the initial byte and argument of a data item (`n` a non-negative safe integer). */
  head(major: number, n: number): void {
    this.ensure(9);
    const m = major << 5;
    if (n < 24) {
      this.buf[this.pos++] = m | n;
    } else if (n < 0x100) {
      this.buf[this.pos++] = m | 24;
      this.buf[this.pos++] = n;
    } else if (n < 0x10000) {
      this.buf[this.pos++] = m | 25;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    } else if (n < TWO_32) {
      this.buf[this.pos++] = m | 26;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    } else {
      this.buf[this.pos++] = m | 27;
      this.view.setUint32(this.pos, Math.floor(n / TWO_32));
      this.view.setUint32(this.pos + 4, n >>> 0);
      this.pos += 8;
    }
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  number(v: number): void {
    if (v >= 0 && v < 24 && (v | 0) === v && (v !== 0 || 1 / v > 0)) {
      this.ensure(1);
      this.buf[this.pos++] = v;
      return;
    }
    if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
      if (v >= 0) this.head(0, v);
      else this.head(1, -1 - v);
      return;
    }
    this.ensure(9);
    if (v !== v || Math.f16round(v) === v) {
      this.buf[this.pos++] = 0xf9;
      this.view.setFloat16(this.pos, v);
      this.pos += 2;
    } else if (Math.fround(v) === v) {
      this.buf[this.pos++] = 0xfa;
      this.view.setFloat32(this.pos, v);
      this.pos += 4;
    } else {
      this.buf[this.pos++] = 0xfb;
      this.view.setFloat64(this.pos, v);
      this.pos += 8;
    }
  }

  bigint(v: bigint): void {
    const negative = v < 0n;
    const magnitude = negative ? -1n - v : v;
    this.head(6, negative ? 3 : 2);
    if (magnitude === 0n) {
      this.head(2, 0);
      return;
    }
    let hex = magnitude.toString(16);
    if (hex.length % 2) hex = "0" + hex;
    const n = hex.length / 2;
    this.head(2, n);
    this.ensure(n);
    for (let i = 0; i < n; i++) this.buf[this.pos++] = parseInt(hex.substr(2 * i, 2), 16);
  }

  text(s: string): void {
    const n = s.length;
    if (n < 24) {
      // short ASCII fast path: byte length = string length, one-byte head
      this.ensure(1 + n);
      const buf = this.buf;
      const start = this.pos;
      let p = start + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === n) {
        buf[start] = 0x60 | n;
        this.pos = p;
        return;
      }
    }
    // UTF-8 straight into the buffer after a head sized for the worst case (3 bytes per unit),
    // moved left when the real length needs a shorter head
    const max = 3 * n;
    const room = headSize(max);
    this.ensure(room + max);
    const { written } = textEncoder.encodeInto(s, this.buf.subarray(this.pos + room));
    const size = headSize(written);
    if (size < room) {
      this.buf.copyWithin(this.pos + size, this.pos + room, this.pos + room + written);
    }
    this.head(3, written);
    this.pos += written;
  }

  value(v: unknown): void {
    switch (typeof v) {
      case "number":
        return this.number(v);
      case "string":
        return this.text(v);
      case "boolean":
        this.ensure(1);
        this.buf[this.pos++] = v ? 0xf5 : 0xf4;
        return;
      case "undefined":
        this.ensure(1);
        this.buf[this.pos++] = 0xf7;
        return;
      case "bigint":
        return this.bigint(v);
      case "object":
        if (v === null) {
          this.ensure(1);
          this.buf[this.pos++] = 0xf6;
          return;
        }
        return this.object(v);
      default:
        // only reachable through a getter that returned something else on the second read
        throw new TypeError(`saveObj cannot store a ${typeof v}: store data only`);
    }
  }

  object(v: object): void {
    if (this.shared.has(v)) {
      const id = this.ids.get(v);
      if (id !== undefined) {
        this.head(6, 29);
        this.head(0, id);
        return;
      }
      if (v instanceof Map) {
        // tag 259 outside tag 28, so that Python's cbor2 shares the dict inside, not the tag
        this.head(6, 259);
        this.share(v);
        this.mapBody(v);
        return;
      }
      this.share(v);
    }
    if (Array.isArray(v)) {
      const n = v.length;
      this.head(4, n);
      for (let i = 0; i < n; i++) this.value(v[i]);
    } else if (ArrayBuffer.isView(v)) {
      const name = (v as unknown as { [Symbol.toStringTag]: string })[Symbol.toStringTag];
      const tags = TAG_OF[name];
      if (!tags) throw new TypeError(`saveObj cannot store a ${name}: store a typed array`);
      this.head(6, LITTLE_ENDIAN ? tags[0] : tags[1]);
      this.head(2, v.byteLength);
      this.raw(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    } else if (v instanceof Map) {
      this.head(6, 259);
      this.mapBody(v);
    } else if (v instanceof Set) {
      this.head(6, 258);
      this.head(4, v.size);
      for (const x of v) this.value(x);
    } else if (v instanceof Date) {
      this.head(6, 1);
      this.number(v.getTime() / 1000); // whole seconds as an integer, else a float
    } else if (v instanceof RegExp) {
      this.head(6, 27);
      this.head(4, 3);
      this.text("RegExp");
      this.text(v.source);
      this.text(v.flags);
    } else if (v instanceof Error) {
      this.head(6, 27);
      this.head(4, 2);
      this.text(String(v.name));
      this.text(String(v.message));
    } else if (
      v instanceof ArrayBuffer || Object.prototype.toString.call(v) === "[object SharedArrayBuffer]"
    ) {
      const bytes = new Uint8Array(v as ArrayBuffer);
      this.head(2, bytes.length);
      this.raw(bytes);
    } else {
      const keys = Object.keys(v);
      this.head(5, keys.length);
      for (const k of keys) {
        this.text(k);
        this.value((v as Record<string, unknown>)[k]);
      }
    }
  }

  share(v: object): void {
    this.ids.set(v, this.ids.size);
    this.head(6, 28);
  }

  mapBody(v: Map<unknown, unknown>): void {
    this.head(5, v.size);
    for (const [k, x] of v) {
      this.value(k);
      this.value(x);
    }
  }
}

function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

/**
 * Encodes a value as CBOR bytes (the format and what is kept are in the module documentation).
 * Throws a `TypeError` naming the place of a function, symbol or other value that is not data.
 *
 * @example
 * ```ts
 * import { decodeObject, encodeObject } from "@sweepstore/sweepstore";
 * const value = { ids: new Map([[1, "a"]]), tags: new Set(["x"]), when: new Date(0), n: 2n ** 80n };
 * const bytes = encodeObject(value);
 * console.log(decodeObject(bytes)); // the same structure back
 * ```
 */
export function encodeObject(value: unknown): Uint8Array {
  try {
    const { shared, binaryBytes } = analyze(value);
    const w = new Writer(binaryBytes + 256, shared);
    w.value(value);
    const spare = w.buf.length - w.pos;
    return spare > 65536 && spare > w.pos / 8 ? w.buf.slice(0, w.pos) : w.buf.subarray(0, w.pos);
  } catch (err) {
    if (isStackOverflow(err)) {
      throw new TypeError(
        "saveObj cannot store the value: it is nested too deeply for the call stack (thousands of " +
          "levels); flatten it, e.g. store a linked list as an array",
        { cause: err },
      );
    }
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------------

/** A placeholder for a shared value that is still being read (only containers may refer to themselves). */
const PENDING = Symbol("pending");
const BREAK = 0xff;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Scratch space for {@linkcode shortUtf8}: at most one UTF-16 unit per byte, under 64 bytes. */
const UNITS = new Uint16Array(64);

/**
 * Decodes a short (under 64 bytes) UTF-8 string without the cost of a TextDecoder call; undefined when
 * the bytes are not strictly valid UTF-8 (then TextDecoder decides, and reports the error).
 */
function shortUtf8(b: Uint8Array, start: number, end: number): string | undefined {
  let ascii = "";
  let i = start;
  for (; i < end; i++) {
    const c = b[i];
    if (c >= 0x80) break;
    ascii += String.fromCharCode(c);
  }
  if (i === end) return ascii;
  const units = UNITS;
  let n = 0;
  i = start;
  while (i < end) {
    const c = b[i++];
    if (c < 0x80) {
      units[n++] = c;
      continue;
    }
    let cp: number;
    let more: number;
    if ((c & 0xe0) === 0xc0) {
      cp = c & 0x1f;
      more = 1;
    } else if ((c & 0xf0) === 0xe0) {
      cp = c & 0x0f;
      more = 2;
    } else if ((c & 0xf8) === 0xf0) {
      cp = c & 0x07;
      more = 3;
    } else {
      return undefined;
    }
    if (i + more > end) return undefined;
    for (let k = 0; k < more; k++) {
      const x = b[i++];
      if ((x & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (x & 0x3f);
    }
    // overlong forms, surrogates and code points beyond U+10FFFF are invalid UTF-8
    if (cp < (more === 1 ? 0x80 : more === 2 ? 0x800 : 0x10000)) return undefined;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units[n++] = 0xd800 | (cp >> 10);
      units[n++] = 0xdc00 | (cp & 0x3ff);
    } else {
      units[n++] = cp;
    }
  }
  return String.fromCharCode.apply(null, units.subarray(0, n) as unknown as number[]);
}

function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

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

class Reader {
  pos = 0;
  readonly view: DataView;
  readonly shared: unknown[] = [];
  /** Objects handed out by tag 29 (to detect a self-referencing map that must become a Map). */
  readonly referenced = new Set<unknown>();

  readonly bytes: Uint8Array;

  constructor(input: Uint8Array, readonly source: string | undefined) {
    // a plain view: on a Node Buffer (a Uint8Array subclass) slice() would not copy
    this.bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }

  fail(what: string, at = this.pos): never {
    throw new StorageError(
      `${this.source ?? "<cbor bytes>"} is not valid sweepstore CBOR (${what}, at byte ${at}): ` +
        "the file is corrupt, truncated or was not written by saveObj",
      { path: this.source },
    );
  }

  need(n: number): void {
    if (n > this.bytes.length - this.pos) this.fail("the data ends too early");
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  /** Reads the argument of a head with additional information `ai`; -1 for an indefinite length. */
  arg(ai: number): number | bigint {
    if (ai < 24) return ai;
    const v = this.view;
    let n: number | bigint;
    switch (ai) {
      case 24:
        return this.u8();
      case 25:
        this.need(2);
        n = v.getUint16(this.pos);
        this.pos += 2;
        return n;
      case 26:
        this.need(4);
        n = v.getUint32(this.pos);
        this.pos += 4;
        return n;
      case 27: {
        this.need(8);
        const big = v.getBigUint64(this.pos);
        this.pos += 8;
        return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      }
      case 31:
        return -1;
      default:
        return this.fail(`a reserved additional information value ${ai}`, this.pos - 1);
    }
  }

  /** A length or count: at most what the remaining bytes can hold (guards against huge allocations). */
  length(ai: number, unit: number): number {
    const at = this.pos - 1;
    const n = this.arg(ai);
    if (typeof n === "bigint" || n < 0 || n * unit > this.bytes.length - this.pos) {
      this.fail(
        `a length of ${n} where ${this.bytes.length - this.pos} bytes remain: the data ends too ` +
          "early or the length is damaged",
        at,
      );
    }
    return n;
  }

  /** The content of a byte string (joined if it came in chunks), as a view into the input. */
  byteContent(ai: number): Uint8Array {
    if (ai !== 31) {
      const n = this.length(ai, 1);
      const out = this.bytes.subarray(this.pos, this.pos + n);
      this.pos += n;
      return out;
    }
    const parts: Uint8Array[] = [];
    while (this.peek() !== BREAK) {
      const ib = this.u8();
      if (ib >> 5 !== 2 || (ib & 31) === 31) {
        this.fail("a chunk of a byte string that is not bytes");
      }
      parts.push(this.byteContent(ib & 31));
    }
    this.pos++;
    const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  /** Reads a byte string item (for the tags that wrap one). */
  byteString(what: string): Uint8Array {
    const ib = this.u8();
    if (ib >> 5 !== 2) this.fail(`${what} without a byte string`, this.pos - 1);
    return this.byteContent(ib & 31);
  }

  textContent(ai: number): string {
    if (ai === 31) {
      let out = "";
      while (this.peek() !== BREAK) {
        const ib = this.u8();
        if (ib >> 5 !== 3 || (ib & 31) === 31) {
          this.fail("a chunk of a text string that is not text");
        }
        out += this.textContent(ib & 31);
      }
      this.pos++;
      return out;
    }
    const n = this.length(ai, 1);
    const start = this.pos;
    const end = start + n;
    const b = this.bytes;
    if (n < 64) {
      const s = shortUtf8(b, start, end);
      if (s !== undefined) {
        this.pos = end;
        return s;
      }
    }
    try {
      const s = utf8.decode(b.subarray(start, end));
      this.pos = end;
      return s;
    } catch {
      return this.fail("a text string that is not valid UTF-8", start);
    }
  }

  peek(): number {
    this.need(1);
    return this.bytes[this.pos];
  }

  /** If the next item is tag `tag`, consumes its head and returns true. */
  takeTag(tag: number): boolean {
    const save = this.pos;
    if (this.pos >= this.bytes.length || this.bytes[this.pos] >> 5 !== 6) return false;
    const ib = this.u8();
    if (this.arg(ib & 31) === tag) return true;
    this.pos = save;
    return false;
  }

  /** If the next item has major type `major`, consumes its head and returns its additional info. */
  takeMajor(major: number): number {
    if (this.pos < this.bytes.length && this.bytes[this.pos] >> 5 === major) {
      return this.bytes[this.pos++] & 31;
    }
    return -1;
  }

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
      this.fail(`tag ${tag} (float128 array), which JavaScript cannot hold`, at);
    }
    return this.fail(`CBOR tag ${tag}, which sweepstore does not read`, at);
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
 * import { decodeObject, encodeObject } from "@sweepstore/sweepstore";
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
      { path: source, cause: err },
    );
  }
}
