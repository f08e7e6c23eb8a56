/**
 * Reducers for aggregating values across runs (`removeDuplicatesGetEval`), by name or as a function:
 * never an evaluated string.
 *
 * @module
 */

/** The built-in reducers. */
export type ReducerName = "mean" | "average" | "std" | "median" | "min" | "max" | "sum" | "count";

/** A reducer: a built-in name, or a function from the values to one number. */
export type Reducer = ReducerName | ((values: number[]) => number);

function mean(a: number[]): number {
  if (a.length === 0) return NaN;
  let s = 0;
  for (const v of a) s += v;
  const m = s / a.length;
  // One correction pass (as numpy's pairwise sum is more accurate than a naive one).
  let c = 0;
  for (const v of a) c += v - m;
  return m + c / a.length;
}

function std(a: number[]): number {
  if (a.length === 0) return NaN;
  const m = mean(a);
  let s = 0, c = 0;
  for (const v of a) {
    const d = v - m;
    s += d * d;
    c += d;
  }
  return Math.sqrt((s - (c * c) / a.length) / a.length);
}

function median(a: number[]): number {
  if (a.length === 0) return NaN;
  const s = [...a].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const REDUCERS: Record<ReducerName, (values: number[]) => number> = {
  mean,
  average: mean,
  std,
  median,
  min: (a) => (a.length ? a.reduce((x, y) => (y < x ? y : x)) : NaN),
  max: (a) => (a.length ? a.reduce((x, y) => (y > x ? y : x)) : NaN),
  sum: (a) => a.reduce((x, y) => x + y, 0),
  count: (a) => a.length,
};

/**
 * The function behind a reducer name (or the function itself). `std` is the population standard deviation
 * (numpy's default, ddof=0); `median` averages the middle two of an even count; an empty input gives NaN
 * (`count` and `sum`: 0). Unknown names throw a `TypeError` listing the valid ones.
 *
 * @example
 * ```ts
 * import { getReducer } from "@sweepstore/sweepstore";
 * console.log(getReducer("std")([1, 2, 3, 4])); // 1.118033988749895
 * ```
 */
export function getReducer(reducer: Reducer): (values: number[]) => number {
  if (typeof reducer === "function") return reducer;
  const fn = REDUCERS[reducer as ReducerName];
  if (!fn || !Object.hasOwn(REDUCERS, reducer)) {
    throw new TypeError(
      `Unknown reducer ${JSON.stringify(reducer)}: use one of ${
        Object.keys(REDUCERS).join(", ")
      }, or a function`,
    );
  }
  return fn;
}

function isNumeric(v: unknown): v is number | bigint {
  return (typeof v === "number" && !Number.isNaN(v)) || typeof v === "bigint";
}

/**
 * Combines the y values of equal x values (PymoNNto's `remove_duplicates_get_eval`): returns the unique x
 * values in ascending order and, for each, the reducer applied to its y values. Pairs whose x or y is
 * missing (null, undefined, NaN) or not a number are dropped. Strings as x are sorted as strings.
 *
 * @example
 * ```ts
 * import { removeDuplicatesGetEval } from "@sweepstore/sweepstore";
 * console.log(removeDuplicatesGetEval([1, 2, 1, 2], [10, 20, 30, 60], "mean")); // [[1, 2], [20, 40]]
 * ```
 */
export function removeDuplicatesGetEval<X extends number | string = number>(
  x: readonly unknown[],
  y: readonly unknown[],
  reducer: Reducer = "mean",
): [X[], number[]] {
  if (x.length !== y.length) {
    throw new TypeError(`x and y must have the same length (got ${x.length} and ${y.length})`);
  }
  const fn = getReducer(reducer);
  const groups = new Map<number | string, number[]>();
  for (let i = 0; i < x.length; i++) {
    const xi = x[i], yi = y[i];
    if (!isNumeric(yi) || !(isNumeric(xi) || typeof xi === "string")) continue;
    const key = typeof xi === "bigint" ? Number(xi) : xi;
    const list = groups.get(key);
    if (list) list.push(Number(yi));
    else groups.set(key, [Number(yi)]);
  }
  const keys = [...groups.keys()].sort((a, b) =>
    typeof a === "number" && typeof b === "number"
      ? a - b
      : String(a) < String(b)
      ? -1
      : String(a) > String(b)
      ? 1
      : 0
  );
  return [keys as X[], keys.map((k) => fn(groups.get(k)!))];
}
