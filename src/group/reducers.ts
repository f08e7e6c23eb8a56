/**
 * Reducers for aggregating values across runs (`removeDuplicatesGetEval`), by name or as a function, never
 * an evaluated string (PymoNNto's `evalstr='np.average(a)'`).
 *
 * The named reducers follow numpy on the same float64 values: `std` is numpy's default population standard
 * deviation (`ddof=0`, divide by n), `median` averages the middle two values of an even count, and a NaN in
 * the input gives NaN (`count` counts it). The `nan…` reducers are numpy's `nanmean`, `nanstd`,
 * `nanmedian`, `nanmin`, `nanmax` and `nansum`: they skip NaN. Sums are compensated (Neumaier), so means,
 * standard deviations and sums are at least as accurate as numpy's pairwise summation. Where numpy warns or
 * raises on an empty input (or, for the `nan…` reducers, one of only NaN), these give NaN (`sum`, `nansum`
 * and `count`: 0, as numpy).
 *
 * @module
 */

/**
 * The built-in reducers (`"average"` is another name for `"mean"`): numpy's `mean`, `std` (ddof=0),
 * `median`, `min`, `max`, `sum` and `len` (`"count"`), and the NaN-skipping `nanmean`, `nanstd`,
 * `nanmedian`, `nanmin`, `nanmax` and `nansum`.
 */
export type ReducerName =
  | "mean"
  | "average"
  | "std"
  | "median"
  | "min"
  | "max"
  | "sum"
  | "count"
  | "nanmean"
  | "nanstd"
  | "nanmedian"
  | "nanmin"
  | "nanmax"
  | "nansum";

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

/** `fn` applied to the values that are not NaN (numpy's `nan…` functions). */
function skippingNaN(fn: (values: number[]) => number): (values: number[]) => number {
  return (a) => {
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== a[i]) return fn(a.filter((v) => v === v)); // copy only when there is a NaN
    }
    return fn(a);
  };
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
  nanmean: skippingNaN(mean),
  nanstd: skippingNaN(std),
  nanmedian: skippingNaN(median),
  nanmin: skippingNaN(min),
  nanmax: skippingNaN(max),
  nansum: skippingNaN(sum),
};

/**
 * The function behind a reducer name (a function is returned as it is). `std` is numpy's default population
 * standard deviation (ddof=0); `median` averages the middle two of an even count; a NaN in the values gives
 * NaN, except for the `nan…` reducers, which skip NaN as numpy's `nanmean` … `nansum` do; an empty input
 * gives NaN (`count`, `sum` and `nansum`: 0).
 *
 * @param reducer A {@linkcode ReducerName} or a function from the values (never empty) to one number.
 * @returns A function from an array of numbers to one number; it leaves its input unchanged.
 * @throws {TypeError} For an unknown name or a value that is neither a name nor a function; the message
 *   lists the valid names.
 *
 * @example
 * ```ts
 * import { getReducer } from "@sweepstore/sweepstore";
 * console.log(getReducer("std")([1, 2, 3, 4])); // 1.118033988749895
 * console.log(getReducer("median")([4, 1, 3, 2])); // 2.5
 * console.log(getReducer("mean")([1, NaN]), getReducer("nanmean")([1, NaN])); // NaN 1
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

/**
 * An x value's group key: booleans, numbers (bigints as numbers, -0 as 0) and strings; else undefined
 * (null, undefined, NaN, lists, objects), which leaves the pair out.
 */
function xKey(v: unknown): number | string | boolean | undefined {
  if (typeof v === "number") return v !== v ? undefined : v === 0 ? 0 : v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" || typeof v === "boolean") return v;
  return undefined;
}

/**
 * A y value as a number (booleans as 0 and 1, as numpy does; NaN stays NaN); undefined when missing or not a
 * number.
 */
function yNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
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
 * NaN: a y that is NaN is a value, as in numpy: it makes its group's `mean`, `std`, `median`, `min`, `max`
 * and `sum` NaN and is counted by `count`; the `nan…` reducers (`nanmean`, …) skip it. An x that is NaN
 * stands for "not measured" and forms no group: its pairs are left out, every NaN alike (numpy's
 * `np.unique` would make one NaN group, but PymoNNto's `y[x == u]` selects nothing for it).
 *
 * Left out as well are pairs whose x or y is missing (null, undefined), whose y is not a number (booleans
 * count as 0 and 1, bigints as numbers), or whose x is not a number, string or boolean; numpy would fail on
 * these. Numbers sort ascending (`-0` and `0` are one group, bigints join the number of their value),
 * strings by UTF-16 code unit; should x mix types, booleans come first, then numbers, then strings.
 *
 * @param x The values to group by, e.g. a parameter across runs.
 * @param y One value per x, e.g. the score of the same runs.
 * @param reducer A {@linkcode ReducerName} or a function from a group's y values (in their original order,
 *   never empty) to one number; `"mean"` when omitted.
 * @returns The unique x values, ascending, and the reduced y of each.
 * @throws {TypeError} When `x` or `y` is not an array, their lengths differ, or the reducer is unknown.
 *
 * @example
 * ```ts
 * import { removeDuplicatesGetEval } from "@sweepstore/sweepstore";
 * const scores = [0.5, 0.7, 0.5, null, 0.7];
 * const neurons = [100, 200, 300, 400, 600];
 * console.log(removeDuplicatesGetEval(scores, neurons, "mean")); // [[0.5, 0.7], [200, 400]]
 * console.log(removeDuplicatesGetEval(scores, neurons, (a) => Math.max(...a))); // [[0.5, 0.7], [300, 600]]
 * console.log(removeDuplicatesGetEval([1, 1], [NaN, 2], "mean")); // [[1], [NaN]]
 * console.log(removeDuplicatesGetEval([1, 1], [NaN, 2], "nanmean")); // [[1], [2]]
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
