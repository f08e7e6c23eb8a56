/**
 * Repeat-aware aggregation: the runs grouped by the values of some parameters (by default the sweep's swept
 * parameters, so each group is one point and its runs are the point's repeats), and per group the count,
 * mean, standard deviation, standard error, confidence interval, minimum and maximum of each result.
 *
 * Conventions (the same as pandas' `std` and scipy's `sem` and `t.interval`):
 * - `std` is the sample standard deviation, `ddof=1` (divide by n − 1); NaN for n < 2. numpy's default
 *   (`ddof=0`) is `std · √((n − 1) / n)`.
 * - `sem` = `std / √n` (scipy's `stats.sem`, `ddof=1`).
 * - `ci` is Student's t interval, `mean ± t · sem` with t the `(1 + confidence) / 2` quantile of Student's t
 *   with n − 1 degrees of freedom (scipy's `t.interval(confidence, n - 1, mean, sem)`); NaN for n < 2. It
 *   assumes the repeats are independent draws of a roughly normal result (for n ≳ 30 any result with a
 *   finite variance).
 * - Sums are compensated, as the reducers' (`reducers.ts`): means and deviations as accurate as numpy's.
 * - NaN, as the reducers: with `nan: "propagate"` (default, numpy's `mean`) a NaN result makes its
 *   group's mean, std, sem, ci, min and max NaN and is counted in `count`; with `nan: "omit"` (numpy's
 *   `nanmean`) NaN results are left out. A run that lacks the value, or holds a non-number there, is left
 *   out of that value's statistics (booleans count as 0 and 1, bigints as numbers).
 *
 * @module
 */

import type { ParamValue } from "../formats/params.ts";
import type { StorageManager } from "../run/storage_manager.ts";
import { DEFAULT_SECTION } from "../run/storage_manager.ts";
import { groupRows, resolveAxes } from "./_group_by.ts";
import { lenientValues, managerRows, type RunRows } from "./_index_rows.ts";
import { getReducer } from "./reducers.ts";
import { tTwoSidedQuantile } from "./_student_t.ts";
import { freeName, statColumns } from "./_column_names.ts";
import { type Cell, paramCell, type Table } from "./table.ts";

/** A statistic of {@linkcode aggregateRuns}. */
export type AggregateStat = "count" | "mean" | "std" | "sem" | "ci" | "min" | "max";

/** Every statistic, in table order. */
export const AGGREGATE_STATS: readonly AggregateStat[] = [
  "count",
  "mean",
  "std",
  "sem",
  "ci",
  "min",
  "max",
];

/** Options of {@linkcode aggregateRuns} and `StorageManagerGroup.aggregate`. */
export interface AggregateOptions {
  /**
   * The parameters whose distinct value combinations form the rows (the points).
   * @default {the sweep's swept parameters, from the runs' `[Run] point` records; required for runs
   *   without them (PymoNNto's)}
   */
  by?: readonly string[];
  /**
   * The results to aggregate.
   * @default {every `[Parameters]` parameter with numeric values that is neither in `by` nor bookkeeping}
   */
  values?: readonly string[];
  /**
   * The statistics that {@linkcode aggregateTable} shows (every row carries all of them).
   * @default {all: count, mean, std, sem, ci, min, max}
   */
  stats?: readonly AggregateStat[];
  /**
   * The confidence level of `ci`, in (0, 1).
   * @default {0.95}
   */
  confidence?: number;
  /**
   * NaN results: `"propagate"` (NaN statistics, as numpy's `mean`) or `"omit"` (left out, as `nanmean`).
   * @default {"propagate"}
   */
  nan?: "propagate" | "omit";
}

/** The statistics of one value in one group. */
export interface ValueStats {
  /** How many runs of the group hold a number for it (NaN counted unless `nan: "omit"`). */
  count: number;
  /** The mean. */
  mean: number;
  /** The sample standard deviation (ddof = 1); NaN for count < 2. */
  std: number;
  /** The standard error of the mean, `std / √count`. */
  sem: number;
  /** The confidence interval of the mean, [low, high] (Student's t, count − 1 degrees of freedom). */
  ci: [number, number];
  /** The smallest value. */
  min: number;
  /** The largest value. */
  max: number;
}

/** One group (one point) of an {@linkcode Aggregate}. */
export interface AggregateRow {
  /** The group's value of each `by` parameter (`null` for runs that lack it). */
  key: Record<string, ParamValue | null>;
  /** How many runs the group holds. */
  runs: number;
  /** The statistics of each value. */
  values: Record<string, ValueStats>;
}

/** What {@linkcode aggregateRuns} returns. */
export interface Aggregate {
  /** The grouping parameters (lowercased). */
  by: string[];
  /** The aggregated values (lowercased). */
  values: string[];
  /** The statistics a table shows. */
  stats: AggregateStat[];
  /** The confidence level of `ci`. */
  confidence: number;
  /** One row per distinct combination of the `by` values, ascending by them (in `by` order). */
  rows: AggregateRow[];
}

function asNumber(v: ParamValue | undefined): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return undefined;
}

const meanOf = getReducer("mean"), std0Of = getReducer("std");
const minOf = getReducer("min"), maxOf = getReducer("max");

/**
 * The statistics of one list of numbers (see the module doc for the conventions).
 *
 * @example
 * ```ts
 * import { valueStats } from "@sweepstore/sweepstore";
 * console.log(valueStats([1, 2, 3, 4])); // { count: 4, mean: 2.5, std: 1.29…, sem: 0.645…, ci: [0.445…, 4.554…], … }
 * ```
 */
