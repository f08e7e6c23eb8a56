/**
 * Recorder: collects one value per time step for each named variable, to be saved with
 * `StorageManager.saveRecorder` as `<tag><variable>.npy` with shape `[steps, ...]`.
 *
 * @module
 */

import {
  type ArrayInput,
  itemSize,
  type NdArray,
  toNdArray,
  type TypedArray,
  typedArrayConstructor,
} from "../formats/ndarray.ts";

/** One recorded step: a number, bigint or boolean, or an array of any shape. */
export type RecordValue = number | bigint | boolean | ArrayInput;

function scalarToNdArray(value: number | bigint | boolean): NdArray {
  if (typeof value === "number") {
    return { data: Float64Array.of(value), shape: [], dtype: "float64" };
  }
  if (typeof value === "bigint") {
    return { data: BigInt64Array.of(value), shape: [], dtype: "int64" };
  }
  return { data: Uint8Array.of(value ? 1 : 0), shape: [], dtype: "bool" };
}

/**
 * Records variables over time: `record(name, value)` appends one step. Values are copied when recorded,
 * so a simulation may reuse its buffers. Every step of a variable must have the same shape and dtype.
 *
 * @example
 * ```ts
 * import { Recorder } from "@sweepstore/sweepstore";
 * const rec = new Recorder();
 * const v = new Float64Array(3);
 * for (let t = 0; t < 10; t++) {
 *   v.fill(t);
 *   rec.record("v", v);
 *   rec.record("spikes", t % 2);
 * }
 * console.log(rec.variables["v"].length, rec.toNdArray("v").shape); // 10 [10, 3]
 * ```
 */
export class Recorder {
  /** The recorded steps of each variable, oldest first. */
  readonly variables: Record<string, NdArray[]> = {};

  /** Appends one time step of `name` (a copy of `value`). Returns `this` for chaining. */
  record(name: string, value: RecordValue): this {
    if (typeof name !== "string" || name.length === 0) {
      throw new TypeError("Recorder.record(name, value): name must be a non-empty string");
    }
    const step = typeof value === "number" || typeof value === "bigint" ||
        typeof value === "boolean"
      ? scalarToNdArray(value)
      : toNdArray(value);
    const steps = (this.variables[name] ??= []);
    const first = steps[0];
    if (first) {
      if (first.dtype !== step.dtype || first.shape.join() !== step.shape.join()) {
        throw new TypeError(
          `Recorder variable "${name}": step ${steps.length} has dtype ${step.dtype} shape [${step.shape}] ` +
            `but earlier steps have ${first.dtype} [${first.shape}]; record the same shape every step`,
        );
      }
    }
    steps.push({ data: step.data.slice() as TypedArray, shape: step.shape, dtype: step.dtype });
    return this;
  }

  /** The names of the recorded variables. */
  get keys(): string[] {
    return Object.keys(this.variables);
  }

  /** The steps of `name` stacked into one array of shape `[steps, ...stepShape]`. */
  toNdArray(name: string): NdArray {
    const steps = this.variables[name];
    if (!steps) {
      throw new RangeError(
        `Recorder has no variable "${name}"; recorded: ${this.keys.join(", ") || "none"}`,
      );
    }
    if (steps.length === 0) return { data: new Float64Array(0), shape: [0], dtype: "float64" };
    const { dtype, shape } = steps[0];
    const per = steps[0].data.length;
    const out = new (typedArrayConstructor(dtype))(per * steps.length);
    const bytes = new Uint8Array(out.buffer);
    const size = itemSize(dtype);
    steps.forEach((s, i) => {
      bytes.set(new Uint8Array(s.data.buffer, s.data.byteOffset, per * size), i * per * size);
    });
    return { data: out, shape: [steps.length, ...shape], dtype };
  }

  /** Forgets all recorded steps (of `name` only, when given). */
  clear(name?: string): void {
    if (name === undefined) {
      for (const k of this.keys) delete this.variables[k];
    } else delete this.variables[name];
  }
}
