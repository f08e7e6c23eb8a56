/**
 * The per-point statistics of the report (internal): the objective's mean and 95 % confidence interval
 * per distinct combination of some parameters, from the group's repeat-aware analysis.
 *
 * @module
 */

import type { ParamValue } from "../formats/params.ts";
import type { StorageManagerGroup } from "../group/group.ts";

/** One combination of the `by` parameters and the objective's statistics over its runs. */
export interface StatRow {
  key: (ParamValue | null)[];
  n: number;
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

/** Placeholder until `smg.aggregate()` lands: mean, std (ddof=1), normal 95 % interval. */
function statTable(group: StorageManagerGroup, by: string[], objective: string): StatTable {
  const cols = group.getMultiParamList([...by, objective]);
  const groups = new Map<string, { key: (ParamValue | null)[]; ys: number[] }>();
  for (let i = 0; i < group.length; i++) {
    const key = by.map((_, j) => cols[j][i]);
    const id = JSON.stringify(key);
    let g = groups.get(id);
    if (!g) groups.set(id, g = { key, ys: [] });
    const y = cols[by.length][i];
    if (finite(y)) g.ys.push(y);
  }
  const rows = [...groups.values()].map(({ key, ys }) => {
    const n = ys.length;
    if (n === 0) return { key, n, mean: null, std: null, lo: null, hi: null };
    const mean = ys.reduce((a, b) => a + b, 0) / n;
    const std = n > 1 ? Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : null;
    const half = std === null ? null : 1.96 * std / Math.sqrt(n);
    return { key, n, mean, std, lo: half === null ? null : mean - half, hi: half === null ? null : mean + half };
  });
  return { by, rows };
}

/** The statistics the page plots; empty without an objective or swept parameters. */
export function pointStats(
  group: StorageManagerGroup,
  swept: string[],
  objective: string | null,
): PointStats {
  if (objective === null || swept.length === 0) return { points: null, perParam: [], pairs: [] };
  const pairs: StatTable[] = [];
  const pairParams = swept.slice(0, MAX_PAIR_PARAMS);
  for (let i = 0; i < pairParams.length; i++) {
    for (let j = i + 1; j < pairParams.length; j++) {
      pairs.push(statTable(group, [pairParams[i], pairParams[j]], objective));
    }
  }
  return {
    points: statTable(group, swept, objective),
    perParam: swept.map((p) => statTable(group, [p], objective)),
    pairs,
  };
}
