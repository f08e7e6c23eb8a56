/**
 * NdArray: an n-dimensional array as a typed array in row-major (C) order plus its shape and dtype,
 * and the conversion of what users pass to `saveNp` (typed arrays, nested number arrays) into one.
 *
 * @module
 */

/** The numpy dtypes that map to JavaScript typed arrays. */
export type DType =
  | "bool"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "float16"
  | "float32"
  | "float64";

/** Every typed array an {@linkcode NdArray} may hold. */
export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float16Array
  | Float32Array
  | Float64Array;

/**
 * An n-dimensional array: `data` in row-major (C) order, `shape` (empty for a 0-d scalar) and `dtype`.
 * Booleans are stored as a `Uint8Array` of 0/1 with dtype `"bool"`; 64-bit integers as BigInt arrays.
 *
 * @example Build a 2×3 float32 array
 * ```ts
 * import type { NdArray } from "@sweepstore/sweepstore/npy";
 * const a: NdArray = { data: new Float32Array(6), shape: [2, 3], dtype: "float32" };
 * console.log(a.shape);
 * ```
 */
export interface NdArray<T extends TypedArray = TypedArray> {
  /** The elements in row-major (C) order. */
  data: T;
  /** The size of each dimension; `[]` for a 0-d array. */
  shape: number[];
  /** The numpy dtype of the elements. */
  dtype: DType;
}

/** A nested array of numbers, bigints or booleans, like `[[1, 2], [3, 4]]`. */
export type NestedArray = ReadonlyArray<number | bigint | boolean | NestedArray>;

/**
 * What `saveNp` accepts: an {@linkcode NdArray}, `{ data, shape? , dtype? }`, a typed array (1-D) or a nested
 * array of numbers (float64), bigints (int64) or booleans (bool).
 */
export type ArrayInput =
  | NdArray
  | { data: TypedArray; shape?: readonly number[]; dtype?: DType }
  | TypedArray
  | NestedArray;

/**
 * The dtype that a typed array holds by default (`Uint8Array` → `"uint8"`, `Float64Array` → `"float64"`, …).
 *
 * @example
 * ```ts
 * import { dtypeOf } from "@sweepstore/sweepstore/npy";
 * console.log(dtypeOf(new Int16Array(2))); // "int16"
 * ```
 */
export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return "uint8";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Uint16Array) return "uint16";
  if (data instanceof Uint32Array) return "uint32";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof BigUint64Array) return "uint64";
  if (typeof Float16Array !== "undefined" && data instanceof Float16Array) return "float16";
  throw new TypeError(`Unsupported array type: ${Object.prototype.toString.call(data)}`);
}

/** A constructor of one of the typed arrays an {@linkcode NdArray} may hold. */
export type TypedArrayConstructor = {
  new (length: number): TypedArray;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): TypedArray;
};

/**
 * The typed array class that holds `dtype` (`"bool"` and `"uint8"` → `Uint8Array`, `"int64"` →
 * `BigInt64Array`, …).
 *
 * @example
 * ```ts
 * import { typedArrayConstructor } from "@sweepstore/sweepstore/npy";
 * const Ctor = typedArrayConstructor("float32");
 * console.log(new Ctor(3)); // Float32Array(3) [0, 0, 0]
 * ```
 */
export function typedArrayConstructor(dtype: DType): TypedArrayConstructor {
  switch (dtype) {
    case "bool":
    case "uint8":
      return Uint8Array;
    case "int8":
      return Int8Array;
    case "int16":
      return Int16Array;
    case "uint16":
      return Uint16Array;
    case "int32":
      return Int32Array;
    case "uint32":
      return Uint32Array;
    case "int64":
      return BigInt64Array;
    case "uint64":
      return BigUint64Array;
    case "float16":
      if (typeof Float16Array === "undefined") {
        throw new TypeError(
          "This runtime has no Float16Array: float16 data needs Deno ≥ 2.2 (or read it with readNpy, " +
            "which converts to float32)",
        );
      }
      return Float16Array;
    case "float32":
      return Float32Array;
    case "float64":
      return Float64Array;
  }
}

/**
 * The number of bytes one element of `dtype` takes.
 *
 * @example
 * ```ts
 * import { itemSize } from "@sweepstore/sweepstore/npy";
 * console.log(itemSize("float32")); // 4
 * ```
 */
export function itemSize(dtype: DType): number {
  switch (dtype) {
    case "bool":
    case "int8":
    case "uint8":
      return 1;
    case "int16":
    case "uint16":
    case "float16":
      return 2;
    case "int32":
    case "uint32":
    case "float32":
      return 4;
    default:
      return 8;
  }
}

