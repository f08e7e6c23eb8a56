/**
 * The per-point statistics of the report (internal): the objective's mean, std (ddof = 1) and 95 %
 * confidence interval (Student's t, `valueStats`, the function behind `StorageManagerGroup.aggregate`) per
 * distinct combination of some parameters — per point (every swept parameter), per swept parameter, per
 * pair of swept parameters. A continuous parameter (more than `MAX_LEVELS` distinct numbers) is binned in
 * the tables per parameter and per pair (`_bins.ts`): a row's key is then its bin's middle.
 *
 * Every table is computed over every run, but holds at most `maxRows` rows (`MAX_REPORT_POINTS`): with
 * more combinations, the best by their mean in the objective's direction, and `total` says how many there
 * are. The runs are grouped without an object per combination: a group id per run (typed arrays), one
 * text per distinct value while grouping, and a row object only for the rows kept (a sweep of 100,000
 * distinct points took +136 MiB with an object, key and statistics per point).
 *
 * @module
 */

import type { ParamValue } from "../formats/params.ts";
import type { StorageManagerGroup } from "../group/group.ts";
import { rowsOf } from "../group/group_views.ts";
import { lenientValues } from "../group/_index_rows.ts";
import { DEFAULT_SECTION } from "../run/config_store.ts";
import { groupBy, type Grouping, type Read, type Value } from "./_grouping.ts";
import { compareParamValues } from "../group/order.ts";
import { type ValueStats, valueStats } from "../group/aggregate.ts";
import { getReducer } from "../group/reducers.ts";
import { binnedRead, type Bins, binsOf } from "./_bins.ts";

const meanOf = getReducer("mean");

/** One combination of the `by` parameters and the objective's statistics over its runs. */
export interface StatRow {
  key: (ParamValue | null)[];
  /** The runs of the combination. */
  runs: number;
  /** The runs with a number for the objective. */
  n: number;
  /** The mean; ±inf kept, null when NaN or no run has a number. */
  mean: number | null;
  std: number | null;
  lo: number | null;
  hi: number | null;
}

/** Statistics grouped by some parameters. */
export interface StatTable {
  by: string[];
  /** At most `maxRows` rows: all combinations, or the best by their mean when there are more. */
  rows: StatRow[];
  /** How many combinations the runs have (more than `rows.length` when the table is bounded). */
  total: number;
  /**
   * Present when a parameter of `by` is binned: per parameter its bins, or `null` (its values one by one);
   * a binned key is its bin's middle (`binCenter`).
   */
  bins?: (Bins | null)[];
}

/** What the page plots: per point (all swept), per swept parameter, per pair of swept parameters. */
export interface PointStats {
  points: StatTable | null;
  perParam: StatTable[];
  pairs: StatTable[];
}

/**
 * At most this many rows per statistics table (points, per parameter, per pair) in the page: the best by
 * the objective's mean. `total` of each table counts every combination; the statistics cover every run.
 */
export const MAX_REPORT_POINTS = 10_000;

/** At most this many swept parameters get all their pairs as heatmaps. */
const MAX_PAIR_PARAMS = 5;

