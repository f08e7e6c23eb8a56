/**
 * A safe reader of Python pickles that hold plain data, for the `.obj` files PymoNNto's `save_obj` writes.
 *
 * Only the opcodes that build plain data are run (protocols 0–5): dict (→ plain object when every key is
 * a string, else Map), list and tuple (→ arrays), set and frozenset (→ Set), str, bytes and bytearray
 * (→ Uint8Array), int (→ number, or bigint beyond 2**53), float, bool, None (→ null), and shared or cyclic
 * references. Anything that would import or call Python code (class instances such as numpy arrays,
 * `REDUCE` of anything, `BUILD`, …) is refused with an error naming the class; nothing is ever executed. The
 * one exception is a fixed list of pure constructors that protocols 0–3 name for plain data (`set`,
 * `frozenset`, `bytes`, `bytearray`, `_codecs.encode`), which are applied here in TypeScript.
 *
 * @module
 */

import { StorageError } from "./errors.ts";

class Mark {}
const MARK = new Mark();

/**
 * The only Python callables a pickle may name: pure constructors that protocols 0–3 use for plain data
 * (bytes via `_codecs.encode`, set, frozenset, bytearray, bytes). Everything else is refused.
 */
class SafeGlobal {
  constructor(readonly name: string, readonly call: (args: unknown[]) => unknown) {}
}

function latin1Bytes(text: unknown): Uint8Array {
  const s = String(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function bytesFrom(args: unknown[]): Uint8Array {
  const [v] = args;
  if (v === undefined) return new Uint8Array();
  if (v instanceof Uint8Array) return v.slice();
  if (typeof v === "string") return latin1Bytes(v);
  if (Array.isArray(v)) return Uint8Array.from(v as number[]);
  throw new TypeError("unsupported bytes() argument");
}

const SAFE_GLOBALS: Record<string, (args: unknown[]) => unknown> = {
  "_codecs.encode": ([text]) => latin1Bytes(text),
  "builtins.set": ([items]) => new Set((items as unknown[] | undefined) ?? []),
  "builtins.frozenset": ([items]) => new Set((items as unknown[] | undefined) ?? []),
  "builtins.bytearray": bytesFrom,
  "builtins.bytes": bytesFrom,
};

function safeGlobal(module: string, name: string): SafeGlobal | undefined {
  const mod = module === "__builtin__" ? "builtins" : module;
  const fn = SAFE_GLOBALS[`${mod}.${name}`];
  return fn ? new SafeGlobal(`${mod}.${name}`, fn) : undefined;
}

/** A pickle that cannot be read: the message names the file and what was found. */
function fail(source: string | undefined, what: string): never {
  throw new StorageError(`${source ?? "<pickle bytes>"}: ${what}`, { path: source });
}

class Reader {
  pos = 0;
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly source: string | undefined) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number): void {
    if (this.pos + n > this.bytes.length) fail(this.source, "the pickle is truncated");
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
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(this.source, "a length beyond 2**53");
    return Number(v);
  }
  f64be(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, false);
    this.pos += 8;
    return v;
  }
  take(n: number): Uint8Array {
    if (n < 0) fail(this.source, "a negative length: the file is corrupt");
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) fail(this.source, "the pickle is truncated (a text line has no end)");
    const text = new TextDecoder("latin1").decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function littleEndianSigned(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes[bytes.length - 1] & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return normalizeInt(v);
}

function normalizeInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v;
}

/** Decodes Python's `raw-unicode-escape` (protocol 0 UNICODE): `\uXXXX` and `\UXXXXXXXX`, else latin-1. */
function rawUnicodeEscape(text: string): string {
  return text.replace(
    /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
    (_m, u, U) => String.fromCodePoint(parseInt(u ?? U, 16)),
  );
}

/** Reads a protocol 0 `STRING` argument: a Python repr in quotes. */
function pyStringRepr(text: string, source: string | undefined): string {
  const q = text[0];
  if ((q !== "'" && q !== '"') || text[text.length - 1] !== q) {
    fail(source, "a malformed STRING opcode");
  }
  return text.slice(1, -1).replace(
    /\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g,
    (_m, e: string) =>
      e[0] === "x"
        ? String.fromCharCode(parseInt(e.slice(1), 16))
        : /^[0-7]/.test(e)
        ? String.fromCharCode(parseInt(e, 8))
        : ({ n: "\n", r: "\r", t: "\t", "\\": "\\", "'": "'", '"': '"' } as Record<string, string>)[
          e
        ] ?? `\\${e}`,
  );
}

