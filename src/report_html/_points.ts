/**
 * The per-point statistics of the report (internal): the objective's mean, std (ddof = 1) and 95 %
 * confidence interval (Student's t) per distinct combination of some parameters, from the group's
 * repeat-aware analysis `StorageManagerGroup.aggregate`.
 *
 * @module
 */

import type { ParamValue } from "../formats/params.ts";
import type { StorageManagerGroup } from "../group/group.ts";
import { type ValueStats, valueStats } from "../group/aggregate.ts";
import { embedJson } from "./_embed.ts";

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
  rows: StatRow[];
}

/** What the page plots: per point (all swept), per swept parameter, per pair of swept parameters. */
export interface PointStats {
  points: StatTable | null;
  perParam: StatTable[];
  pairs: StatTable[];
}

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

/** The objective's statistics per point (every swept parameter), from `smg.aggregate` (NaN left out). */
function pointTable(group: StorageManagerGroup, by: string[], objective: string): StatTable {
  const agg = group.aggregate({ by, values: [objective], nan: "omit" });
  const rows = agg.rows.map((r) =>
    statRow(by.map((p) => r.key[p] ?? null), r.runs, r.values[objective])
  );
  return { by, rows };
}

/**
 * The objective's statistics per combination of a few columns: the runs grouped here (one pass over the
 * columns; `aggregate` per table would read every run again), the statistics by `valueStats`, the same
 * function behind `smg.aggregate`.
 */
function marginalTable(
  by: string[],
  cols: (ParamValue | null)[][],
  ys: (ParamValue | null)[],
): StatTable {
  const groups = new Map<string, { key: (ParamValue | null)[]; ys: number[]; runs: number }>();
  for (let i = 0; i < ys.length; i++) {
    const key = cols.map((c) => c[i] ?? null);
    const id = embedJson(key);
    let g = groups.get(id);
    if (!g) groups.set(id, g = { key, ys: [], runs: 0 });
    g.runs++;
    const y = ys[i];
    if (typeof y === "number") g.ys.push(y);
    else if (typeof y === "bigint") g.ys.push(Number(y));
  }
  const rows = [...groups.values()].map((g) =>
    statRow(g.key, g.runs, valueStats(g.ys, 0.95, "omit"))
  );
  return { by, rows };
}

/** The statistics the page plots; empty without an objective or swept parameters. */
export function pointStats(
  group: StorageManagerGroup,
  swept: string[],
  objective: string | null,
): PointStats {
  if (objective === null || swept.length === 0) return { points: null, perParam: [], pairs: [] };
  const col = new Map(swept.map((p) => [p, group.getParamList(p)]));
  const ys = group.getParamList(objective);
  const table = (by: string[]) => marginalTable(by, by.map((p) => col.get(p)!), ys);
  const pairs: StatTable[] = [];
  const pairParams = swept.slice(0, MAX_PAIR_PARAMS);
  for (let i = 0; i < pairParams.length; i++) {
    for (let j = i + 1; j < pairParams.length; j++) {
      pairs.push(table([pairParams[i], pairParams[j]]));
    }
  }
  return {
    points: pointTable(group, swept, objective),
    perParam: swept.map((p) => table([p])),
    pairs,
  };
}