export function valueStats(
  numbers: readonly number[],
  confidence = 0.95,
  nan: "propagate" | "omit" = "propagate",
): ValueStats {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(
      `valueStats(): confidence must lie in (0, 1), e.g. 0.95, not ${confidence}`,
    );
  }
  const a = nan === "omit" ? numbers.filter((v) => v === v) : [...numbers];
  const n = a.length;
  const mean = meanOf(a);
  const std = n < 2 ? NaN : std0Of(a) * Math.sqrt(n / (n - 1));
  const sem = std / Math.sqrt(n);
  const half = n < 2 || sem !== sem ? NaN : tTwoSidedQuantile(confidence, n - 1) * sem;
  return {
    count: n,
    mean,
    std,
    sem,
    ci: [mean - half, mean + half],
    min: minOf(a),
    max: maxOf(a),
  };
}

function checkOptions(options: AggregateOptions): void {
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(
      `aggregate(): confidence must lie in (0, 1), e.g. 0.95, not ${confidence}`,
    );
  }
  if (options.nan !== undefined && options.nan !== "propagate" && options.nan !== "omit") {
    throw new RangeError(
      `aggregate(): nan must be "propagate" or "omit", not ${String(options.nan)}`,
    );
  }
  for (const s of options.stats ?? []) {
    if (!AGGREGATE_STATS.includes(s)) {
      throw new RangeError(
        `aggregate(): unknown statistic ${JSON.stringify(s)}: use ${AGGREGATE_STATS.join(", ")}`,
      );
    }
  }
}

/**
 * Groups runs by the values of `by` and gives each group's statistics of each value (see the module doc
 * for the std convention, the CI's method and NaN). `StorageManagerGroup.aggregate` calls it.
 *
 * @param runs The runs, e.g. a group's `runs` or the result of a query.
 * @param options `by`, `values`, `stats`, `confidence`, `nan` (see {@linkcode AggregateOptions}).
 * @returns The rows, ascending by the `by` values.
 * @throws {TypeError} When `by` is omitted for runs that carry no sweep record (name the axes).
 * @throws {RangeError} For a `confidence` outside (0, 1), an unknown `nan` policy or statistic, or a `by` or
 *   `values` parameter that no run has (a typo, or a `[Run]` field such as `repeat`).
 *
 * @example Three repeats of two points
 * ```ts
 * import { aggregateRuns, StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * const dataFolder = await Deno.makeTempDir();
 * for (const [n, score] of [[1, 0.5], [1, 0.7], [1, 0.6], [2, 0.9], [2, 0.8], [2, 1.0]]) {
 *   await StorageManager.create("Agg", { dataFolder, params: { Parameters: { n, score } } });
 * }
 * const smg = await StorageManagerGroup.load("Agg", { dataFolder });
 * const { rows } = aggregateRuns(smg.runs, { by: ["n"] });
 * console.log(rows[1].key, rows[1].values.score.mean, rows[1].values.score.std); // { n: 2 } 0.9 0.1…
 * ```
 */
export function aggregateRuns(
  runs: readonly StorageManager[],
  options: AggregateOptions = {},
): Aggregate {
  return aggregateRows(managerRows(runs), options);
}

/**
 * {@linkcode aggregateRuns} of a group's rows (internal: `StorageManagerGroup.aggregate` and the summary
 * read the group's columns, without a `StorageManager` per run).
 */
export function aggregateRows(rows: RunRows, options: AggregateOptions = {}): Aggregate {
  checkOptions(options);
  const confidence = options.confidence ?? 0.95;
  const { by, values } = resolveAxes(rows, options);
  const sorted = groupRows(rows, by);
  const readers = values.map((v) => lenientValues(rows, v, DEFAULT_SECTION));
  const result = sorted.map(({ key, positions }): AggregateRow => ({
    key: Object.fromEntries(by.map((p, i) => [p, key[i]])),
    runs: positions.length,
    values: Object.fromEntries(values.map((v, j) => {
      const numbers: number[] = [];
      for (const i of positions) {
        const x = asNumber(readers[j](i));
        if (x !== undefined) numbers.push(x);
      }
      return [v, valueStats(numbers, confidence, options.nan)];
    })),
  }));
  return { by, values, stats: [...(options.stats ?? AGGREGATE_STATS)], confidence, rows: result };
}

/**
 * An {@linkcode Aggregate} as a table: the `by` columns, `runs`, then per value one column per statistic,
 * named `<value>_<stat>` (`ci` as `<value>_ci_low` and `<value>_ci_high`). Each name is in the header once:
 * beside a `by` parameter of the same name, `runs` becomes `n_runs` and a statistic `stat_<value>_<stat>`
 * (pandas would read a second one as `name.1`).
 *
 * @example
 * ```ts
 * import { aggregateTable } from "@sweepstore/sweepstore";
 * const table = aggregateTable({ by: ["n"], values: ["score"], stats: ["mean", "ci"], confidence: 0.95,
 *   rows: [{ key: { n: 1 }, runs: 2, values: { score: { count: 2, mean: 1, std: 0, sem: 0, ci: [1, 1], min: 1, max: 1 } } }] });
 * console.log(table.columns); // ["n", "runs", "score_mean", "score_ci_low", "score_ci_high"]
 * ```
 */
export function aggregateTable(aggregate: Aggregate): Table {
  const { by, values, stats } = aggregate;
  const statNames = stats.flatMap((s) => s === "ci" ? ["ci_low", "ci_high"] : [s]);
  const columns = [...by, freeName(by, "n_", "runs"), ...statColumns(by, values, statNames)];
  const rows = aggregate.rows.map((row) => {
    const cells: Cell[] = [...by.map((p) => paramCell(row.key[p])), row.runs];
    for (const v of values) {
      const st = row.values[v];
      for (const s of stats) {
        if (s === "ci") cells.push(st.ci[0], st.ci[1]);
        else cells.push(st[s]);
      }
    }
    return cells;
  });
  return { columns, rows };
}
