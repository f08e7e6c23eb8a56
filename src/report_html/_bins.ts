/**
 * Bins of a continuous swept parameter for the report's per-parameter and per-pair statistics (internal).
 *
 * A parameter whose runs hold more than {@linkcode MAX_LEVELS} distinct finite numbers (a random search's
 * learning rate, a fine grid) is grouped into {@linkcode BIN_COUNT} equal-width bins between its smallest
 * and largest value — in log space when every value is positive and they span at least 100× (the page's
 * rule for a log axis) — instead of one group per value: a random sweep of 100,000 runs otherwise made
 * tables of 100,000 single-run "groups" (a mean without spread, a heatmap of 10,000 × 10,000 categories) and
 * took the report's writer +180 MiB. Values that are not finite numbers (NaN, ±inf, missing) keep their own
 * group. The table of points (every swept parameter) is never binned.
 *
 * @module
 */

import type { ParamValue } from "../formats/params.ts";

/** At most this many distinct values a parameter's statistics show one by one; more are binned. */
export const MAX_LEVELS = 50;

/** The number of bins of a binned parameter. */
export const BIN_COUNT = 20;

/** The bins of one parameter: `edges[i]` ≤ a value of bin i < `edges[i + 1]` (the last bin holds the maximum). */
export interface Bins {
  /** `BIN_COUNT + 1` ascending edges, from the smallest value to the largest. */
  edges: number[];
  /** Whether the edges are spaced evenly in log space. */
  log: boolean;
}

type Read = (i: number) => ParamValue | null | undefined;

/**
 * The bins of a column of `n` runs, or `null` when it is not binned: a value that is neither a number nor
 * missing (a string, a bool, a bigint, a list), or at most {@linkcode MAX_LEVELS} distinct finite numbers.
 */
export function binsOf(read: Read, n: number): Bins | null {
  const finite = new Float64Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = read(i);
    if (v === null || v === undefined) continue;
    if (typeof v !== "number") return null;
    if (Number.isFinite(v)) finite[count++] = v === 0 ? 0 : v; // -0 is 0, as the groups count values
  }
  const values = finite.subarray(0, count).sort();
  let distinct = 0;
  for (let i = 0; i < count; i++) if (i === 0 || values[i] !== values[i - 1]) distinct++;
  if (distinct <= MAX_LEVELS) return null;
  const min = values[0], max = values[count - 1];
  const log = min > 0 && max / min >= 100;
  const [a, b] = log ? [Math.log(min), Math.log(max)] : [min, max];
  const edges = [min];
  for (let i = 1; i < BIN_COUNT; i++) {
    const f = i / BIN_COUNT, t = a * (1 - f) + b * f; // not a + (b - a) * f: b - a overflows past ±1.8e308
    edges.push(Math.min(max, Math.max(edges[i - 1], log ? Math.exp(t) : t))); // ascending, as the rule needs
  }
  edges.push(max);
  return { edges, log };
}

/** The bin of finite `v` (between the first and last edge): `edges[i]` ≤ v < `edges[i + 1]`, the last closed. */
export function binOf(bins: Bins, v: number): number {
  const { edges, log } = bins;
  const last = edges.length - 2;
  // (three values, not an array of them: made per run per table, such arrays were ~12 MB of a report
  // of 100,000 runs that outlived the young generation)
  const a = log ? Math.log(edges[0]) : edges[0];
  const b = log ? Math.log(edges[last + 1]) : edges[last + 1];
  const x = log ? Math.log(v) : v;
  const f = (x / 2 - a / 2) / (b / 2 - a / 2); // halves: x - a and b - a overflow past ±1.8e308
  let i = Math.min(last, Math.max(0, Math.floor(f * (last + 1)))) || 0; // NaN (a = b) → 0
  while (i > 0 && v < edges[i]) i--; // the formula's rounding, put right by the edges themselves
  while (i < last && v >= edges[i + 1]) i++;
  return i;
}

/** The value that stands for bin `i`: its middle (the geometric middle of log bins). */
export function binCenter(bins: Bins, i: number): number {
  const lo = bins.edges[i], hi = bins.edges[i + 1];
  return bins.log
    ? Math.sqrt(lo) * Math.sqrt(hi)
    : Number.isFinite(hi - lo)
    ? lo + (hi - lo) / 2
    : lo / 2 + hi / 2;
}

/** A reader that gives each finite number's bin center (one number per bin) and other values as they are. */
export function binnedRead(read: Read, bins: Bins): Read {
  const centers = bins.edges.slice(0, -1).map((_, i) => binCenter(bins, i));
  return (i) => {
    const v = read(i);
    return typeof v === "number" && Number.isFinite(v) ? centers[binOf(bins, v)] : v;
  };
}
