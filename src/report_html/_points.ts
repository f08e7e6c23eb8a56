/**
 * The per-point statistics of the report (internal): the objective's mean, std (ddof = 1) and 95 %
 * confidence interval (Student's t) per distinct combination of some parameters, from the group's
 * repeat-aware analysis `StorageManagerGroup.aggregate`.
 *
 * @module
 */

import type { ParamValue } from "../formats/params.ts";
import type { StorageManagerGroup } from "../group/group.ts";

/** One combination of the `by` parameters and the objective's statistics over its runs. */
export interface StatRow {
  key: (ParamValue | null)[];
  /** The runs of the combination. */
  runs: number;
  /** The runs with a number for the objective. */
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

function orNull(v: number | undefined): number | null {
  return finite(v) ? v : null;
}

/** The objective's statistics per combination of `by`, from `smg.aggregate` (NaN left out). */
function statTable(group: StorageManagerGroup, by: string[], objective: string): StatTable {
  const agg = group.aggregate({ by, values: [objective], nan: "omit" });
  const rows = agg.rows.map((r): StatRow => {
    const s = r.values[objective];
    return {
      key: by.map((p) => r.key[p] ?? null),
      runs: r.runs,
      n: s?.count ?? 0,
      mean: orNull(s?.mean),
      std: orNull(s?.std),
      lo: orNull(s?.ci[0]),
      hi: orNull(s?.ci[1]),
    };
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
