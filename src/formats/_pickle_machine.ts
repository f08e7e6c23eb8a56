/**
 * The state of the pickle reader (`pickle.ts`): the input and its primitive reads, the stack with its
 * MARKs, the memo, and the steps opcodes share (REDUCE and BUILD of the recognised constructors). The
 * opcodes themselves are a table in `_pickle_opcodes.ts`. Internal.
 *
 * @module
 */

import { StorageError } from "../errors.ts";
import {
  describeCall,
  Foreign,
  ForeignObject,
  MARK,
  MAX_SAFE,
  normalizeInt,
  NumpyDtype,
  Safe,
} from "./_pickle_globals.ts";

/** Python's two's-complement little-endian `int` bytes (LONG1/LONG4). */
export function littleEndianSigned(bytes: Uint8Array): number | bigint {
  const n = bytes.length;
  if (n === 0) return 0;
  let hex = "";
  for (let i = n - 1; i >= 0; i--) hex += bytes[i].toString(16).padStart(2, "0");
  let v = BigInt("0x" + hex);
  if (bytes[n - 1] & 0x80) v -= 1n << BigInt(n * 8);
  return normalizeInt(v);
}

/** Decodes Python's `raw-unicode-escape` (protocol 0 UNICODE): `\uXXXX` and `\UXXXXXXXX`, else latin-1. */
export function rawUnicodeEscape(text: string): string {
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
export function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return s;
}

/** A short ASCII string without the cost of a TextDecoder call; undefined if a byte is not ASCII. */
export function asciiText(bytes: Uint8Array): string | undefined {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c >= 0x80) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}
export const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The state of the opcode machine: input, stack and memo ({@linkcode load} runs it). */
export class Unpickler {
  pos = 0;
  readonly view: DataView;
  readonly stack: unknown[] = [];
  /** The memo, indexed by the pickle's numbers (dense in practice); `memoSize` counts the entries. */
  readonly memo: unknown[] = [];
  memoSize = 0;
  /** The first object of a Python class met, for the message when nothing better is found. */
  firstForeign: ForeignObject | undefined;
  /** Set by STOP: the pickle's value. */
  stopped = false;
  result: unknown = undefined;

  readonly bytes: Uint8Array;

  constructor(input: Uint8Array, readonly source: string | undefined) {
    // a plain view: on a Node Buffer (a Uint8Array subclass) slice() would not copy
    this.bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }

  /** Throws a `StorageError` (code `corrupt`) naming the file, what is wrong and where. */
  fail(what: string, at = this.pos): never {
    throw new StorageError(
      `${
        this.source ?? "<pickle bytes>"
      } is not a readable Python pickle (${what}, at byte ${at}): ` +
        "the file is corrupt or truncated",
      { path: this.source, code: "corrupt" },
    );
  }

  /** Throws a `StorageError` (code `unsupported`): a valid pickle that needs what this reader never does. */
  unsupported(what: string, at: number): never {
    throw new StorageError(
      `${
        this.source ?? "<pickle bytes>"
      } is a Python pickle with ${what} (at byte ${at}), which sweepstore does not support: ` +
        "save the data as plain values (dict, list, str, numbers) with pickle protocol 5 or older",
      { path: this.source, code: "unsupported" },
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
