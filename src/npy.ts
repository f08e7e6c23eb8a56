/**
 * The `.npy` codec: numpy's array file format, written byte for byte as `numpy.save` writes it (format 1.0,
 * or 2.0 for headers over 64 KiB; header padded so the data starts at a multiple of 64 bytes, with numpy's
 * spare room for growing the first axis) and read from any numpy file of a supported dtype: little- or
 * big-endian, C or Fortran order, format 1.0, 2.0 or 3.0.
 *
 * Supported dtypes: bool, int8–int64, uint8–uint64 (64-bit as BigInt arrays), float16 (as `Float16Array`
 * where the runtime has it, else read as `Float32Array`), float32, float64. Others (complex, strings,
 * objects, structured, datetime) are refused with an error that names the file and the dtype.
 *
 * @module
 */

import { atomicWrite } from "./atomic.ts";
import { StorageError } from "./errors.ts";
import {
  type ArrayInput,
  type DType,
  itemSize,
  type NdArray,
  toNdArray,
  type TypedArray,
  typedArrayConstructor,
} from "./ndarray.ts";
import { parseParam } from "./params.ts";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HAS_FLOAT16 = typeof Float16Array !== "undefined";

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

function pyTuple(shape: readonly number[]): string {
  if (shape.length === 0) return "()";
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(", ")})`;
}

/**
 * The `.npy` header of an array, exactly as `numpy.save` writes it.
 *
 * @example
 * ```ts
 * import { encodeNpyHeader } from "@sweepstore/sweepstore";
 * const header = encodeNpyHeader({ data: new Float64Array(12), shape: [3, 4], dtype: "float64" });
 * console.log(header.length); // 128
 * ```
 */
export function encodeNpyHeader(array: NdArray): Uint8Array {
  const { shape, dtype } = array;
  let dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${pyTuple(shape)}, }`;
  if (shape.length > 0) dict += " ".repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  const hlen = dict.length + 1;
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
  for (let i = 0; i < dict.length; i++) out[prefix + i] = dict.charCodeAt(i);
  out.fill(0x20, prefix + dict.length, total - 1);
  out[total - 1] = 0x0a;
  return out;
}

function bytesOf(data: TypedArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * An array as `.npy` bytes: the header and the data, as chunks (the data chunk is a view of the array's
 * memory, not a copy). Accepts an NdArray, `{ data, shape }`, a typed array or a nested number array.
 *
 * @example
 * ```ts
 * import { encodeNpy } from "@sweepstore/sweepstore";
 * const [header, data] = encodeNpy({ data: new Int32Array([1, 2, 3, 4]), shape: [2, 2] });
 * console.log(header.length + data.length); // 144
 * ```
 */
export function encodeNpy(input: ArrayInput): Uint8Array[] {
  const array = toNdArray(input);
  const header = encodeNpyHeader(array);
  let data = bytesOf(array.data);
  if (!LITTLE_ENDIAN && itemSize(array.dtype) > 1) data = swapBytes(data, itemSize(array.dtype));
  return [header, data];
}

function swapBytes(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) {
    for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j];
  }
  return out;
}

function corrupt(source: string | undefined, what: string): StorageError {
  const name = source ?? "<npy bytes>";
  return new StorageError(`${name} is not a valid .npy file: ${what}`, { path: source });
}

interface NpyHeader {
  dtype: DType;
  bigEndian: boolean;
  fortran: boolean;
  shape: number[];
  dataOffset: number;
}

function parseHeader(bytes: Uint8Array, source?: string): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw corrupt(source, "it does not start with the magic string \\x93NUMPY");
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let hlen: number, start: number;
  if (major === 1) {
    hlen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw corrupt(source, "the header is truncated");
    hlen = view.getUint32(8, true);
    start = 12;
  } else {
    throw corrupt(
      source,
      `format version ${major}.${bytes[7]} is not known (1.0, 2.0 and 3.0 are)`,
    );
  }
  if (start + hlen > bytes.length) throw corrupt(source, "the header is truncated");
  const text = major === 3
    ? new TextDecoder().decode(bytes.subarray(start, start + hlen))
    : new TextDecoder("latin1").decode(bytes.subarray(start, start + hlen));
  let dict: unknown;
  try {
    dict = parseParam(text.trim());
  } catch {
    dict = undefined;
  }
  if (!dict || typeof dict !== "object" || Array.isArray(dict)) {
    throw corrupt(source, `the header is not a Python dict: ${JSON.stringify(text.slice(0, 80))}`);
  }
  const { descr, fortran_order: fortran, shape } = dict as Record<string, unknown>;
  if (typeof descr !== "string") {
    throw new StorageError(
      `${source ?? "<npy bytes>"} holds a structured dtype (${
        JSON.stringify(descr)
      }): sweepstore reads ` +
        "bool, int8–int64, uint8–uint64 and float16–float64 arrays; save the fields as separate arrays",
      { path: source },
    );
  }
  const order = descr[0];
  const dtype = KIND[descr.slice(1)];
  if (!dtype || !"<>|=".includes(order)) {
    throw new StorageError(
      `${
        source ?? "<npy bytes>"
      } holds dtype '${descr}', which sweepstore does not read: supported are ` +
        "bool, int8–int64, uint8–uint64 and float16–float64; convert it in numpy (e.g. a.astype(np.float64))",
      { path: source },
    );
  }
  if (
    typeof fortran !== "boolean" || !Array.isArray(shape) ||
    !shape.every((d) => typeof d === "number" && Number.isSafeInteger(d) && d >= 0)
  ) {
    throw corrupt(source, `the header has no valid fortran_order and shape: ${text.trim()}`);
  }
  return {
    dtype,
    bigEndian: order === ">" || (order === "=" && !LITTLE_ENDIAN),
    fortran,
    shape: shape as number[],
    dataOffset: start + hlen,
  };
}

