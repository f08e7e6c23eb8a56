/**
 * The per-point part of a sweep's summary (internal, used by `summary.ts`): with repeats, one row per point
 * — its runs, failures and each result's mean ± std over the finished repeats — best first by the objective.
 * The statistics are `aggregateRuns`' (`valueStats` of `src/group/aggregate.ts`: std with ddof = 1,
 * Student t CI, the numbers in run order), the runs grouped as it groups them (`_value_key.ts`' identity).
 *
 * Kept compact (bench/README.md, "Session 22: the summary files"): the runs are grouped by sorting their
 * indices on typed keys (`groupBy`, no `Map` of key texts), each point's statistics are numbers in one
 * `Float64Array`, and a point's `PointSummary`, its summary.csv row, its summary.json entry and its
 * printed row are made when written (`pointAt`, `csvRowAt`, `pointJsonPieces`, `consoleTable` for the
 * first rows only): for 20,000 points × 5 repeats the objects per point (an aggregate row, a `Map` of them
 * by key text, a `PointSummary`, two cell arrays) and the whole summary.csv and summary.json points texts
 * lived long enough to be promoted.
 *
 * @module
 */

import type { ParamValue } from "../src/formats/params.ts";
import { type ValueStats, valueStats } from "../src/group/aggregate.ts";
import { lenientValues, type RunRows } from "../src/group/_index_rows.ts";
import { freeName, statColumns } from "../src/group/_column_names.ts";
import { DEFAULT_SECTION } from "../src/run/storage_manager.ts";
import { compareParamValues } from "../src/group/order.ts";
import { type Cell, formatNumber, type Table } from "../src/group/report.ts";
import { paramCell } from "../src/group/table.ts";
import { groupBy } from "../src/report_html/_grouping.ts";
import { pythonJson } from "../src/formats/_python_json.ts";

/** What a summary sorts by: a parameter the runs save, and whether larger or smaller is better. */
export interface SummaryObjective {
  /** The parameter. */
  key: string;
  /** Whether larger (`maximize`) or smaller (`minimize`) is better. */
  goal: "maximize" | "minimize";
}

/** One point of the summary. */
export interface PointSummary {
  /** The point's value of each swept parameter (`null` where its runs lack it). */
  key: Record<string, ParamValue | null>;
  /** How many runs the point has. */
  runs: number;
  /** How many of them did not finish (`done`): they are left out of the statistics. */
  failed: number;
  /** The statistics of each result over the finished runs (absent when none finished). */
  values: Record<string, ValueStats>;
}

/** The statistics of summary.csv, in column order; also each result's slots of `PointTable.stats`. */
const CSV_STATS = ["count", "mean", "std", "sem", "ci_low", "ci_high", "min", "max"] as const;
const SLOTS = CSV_STATS.length;

/** The points of a sweep, compact: typed arrays by point id (ids in order of first run), `order` best first. */
export interface PointTable {
  swept: string[];
  values: string[];
  /** How many points. */
  length: number;
  /** The point ids, best first. */
  order: Int32Array;
  /** Per swept parameter, each point's value (its first run's; `null` where missing). */
  keys: (ParamValue | null)[][];
  runs: Int32Array;
  failed: Int32Array;
  /** Per point, per result: count, mean, std, sem, ci low, ci high, min, max (a point with finished runs). */
  stats: Float64Array;
}

/** A value as `aggregateRuns` counts it: numbers, bigints as numbers, booleans as 0 and 1, else none. */
function asNumber(v: ParamValue | undefined): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return undefined;
}

/** Each point's statistics of each result over its finished runs, into `t.stats`. */
function fillStats(t: PointTable, rows: RunRows, finished: (i: number) => boolean, at: {
  start: Int32Array;
  order: Int32Array;
}): void {
  const readers = t.values.map((v) => lenientValues(rows, v, DEFAULT_SECTION));
  const numbers: number[] = [];
  for (let g = 0; g < t.length; g++) {
    for (let k = at.start[g]; k < at.start[g + 1]; k++) {
      t.runs[g]++;
      if (!finished(at.order[k])) t.failed[g]++;
    }
    if (t.runs[g] === t.failed[g]) continue; // no statistics: none finished
    for (let j = 0; j < readers.length; j++) {
      numbers.length = 0;
      for (let k = at.start[g]; k < at.start[g + 1]; k++) { // the point's runs, in run order
        const i = at.order[k];
        if (!finished(i)) continue;
        const x = asNumber(readers[j](i));
        if (x !== undefined) numbers.push(x);
      }
      const s = valueStats(numbers);
      t.stats.set(
        [s.count, s.mean, s.std, s.sem, s.ci[0], s.ci[1], s.min, s.max],
        (g * readers.length + j) * SLOTS,
      );
    }
  }
}

/** Whether point `id` has statistics (some run finished). */
function hasStats(t: PointTable, id: number): boolean {
  return t.runs[id] > t.failed[id];
}

/** Point `id`'s statistics of result `j`. */
function statsAt(t: PointTable, id: number, j: number): ValueStats {
  const s = t.stats.subarray((id * t.values.length + j) * SLOTS);
  return { count: s[0], mean: s[1], std: s[2], sem: s[3], ci: [s[4], s[5]], min: s[6], max: s[7] };
}

/**
 * The points of a sweep's runs (runs grouped by the swept values), best first by the objective's mean
 * (NaN and missing last) when runs have the objective, else ascending by the swept values; ties in order
 * of their first run.
 *
 * @param rows Every run of the sweep, as the group's rows (`rowsOf` in group_views.ts).
 * @param finished Whether the run at a position finished (`done`): only those enter the statistics.
 * @param swept The swept parameters (lowercased).
 * @param values The results to aggregate, the objective first (lowercased).
 * @param objective The objective, when the runs have it.
 */
