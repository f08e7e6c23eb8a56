/**
 * The per-point part of a sweep's summary (internal, used by `summary.ts`): with repeats, one row per point
 * — its runs, failures and each result's mean ± std over the finished repeats — best first by the objective.
 * The statistics come from `aggregateRuns` (`src/group/aggregate.ts`: std with ddof = 1, Student t CI).
 *
 * @module
 */

import type { ParamValue } from "../src/formats/params.ts";
import { type AggregateRow, aggregateRows, type ValueStats } from "../src/group/aggregate.ts";
import { lenientValues, pickRows, type RunRows } from "../src/group/_index_rows.ts";
import { freeName, statColumns } from "../src/group/_column_names.ts";
import { DEFAULT_SECTION } from "../src/run/storage_manager.ts";
import { compareParamValues } from "../src/group/order.ts";
import { type Cell, formatNumber, type Table } from "../src/group/report.ts";

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

/** The per-point summary: the points best first, and the two tables made of them. */
export interface PointTables {
  points: PointSummary[];
  /** Every statistic of every result (summary.csv). */
  csv: Table;
  /** The swept parameters, the results as `mean ± std`, `n`, failures (the printed table). */
  console: Table;
}

const KEY_TEXT = (key: (ParamValue | null)[]) =>
  JSON.stringify(
    key,
    (_k, v) =>
      typeof v === "bigint"
        ? `${v}n`
        : typeof v === "number" && !Number.isFinite(v)
        ? String(v)
        : Object.is(v, -0)
        ? 0
        : v,
  );

/** The points of the runs: the statistics of the finished runs, the run and failure counts of all. */
function pointsOf(
  rows: RunRows,
  finished: (i: number) => boolean,
  swept: string[],
  values: string[],
): PointSummary[] {
  const done: number[] = [];
  for (let i = 0; i < rows.length; i++) if (finished(i)) done.push(i);
  const agg = aggregateRows(pickRows(rows, done), { by: swept, values });
  const stats = new Map<string, AggregateRow>(
    agg.rows.map((r) => [KEY_TEXT(swept.map((p) => r.key[p])), r]),
  );
  const readers = swept.map((p) => lenientValues(rows, p, DEFAULT_SECTION));
  const points = new Map<string, PointSummary>();
  for (let i = 0; i < rows.length; i++) {
    const key = readers.map((read) => read(i) ?? null);
    const id = KEY_TEXT(key);
    let point = points.get(id);
    if (!point) {
      point = {
        key: Object.fromEntries(swept.map((p, j) => [p, key[j]])),
        runs: 0,
        failed: 0,
        values: stats.get(id)?.values ?? {},
      };
      points.set(id, point);
    }
    point.runs++;
    if (!finished(i)) point.failed++;
  }
  return [...points.values()];
}

/** Sorts points best first by the objective's mean (NaN and missing last), else by the swept values. */
function sortPoints(points: PointSummary[], swept: string[], objective?: SummaryObjective): void {
  const descending = objective?.goal !== "minimize";
  points.sort((a, b) => {
    if (objective) {
      const c = compareParamValues(
        statsOf(a, objective.key)?.mean,
        statsOf(b, objective.key)?.mean,
        { descending },
      );
      if (c) return c;
    }
    for (const p of swept) {
      const c = compareParamValues(a.key[p], b.key[p]);
      if (c) return c;
    }
    return 0;
  });
}

/**
 * A point's statistics of result `v`: its own entry only (a result may be called `constructor` or
 * `__proto__`, and a point whose runs all failed has none: `{}["constructor"]` is `Object`).
 */
function statsOf(pt: PointSummary, v: string): ValueStats | undefined {
  return Object.hasOwn(pt.values, v) ? pt.values[v] : undefined;
}

function toCell(v: ParamValue | null): Cell {
  return v === null || typeof v !== "object" ? v : JSON.stringify(v);
}

const CSV_STATS = ["count", "mean", "std", "sem", "ci_low", "ci_high", "min", "max"] as const;

function statCell(s: ValueStats | undefined, name: (typeof CSV_STATS)[number]): Cell {
  if (!s) return undefined;
  if (name === "ci_low") return s.ci[0];
  if (name === "ci_high") return s.ci[1];
  return s[name];
}

/** `mean ± std` with 4 significant digits; just the mean for one value or a NaN mean; empty for none. */
export function meanStdText(s: ValueStats | undefined): string {
  if (!s || s.count === 0) return "";
  const mean = formatNumber(s.mean, 4);
  return s.count < 2 || Number.isNaN(s.mean) ? mean : `${mean} ± ${formatNumber(s.std, 4)}`;
}

/**
 * The per-point tables of a sweep's runs: the points (runs grouped by the swept values), best first by the
 * objective's mean when runs have the objective, else ascending by the swept values.
 *
 * @param rows Every run of the sweep, as the group's rows (`rowsOf` in group_views.ts).
 * @param finished Whether the run at a position finished (`done`): only those enter the statistics.
 * @param swept The swept parameters (lowercased).
 * @param values The results to aggregate, the objective first (lowercased).
 * @param objective The objective, when the runs have it.
 * @param shownValues How many results the printed table shows.
 * @returns The points and the tables. The printed table's `n` (`n_runs` when a swept parameter is called
 *   `n`) is the number of values behind the first result's mean, `failed` the point's unfinished runs.
 */
export function pointTables(
  rows: RunRows,
  finished: (i: number) => boolean,
  swept: string[],
  values: string[],
  objective: SummaryObjective | undefined,
  shownValues = 3,
): PointTables {
  const points = pointsOf(rows, finished, swept, values);
  sortPoints(points, swept, objective);
  const csv: Table = {
    columns: [
      ...swept,
      freeName(swept, "n_", "runs", "n_runs"), // a swept parameter may be called runs
      freeName(swept, "n_", "failed", "n_failed"),
      ...statColumns(swept, values, CSV_STATS),
    ],
    rows: points.map((pt) => [
      ...swept.map((p) => toCell(pt.key[p])),
      pt.runs,
      pt.failed,
      ...values.flatMap((v) => CSV_STATS.map((s) => statCell(statsOf(pt, v), s))),
    ]),
  };
  const shown = values.slice(0, shownValues);
  const anyFailed = points.some((pt) => pt.failed > 0);
  const n = freeName(swept, "n_", "n", "n_runs"); // a swept parameter may be called n
  const consoleTable: Table = {
    columns: [
      ...swept,
      ...shown.map((v) => `${v} (mean ± std)`),
      n,
      ...(anyFailed ? [freeName(swept, "n_", "failed", "n_failed")] : []),
    ],
    rows: points.map((pt) => [
      ...swept.map((p) => toCell(pt.key[p])),
      ...shown.map((v) => meanStdText(statsOf(pt, v))),
      shown.length ? statsOf(pt, shown[0])?.count ?? 0 : pt.runs - pt.failed,
      ...(anyFailed ? [pt.failed] : []),
    ]),
  };
  return { points, csv, console: consoleTable };
}
