/** Helpers of review 22's tests: a group of runs from plain values, and the plain-rule check of a binned table. */
import { StorageManager, StorageManagerGroup } from "../mod.ts";
import type { ParamValue } from "../src/formats/params.ts";
import type { StatTable } from "../src/report_html/_points.ts";
import { valueStats } from "../src/group/aggregate.ts";
import { assert, assertEquals } from "./_assert.ts";

/** A group "R" of one run per entry of `runs` (`undefined` values left out), each with a [Run] point record. */
export async function groupOf(
  dataFolder: string,
  runs: Record<string, ParamValue | undefined>[],
  name = "R",
): Promise<StorageManagerGroup> {
  for (const p of runs) {
    const params = Object.fromEntries(
      Object.entries(p).filter(([, v]) => v !== undefined),
    ) as Record<
      string,
      ParamValue
    >;
    const point = Object.fromEntries(Object.entries(params).filter(([k]) => k !== "score"));
    await StorageManager.create(name, {
      dataFolder,
      params: {
        Parameters: params,
        Run: {
          status: "done",
          point: JSON.stringify(point, (_, v) => typeof v === "bigint" ? String(v) : v),
        },
      },
    });
  }
  return await StorageManagerGroup.load(name, { dataFolder });
}

/** The plain rule: bin i holds edges[i] <= v < edges[i + 1], the last bin also its upper edge. */
export function inBin(v: unknown, e: number[], i: number): boolean {
  return typeof v === "number" && v >= e[i] &&
    (v < e[i + 1] || (i === e.length - 2 && v === e[i + 1]));
}

/**
 * Checks a binned per-parameter table against the plain rule: its edges ascend, every bin with runs has
 * exactly one row holding valueStats over exactly its runs, and every other value (NaN, ±inf, missing)
 * its own row of exactly its runs.
 */
export function checkBinnedTable(table: StatTable, xs: unknown[], ys: number[]): void {
  const bins = table.bins![0]!;
  const e = bins.edges;
  for (let i = 0; i + 1 < e.length; i++) assert(e[i] <= e[i + 1], `edges ascend: ${e}`);
  const finiteRows = table.rows.filter((r) =>
    typeof r.key[0] === "number" && Number.isFinite(r.key[0])
  );
  const otherRows = table.rows.filter((r) => !finiteRows.includes(r));
  const seen = new Set<number>();
  for (const row of finiteRows) {
    const v = row.key[0] as number;
    const i = e.findIndex((_, j) => j < e.length - 1 && inBin(v, e, j));
    assert(i >= 0, `the key ${v} lies in no bin of ${e}`);
    assert(!seen.has(i), `two rows in bin ${i}`);
    seen.add(i);
    const runs = ys.filter((_, r) => inBin(xs[r], e, i));
    const s = valueStats(runs, 0.95, "omit");
    assertEquals([row.runs, row.mean], [runs.length, s.mean], `bin ${i} [${e[i]}, ${e[i + 1]}]`);
  }
  const binned = xs.filter((v) => typeof v === "number" && Number.isFinite(v)).length;
  assertEquals(finiteRows.reduce((a, r) => a + r.runs, 0), binned, "every finite value in one bin");
  for (const row of otherRows) {
    const k = row.key[0];
    const runs = ys.filter((_, r) => Object.is(xs[r] ?? null, k));
    assertEquals(row.runs, runs.length, `the row of ${String(k)}`);
  }
}
