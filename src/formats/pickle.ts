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

class Mark {}
const MARK = new Mark();

/** A class or callable that the pickle names and that is not rebuilt here: never called. */
class Foreign {
  constructor(readonly name: string) {}
}

/** An object made from a {@linkcode Foreign} class or call (an instance of a Python class). */
class ForeignObject {
  constructor(readonly description: string) {}
}

/** A numpy dtype, as far as numpy scalars need it: its type code (`f8`) and byte order. */
class NumpyDtype {
  constructor(public code: string, public order: string = "=") {}
}

/** A pure constructor that protocols 0–3 name for plain data, rebuilt here. */
class Safe {
  constructor(readonly name: string, readonly build: (args: unknown[]) => unknown) {}
}

function latin1Bytes(text: unknown): Uint8Array {
  if (typeof text !== "string") throw new TypeError("not a str");
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new TypeError("a character beyond latin-1");
    out[i] = c;
  }
  return out;
}

function bytesFrom([v, encoding]: unknown[]): Uint8Array {
  if (v === undefined) return new Uint8Array();
  if (v instanceof Uint8Array) return v.slice();
  if (typeof v === "string" && /^latin[-_]?1$/i.test(String(encoding))) return latin1Bytes(v);
  if (Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0 && x < 256)) {
    return Uint8Array.from(v as number[]);
  }
  throw new TypeError("unsupported bytes() argument");
}

function iterable(v: unknown): unknown[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  if (v instanceof Set) return [...v];
  throw new TypeError("not a list");
}

const SAFE: Record<string, (args: unknown[]) => unknown> = {
  "_codecs.encode": ([text, encoding]) => {
    if (encoding !== undefined && !/^latin[-_]?1$/i.test(String(encoding))) {
      throw new TypeError(`encoding ${String(encoding)}`);
    }
    return latin1Bytes(text);
  },
  "builtins.set": ([items]) => new Set(iterable(items)),
  "builtins.frozenset": ([items]) => new Set(iterable(items)),
  "builtins.bytearray": bytesFrom,
  "builtins.bytes": bytesFrom,
  "collections.OrderedDict": ([items]) => new Map(iterable(items) as [unknown, unknown][]),
  "numpy.dtype": ([code]) => {
    if (typeof code !== "string") throw new TypeError("dtype code");
    return new NumpyDtype(code);
  },
  "numpy.core.multiarray.scalar": numpyScalar,
  "numpy._core.multiarray.scalar": numpyScalar,
};

/** numpy's way of naming the class of an array or scalar that it rebuilds with a helper function. */
const NUMPY_HELPERS: Record<string, (args: unknown[]) => string> = {
  "numpy.core.multiarray._reconstruct": ([cls]) =>
    cls instanceof Foreign ? cls.name : "numpy.ndarray",
  "numpy._core.multiarray._reconstruct": ([cls]) =>
    cls instanceof Foreign ? cls.name : "numpy.ndarray",
  "numpy.core.numeric._frombuffer": () => "numpy.ndarray",
  "numpy._core.numeric._frombuffer": () => "numpy.ndarray",
  "copyreg._reconstructor": ([cls]) => cls instanceof Foreign ? cls.name : "?",
  "copyreg.__newobj__": ([cls]) => cls instanceof Foreign ? cls.name : "?",
  "copyreg.__newobj_ex__": ([cls]) => cls instanceof Foreign ? cls.name : "?",
};

const MODULE_ALIASES: Record<string, string> = { __builtin__: "builtins", copy_reg: "copyreg" };

function lookup(module: string, name: string): Safe | Foreign {
  const full = `${MODULE_ALIASES[module] ?? module}.${name}`;
  const build = SAFE[full];
  return build ? new Safe(full, build) : new Foreign(full);
}

