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
import { type ArrayInput, itemSize, type NdArray, toNdArray, type TypedArray } from "./ndarray.ts";
import { StorageError, storageErrorCode } from "../errors.ts";
import { encodeNpyHeader, parseHeader, pyTuple, truncated } from "./_npy_header.ts";
import { bytesOf, canonicalBools, dataToNdArray, LITTLE_ENDIAN, swapInPlace } from "./_npy_data.ts";
import { readFailure, readOpenNpy } from "./_npy_file.ts";

/**
 * An array as `.npy` bytes: the header and the data, as chunks. The data chunk is a view of the array's
 * memory, not a copy (on big-endian machines it is a byte-swapped copy; bool bytes other than 0/1 are
 * copied as 1). Accepts an NdArray, `{ data, shape }`, a typed array or a nested array.
 *
 * @example
 * ```ts
 * import { encodeNpy } from "@sweepstore/sweepstore/npy";
 * const [header, data] = encodeNpy({ data: new Int32Array([1, 2, 3, 4]), shape: [2, 2] });
 * console.log(header.length + data.length); // 144
 * ```
 */
export function encodeNpy(input: ArrayInput): Uint8Array[] {
  const array = toNdArray(input);
  const header = encodeNpyHeader(array);
  const size = itemSize(array.dtype);
  let data = bytesOf(array.data);
  if (array.dtype === "bool") data = canonicalBools(data);
  else if (!LITTLE_ENDIAN && size > 1) {
    data = data.slice();
    swapInPlace(data, size);
  }
  return [header, data];
}

/**
 * Reads `.npy` bytes into an NdArray in row-major (C) order with native byte order. When the data is
 * in native byte order, C-ordered and aligned, the result is a view of `bytes` (not a copy: its
 * `byteOffset` is the header's length). `source` (a file path) is named in errors, which are
 * `StorageError`s for corrupt or truncated bytes and unsupported dtypes.
 *
 * @example
 * ```ts
 * import { decodeNpy, encodeNpy } from "@sweepstore/sweepstore/npy";
 * const chunks = encodeNpy([[1, 2], [3, 4]]);
 * const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
 * let at = 0;
 * for (const c of chunks) { bytes.set(c, at); at += c.length; }
 * console.log(decodeNpy(bytes)); // { data: Float64Array [1, 2, 3, 4], shape: [2, 2], dtype: "float64" }
 * ```
 */
export function decodeNpy(bytes: Uint8Array, source?: string): NdArray {
  const header = parseHeader(bytes, source);
  const end = header.dataOffset + header.count * itemSize(header.dtype);
  if (bytes.length < end) {
    throw truncated(source, bytes.length, end, `the data of shape ${pyTuple(header.shape)}`);
  }
  return dataToNdArray(bytes.subarray(header.dataOffset, end), header, false);
}

/**
 * Writes an array to a `.npy` file crash-safely (a temporary file in the same folder, then a rename),
 * byte-identical to `numpy.save` of the same array. Accepts what {@linkcode encodeNpy} accepts. In a
 * process started with `--allow-ffi` (Linux), files of 8 MiB or more have their blocks reserved first
 * (`fallocate`, as numpy does), which makes big writes faster on ext4, above all over an existing file
 * (ext4 then starts no writeback at the rename; bench/README.md); nothing else changes.
 *
 * @example
 * ```ts
 * import { readNpy, writeNpy } from "@sweepstore/sweepstore/npy";
 * const dir = await Deno.makeTempDir();
 * await writeNpy(`${dir}/a.npy`, { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
 * console.log((await readNpy(`${dir}/a.npy`)).shape); // [2, 3]
 * ```
 */
export async function writeNpy(path: string, input: ArrayInput): Promise<void> {
  await atomicWrite(path, encodeNpy(input), { preallocate: true });
}

/** Options for {@linkcode readNpy}. */
export interface ReadNpyOptions {
  /**
   * Read the data into this typed array instead of a new buffer: its memory is reused, so a big read skips
   * the kernel's filling of fresh pages (most of its time; see bench/README.md). It must be of the file's
   * dtype (`Float64Array` for float64, `BigInt64Array` for int64, …) and hold at least the file's number
   * of elements; the result's `data` is a view of its first elements. When the read fails, `into` may hold
   * part of the file.
   * @default {undefined} (a new buffer of exactly the array's size)
   */
  into?: TypedArray;
}

/**
 * Reads a `.npy` file (any byte order, C or Fortran order, format 1.0/2.0/3.0) into an NdArray in
 * row-major order and native byte order. `data` has a buffer of its own that holds exactly the array
 * (`byteOffset` 0), or is a view of `options.into`. A missing file throws `Deno.errors.NotFound`; a
 * corrupt or truncated file a `StorageError` with code `corrupt`, an unsupported dtype or format version
 * code `unsupported`, another failure of the operating system (no permission, a folder) the code of
 * {@linkcode storageErrorCode}, each naming the file. In a process started with `--allow-ffi` (Linux), a new
 * buffer of 8 MiB or more is marked for transparent huge pages before the read (`madvise(MADV_HUGEPAGE)`,
 * as numpy does with big arrays): the kernel then fills it in 2 MiB pages, most of a big read's time
 * (bench/README.md); nothing else changes.
 *
 * @throws {TypeError} when `options.into` is not of the file's dtype.
 * @throws {RangeError} when `options.into` is too short for the file's data.
 *
 * @example
 * ```ts
 * import { readNpy, writeNpy } from "@sweepstore/sweepstore/npy";
 * const dir = await Deno.makeTempDir();
 * await writeNpy(`${dir}/v.npy`, new Int16Array([1, -2, 3]));
 * const { data, dtype } = await readNpy(`${dir}/v.npy`);
 * console.log(data, dtype); // Int16Array(3) [1, -2, 3] "int16"
 * ```
 *
 * @example Reuse one buffer for many reads of the same shape
 * ```ts
 * import { readNpy, writeNpy } from "@sweepstore/sweepstore/npy";
 * const dir = await Deno.makeTempDir();
 * await writeNpy(`${dir}/a.npy`, new Float64Array([1, 2, 3]));
 * await writeNpy(`${dir}/b.npy`, new Float64Array([4, 5, 6]));
 * const buffer = new Float64Array(3);
 * for (const f of ["a", "b"]) {
 *   const { data } = await readNpy(`${dir}/${f}.npy`, { into: buffer });
 *   console.log(data); // Float64Array(3) [1, 2, 3], then [4, 5, 6] (the memory of `buffer`)
 * }
 * ```
 */
export async function readNpy(path: string, options: ReadNpyOptions = {}): Promise<NdArray> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) throw err; // documented: callers tell "no such array" apart
    throw readFailure(err, path);
  }
  try {
    return await readOpenNpy(file, path, options.into);
  } catch (err) {
    if (err instanceof StorageError || storageErrorCode(err) === undefined) throw err;
    throw readFailure(err, path);
  } finally {
    file.close();
  }
}

export {
  type ArrayInput,
  type DType,
  dtypeOf,
  itemSize,
  type NdArray,
  type NestedArray,
  toNdArray,
  type TypedArray,
  type TypedArrayConstructor,
  typedArrayConstructor,
} from "./ndarray.ts";
