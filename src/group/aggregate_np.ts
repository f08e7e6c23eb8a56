/**
 * Element-wise aggregation of a saved array across repeats: for each group of runs (by default each point of
 * a sweep), the mean and standard deviation of `<key>.npy` element by element — e.g. the mean membrane
 * potential trace of a point and its spread over the repeats. Same conventions as `aggregate.ts`: `std`
 * with `ddof=1` (numpy's `np.std(a, axis=0, ddof=1)`), NaN propagated unless `nan: "omit"`
 * (`np.nanmean`, `np.nanstd(…, ddof=1)`, with each element's own count).
 *
 * @module
 */

import { StorageError } from "../errors.ts";
import type { NdArray } from "../formats/ndarray.ts";
import type { ParamValue } from "../formats/params.ts";
import type { StorageManager } from "../run/storage_manager.ts";
import { mapBounded } from "./_load.ts";
import { groupRuns, resolveAxes, type RunGroup } from "./_group_by.ts";
import type { AggregateOptions } from "./aggregate.ts";

/** Options of {@linkcode aggregateNpRuns} and `StorageManagerGroup.aggregateNp`. */
export interface AggregateNpOptions extends Pick<AggregateOptions, "by" | "nan"> {}

/** One group (one point) of {@linkcode aggregateNpRuns}. */
export interface AggregateNpRow {
  /** The group's value of each `by` parameter (`null` for runs that lack it). */
  key: Record<string, ParamValue | null>;
  /** How many runs the group holds. */
  runs: number;
  /** How many of them have the array (the others are left out). */
  count: number;
  /** The array's shape (`[]` when no run of the group has it). */
  shape: number[];
  /** The element-wise mean, float64, of `shape`. */
  mean: NdArray<Float64Array>;
  /** The element-wise sample standard deviation (ddof = 1), float64; NaN where fewer than 2 values. */
  std: NdArray<Float64Array>;
}

const READS_IN_FLIGHT = 16;

function toFloat64(a: NdArray): Float64Array {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(a.data[i]);
  return out;
}

/** Element-wise mean and std (ddof=1) of same-shaped arrays; compensated two-pass per element. */
function elementwise(
  arrays: Float64Array[],
  size: number,
  omitNaN: boolean,
): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(size), std = new Float64Array(size);
  const n = new Float64Array(size);
  for (const a of arrays) {
    for (let i = 0; i < size; i++) {
      const v = a[i];
      if (omitNaN && v !== v) continue;
      mean[i] += v;
      n[i]++;
    }
  }
  for (let i = 0; i < size; i++) mean[i] = n[i] ? mean[i] / n[i] : NaN;
  // second pass: the deviations from the first mean, with their sum correcting the mean's rounding
  const ss = new Float64Array(size), d = new Float64Array(size);
  for (const a of arrays) {
    for (let i = 0; i < size; i++) {
      const v = a[i];
      if (omitNaN && v !== v) continue;
      const x = v - mean[i];
      ss[i] += x * x;
      d[i] += x;
    }
  }
  for (let i = 0; i < size; i++) {
    if (n[i] < 2) {
      std[i] = NaN;
      continue;
    }
    const m = n[i];
    mean[i] += d[i] / m;
    const variance = (ss[i] - (d[i] * d[i]) / m) / (m - 1);
    std[i] = Math.sqrt(variance < 0 ? 0 : variance);
  }
  return { mean, std };
}

/**
 * Loads `<key>.npy` of every run and gives, per group of `by` values, the element-wise mean and standard
 * deviation across the group's runs. Runs without the file are left out (`count` says how many had it).
 *
 * @param runs The runs, e.g. a group's `runs`.
 * @param key The array's key (`<key>.npy` in each run folder).
 * @param options `by` (default: the sweep's swept parameters; required for runs without sweep records),
 *   `nan`.
 * @returns One row per group, ascending by the `by` values.
 * @throws {TypeError} When `by` is omitted for runs that carry no sweep record.
 * @throws {RangeError} When a `by` parameter is held by no run (a typo, or a `[Run]` field such as `repeat`).
 * @throws {StorageError} Code `unsupported` when the arrays of one group differ in shape (the message names
 *   two runs); `corrupt` and others when a file cannot be read.
 *
 * @example The mean trace of each point
 * ```ts
 * import { aggregateNpRuns, StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * const dataFolder = await Deno.makeTempDir();
 * for (const [n, trace] of [[1, [0, 1]], [1, [2, 3]], [2, [5, 5]]] as const) {
 *   const sm = await StorageManager.create("Tr", { dataFolder, params: { Parameters: { n } } });
 *   await sm.saveNp("trace", [...trace]);
 * }
 * const smg = await StorageManagerGroup.load("Tr", { dataFolder });
 * const rows = await aggregateNpRuns(smg.runs, "trace", { by: ["n"] });
 * console.log(rows[0].mean.data, rows[0].std.data); // Float64Array [1, 2] Float64Array [1.41…, 1.41…]
 * ```
 */
export async function aggregateNpRuns(
  runs: readonly StorageManager[],
  key: string,
  options: AggregateNpOptions = {},
): Promise<AggregateNpRow[]> {
  if (options.nan !== undefined && options.nan !== "propagate" && options.nan !== "omit") {
    throw new RangeError(
      `aggregateNp(): nan must be "propagate" or "omit", not ${String(options.nan)}`,
    );
  }
  const { by } = resolveAxes(runs, { by: options.by, values: [] }, "aggregateNp()");
  const sorted = groupRuns(runs, by);
  const arrays = await mapBounded(runs, READS_IN_FLIGHT, async (sm) => {
    try {
      return await sm.loadNp(key);
    } catch (err) {
      if (err instanceof StorageError && err.code === "not_found") return null;
      if (err instanceof Deno.errors.NotFound) return null;
      throw err;
    }
  });
  const byRun = new Map(runs.map((sm, i) => [sm, arrays[i]]));
  return sorted.map((g) => rowOf(g, by, byRun, key, options.nan === "omit"));
}

function rowOf(
  group: RunGroup,
  by: string[],
  arrays: Map<StorageManager, NdArray | null>,
  key: string,
  omitNaN: boolean,
): AggregateNpRow {
  let shape: number[] | undefined, first: StorageManager | undefined;
  const data: Float64Array[] = [];
  for (const sm of group.runs) {
    const a = arrays.get(sm);
    if (!a) continue;
    if (shape === undefined) [shape, first] = [a.shape, sm];
    else if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape![i])) {
      throw new StorageError(
        `aggregateNp("${key}"): ${
          first!.path
        }/${key}.npy has shape [${shape}] but ${sm.path}/${key}.npy ` +
          `has shape [${a.shape}]: runs of one group must save arrays of one shape to be averaged ` +
          "element-wise (pass a finer `by`, or crop the arrays first)",
        { path: `${sm.path}/${key}.npy`, code: "unsupported" },
      );
    }
    data.push(toFloat64(a));
  }
  const s = shape ?? [];
  const size = shape ? data[0].length : 0;
  const { mean, std } = elementwise(data, size, omitNaN);
  return {
    key: Object.fromEntries(by.map((p, i) => [p, group.key[i]])),
    runs: group.runs.length,
    count: data.length,
    shape: [...s],
    mean: { data: mean, shape: [...s], dtype: "float64" },
    std: { data: std, shape: [...s], dtype: "float64" },
  };
}