/** Rebuilds a numpy scalar from its dtype and raw bytes (`numpy._core.multiarray.scalar(dtype, bytes)`). */
function numpyScalar([dtype, raw]: unknown[]): unknown {
  if (!(dtype instanceof NumpyDtype) || !(raw instanceof Uint8Array)) throw new TypeError("scalar");
  const m = /^([<>|=]?)([biuf])(\d+)$/.exec(dtype.code);
  if (!m) throw new RangeError(`numpy scalar of dtype ${dtype.code}`);
  const kind = m[2];
  const size = Number(m[3]);
  const little = (m[1] || dtype.order) !== ">";
  if (raw.length !== size) throw new TypeError("scalar size");
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (`${kind}${size}`) {
    case "b1":
      return raw[0] !== 0;
    case "i1":
      return v.getInt8(0);
    case "u1":
      return v.getUint8(0);
    case "i2":
      return v.getInt16(0, little);
    case "u2":
      return v.getUint16(0, little);
    case "i4":
      return v.getInt32(0, little);
    case "u4":
      return v.getUint32(0, little);
    case "i8":
      return normalizeInt(v.getBigInt64(0, little));
    case "u8":
      return normalizeInt(v.getBigUint64(0, little));
    case "f2":
      return float16(v.getUint16(0, little));
    case "f4":
      return v.getFloat32(0, little);
    case "f8":
      return v.getFloat64(0, little);
  }
  throw new RangeError(`numpy scalar of dtype ${dtype.code}`);
}

function float16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function normalizeInt(v: bigint): number | bigint {
  return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
}

/** Python's two's-complement little-endian `int` bytes (LONG1/LONG4). */
function littleEndianSigned(bytes: Uint8Array): number | bigint {
  const n = bytes.length;
  if (n === 0) return 0;
  let hex = "";
  for (let i = n - 1; i >= 0; i--) hex += bytes[i].toString(16).padStart(2, "0");
  let v = BigInt("0x" + hex);
  if (bytes[n - 1] & 0x80) v -= 1n << BigInt(n * 8);
  return normalizeInt(v);
}

/** Decodes Python's `raw-unicode-escape` (protocol 0 UNICODE): `\uXXXX` and `\UXXXXXXXX`, else latin-1. */
function rawUnicodeEscape(text: string): string {
  return text.replace(
    /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
    (_m, u, U) => String.fromCodePoint(parseInt(u ?? U, 16)),
  );
}

const C_ESCAPES: Record<string, string> = {
  n: "\n",
  r: "\r",
  t: "\t",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
};

/**
 * Bytes → string, one char per byte (ISO-8859-1). Not `TextDecoder("latin1")`: that is windows-1252,
 * which turns bytes 0x80–0x9F into other characters.
 */
function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return s;
}

/** A short ASCII string without the cost of a TextDecoder call; undefined if a byte is not ASCII. */
function asciiText(bytes: Uint8Array): string | undefined {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c >= 0x80) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Opcodes that need something this reader never does. */
const UNSUPPORTED: Record<number, string> = {
  0x50: "PERSID (a persistent id of an outside object)",
  0x51: "BINPERSID (a persistent id of an outside object)",
  0x82: "EXT1 (a class from the extension registry)",
  0x83: "EXT2 (a class from the extension registry)",
  0x84: "EXT4 (a class from the extension registry)",
  0x97: "NEXT_BUFFER (an out-of-band buffer)",
  0x98: "READONLY_BUFFER (an out-of-band buffer)",
};

/** The state of the opcode machine: input, stack and memo ({@linkcode load} runs it). */
class Unpickler {
  pos = 0;
  readonly view: DataView;
  readonly stack: unknown[] = [];
  /** The memo, indexed by the pickle's numbers (dense in practice); `memoSize` counts the entries. */
  readonly memo: unknown[] = [];
  memoSize = 0;
  /** The first object of a Python class met, for the message when nothing better is found. */
  firstForeign: ForeignObject | undefined;

  readonly bytes: Uint8Array;

  constructor(input: Uint8Array, readonly source: string | undefined) {
    // a plain view: on a Node Buffer (a Uint8Array subclass) slice() would not copy
    this.bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }

  fail(what: string, at = this.pos): never {
    throw new StorageError(
      `${
        this.source ?? "<pickle bytes>"
      } is not a readable Python pickle (${what}, at byte ${at}): ` +
        "the file is corrupt or truncated",
      { path: this.source },
    );
  }

