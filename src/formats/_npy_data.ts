/**
 * The data part of a `.npy` file: byte order swaps, canonical booleans, float16 without `Float16Array`,
 * and Fortran (column-major) to C (row-major) order. Internal to the `.npy` codec (`npy.ts`).
 *
 * @module
 */

import { float16ToNumber } from "./_float16.ts";
import type { NpyHeader } from "./_npy_header.ts";
import { itemSize, type NdArray, type TypedArray, typedArrayConstructor } from "./ndarray.ts";

/** Whether this machine stores numbers little-endian (numpy's `<`). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The bytes of a typed array (a view, not a copy). */
export function bytesOf(data: TypedArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

const bswap32 = (x: number): number =>
  ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);

/** Reverses the bytes of each `size`-byte element in place; `bytes` must be aligned to `size`. */
export function swapInPlace(bytes: Uint8Array, size: number): void {
  if (size === 2) {
    const u = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
    for (let i = 0; i < u.length; i++) {
      const x = u[i];
      u[i] = (x >>> 8) | ((x & 0xff) << 8);
    }
    return;
  }
  const u = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  if (size === 4) {
    for (let i = 0; i < u.length; i++) u[i] = bswap32(u[i]);
    return;
  }
  for (let i = 0; i < u.length; i += 2) {
    const lo = u[i];
    u[i] = bswap32(u[i + 1]);
    u[i + 1] = bswap32(lo);
  }
}

/** Bool data as numpy writes it: 0 and 1 only (a copy only when some byte is another value). */
export function canonicalBools(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] > 1) return bytes.map((b) => (b ? 1 : 0));
  }
  return bytes;
}

/** Reads float16 bits as float32 values, for runtimes without Float16Array. */
function halfToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16ToNumber(bits[i]);
  return out;
}

/**
 * Reorders Fortran-ordered (column-major) elements into row-major order. The first axis is contiguous in
 * the source and the last in the result, so the copy walks tiles of those two axes (cache-friendly) for
 * each index of the axes between them.
 */
function fortranToC<T extends TypedArray>(data: T, shape: readonly number[]): T {
  const n = shape.length;
  if (n < 2 || data.length === 0) return data;
  const out = new (data.constructor as new (length: number) => T)(data.length);
  const src = new Array<number>(n); // column-major strides
  const dst = new Array<number>(n); // row-major strides
  src[0] = 1;
  for (let k = 1; k < n; k++) src[k] = src[k - 1] * shape[k - 1];
  dst[n - 1] = 1;
  for (let k = n - 2; k >= 0; k--) dst[k] = dst[k + 1] * shape[k + 1];
  const first = shape[0], last = shape[n - 1], lastSrc = src[n - 1], firstDst = dst[0];
  const TILE = 32;
  // deno-lint-ignore no-explicit-any
  const o = out as any, d = data as any;
  const mid = new Array<number>(n).fill(0); // the index of axes 1 … n-2
  let srcMid = 0, dstMid = 0;
  for (;;) {
    for (let i0 = 0; i0 < first; i0 += TILE) {
      const i1 = Math.min(first, i0 + TILE);
      for (let j0 = 0; j0 < last; j0 += TILE) {
        const j1 = Math.min(last, j0 + TILE);
        for (let i = i0; i < i1; i++) {
          let s = srcMid + i + j0 * lastSrc;
          let t = dstMid + i * firstDst + j0;
          for (let j = j0; j < j1; j++, s += lastSrc) o[t++] = d[s];
        }
      }
    }
    let k = n - 2;
    for (; k >= 1; k--) {
      mid[k]++;
      srcMid += src[k];
      dstMid += dst[k];
      if (mid[k] < shape[k]) break;
      srcMid -= src[k] * shape[k];
      dstMid -= dst[k] * shape[k];
      mid[k] = 0;
    }
    if (k < 1) break;
  }
  return out;
}

/**
 * Turns the data bytes (file byte order, file axis order) into the NdArray. With `owned`, the bytes are
 * ours (a fresh buffer at offset 0): swapped in place and kept; otherwise they are viewed when aligned and
 * in native order, else copied.
 */
export function dataToNdArray(raw: Uint8Array, header: NpyHeader, owned: boolean): NdArray {
  const size = itemSize(header.dtype);
  if (!owned && (header.swap || raw.byteOffset % size !== 0)) raw = raw.slice();
  if (header.swap) swapInPlace(raw, size);
  let dtype = header.dtype;
  let data: TypedArray;
  // checked per call (not once per module): a runtime without Float16Array gets float32
  if (dtype === "float16" && typeof Float16Array === "undefined") {
    data = halfToFloat32(new Uint16Array(raw.buffer, raw.byteOffset, header.count));
    dtype = "float32";
  } else {
    data = new (typedArrayConstructor(dtype))(raw.buffer, raw.byteOffset, header.count);
  }
  if (header.fortran) data = fortranToC(data, header.shape);
  return { data, shape: header.shape, dtype };
}
