/**
 * The `.npy` header: numpy's magic string, version, header length and the Python dict literal that gives
 * dtype, order and shape. Written as `numpy.save` writes it; read from format 1.0, 2.0 and 3.0 files with
 * a small parser of the literals numpy writes (never `eval`). Internal to the `.npy` codec (`npy.ts`).
 *
 * @module
 */

import { StorageError } from "../errors.ts";
import { type DType, itemSize, type NdArray } from "./ndarray.ts";
import { type PyValue, readPyLiteral } from "./_npy_literal.ts";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const DESCR: Record<DType, string> = {
  bool: "|b1",
  int8: "|i1",
  uint8: "|u1",
  int16: "<i2",
  uint16: "<u2",
  float16: "<f2",
  int32: "<i4",
  uint32: "<u4",
  float32: "<f4",
  int64: "<i8",
  uint64: "<u8",
  float64: "<f8",
};

const KIND: Record<string, DType> = {
  b1: "bool",
  i1: "int8",
  u1: "uint8",
  i2: "int16",
  u2: "uint16",
  f2: "float16",
  i4: "int32",
  u4: "uint32",
  f4: "float32",
  i8: "int64",
  u8: "uint64",
  f8: "float64",
};

/** What the numpy type codes we refuse hold, for error messages. */
const REFUSED_KIND: Record<string, string> = {
  c: "complex numbers",
  U: "unicode strings",
  S: "byte strings",
  a: "byte strings",
  O: "Python objects",
  M: "datetime64",
  m: "timedelta64",
  V: "raw or structured records",
  f: "floats of a size JavaScript has no typed array for",
  i: "integers of a size JavaScript has no typed array for",
  u: "integers of a size JavaScript has no typed array for",
};

const LATIN1 = new TextDecoder("latin1");
const UTF8 = new TextDecoder("utf-8");

const SUPPORTED = "bool, int8–int64, uint8–uint64 and float16–float64";

/** A shape as Python writes the tuple: `()`, `(3,)`, `(3, 4)`. */
export function pyTuple(shape: readonly number[]): string {
  if (shape.length === 0) return "()";
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(", ")})`;
}

/**
 * The `.npy` header of an array, exactly as `numpy.save` writes it: magic string, version, header length,
 * the dict `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`, spaces and a newline, so that
 * the data starts at a multiple of 64 bytes.
 *
 * @example
 * ```ts
 * import { encodeNpyHeader } from "./_npy_header.ts";
 * const header = encodeNpyHeader({ data: new Float64Array(12), shape: [3, 4], dtype: "float64" });
 * console.log(header.length); // 128
 * ```
 */
export function encodeNpyHeader(array: NdArray): Uint8Array {
  const { shape, dtype } = array;
  let dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${pyTuple(shape)}, }`;
  // numpy leaves room to rewrite the first axis in place with up to 21 digits.
  if (shape.length > 0) dict += " ".repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  const hlen = dict.length + 1; // + the final newline
  let version = 1;
  let prefix = 10;
  let padlen = ALIGN - ((prefix + hlen) % ALIGN);
  if (hlen + padlen > 0xffff) {
    version = 2;
    prefix = 12;
    padlen = ALIGN - ((prefix + hlen) % ALIGN);
  }
  const total = prefix + hlen + padlen;
  const out = new Uint8Array(total);
  out.set(MAGIC);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, hlen + padlen, true);
  else view.setUint32(8, hlen + padlen, true);
  for (let i = 0; i < dict.length; i++) out[prefix + i] = dict.charCodeAt(i); // ASCII only
  out.fill(0x20, prefix + dict.length, total - 1);
  out[total - 1] = 0x0a;
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Errors: corrupt files and valid files of a dtype this codec does not read

function label(source: string | undefined): string {
  return source ?? "<.npy bytes>";
}

/** A `StorageError` (code `corrupt`) for bytes that are no valid `.npy` file. */
export function corrupt(source: string | undefined, what: string): StorageError {
  return new StorageError(
    `${label(source)} is not a valid .npy file: ${what}. Write it again (np.save or saveNp)`,
    { path: source, code: "corrupt" },
  );
}

/** A `StorageError` (code `corrupt`) for a file that ends before `need` bytes. */
export function truncated(
  source: string | undefined,
  have: number,
  need: number,
  what: string,
): StorageError {
  return corrupt(
    source,
    `${what} is truncated: the file has ${have} bytes where ${need} are needed`,
  );
}

/** A `StorageError` (code `unsupported`) for a valid file this codec cannot read. */
function unsupported(source: string | undefined, what: string, hint: string): StorageError {
  return new StorageError(
    `${
      label(source)
    } holds ${what}, which sweepstore does not read: supported are ${SUPPORTED}; ${hint}`,
    { path: source, code: "unsupported" },
  );
}