  need(n: number): void {
    if (n < 0) this.fail("a negative length");
    if (n > this.bytes.length - this.pos) this.fail("the data ends too early");
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(): number {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > MAX_SAFE) this.fail("a length beyond 2**53", this.pos - 8);
    return Number(v);
  }
  f64be(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, false);
    this.pos += 8;
    return v;
  }
  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) this.fail("a text argument without its line end");
    const text = latin1(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }

  push(v: unknown): void {
    this.stack.push(v);
  }
  pop(): unknown {
    if (this.stack.length === 0 || this.stack[this.stack.length - 1] === MARK) {
      this.fail("an opcode finds no value on the stack");
    }
    return this.stack.pop();
  }
  top(): unknown {
    if (this.stack.length === 0 || this.stack[this.stack.length - 1] === MARK) {
      this.fail("an opcode finds no value on the stack");
    }
    return this.stack[this.stack.length - 1];
  }
  popMark(): unknown[] {
    const i = this.stack.lastIndexOf(MARK);
    if (i < 0) this.fail("a MARK is missing");
    const items = this.stack.slice(i + 1);
    this.stack.length = i;
    return items;
  }

  /** An object of a Python class: kept as a placeholder, and the whole pickle is refused at the end. */
  foreign(description: string): ForeignObject {
    const obj = new ForeignObject(description);
    this.firstForeign ??= obj;
    return obj;
  }

  /** REDUCE: rebuilds plain data from a recognised constructor; anything else becomes a placeholder. */
  reduce(fn: unknown, args: unknown, at: number): unknown {
    if (!Array.isArray(args)) this.fail("REDUCE without an argument tuple", at);
    if (fn instanceof Safe) {
      try {
        return fn.build(args);
      } catch {
        // a numpy dtype or scalar that is not a plain number (complex, datetime, …) is a Python object
        if (fn.name.startsWith("numpy.")) return this.foreign(describeCall(fn.name, args));
        return this.fail(`unexpected arguments to ${fn.name}`, at);
      }
    }
    if (fn instanceof Foreign) return this.foreign(describeCall(fn.name, args));
    return this.fail("REDUCE of something that is not a class or function", at);
  }

  /** BUILD: sets the state of an object. Only a numpy dtype's byte order is used; placeholders ignore it. */
  build(obj: unknown, state: unknown, at: number): void {
    if (obj instanceof NumpyDtype) {
      if (Array.isArray(state) && typeof state[1] === "string") obj.order = state[1];
      return;
    }
    if (obj instanceof ForeignObject) return;
    this.fail("BUILD on plain data", at);
  }

  /** Appends to a list (a placeholder of a list subclass takes anything). */
  listOf(v: unknown, what: string): unknown[] | undefined {
    if (Array.isArray(v)) return v;
    if (v instanceof ForeignObject) return undefined;
    return this.fail(`${what} to something that is not a list`);
  }

  dictOf(v: unknown, what: string): Map<unknown, unknown> | undefined {
    if (v instanceof Map) return v;
    if (v instanceof ForeignObject) return undefined;
    return this.fail(`${what} on something that is not a dict`);
  }

  put(i: number): void {
    if (this.memo[i] === undefined) this.memoSize++;
    this.memo[i] = this.top(); // never undefined: the stack holds no undefined
  }

  memoIndex(text: string, at: number): number {
    if (!/^\d+$/.test(text)) this.fail(`a malformed memo index ${JSON.stringify(text)}`, at);
    return Number(text);
  }

  /** A protocol 0 `STRING` argument: a Python 2 str repr in quotes. */
  pyStringRepr(text: string, at: number): string {
    const q = text[0];
    if (text.length < 2 || (q !== "'" && q !== '"') || text[text.length - 1] !== q) {
      this.fail("a malformed STRING", at);
    }
    return text.slice(1, -1).replace(
      /\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g,
      (_m, e: string) =>
        e[0] === "x"
          ? String.fromCharCode(parseInt(e.slice(1), 16))
          : /^[0-7]/.test(e)
          ? String.fromCharCode(parseInt(e, 8))
          : C_ESCAPES[e] ?? `\\${e}`,
    );
  }
}