export function pointTable(
  rows: RunRows,
  finished: (i: number) => boolean,
  swept: string[],
  values: string[],
  objective: SummaryObjective | undefined,
): PointTable {
  const readers = swept.map((p) => lenientValues(rows, p, DEFAULT_SECTION));
  const grouping = groupBy(readers, rows.length);
  const length = grouping.first.length;
  const t: PointTable = {
    swept,
    values,
    length,
    order: new Int32Array(length),
    keys: readers.map((read) => Array.from(grouping.first, (i) => read(i) ?? null)),
    runs: new Int32Array(length),
    failed: new Int32Array(length),
    stats: new Float64Array(length * values.length * SLOTS),
  };
  fillStats(t, rows, finished, grouping);
  const j = objective ? values.indexOf(objective.key) : -1;
  const meanOf = (id: number) =>
    j >= 0 && hasStats(t, id) ? t.stats[(id * values.length + j) * SLOTS + 1] : undefined;
  const descending = objective?.goal !== "minimize";
  for (let g = 0; g < length; g++) t.order[g] = g;
  t.order.sort((a, b) => {
    if (objective) {
      const c = compareParamValues(meanOf(a), meanOf(b), { descending });
      if (c) return c;
    }
    for (const key of t.keys) {
      const c = compareParamValues(key[a], key[b]);
      if (c) return c;
    }
    return a - b; // a stable sort of the points in order of their first run
  });
  return t;
}

/** The `k`-th best point as a {@linkcode PointSummary} (made now; the table keeps none). */
export function pointAt(t: PointTable, k: number): PointSummary {
  const id = t.order[k];
  return {
    key: Object.fromEntries(t.swept.map((p, j) => [p, t.keys[j][id]])),
    runs: t.runs[id],
    failed: t.failed[id],
    values: hasStats(t, id)
      ? Object.fromEntries(t.values.map((v, j) => [v, statsAt(t, id, j)]))
      : {},
  };
}

/** summary.csv's columns: the swept parameters, runs, failures, every statistic of every result. */
export function csvColumns(t: PointTable): string[] {
  const { swept, values } = t;
  return [
    ...swept,
    freeName(swept, "n_", "runs", "n_runs"), // a swept parameter may be called runs
    freeName(swept, "n_", "failed", "n_failed"),
    ...statColumns(swept, values, CSV_STATS),
  ];
}

/** The `k`-th best point's row of summary.csv (empty statistics for a point with no finished run). */
export function csvRowAt(t: PointTable, k: number): Cell[] {
  const id = t.order[k];
  const row: Cell[] = t.keys.map((key) => paramCell(key[id]));
  row.push(t.runs[id], t.failed[id]);
  const at = id * t.values.length * SLOTS;
  const any = hasStats(t, id);
  for (let s = 0; s < t.values.length * SLOTS; s++) row.push(any ? t.stats[at + s] : undefined);
  return row;
}

/** Points per piece of summary.json (~0.5–1 KB each: a piece stays under V8's large-object size). */
const JSON_PIECE_POINTS = 100;

/** summary.json's `points` entries in pieces, as `pythonJson` of the whole file nests them (indent 4). */
export function* pointJsonPieces(t: PointTable): Generator<string> {
  for (let start = 0; start < t.length; start += JSON_PIECE_POINTS) {
    let piece = "";
    for (let k = start; k < Math.min(t.length, start + JSON_PIECE_POINTS); k++) {
      piece += (k ? ",\n    " : "\n    ") + pythonJson(pointAt(t, k)).replaceAll("\n", "\n    ");
    }
    yield piece;
  }
}

/** `mean ± std` with 4 significant digits; just the mean for one value or a NaN mean; empty for none. */
export function meanStdText(s: ValueStats | undefined): string {
  if (!s || s.count === 0) return "";
  const mean = formatNumber(s.mean, 4);
  return s.count < 2 || Number.isNaN(s.mean) ? mean : `${mean} ± ${formatNumber(s.std, 4)}`;
}

/**
 * The printed table's first `maxRows` points: the swept parameters, the first `shownValues` results as
 * `mean ± std`, `n` (`n_runs` when a swept parameter is called `n`: the number of values behind the
 * first result's mean) and, when some point has one, its unfinished runs.
 */
export function consoleTable(t: PointTable, maxRows: number, shownValues = 3): Table {
  const { swept } = t;
  const shown = t.values.slice(0, shownValues);
  const anyFailed = t.failed.some((f) => f > 0);
  const rows: Cell[][] = [];
  for (let k = 0; k < Math.min(maxRows, t.length); k++) {
    const id = t.order[k];
    const stats = (j: number) => hasStats(t, id) ? statsAt(t, id, j) : undefined;
    rows.push([
      ...t.keys.map((key) => paramCell(key[id])),
      ...shown.map((_, j) => meanStdText(stats(j))),
      shown.length ? stats(0)?.count ?? 0 : t.runs[id] - t.failed[id],
      ...(anyFailed ? [t.failed[id]] : []),
    ]);
  }
  return {
    columns: [
      ...swept,
      ...shown.map((v) => `${v} (mean ± std)`),
      freeName(swept, "n_", "n", "n_runs"), // a swept parameter may be called n
      ...(anyFailed ? [freeName(swept, "n_", "failed", "n_failed")] : []),
    ],
    rows,
  };
}
