/**
 * The pickle opcodes this reader runs, as a table (opcode → handler) over the machine of
 * `_pickle_machine.ts`: the opcodes of protocols 0–5 that build data. Opcodes that would call code build
 * placeholders instead ({@linkcode Unpickler.foreign}); the few that need outside objects are refused.
 * Internal to the pickle reader (`pickle.ts`).
 *
 * @module
 */

import { className, ForeignObject, lookup, MARK, normalizeInt } from "./_pickle_globals.ts";
import {
  asciiText,
  latin1,
  littleEndianSigned,
  rawUnicodeEscape,
  type Unpickler,
  utf8,
} from "./_pickle_machine.ts";

/** What an opcode does to the machine; `at` is the opcode's offset, `op` the opcode. */
type Handler = (r: Unpickler, at: number, op: number) => void;

/** Opcodes that need something this reader never does: refused as `unsupported`. */
const UNSUPPORTED: Record<number, string> = {
  0x50: "PERSID (a persistent id of an outside object)",
  0x51: "BINPERSID (a persistent id of an outside object)",
  0x82: "EXT1 (a class from the extension registry)",
  0x83: "EXT2 (a class from the extension registry)",
  0x84: "EXT4 (a class from the extension registry)",
  0x97: "NEXT_BUFFER (an out-of-band buffer)",
  0x98: "READONLY_BUFFER (an out-of-band buffer)",
};

const INT_TEXT = /^[-+]?\d+$/;

/** Opcodes of the stack machine itself: framing, marks, stop. */
const CONTROL: Record<number, Handler> = {
  0x80: (r, at) => { // PROTO
    const p = r.u8();
    if (p > 5) r.unsupported(`protocol ${p}, newer than 5`, at);
  },
  0x95: (r) => void r.u64(), // FRAME: a length hint only
  0x2e: (r) => { // STOP
    r.result = r.pop();
    r.stopped = true;
  },
  0x28: (r) => void r.stack.push(MARK), // MARK
  0x30: (r) => { // POP
    if (r.stack[r.stack.length - 1] === MARK) r.stack.pop();
    else r.pop();
  },
  0x31: (r) => void r.popMark(), // POP_MARK
  0x32: (r) => r.push(r.top()), // DUP
};

/** Opcodes that push a number, boolean or None. */
const SCALARS: Record<number, Handler> = {
  0x4e: (r) => r.push(null), // NONE
  0x88: (r) => r.push(true), // NEWTRUE
  0x89: (r) => r.push(false), // NEWFALSE
  0x49: (r, at) => { // INT (text; "00"/"01" are False/True)
    const t = r.line();
    if (t === "00" || t === "01") r.push(t === "01");
    else if (INT_TEXT.test(t)) r.push(normalizeInt(BigInt(t)));
    else r.fail(`a malformed INT ${JSON.stringify(t)}`, at);
  },
  0x4a: (r) => r.push(r.i32()), // BININT
  0x4b: (r) => r.push(r.u8()), // BININT1
  0x4d: (r) => r.push(r.u16()), // BININT2
  0x4c: (r, at) => { // LONG (text, Python 2 adds an L)
    const t = r.line().replace(/L$/, "");
    if (!INT_TEXT.test(t)) r.fail(`a malformed LONG ${JSON.stringify(t)}`, at);
    r.push(normalizeInt(BigInt(t)));
  },
  0x8a: (r) => r.push(littleEndianSigned(r.take(r.u8()))), // LONG1
  0x8b: (r) => r.push(littleEndianSigned(r.take(r.i32()))), // LONG4
  0x46: (r, at) => { // FLOAT (text, Python's repr)
    const t = r.line().trim();
    const v = /^[-+]?inf$/i.test(t) ? (t[0] === "-" ? -Infinity : Infinity) : Number(t);
    if (t === "" || (Number.isNaN(v) && !/^[-+]?nan$/i.test(t))) {
      r.fail(`a malformed FLOAT ${JSON.stringify(t)}`, at);
    }
    r.push(v);
  },
  0x47: (r) => r.push(r.f64be()), // BINFLOAT
};

/** BINUNICODE, SHORT_BINUNICODE, BINUNICODE8: a UTF-8 str of a 4-, 1- or 8-byte length. */
const binUnicode: Handler = (r, at, op) => {
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
};

/** Opcodes that push a str or bytes. */
const STRINGS: Record<number, Handler> = {
  0x53: (r, at) => r.push(r.pyStringRepr(r.line(), at)), // STRING (a Python 2 str as a quoted repr)
  0x54: (r) => r.push(latin1(r.take(r.i32()))), // BINSTRING
  0x55: (r) => r.push(latin1(r.take(r.u8()))), // SHORT_BINSTRING
  0x56: (r) => r.push(rawUnicodeEscape(r.line())), // UNICODE (raw-unicode-escape text)
  0x58: binUnicode,
  0x8c: binUnicode,
  0x8d: binUnicode,
  0x42: (r) => r.push(r.take(r.u32()).slice()), // BINBYTES
  0x43: (r) => r.push(r.take(r.u8()).slice()), // SHORT_BINBYTES
  0x8e: (r) => r.push(r.take(r.u64()).slice()), // BINBYTES8
  0x96: (r) => r.push(r.take(r.u64()).slice()), // BYTEARRAY8
};

/** Puts the key, value pairs of `items` (an even count) into `map`, if there is one. */
function setPairs(map: Map<unknown, unknown> | undefined, items: unknown[]): void {
  if (map) { for (let i = 0; i < items.length; i += 2) map.set(items[i], items[i + 1]); }
}