/** Runs the opcodes up to STOP and returns the value, with dicts still as Maps. */
function load(r: Unpickler): unknown {
  while (true) {
    const at = r.pos;
    const op = r.u8();
    switch (op) {
      case 0x80: { // PROTO
        const p = r.u8();
        if (p > 5) r.fail(`pickle protocol ${p}, newer than 5`, at);
        break;
      }
      case 0x95: // FRAME: a length hint only
        r.u64();
        break;
      case 0x2e: // STOP
        return r.pop();
      case 0x28: // MARK
        r.stack.push(MARK);
        break;
      case 0x30: // POP
        if (r.stack[r.stack.length - 1] === MARK) r.stack.pop();
        else r.pop();
        break;
      case 0x31: // POP_MARK
        r.popMark();
        break;
      case 0x32: // DUP
        r.push(r.top());
        break;
      case 0x4e: // NONE
        r.push(null);
        break;
      case 0x88: // NEWTRUE
        r.push(true);
        break;
      case 0x89: // NEWFALSE
        r.push(false);
        break;
      case 0x49: { // INT (text; "00"/"01" are False/True)
        const t = r.line();
        if (t === "00" || t === "01") r.push(t === "01");
        else if (/^[-+]?\d+$/.test(t)) r.push(normalizeInt(BigInt(t)));
        else r.fail(`a malformed INT ${JSON.stringify(t)}`, at);
        break;
      }
      case 0x4a: // BININT
        r.push(r.i32());
        break;
      case 0x4b: // BININT1
        r.push(r.u8());
        break;
      case 0x4d: // BININT2
        r.push(r.u16());
        break;
      case 0x4c: { // LONG (text, Python 2 adds an L)
        const t = r.line().replace(/L$/, "");
        if (!/^[-+]?\d+$/.test(t)) r.fail(`a malformed LONG ${JSON.stringify(t)}`, at);
        r.push(normalizeInt(BigInt(t)));
        break;
      }
      case 0x8a: // LONG1
        r.push(littleEndianSigned(r.take(r.u8())));
        break;
      case 0x8b: // LONG4
        r.push(littleEndianSigned(r.take(r.i32())));
        break;
      case 0x46: { // FLOAT (text, Python's repr)
        const t = r.line().trim();
        const v = /^[-+]?inf$/i.test(t) ? (t[0] === "-" ? -Infinity : Infinity) : Number(t);
        if (t === "" || (Number.isNaN(v) && !/^[-+]?nan$/i.test(t))) {
          r.fail(`a malformed FLOAT ${JSON.stringify(t)}`, at);
        }
        r.push(v);
        break;
      }
      case 0x47: // BINFLOAT
        r.push(r.f64be());
        break;
      case 0x53: // STRING (a Python 2 str as a quoted repr)
        r.push(r.pyStringRepr(r.line(), at));
        break;
      case 0x54: // BINSTRING
        r.push(latin1(r.take(r.i32())));
        break;
      case 0x55: // SHORT_BINSTRING
        r.push(latin1(r.take(r.u8())));
        break;
      case 0x56: // UNICODE (raw-unicode-escape text)
        r.push(rawUnicodeEscape(r.line()));
        break;
      case 0x58: // BINUNICODE
      case 0x8c: // SHORT_BINUNICODE
      case 0x8d: { // BINUNICODE8
        const n = op === 0x58 ? r.u32() : op === 0x8c ? r.u8() : r.u64();
        const raw = r.take(n);
        let text = n < 32 ? asciiText(raw) : undefined;
        if (text === undefined) {
          try {
            text = utf8.decode(raw);
          } catch {
            r.fail("a str that is not valid UTF-8", at);
          }
        }
        r.push(text);
        break;
      }
      case 0x42: // BINBYTES
        r.push(r.take(r.u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        r.push(r.take(r.u8()).slice());
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        r.push(r.take(r.u64()).slice());
        break;
      case 0x5d: // EMPTY_LIST
        r.push([]);
        break;
      case 0x61: { // APPEND
        const v = r.pop();
        r.listOf(r.top(), "APPEND")?.push(v);
        break;
      }
      case 0x65: { // APPENDS
        const items = r.popMark();
        const list = r.listOf(r.top(), "APPENDS");
        if (list) { for (const v of items) list.push(v); }
        break;
      }
      case 0x6c: // LIST
        r.push(r.popMark());
        break;
      case 0x29: // EMPTY_TUPLE
        r.push([]);
        break;
      case 0x74: // TUPLE
        r.push(r.popMark());
        break;
      case 0x85: // TUPLE1
        r.push([r.pop()]);
        break;
      case 0x86: { // TUPLE2
        const b = r.pop(), a = r.pop();
        r.push([a, b]);
        break;
      }
      case 0x87: { // TUPLE3
        const c = r.pop(), b = r.pop(), a = r.pop();
        r.push([a, b, c]);
        break;
      }
      case 0x7d: // EMPTY_DICT
        r.push(new Map());
        break;
      case 0x64: { // DICT
        const items = r.popMark();
        if (items.length % 2) r.fail("DICT with an odd number of items", at);
        const map = new Map();
        for (let i = 0; i < items.length; i += 2) map.set(items[i], items[i + 1]);
        r.push(map);
        break;
      }
      case 0x73: { // SETITEM
        const v = r.pop(), k = r.pop();
        r.dictOf(r.top(), "SETITEM")?.set(k, v);
        break;
      }
      case 0x75: { // SETITEMS
        const items = r.popMark();
        if (items.length % 2) r.fail("SETITEMS with an odd number of items", at);
        const map = r.dictOf(r.top(), "SETITEMS");
        if (map) { for (let i = 0; i < items.length; i += 2) map.set(items[i], items[i + 1]); }
        break;
      }
      case 0x8f: // EMPTY_SET
        r.push(new Set());
        break;
      case 0x90: { // ADDITEMS
        const items = r.popMark();
        const set = r.top();
        if (set instanceof Set) { for (const v of items) set.add(v); }
        else if (!(set instanceof ForeignObject)) {
          r.fail("ADDITEMS to something that is not a set", at);
        }
        break;
      }
      case 0x91: // FROZENSET
        r.push(new Set(r.popMark()));
        break;
      case 0x70: // PUT (text)
        r.put(r.memoIndex(r.line(), at));
        break;
      case 0x71: // BINPUT
        r.put(r.u8());
        break;
      case 0x72: // LONG_BINPUT
        r.put(r.u32());
        break;
      case 0x94: // MEMOIZE
        r.put(r.memoSize);
        break;
      case 0x67: // GET (text)
      case 0x68: // BINGET
      case 0x6a: { // LONG_BINGET
        const i = op === 0x67 ? r.memoIndex(r.line(), at) : op === 0x68 ? r.u8() : r.u32();
        const v = r.memo[i];
        if (v === undefined) r.fail(`a memo reference ${i} that was never stored`, at);
        r.push(v);
        break;
      }
      case 0x63: { // GLOBAL
        const mod = r.line(), name = r.line();
        r.push(lookup(mod, name));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = r.pop(), mod = r.pop();
        if (typeof name !== "string" || typeof mod !== "string") {
          r.fail("STACK_GLOBAL without a module and name", at);
        }
        r.push(lookup(mod, name));
        break;
      }
      case 0x52: { // REDUCE
        const args = r.pop(), fn = r.pop();
        r.push(r.reduce(fn, args, at));
        break;
      }
      case 0x62: { // BUILD
        const state = r.pop();
        r.build(r.top(), state, at);
        break;
      }
      case 0x81: { // NEWOBJ: cls.__new__(cls, *args)
        r.pop();
        r.push(r.foreign(`of class ${className(r.pop())}`));
        break;
      }
      case 0x92: { // NEWOBJ_EX: cls.__new__(cls, *args, **kwargs)
        r.pop();
        r.pop();
        r.push(r.foreign(`of class ${className(r.pop())}`));
        break;
      }
      case 0x69: { // INST (protocol 0): module and name lines, then the arguments since MARK
        const mod = r.line(), name = r.line();
        r.popMark();
        const cls = lookup(mod, name);
        r.push(r.foreign(`of class ${cls.name}`));
        break;
      }
      case 0x6f: { // OBJ (protocol 1): MARK cls args…
        const [cls] = r.popMark();
        r.push(r.foreign(`of class ${className(cls)}`));
        break;
      }
      default:
        if (UNSUPPORTED[op]) {
          r.fail(`the opcode ${UNSUPPORTED[op]}, which sweepstore does not support`, at);
        }
        r.fail(`an unknown opcode 0x${op.toString(16).padStart(2, "0")}`, at);
    }
  }
}

function className(cls: unknown): string {
  if (cls instanceof Foreign || cls instanceof Safe) return cls.name;
  return "?";
}

const NUMPY_KINDS: Record<string, string> = {
  b: "bool",
  i: "int",
  u: "uint",
  f: "float",
  c: "complex",
  M: "datetime64",
  m: "timedelta64",
  U: "str_",
  S: "bytes_",
  V: "void",
  O: "object_",
};

/** The numpy scalar type of a dtype code: `c16` → `numpy.complex128`. */
function numpyTypeName(code: string): string {
  const m = /^[<>|=]?([a-zA-Z])(\d*)/.exec(code);
  const kind = m ? NUMPY_KINDS[m[1]] : undefined;
  if (!m || !kind) return `numpy.generic (dtype ${code})`;
  const bits = /^[iufc]$/.test(m[1]) && m[2] ? String(Number(m[2]) * 8) : "";
  return `numpy.${kind}${bits}`;
}

/** How to name the object that a call of `fn` with `args` makes, in the refusal message. */
function describeCall(fn: string, args: unknown[]): string {
  const helper = NUMPY_HELPERS[fn];
  if (helper) return `of class ${helper(args)}`;
  if (/^numpy(\._core|\.core)?\.multiarray\.scalar$/.test(fn)) {
    return `of class ${
      args[0] instanceof NumpyDtype ? numpyTypeName(args[0].code) : "numpy.generic"
    }`;
  }
  if (fn === "numpy.dtype") return "of class numpy.dtype";
  // a class called with arguments, or a function: the pickle would run it
  return /^[A-Z]/.test(fn.slice(fn.lastIndexOf(".") + 1))
    ? `of class ${fn}`
    : `made by calling ${fn}(…)`;
}

/** The outermost object of a Python class in the result, for the refusal message. */
function findForeign(root: unknown): ForeignObject | undefined {
  const seen = new Set<unknown>();
  let level: unknown[] = [root];
  while (level.length) {
    const next: unknown[] = [];
    for (const v of level) {
      if (v instanceof ForeignObject) return v;
      if (v === null || typeof v !== "object" || seen.has(v)) continue;
      seen.add(v);
      if (Array.isArray(v) || v instanceof Set) { for (const x of v) next.push(x); }
      else if (v instanceof Map) { for (const [k, x] of v) next.push(k, x); }
    }
    level = next;
  }
  return undefined;
}

/** Thrown by {@linkcode finish} when the data holds a Python class or function itself. */
class ClassInData extends Error {}

function refuseClass(name: string): never {
  throw new ClassInData(name);
}

/**
 * Turns dicts (Maps while reading) into plain objects where all keys are strings, in place elsewhere,
 * keeping shared and cyclic references. Iterative, so deep nesting cannot overflow the call stack.
 */
function finish(root: unknown): unknown {
  const done = new Map<object, unknown>();
  const work: object[] = [];
  const convert = (v: unknown): unknown => {
    if (v === null || typeof v !== "object" || v instanceof Uint8Array) return v;
    let out = done.get(v);
    if (out !== undefined) return out;
    if (v instanceof Foreign || v instanceof Safe) {
      return refuseClass(`the Python class or function ${v.name} itself`);
    }
    if (v instanceof NumpyDtype) return refuseClass(`a numpy.dtype object (${v.code})`);
    out = v instanceof Map && stringKeys(v) ? {} : v;
    done.set(v, out);
    work.push(v);
    return out;
  };
  const result = convert(root);
  while (work.length) {
    const v = work.pop()!;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = convert(v[i]);
    } else if (v instanceof Set) {
      // the items of a Python set are hashable, so never dicts: they keep their identity
      for (const x of v) convert(x);
    } else if (v instanceof Map) {
      const out = done.get(v);
      if (out === v) {
        // keys are hashable (never dicts): only values may change
        for (const [k, x] of v) {
          convert(k);
          const y = convert(x);
          if (y !== x) v.set(k, y);
        }
      } else {
        const obj = out as Record<string, unknown>;
        for (const [k, x] of v as Map<string, unknown>) {
          if (k === "__proto__") {
            Object.defineProperty(obj, k, {
              value: convert(x),
              enumerable: true,
              writable: true,
              configurable: true,
            });
          } else {
            obj[k] = convert(x);
          }
        }
      }
    }
  }
  return result;
}

function stringKeys(map: Map<unknown, unknown>): boolean {
  for (const k of map.keys()) if (typeof k !== "string") return false;
  return true;
}

/**
 * Reads a Python pickle (protocols 0–5) of plain data without running any Python code. Pickles of
 * class instances (numpy arrays, custom classes) or calls and corrupt bytes throw a `StorageError`
 * naming `source`.
 *
 * @example
 * ```ts
 * import { decodePickle } from "@sweepstore/sweepstore";
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
      { path: source },
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
      { path: source },
    );
  }
}