const REFUSED: Record<number, string> = {
  0x62: "BUILD (an object's state)",
  0x69: "INST (a class instance)",
  0x6f: "OBJ (a class instance)",
  0x81: "NEWOBJ (a class instance)",
  0x92: "NEWOBJ_EX (a class instance)",
  0x82: "EXT1 (an extension registry reference)",
  0x83: "EXT2 (an extension registry reference)",
  0x84: "EXT4 (an extension registry reference)",
  0x50: "PERSID (a persistent id)",
  0x51: "BINPERSID (a persistent id)",
  0x97: "NEXT_BUFFER (an out-of-band buffer)",
  0x98: "READONLY_BUFFER (an out-of-band buffer)",
};

function refuseClass(source: string | undefined, name: string): never {
  fail(
    source,
    `the pickle holds a Python object of class ${name}; sweepstore reads only plain data (dict, list, ` +
      "tuple, set, str, bytes, int, float, bool, None): re-save it with np.save (arrays) or as plain data",
  );
}

/** Converts dicts (Maps while reading) to plain objects where all keys are strings, keeping identity. */
function finish(value: unknown, done: Map<unknown, unknown>): unknown {
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) return value;
  if (done.has(value)) return done.get(value);
  if (value instanceof Map) {
    const stringKeys = [...value.keys()].every((k) => typeof k === "string");
    if (stringKeys) {
      const obj: Record<string, unknown> = {};
      done.set(value, obj);
      for (const [k, v] of value) {
        Object.defineProperty(obj, k as string, {
          value: finish(v, done),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return obj;
    }
    const map = new Map();
    done.set(value, map);
    for (const [k, v] of value) map.set(finish(k, done), finish(v, done));
    return map;
  }
  if (value instanceof Set) {
    const set = new Set();
    done.set(value, set);
    for (const v of value) set.add(finish(v, done));
    return set;
  }
  if (Array.isArray(value)) {
    const arr: unknown[] = [];
    done.set(value, arr);
    for (const v of value) arr.push(finish(v, done));
    return arr;
  }
  return value;
}

/**
 * Reads a Python pickle (protocols 0–5) of plain data without running any Python code. Pickles of class
 * instances (numpy arrays, custom classes) and corrupt bytes throw a `StorageError` naming `source`.
 *
 * @example
 * ```ts
 * import { decodePickle } from "@sweepstore/sweepstore";
 * // pickle.dumps({'a': [1, 2.5]}, protocol=2)
 * const bytes = new Uint8Array([
 *   0x80, 2, 0x7d, 0x71, 0, 0x58, 1, 0, 0, 0, 0x61, 0x71, 1, 0x5d, 0x71, 2, 0x28, 0x4b, 1,
 *   0x47, 0x40, 4, 0, 0, 0, 0, 0, 0, 0x65, 0x73, 0x2e,
 * ]);
 * console.log(decodePickle(bytes)); // { a: [1, 2.5] }
 * ```
 */
export function decodePickle(bytes: Uint8Array, source?: string): unknown {
  const r = new Reader(bytes, source);
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const popMark = (): unknown[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) fail(source, "a MARK is missing");
    const items = stack.splice(i);
    items.shift();
    return items;
  };
  const top = (): unknown => {
    if (stack.length === 0) fail(source, "the stack is empty");
    return stack[stack.length - 1];
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail(source, "the stack is empty");
    return stack.pop();
  };
  const asMap = (v: unknown): Map<unknown, unknown> => {
    if (!(v instanceof Map)) fail(source, "SETITEM on something that is not a dict");
    return v;
  };
  const key = (k: unknown): unknown => {
    if (Array.isArray(k)) return JSON.stringify(k); // tuple keys: no JS equivalent; keep them readable
    return k;
  };
  while (true) {
    const op = r.u8();
    switch (op) {
      case 0x80: // PROTO
        if (r.u8() > 5) fail(source, "pickle protocol newer than 5");
        break;
      case 0x95: // FRAME
        r.u64();
        break;
      case 0x2e: // STOP
        return finish(pop(), new Map());
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x49: { // INT (text)
        const t = r.line();
        if (t === "01" || t === "00") stack.push(t === "01");
        else if (/^[-+]?\d+$/.test(t)) stack.push(normalizeInt(BigInt(t)));
        else fail(source, `a malformed INT ${JSON.stringify(t)}`);
        break;
      }
      case 0x4a: // BININT
        stack.push(r.i32());
        break;
      case 0x4b: // BININT1
        stack.push(r.u8());
        break;
      case 0x4d: // BININT2
        stack.push(r.u16());
        break;
      case 0x4c: { // LONG (text, trailing L)
        const t = r.line().replace(/L$/, "");
        if (!/^[-+]?\d+$/.test(t)) fail(source, `a malformed LONG ${JSON.stringify(t)}`);
        stack.push(normalizeInt(BigInt(t)));
        break;
      }
      case 0x8a: // LONG1
        stack.push(littleEndianSigned(r.take(r.u8())));
        break;
      case 0x8b: // LONG4
        stack.push(littleEndianSigned(r.take(r.i32())));
        break;
      case 0x46: { // FLOAT (text)
        const t = r.line().trim();
        const v = Number(t.replace(/^([-+]?)inf$/i, "$1Infinity"));
        if (Number.isNaN(v) && !/^[-+]?nan$/i.test(t)) {
          fail(source, `a malformed FLOAT ${JSON.stringify(t)}`);
        }
        stack.push(v);
        break;
      }
      case 0x47: // BINFLOAT
        stack.push(r.f64be());
        break;
      case 0x53: // STRING (protocol 0 str, a quoted repr)
        stack.push(pyStringRepr(r.line(), source));
        break;
      case 0x54: // BINSTRING
        stack.push(new TextDecoder("latin1").decode(r.take(r.i32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(new TextDecoder("latin1").decode(r.take(r.u8())));
        break;
      case 0x56: // UNICODE (raw-unicode-escape line)
        stack.push(rawUnicodeEscape(r.line()));
        break;
      case 0x58: // BINUNICODE
      case 0x8c: // SHORT_BINUNICODE
      case 0x8d: { // BINUNICODE8
        const n = op === 0x58 ? r.u32() : op === 0x8c ? r.u8() : r.u64();
        try {
          stack.push(utf8.decode(r.take(n)));
        } catch {
          fail(source, "a string that is not valid UTF-8");
        }
        break;
      }
      case 0x42: // BINBYTES
        stack.push(r.take(r.u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(r.take(r.u8()).slice());
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        stack.push(r.take(r.u64()).slice());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x61: { // APPEND
        const v = pop();
        const list = top();
        if (!Array.isArray(list)) fail(source, "APPEND to something that is not a list");
        list.push(v);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        const list = top();
        if (!Array.isArray(list)) fail(source, "APPENDS to something that is not a list");
        list.push(...items);
        break;
      }
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: { // TUPLE2
        const b = pop(), a = pop();
        stack.push([a, b]);
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop(), b = pop(), a = pop();
        stack.push([a, b, c]);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x64: { // DICT
        const items = popMark();
        const map = new Map();
        for (let i = 0; i + 1 < items.length; i += 2) map.set(key(items[i]), items[i + 1]);
        stack.push(map);
        break;
      }
      case 0x73: { // SETITEM
        const v = pop(), k = pop();
        asMap(top()).set(key(k), v);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        const map = asMap(top());
        for (let i = 0; i + 1 < items.length; i += 2) map.set(key(items[i]), items[i + 1]);
        break;
      }
      case 0x8f: // EMPTY_SET
        stack.push(new Set());
        break;
      case 0x90: { // ADDITEMS
        const items = popMark();
        const set = top();
        if (!(set instanceof Set)) fail(source, "ADDITEMS to something that is not a set");
        for (const v of items) set.add(key(v));
        break;
      }
      case 0x91: // FROZENSET
        stack.push(new Set(popMark().map(key)));
        break;
      case 0x70: // PUT (text)
        memo.set(Number(r.line()), top());
        break;
      case 0x71: // BINPUT
        memo.set(r.u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(r.u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x67: // GET (text)
      case 0x68: // BINGET
      case 0x6a: { // LONG_BINGET
        const i = op === 0x67 ? Number(r.line()) : op === 0x68 ? r.u8() : r.u32();
        if (!memo.has(i)) fail(source, `a memo reference ${i} that was never stored`);
        stack.push(memo.get(i));
        break;
      }
      case 0x63: { // GLOBAL
        const mod = r.line(), name = r.line();
        stack.push(safeGlobal(mod, name) ?? refuseClass(source, `${mod}.${name}`));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = String(pop()), mod = String(pop());
        stack.push(safeGlobal(mod, name) ?? refuseClass(source, `${mod}.${name}`));
        break;
      }
      case 0x52: { // REDUCE: only a whitelisted pure constructor
        const args = pop(), fn = pop();
        if (!(fn instanceof SafeGlobal) || !Array.isArray(args)) {
          fail(
            source,
            "the pickle uses REDUCE (a call), which sweepstore never runs: it reads only plain data",
          );
        }
        try {
          stack.push(fn.call(args));
        } catch {
          fail(source, `unexpected arguments to ${fn.name}`);
        }
        break;
      }
      default:
        if (REFUSED[op]) {
          fail(
            source,
            `the pickle uses ${REFUSED[op]}, which sweepstore never runs: it reads only plain data`,
          );
        }
        fail(
          source,
          `unknown pickle opcode 0x${op.toString(16)} at byte ${r.pos - 1}: the file is corrupt`,
        );
    }
  }
}
