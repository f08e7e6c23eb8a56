/**
 * Reducers for aggregating values across runs (`removeDuplicatesGetEval`), by name or as a function, never
 * an evaluated string (PymoNNto's `evalstr='np.average(a)'`).
 *
 * The named reducers follow numpy on the same float64 values: `std` is numpy's default population standard
 * deviation (`ddof=0`, divide by n), `median` averages the middle two values of an even count, and a NaN in
 * the input gives NaN (`count` counts it). Sums are compensated (Neumaier), so `mean`, `std` and `sum` are
 * at least as accurate as numpy's pairwise summation. Where numpy warns or raises on an empty input, these
 * give NaN (`sum` and `count`: 0).
 *
 * @module
 */

/** The built-in reducers (`"average"` is another name for `"mean"`). */
export type ReducerName = "mean" | "average" | "std" | "median" | "min" | "max" | "sum" | "count";

/** A reducer: a built-in name, or a function from the values (never empty) to one number. */
export type Reducer = ReducerName | ((values: number[]) => number);

/** The sum of `a`, compensated (Neumaier); an infinite or NaN sum is returned as the plain sum gives it. */
function sum(a: readonly number[]): number {
  let s = 0, c = 0, plain = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    plain += v;
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  return Number.isFinite(plain) ? s + c : plain;
}

function mean(a: readonly number[]): number {
  return a.length === 0 ? NaN : sum(a) / a.length;
}

function std(a: readonly number[]): number {
  const n = a.length;
  if (n === 0) return NaN;
  const m = mean(a);
  // Corrected two-pass: the sum of deviations (0 in exact arithmetic) removes the error left in m.
  let s = 0, cs = 0, d = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] - m;
    const sq = x * x;
    const t = s + sq;
    cs += s >= sq ? (s - t) + sq : (sq - t) + s;
    s = t;
    d += x;
  }
  const variance = (s + cs - (d * d) / n) / n;
  return Math.sqrt(variance < 0 ? 0 : variance);
}

function median(a: readonly number[]): number {
  const n = a.length;
  if (n === 0) return NaN;
  const s = Float64Array.from(a).sort(); // numeric order, NaN last
  if (Number.isNaN(s[n - 1])) return NaN;
  const mid = n >> 1;
  return n % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function min(a: readonly number[]): number {
  if (a.length === 0) return NaN;
  let m = Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v !== v) return NaN;
    if (v < m) m = v;
  }
  return m;
}

function max(a: readonly number[]): number {
  if (a.length === 0) return NaN;
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v !== v) return NaN;
    if (v > m) m = v;
  }
  return m;
}

const REDUCERS: Record<ReducerName, (values: number[]) => number> = {
  mean,
  average: mean,
  std,
  median,
  min,
  max,
  sum,
  count: (a) => a.length,
};

/**
 * The function behind a reducer name (a function is returned as it is). `std` is numpy's default population
 * standard deviation (ddof=0); `median` averages the middle two of an even count; an empty input gives NaN
 * (`count` and `sum`: 0). An unknown name throws a `TypeError` listing the valid ones.
 *
 * @example
 * ```ts
 * import { getReducer } from "@sweepstore/sweepstore";
 * console.log(getReducer("std")([1, 2, 3, 4])); // 1.118033988749895
 * console.log(getReducer("median")([4, 1, 3, 2])); // 2.5
 * ```
 */
export function getReducer(reducer: Reducer): (values: number[]) => number {
  if (typeof reducer === "function") return reducer;
  if (typeof reducer === "string" && Object.hasOwn(REDUCERS, reducer)) return REDUCERS[reducer];
  const valid = `use one of ${Object.keys(REDUCERS).join(", ")}, or a function (values) => number`;
  throw new TypeError(
    typeof reducer === "string"
      ? `Unknown reducer ${JSON.stringify(reducer)}: ${valid}`
      : `A reducer must be a name or a function, got ${typeof reducer}: ${valid}`,
  );
}

/** An x value's group key: booleans, numbers (bigints as numbers, -0 as 0) and strings; else undefined. */
function xKey(v: unknown): number | string | boolean | undefined {
  if (typeof v === "number") return v !== v ? undefined : v === 0 ? 0 : v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" || typeof v === "boolean") return v;
  return undefined;
}

/** A y value as a number (booleans as 0 and 1, as numpy does); undefined when missing or not a number. */
function yNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v !== v ? undefined : v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return undefined;
}

const TYPE_RANK = { boolean: 0, number: 1, string: 2 } as Record<string, number>;

function compareX(a: number | string | boolean, b: number | string | boolean): number {
  const ta = TYPE_RANK[typeof a], tb = TYPE_RANK[typeof b];
  if (ta !== tb) return ta - tb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Combines the y values of equal x values (PymoNNto's `remove_duplicates_get_eval`): returns the unique x
 * values in ascending order and, for each, the reducer applied to its y values, in their original order.
 *
 * Pairs whose x or y is missing (null, undefined, NaN) are dropped, and so are pairs whose y is not a number
 * (booleans count as 0 and 1, bigints as numbers) or whose x is not a number, string or boolean; numpy would
 * fail on these. Numbers sort ascending, strings by UTF-16 code unit; should x mix types, booleans come
 * first, then numbers, then strings. `x` and `y` of different lengths throw a `TypeError`.
 *
 * @example
 * ```ts
 * import { removeDuplicatesGetEval } from "@sweepstore/sweepstore";
 * const scores = [0.5, 0.7, 0.5, null, 0.7];
 * const neurons = [100, 200, 300, 400, 600];
 * console.log(removeDuplicatesGetEval(scores, neurons, "mean")); // [[0.5, 0.7], [200, 400]]
 * console.log(removeDuplicatesGetEval(scores, neurons, (a) => Math.max(...a))); // [[0.5, 0.7], [300, 600]]
 * ```
 */
export function removeDuplicatesGetEval<X extends number | string | boolean = number>(
  x: readonly unknown[],
  y: readonly unknown[],
  reducer: Reducer = "mean",
): [X[], number[]] {
  if (!Array.isArray(x) || !Array.isArray(y)) {
    throw new TypeError("removeDuplicatesGetEval() takes two arrays, x and y");
  }
  if (x.length !== y.length) {
    throw new TypeError(
      `x and y must have the same length (got ${x.length} and ${y.length}): pass lists from one ` +
        "getMultiParamList() call so that their rows align",
    );
  }
  const fn = getReducer(reducer);
  const groups = new Map<number | string | boolean, number[]>();
  for (let i = 0; i < x.length; i++) {
    const key = xKey(x[i]);
    const value = yNumber(y[i]);
    if (key === undefined || value === undefined) continue;
    const list = groups.get(key);
    if (list) list.push(value);
    else groups.set(key, [value]);
  }
  const keys = [...groups.keys()].sort(compareX);
  return [keys as X[], keys.map((k) => fn(groups.get(k)!))];
}