function finite(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function orNull(v: number | undefined): number | null {
  return finite(v) ? v : null;
}

function statRow(key: (ParamValue | null)[], runs: number, s: ValueStats | undefined): StatRow {
  return {
    key,
    runs,
    n: s?.count ?? 0,
    // A mean of ±inf (a point whose runs reached inf) is kept: it is a value, not missing; NaN is not.
    mean: s === undefined || Number.isNaN(s.mean) ? null : s.mean,
    std: orNull(s?.std),
    lo: orNull(s?.ci[0]),
    hi: orNull(s?.ci[1]),
  };
}

/** The objective's statistics of one group (NaN left out); `number` turns a value into a number or not. */
function groupStats(
  g: number,
  grouping: Grouping,
  ys: Read,
  number: (v: Value) => number | undefined,
  buffer: number[],
): ValueStats {
  buffer.length = 0;
  for (let k = grouping.start[g]; k < grouping.start[g + 1]; k++) {
    const y = number(ys(grouping.order[k]));
    if (y !== undefined) buffer.push(y);
  }
  return valueStats(buffer, 0.95, "omit");
}

/** Which groups a table keeps: all when at most `max`, else the best `max` by their mean. */
function keptGroups(means: Float64Array, goal: "maximize" | "minimize", max: number): Uint8Array {
  const groups = means.length;
  const keep = new Uint8Array(groups);
  if (groups <= max) return keep.fill(1);
  const sign = goal === "minimize" ? 1 : -1;
  const rank = (m: number) => (Number.isNaN(m) ? Infinity : sign * m); // no mean: last
  const order = new Int32Array(groups).map((_, g) => g);
  order.sort((a, b) => rank(means[a]) - rank(means[b]) || a - b);
  for (let k = 0; k < max; k++) keep[order[k]] = 1;
  return keep;
}

/** One table: the groups of `by`, their statistics, at most `max` rows (see the module doc). */
function statTable(
  by: string[],
  grouping: Grouping,
  cols: Read[],
  ys: Read,
  number: (v: Value) => number | undefined,
  bound: { goal: "maximize" | "minimize"; max: number },
): StatTable {
  const groups = grouping.first.length;
  const buffer: number[] = [];
  let keep: Uint8Array;
  if (groups <= bound.max) keep = new Uint8Array(groups).fill(1);
  else {
    const means = new Float64Array(groups); // valueStats' mean (NaN left out), without its object
    for (let g = 0; g < groups; g++) {
      buffer.length = 0;
      for (let k = grouping.start[g]; k < grouping.start[g + 1]; k++) {
        const y = number(ys(grouping.order[k]));
        if (y !== undefined && y === y) buffer.push(y);
      }
      means[g] = buffer.length ? meanOf(buffer) : NaN;
    }
    keep = keptGroups(means, bound.goal, bound.max);
  }
  const rows: StatRow[] = [];
  for (let g = 0; g < groups; g++) {
    if (!keep[g]) continue;
    const i = grouping.first[g];
    const runs = grouping.start[g + 1] - grouping.start[g];
    const key = cols.map((c) => c(i) ?? null);
    rows.push(statRow(key, runs, groupStats(g, grouping, ys, number, buffer)));
  }
  return { by, rows, total: groups };
}

/** As `smg.aggregate` reads a value: numbers, bigints and booleans (1 / 0). */
function aggregateNumber(v: Value): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return undefined;
}

/** As the marginal tables read a value: numbers and bigints. */
function plainNumber(v: Value): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return undefined;
}

/** Ascending by the key's values in the order of the parameters (as `smg.aggregate` orders its rows). */
function byKey(a: StatRow, b: StatRow): number {
  for (let i = 0; i < a.key.length; i++) {
    const c = compareParamValues(a.key[i], b.key[i]);
    if (c) return c;
  }
  return 0;
}

/** Options of {@linkcode pointStats}. */
export interface PointStatsOptions {
  /** The objective's direction: which rows a bounded table keeps. @default {"maximize"} */
  goal?: "maximize" | "minimize";
  /** At most this many rows per table. @default {MAX_REPORT_POINTS} */
  maxRows?: number;
}

/**
 * The statistics the page plots; empty without an objective or swept parameters. The point table's rows
 * ascend by their key (as `smg.aggregate`'s); the others keep the order of first appearance in the group.
 */
export function pointStats(
  group: StorageManagerGroup,
  swept: string[],
  objective: string | null,
  options: PointStatsOptions = {},
): PointStats {
  if (objective === null || swept.length === 0) return { points: null, perParam: [], pairs: [] };
  const rows = rowsOf(group);
  const read = (p: string): Read => lenientValues(rows, p, DEFAULT_SECTION);
  const col = new Map(swept.map((p) => [p, read(p)]));
  const bins = new Map(swept.map((p) => [p, binsOf(col.get(p)!, group.length)]));
  const ys = read(objective);
  const bound = { goal: options.goal ?? "maximize", max: options.maxRows ?? MAX_REPORT_POINTS };
  // the last grouping is kept: one swept parameter's points are its values, two's their pairs
  let last: { id: string; grouping: Grouping } | undefined;
  const table = (by: string[], number = plainNumber, binned = true) => {
    const b = by.map((p) => (binned ? bins.get(p)! : null));
    const cols = by.map((p, j) => (b[j] ? binnedRead(col.get(p)!, b[j]!) : col.get(p)!));
    const id = JSON.stringify([by, b.map(Boolean)]);
    if (last?.id !== id) last = { id, grouping: groupBy(cols, group.length) };
    const stats = statTable(by, last.grouping, cols, ys, number, bound);
    if (b.some(Boolean)) stats.bins = b;
    return stats;
  };
  const pairs: StatTable[] = [];
  const pairParams = swept.slice(0, MAX_PAIR_PARAMS);
  for (let i = 0; i < pairParams.length; i++) {
    for (let j = i + 1; j < pairParams.length; j++) {
      pairs.push(table([pairParams[i], pairParams[j]]));
    }
  }
  const points = table(swept, aggregateNumber, false);
  points.rows.sort(byKey);
  return { points, perParam: swept.map((p) => table([p])), pairs };
}