/** Opcodes that build lists, tuples, dicts and sets. */
const CONTAINERS: Record<number, Handler> = {
  0x5d: (r) => r.push([]), // EMPTY_LIST
  0x61: (r) => { // APPEND
    const v = r.pop();
    r.listOf(r.top(), "APPEND")?.push(v);
  },
  0x65: (r) => { // APPENDS
    const items = r.popMark();
    const list = r.listOf(r.top(), "APPENDS");
    if (list) { for (const v of items) list.push(v); }
  },
  0x6c: (r) => r.push(r.popMark()), // LIST
  0x29: (r) => r.push([]), // EMPTY_TUPLE
  0x74: (r) => r.push(r.popMark()), // TUPLE
  0x85: (r) => r.push([r.pop()]), // TUPLE1
  0x86: (r) => { // TUPLE2
    const b = r.pop(), a = r.pop();
    r.push([a, b]);
  },
  0x87: (r) => { // TUPLE3
    const c = r.pop(), b = r.pop(), a = r.pop();
    r.push([a, b, c]);
  },
  0x7d: (r) => r.push(new Map()), // EMPTY_DICT
  0x64: (r, at) => { // DICT
    const items = r.popMark();
    if (items.length % 2) r.fail("DICT with an odd number of items", at);
    const map = new Map();
    setPairs(map, items);
    r.push(map);
  },
  0x73: (r) => { // SETITEM
    const v = r.pop(), k = r.pop();
    r.dictOf(r.top(), "SETITEM")?.set(k, v);
  },
  0x75: (r, at) => { // SETITEMS
    const items = r.popMark();
    if (items.length % 2) r.fail("SETITEMS with an odd number of items", at);
    setPairs(r.dictOf(r.top(), "SETITEMS"), items);
  },
  0x8f: (r) => r.push(new Set()), // EMPTY_SET
  0x90: (r, at) => { // ADDITEMS
    const items = r.popMark();
    const set = r.top();
    if (set instanceof Set) { for (const v of items) set.add(v); }
    else if (!(set instanceof ForeignObject)) r.fail("ADDITEMS to something that is not a set", at);
  },
  0x91: (r) => r.push(new Set(r.popMark())), // FROZENSET
};

/** GET, BINGET, LONG_BINGET: pushes a memo entry. */
const memoGet: Handler = (r, at, op) => {
  const i = op === 0x67 ? r.memoIndex(r.line(), at) : op === 0x68 ? r.u8() : r.u32();
  const v = r.memo[i];
  if (v === undefined) r.fail(`a memo reference ${i} that was never stored`, at);
  r.push(v);
};

/** Opcodes of the memo (shared and cyclic references). */
const MEMO: Record<number, Handler> = {
  0x70: (r, at) => r.put(r.memoIndex(r.line(), at)), // PUT (text)
  0x71: (r) => r.put(r.u8()), // BINPUT
  0x72: (r) => r.put(r.u32()), // LONG_BINPUT
  0x94: (r) => r.put(r.memoSize), // MEMOIZE
  0x67: memoGet,
  0x68: memoGet,
  0x6a: memoGet,
};

/** Opcodes that name classes and would call them: recognised constructors run, the rest are placeholders. */
const OBJECTS: Record<number, Handler> = {
  0x63: (r) => { // GLOBAL
    const mod = r.line(), name = r.line();
    r.push(lookup(mod, name));
  },
  0x93: (r, at) => { // STACK_GLOBAL
    const name = r.pop(), mod = r.pop();
    if (typeof name !== "string" || typeof mod !== "string") {
      return r.fail("STACK_GLOBAL without a module and name", at);
    }
    r.push(lookup(mod, name));
  },
  0x52: (r, at) => { // REDUCE
    const args = r.pop(), fn = r.pop();
    r.push(r.reduce(fn, args, at));
  },
  0x62: (r, at) => { // BUILD
    const state = r.pop();
    r.build(r.top(), state, at);
  },
  0x81: (r) => { // NEWOBJ: cls.__new__(cls, *args)
    r.pop();
    r.push(r.foreign(`of class ${className(r.pop())}`));
  },
  0x92: (r) => { // NEWOBJ_EX: cls.__new__(cls, *args, **kwargs)
    r.pop();
    r.pop();
    r.push(r.foreign(`of class ${className(r.pop())}`));
  },
  0x69: (r) => { // INST (protocol 0): module and name lines, then the arguments since MARK
    const mod = r.line(), name = r.line();
    r.popMark();
    const cls = lookup(mod, name);
    r.push(r.foreign(`of class ${cls.name}`));
  },
  0x6f: (r) => { // OBJ (protocol 1): MARK cls args…
    const [cls] = r.popMark();
    r.push(r.foreign(`of class ${className(cls)}`));
  },
};

/** Opcode → handler. */
const OPCODES: (Handler | undefined)[] = new Array(256);
for (const group of [CONTROL, SCALARS, STRINGS, CONTAINERS, MEMO, OBJECTS]) {
  for (const [op, handler] of Object.entries(group)) OPCODES[Number(op)] = handler;
}

/** Runs the opcodes up to STOP and returns the value, with dicts still as Maps. */
export function load(r: Unpickler): unknown {
  while (!r.stopped) {
    const at = r.pos;
    const op = r.u8();
    const handler = OPCODES[op];
    if (handler) handler(r, at, op);
    else if (UNSUPPORTED[op]) r.unsupported(`the opcode ${UNSUPPORTED[op]}`, at);
    else r.fail(`an unknown opcode 0x${op.toString(16).padStart(2, "0")}`, at);
  }
  return r.result;
}
