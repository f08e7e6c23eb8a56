/**
 * The CBOR tags of the objects codec (`objects.ts`) that encoder and decoder share: RFC 8746 typed-array
 * tags and the Error classes tag 27 names. Internal.
 *
 * @module
 */

/** Whether this machine stores numbers little-endian (the typed-array tags say the byte order). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A typed-array class, as the decoder constructs it from a buffer. */
export type TypedArrayCtor = {
  new (buffer: ArrayBuffer): ArrayBufferView;
  readonly BYTES_PER_ELEMENT: number;
};

/** Typed-array tags of RFC 8746: name → [little-endian tag, big-endian tag]. */
export const TAG_OF: Record<string, [number, number]> = {
  Uint8Array: [64, 64],
  Uint8ClampedArray: [68, 68],
  Int8Array: [72, 72],
  Uint16Array: [69, 65],
  Uint32Array: [70, 66],
  BigUint64Array: [71, 67],
  Int16Array: [77, 73],
  Int32Array: [78, 74],
  BigInt64Array: [79, 75],
  Float16Array: [84, 80],
  Float32Array: [85, 81],
  Float64Array: [86, 82],
};

/** Tag → the typed array it holds and whether its bytes are big-endian. */
export const TYPED_OF_TAG = new Map<number, { name: string; bigEndian: boolean }>();
for (const [name, [le, be]] of Object.entries(TAG_OF)) {
  TYPED_OF_TAG.set(le, { name, bigEndian: false });
  if (be !== le) TYPED_OF_TAG.set(be, { name, bigEndian: true });
}

/** The Error classes tag 27 `[name, message]` restores by name (others become an `Error` with the name). */
export const ERROR_CLASSES: Record<string, new (message?: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Whether `err` is V8's "Maximum call stack size exceeded" (a value nested too deeply). */
export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}