/** Reads float16 bits as float32 values, for runtimes without Float16Array. */
function halfToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    out[i] = exp === 0
      ? sign * 2 ** -14 * (frac / 1024)
      : exp === 31
      ? (frac ? NaN : sign * Infinity)
      : sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return out;
}

/** Reorders Fortran-ordered (column-major) elements into row-major order. */
function fortranToC<T extends TypedArray>(data: T, shape: readonly number[]): T {
  const n = shape.length;
  if (n < 2 || data.length === 0) return data;
  const out = new (data.constructor as new (len: number) => T)(data.length);
  const fstride = new Array<number>(n);
  fstride[0] = 1;
  for (let k = 1; k < n; k++) fstride[k] = fstride[k - 1] * shape[k - 1];
  const index = new Array<number>(n).fill(0);
  let src = 0;
  const last = n - 1;
  // deno-lint-ignore no-explicit-any
  const o = out as any, d = data as any;
  for (let i = 0; i < data.length; i++) {
    o[i] = d[src];
    // advance the row-major index (last axis fastest) and the column-major source offset with it
    let k = last;
    index[k]++;
    src += fstride[k];
    while (k > 0 && index[k] === shape[k]) {
      src -= fstride[k] * shape[k];
      index[k] = 0;
      k--;
      index[k]++;
      src += fstride[k];
    }
  }
  return out;
}

/**
 * Reads `.npy` bytes into an NdArray in row-major (C) order with native byte order. When the data is
 * little-endian, C-ordered and aligned, the result is a view of `bytes`, not a copy. `source` (a file path)
 * is named in errors.
 *
 * @example
 * ```ts
 * import { decodeNpy, encodeNpy } from "@sweepstore/sweepstore";
 * const chunks = encodeNpy([[1, 2], [3, 4]]);
 * const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
 * let at = 0;
 * for (const c of chunks) { bytes.set(c, at); at += c.length; }
 * console.log(decodeNpy(bytes)); // { data: Float64Array [1, 2, 3, 4], shape: [2, 2], dtype: "float64" }
 * ```
 */
export function decodeNpy(bytes: Uint8Array, source?: string): NdArray {
  const header = parseHeader(bytes, source);
  const { shape, fortran, bigEndian } = header;
  const count = shape.reduce((a, b) => a * b, 1);
  const size = itemSize(header.dtype);
  const need = header.dataOffset + count * size;
  if (bytes.length < need) {
    throw corrupt(
      source,
      `the data is truncated: ${bytes.length} bytes where shape ${pyTuple(shape)} needs ${need}`,
    );
  }
  let raw = bytes.subarray(header.dataOffset, need);
  const swap = size > 1 && bigEndian === LITTLE_ENDIAN;
  if (swap) raw = swapBytes(raw, size);
  else if ((raw.byteOffset % size) !== 0) raw = raw.slice();
  let dtype = header.dtype;
  let data: TypedArray;
  if (dtype === "float16" && !HAS_FLOAT16) {
    data = halfToFloat32(new Uint16Array(raw.buffer, raw.byteOffset, count));
    dtype = "float32";
  } else {
    data = new (typedArrayConstructor(dtype))(raw.buffer, raw.byteOffset, count);
  }
  if (fortran) data = fortranToC(data, shape);
  return { data, shape, dtype };
}

/**
 * Writes an array to a `.npy` file crash-safely (a temporary file in the same folder, then a rename),
 * byte-identical to `numpy.save` of the same array.
 *
 * @example
 * ```ts
 * import { readNpy, writeNpy } from "@sweepstore/sweepstore";
 * const dir = await Deno.makeTempDir();
 * await writeNpy(`${dir}/a.npy`, { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
 * console.log((await readNpy(`${dir}/a.npy`)).shape); // [2, 3]
 * ```
 */
export async function writeNpy(path: string, input: ArrayInput): Promise<void> {
  await atomicWrite(path, encodeNpy(input));
}

/**
 * Reads a `.npy` file (any byte order, C or Fortran order, format 1.0/2.0/3.0) into an NdArray in
 * row-major order. A missing file throws `Deno.errors.NotFound`; a corrupt one a `StorageError` naming it.
 *
 * @example
 * ```ts
 * import { readNpy, writeNpy } from "@sweepstore/sweepstore";
 * const dir = await Deno.makeTempDir();
 * await writeNpy(`${dir}/v.npy`, new Int16Array([1, -2, 3]));
 * const { data, dtype } = await readNpy(`${dir}/v.npy`);
 * console.log(data, dtype); // Int16Array(3) [1, -2, 3] "int16"
 * ```
 */
export async function readNpy(path: string): Promise<NdArray> {
  const file = await Deno.open(path, { read: true });
  let bytes: Uint8Array;
  try {
    const { size } = file.statSync();
    bytes = new Uint8Array(size);
    let off = 0;
    while (off < size) {
      const n = file.readSync(bytes.subarray(off)); // sync: no thread-pool hand-off, faster for big files
      if (n === null) break;
      off += n;
    }
    if (off < size) bytes = bytes.subarray(0, off);
  } finally {
    file.close();
  }
  return decodeNpy(bytes, path);
}