function isTypedArray(x: unknown): x is TypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function checkShape(shape: readonly number[], length: number, what: string): number[] {
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new TypeError(`Invalid shape [${shape}] for ${what}: dimensions must be integers ≥ 0`);
    }
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== length) {
    throw new TypeError(
      `Shape [${shape}] holds ${size} elements but ${what} has ${length}: pass a shape whose product is the data length`,
    );
  }
  return [...shape];
}

/** Where a nested-array element sits, as `value[1][0]`, for error messages. */
function where(index: readonly number[]): string {
  return `value${index.map((i) => `[${i}]`).join("")}`;
}

/**
 * Flattens a nested array in row-major order into a typed array: float64 for numbers, int64 for bigints,
 * bool for booleans. One pass, no intermediate list; error paths are built only when an error is thrown.
 */
function fromNested(nested: NestedArray): NdArray {
  const shape: number[] = [];
  let level: unknown = nested;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const kind = size === 0 ? "number" : typeof level;
  let out: Float64Array | BigInt64Array | Uint8Array;
  let dtype: DType;
  if (kind === "number") [out, dtype] = [new Float64Array(size), "float64"];
  else if (kind === "bigint") [out, dtype] = [new BigInt64Array(size), "int64"];
  else if (kind === "boolean") [out, dtype] = [new Uint8Array(size), "bool"];
  else {
    throw new TypeError(
      `Element ${where(shape.map(() => 0))} is ${
        level === null ? "null" : typeof level
      }: a nested array must hold only numbers, only bigints or only booleans`,
    );
  }
  const last = shape.length - 1;
  const index: number[] = [];
  let at = 0;
  const walk = (node: unknown, depth: number): void => {
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new TypeError(
        `Ragged nested array at ${where(index)}: expected ${
          shape[depth]
        } elements like the first ` +
          "row; every row must have the same length",
      );
    }
    if (depth === last) {
      for (let i = 0; i < node.length; i++) {
        const x = node[i];
        // deno-lint-ignore valid-typeof -- `kind` is the typeof of the first element
        if (typeof x !== kind) {
          index.push(i);
          throw new TypeError(
            Array.isArray(x)
              ? `Ragged nested array at ${where(index)}: every row must have the same depth`
              : `Element ${where(index)} is ${
                x === null ? "null" : typeof x
              } where the first element is a ${kind}: a nested array must hold only numbers, ` +
                "only bigints or only booleans",
          );
        }
        if (kind === "number") (out as Float64Array)[at++] = x as number;
        else if (kind === "boolean") (out as Uint8Array)[at++] = x ? 1 : 0;
        else if (BigInt.asIntN(64, x as bigint) === x) (out as BigInt64Array)[at++] = x as bigint;
        else {
          index.push(i);
          throw new TypeError(
            `Element ${
              where(index)
            } (${x}) does not fit in int64: pass a BigUint64Array for uint64`,
          );
        }
      }
      return;
    }
    for (let i = 0; i < node.length; i++) {
      index.push(i);
      walk(node[i], depth + 1);
      index.pop();
    }
  };
  walk(nested, 0); // a zero-length level is always the last of `shape`: nothing to fill then
  return { data: out, shape, dtype };
}

/**
 * Turns what `saveNp` accepts into an {@linkcode NdArray} without copying typed-array data.
 * Nested arrays become float64, or int64 for bigints, or bool for booleans.
 *
 * @example
 * ```ts
 * import { toNdArray } from "@sweepstore/sweepstore/npy";
 * const a = toNdArray([[1, 2, 3], [4, 5, 6]]);
 * console.log(a.shape, a.dtype); // [2, 3] "float64"
 * ```
 */
export function toNdArray(value: ArrayInput): NdArray {
  if (isTypedArray(value)) {
    return { data: value, shape: [value.length], dtype: dtypeOf(value) };
  }
  if (Array.isArray(value)) return fromNested(value as NestedArray);
  if (value && typeof value === "object" && "data" in value && isTypedArray(value.data)) {
    const data = value.data;
    const dtype = value.dtype ?? dtypeOf(data);
    const natural = dtypeOf(data);
    const compatible = dtype === natural || (dtype === "bool" && natural === "uint8");
    if (!compatible) {
      throw new TypeError(
        `dtype "${dtype}" does not match a ${data.constructor.name}: pass data of the matching typed array`,
      );
    }
    const shape = value.shape === undefined
      ? [data.length]
      : checkShape(value.shape, data.length, "the data");
    return { data, shape, dtype };
  }
  throw new TypeError(
    "Expected an NdArray, { data, shape }, a typed array or a nested array of numbers",
  );
}
