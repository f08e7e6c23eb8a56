/**
 * What a pickle may name besides plain data: the few pure constructors that protocols 0–3 use for plain
 * data (`builtins.set`, `bytes`, `collections.OrderedDict`, numpy's `dtype`/`scalar` pair, …), rebuilt
 * here in TypeScript, and placeholders for every other class or callable, which is never called. Also how
 * the refusal message names such an object. Internal to the pickle reader (`pickle.ts`).
 *
 * @module
 */

import { float16ToNumber } from "./_float16.ts";

class Mark {}
/** The MARK opcode's entry on the stack. */
export const MARK = new Mark();

/** A class or callable that the pickle names and that is not rebuilt here: never called. */
export class Foreign {
  constructor(readonly name: string) {}
}

/** An object made from a {@linkcode Foreign} class or call (an instance of a Python class). */
export class ForeignObject {
  constructor(readonly description: string) {}
}

/** A numpy dtype, as far as numpy scalars need it: its type code (`f8`) and byte order. */
export class NumpyDtype {
  constructor(public code: string, public order: string = "=") {}
}

/** A pure constructor that protocols 0–3 name for plain data, rebuilt here. */
export class Safe {
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

export function lookup(module: string, name: string): Safe | Foreign {
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
      return float16ToNumber(v.getUint16(0, little));
    case "f4":
      return v.getFloat32(0, little);
    case "f8":
      return v.getFloat64(0, little);
  }
  throw new RangeError(`numpy scalar of dtype ${dtype.code}`);
}

export const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function normalizeInt(v: bigint): number | bigint {
  return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
}

export function className(cls: unknown): string {
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
export function describeCall(fn: string, args: unknown[]): string {
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
