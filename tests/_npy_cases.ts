/** Helpers shared by the .npy tests (npy_test.ts, npy_codec_test.ts). */
import type { DType, TypedArray } from "../src/formats/ndarray.ts";

export function bytesOf(a: TypedArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export async function sha(a: TypedArray): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytesOf(a).slice());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A hand-made .npy file: magic, version, the header text padded to 64 bytes, then `data`. */
export function npyBytes(
  dict: string,
  data: Uint8Array = new Uint8Array(0),
  major = 1,
): Uint8Array {
  const prefix = major === 1 ? 10 : 12;
  let text = dict;
  while ((prefix + text.length + 1) % 64 !== 0) text += " ";
  text += "\n";
  const head = new Uint8Array(prefix);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(head.buffer);
  const encoded = new TextEncoder().encode(text);
  if (major === 1) view.setUint16(8, encoded.length, true);
  else view.setUint32(8, encoded.length, true);
  return concat([head, encoded, data]);
}

/** The numpy dtype code (without byte order) of each DType. */
export const CODE: Record<DType, string> = {
  bool: "b1",
  int8: "i1",
  uint8: "u1",
  int16: "i2",
  uint16: "u2",
  float16: "f2",
  int32: "i4",
  uint32: "u4",
  float32: "f4",
  int64: "i8",
  uint64: "u8",
  float64: "f8",
};
export const DTYPE_OF_CODE = Object.fromEntries(
  Object.entries(CODE).map(([k, v]) => [v, k]),
) as Record<
  string,
  DType
>;