// ---------------------------------------------------------------------------------------------------
// Reading

/** What the header says about the data that follows it. */
export interface NpyHeader {
  dtype: DType;
  /** Whether the file's byte order differs from this machine's. */
  swap: boolean;
  fortran: boolean;
  shape: number[];
  count: number;
  dataOffset: number;
}

/** Checks the magic string and version; returns where the header text starts and ends. */
export function readPrefix(
  bytes: Uint8Array,
  source: string | undefined,
): { major: number; start: number; end: number } {
  const n = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== MAGIC[i]) {
      throw corrupt(source, "it does not start with the magic string \\x93NUMPY");
    }
  }
  if (bytes.length === 0) throw corrupt(source, "the file is empty");
  if (bytes.length < 10) throw truncated(source, bytes.length, 10, "the header");
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major === 1) return { major, start: 10, end: 10 + view.getUint16(8, true) };
  if (major === 2 || major === 3) {
    if (bytes.length < 12) throw truncated(source, bytes.length, 12, "the header");
    return { major, start: 12, end: 12 + view.getUint32(8, true) };
  }
  throw new StorageError(
    `${label(source)} is a .npy file of format version ${major}.${
      bytes[7]
    }, which sweepstore does ` +
      "not read (it reads 1.0, 2.0 and 3.0): save it again with numpy's np.save",
    { path: source, code: "unsupported" },
  );
}

/** Reads the header dict's text; a `StorageError` (corrupt) if it is no Python dict literal. */
function headerDict(text: string, source: string | undefined): { [key: string]: PyValue } {
  let dict: PyValue;
  try {
    dict = readPyLiteral(text);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw corrupt(
      source,
      `the header is not a Python dict literal (${err.message}): ${
        JSON.stringify(text.trim().slice(0, 120))
      }`,
    );
  }
  if (!dict || typeof dict !== "object" || Array.isArray(dict)) {
    throw corrupt(source, `the header is not a Python dict: ${JSON.stringify(text.trim())}`);
  }
  return dict;
}

/** The dtype and byte order of a `descr` entry; `unsupported` for dtypes without a typed array. */
function headerDtype(
  descr: PyValue | undefined,
  text: string,
  source: string | undefined,
): { dtype: DType; order: string } {
  if (Array.isArray(descr)) {
    throw unsupported(
      source,
      `a structured dtype ${JSON.stringify(descr)}`,
      "save each field as its own array",
    );
  }
  if (typeof descr !== "string") {
    throw corrupt(source, `the header has no 'descr' string: ${text.trim()}`);
  }
  const m = /^([<>|=]?)([A-Za-z?])(\d*)(.*)$/.exec(descr);
  const dtype = m && !m[4] ? KIND[m[2] + m[3]] : undefined;
  if (!m || !dtype) {
    const kind = m ? REFUSED_KIND[m[2]] : undefined;
    throw unsupported(
      source,
      `dtype '${descr}'${kind ? ` (${kind})` : ""}`,
      "convert it in numpy before saving (e.g. a.astype(np.float64))",
    );
  }
  return { dtype, order: m[1] };
}

/** Parses the header at the start of `bytes` (which must hold all of it). */
export function parseHeader(bytes: Uint8Array, source: string | undefined): NpyHeader {
  const { major, start, end } = readPrefix(bytes, source);
  if (end > bytes.length) throw truncated(source, bytes.length, end, "the header");
  const text = (major === 3 ? UTF8 : LATIN1).decode(bytes.subarray(start, end));
  const { descr, fortran_order: fortran, shape } = headerDict(text, source);
  const { dtype, order } = headerDtype(descr, text, source);
  if (typeof fortran !== "boolean") {
    throw corrupt(source, `the header has no True/False 'fortran_order': ${text.trim()}`);
  }
  if (
    !Array.isArray(shape) ||
    !shape.every((d) => typeof d === "number" && Number.isSafeInteger(d) && d >= 0)
  ) {
    throw corrupt(source, `the header has no valid 'shape' tuple: ${text.trim()}`);
  }
  const dims = shape as number[];
  const count = dims.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count * 8)) {
    throw corrupt(source, `the shape ${pyTuple(dims)} is too large`);
  }
  const bigEndian = order === ">" || ((order === "=" || order === "") && !LITTLE_ENDIAN);
  return {
    dtype,
    swap: itemSize(dtype) > 1 && bigEndian === LITTLE_ENDIAN,
    fortran,
    shape: dims,
    count,
    dataOffset: end,
  };
}
