/**
 * PNG frames: images as 8-bit gray, RGB or RGBA PNG files (via the `pngjs` package), pixel-exact.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import pngjs from "pngjs";
import type { ArrayInput, NdArray } from "./ndarray.ts";
import { toNdArray } from "./ndarray.ts";
import { StorageError } from "../errors.ts";

const { PNG } = pngjs;

/** PNG colour types by channel count: 1 gray, 3 RGB, 4 RGBA. */
const COLOR_TYPE: Record<number, number> = { 1: 0, 3: 2, 4: 6 };

/**
 * Converts image values to bytes: uint8 as is; booleans as 0/255; other numbers clamped to 0–255 and
 * truncated toward zero (numpy's `np.clip(a, 0, 255).astype(np.uint8)`), NaN as 0.
 */
function toBytes(image: NdArray): Uint8Array {
  const { data, dtype } = image;
  if (dtype === "uint8") return data as Uint8Array;
  const out = new Uint8Array(data.length);
  if (dtype === "bool") {
    for (let i = 0; i < data.length; i++) out[i] = data[i] ? 255 : 0;
    return out;
  }
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    out[i] = v > 255 ? 255 : v > 0 ? v : 0; // NaN fails both tests: 0; Uint8Array truncates toward zero
  }
  return out;
}

/**
 * Encodes an image as PNG bytes. Shapes: `[h, w]` or `[h, w, 1]` (8-bit gray), `[h, w, 3]` (RGB),
 * `[h, w, 4]` (RGBA). uint8 values are written as they are; booleans as 0/255; other numbers are clamped
 * to 0–255 and truncated toward zero like numpy's `clip(0, 255).astype(uint8)`; NaN becomes 0.
 *
 * @example
 * ```ts
 * import { encodePng } from "@sweepstore/sweepstore/png";
 * const gray = { data: new Float32Array(64 * 48).fill(127.9), shape: [48, 64] };
 * const png = encodePng(gray);
 * console.log(png.length > 0);
 * ```
 */
export function encodePng(image: ArrayInput): Uint8Array {
  const array = toNdArray(image);
  const [height, width, channels = 1] = array.shape;
  if (
    (array.shape.length !== 2 && array.shape.length !== 3) || !(channels in COLOR_TYPE) ||
    !height ||
    !width
  ) {
    throw new TypeError(
      `An image must have shape [h, w] (gray), [h, w, 1] (gray), [h, w, 3] (RGB) or [h, w, 4] (RGBA) with ` +
        `h, w > 0; got [${array.shape}]`,
    );
  }
  const colorType = COLOR_TYPE[channels];
  const bytes = toBytes(array);
  const png = new PNG({
    width,
    height,
    colorType,
    inputColorType: colorType,
    inputHasAlpha: channels === 4,
    bitDepth: 8,
  });
  png.data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = PNG.sync.write(png, {
    colorType,
    inputColorType: colorType,
    inputHasAlpha: channels === 4,
  });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Decodes PNG bytes into a uint8 NdArray of shape `[h, w, c]`: c = 1 for gray, 3 for RGB, 4 when the file
 * has an alpha channel.
 *
 * @throws {StorageError} code `corrupt` for bytes that are not a valid PNG, naming `source`.
 *
 * @example
 * ```ts
 * import { decodePng, encodePng } from "@sweepstore/sweepstore/png";
 * const rgb = { data: new Uint8Array([255, 0, 0, 0, 255, 0]), shape: [1, 2, 3] };
 * console.log(decodePng(encodePng(rgb)).data); // Uint8Array(6) [255, 0, 0, 0, 255, 0]
 * ```
 */
export function decodePng(bytes: Uint8Array, source?: string): NdArray<Uint8Array> {
  let png: InstanceType<typeof PNG> & { color?: boolean; alpha?: boolean };
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    throw new StorageError(
      `${source ?? "<png bytes>"} is not a valid PNG: ${(err as Error).message}`,
      { path: source, cause: err, code: "corrupt" },
    );
  }
  const channels = (png.color ? 3 : 1) + (png.alpha ? 1 : 0);
  const rgba = png.data;
  const n = png.width * png.height;
  const out = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    if (channels === 1 || channels === 2) {
      out[i * channels] = rgba[i * 4];
      if (channels === 2) out[i * 2 + 1] = rgba[i * 4 + 3];
    } else {
      for (let c = 0; c < channels; c++) out[i * channels + c] = rgba[i * 4 + c];
    }
  }
  return { data: out, shape: [png.height, png.width, channels], dtype: "uint8" };
}

export type { ArrayInput, DType, NdArray, NestedArray, TypedArray } from "./ndarray.ts";
