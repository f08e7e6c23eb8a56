/**
 * What the analysis reads of the runner's record in a run folder (internal). `runner/run_record.ts` owns the
 * `[Run]` section (writes it, types it); `src/` may not import `runner/`, so the two facts the analysis
 * needs are named here once: the section's name, and that its `point` field holds the point's parameters
 * as canonical JSON (`runner/sweep.ts`'s `pointKey`), whose keys are the sweep's swept parameters.
 * `tests/schema_test.ts` checks both against the runner's own code.
 *
 * @module
 */

import { DEFAULT_SECTION, type StorageManager } from "../run/storage_manager.ts";
import { lenientValues, managerRows, type RunRows } from "./_index_rows.ts";

/** The runner's section of `config.ini` (`RUN_SECTION` of `runner/run_record.ts`). */
export const RUNNER_SECTION = "Run";

/** Parameters of `[Parameters]` that describe a run rather than its point or its results. */
export const BOOKKEEPING_PARAMS: ReadonlySet<string> = new Set(["time", "seed", "repeat"]);

/**
 * The swept parameters of one run's `[Run] point` value, or undefined for no record. The runner writes the
 * JSON text quoted (`formatParam`); a hand-edited unquoted `{…}` reads as a dict, whose keys serve as well.
 */
function pointKeys(value: unknown): string[] | undefined {
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  return Object.keys(value).map((k) => k.toLowerCase());
}

/**
 * The swept parameters of a group's sweep runs (lowercased), in the order the runs' `[Parameters]` list
 * them (the sweep's order), or undefined when no run carries a sweep record (e.g. PymoNNto's runs). An
 * unreadable record is no record. `runs` may be the group's rows (`_index_rows.ts`).
 */
export function sweptParams(runs: readonly StorageManager[] | RunRows): string[] | undefined {
  const rows = Array.isArray(runs) ? managerRows(runs) : runs as RunRows;
  const point = lenientValues(rows, "point", RUNNER_SECTION);
  const swept = new Set<string>();
  let any = false;
  let previous: unknown = undefined;
  for (let i = 0; i < rows.length; i++) {
    const value = point(i);
    if (value === undefined) continue;
    if (any && value === previous) continue; // the same text as the last run's: the same keys
    const keys = pointKeys(value);
    if (!keys) continue;
    any = true;
    previous = value;
    for (const k of keys) swept.add(k);
  }
  if (!any) return undefined;
  const order: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    for (const k of rows.keys(i, DEFAULT_SECTION)) {
      if (swept.has(k) && !order.includes(k)) order.push(k);
    }
    if (order.length === swept.size) break;
  }
  for (const k of swept) if (!order.includes(k)) order.push(k);
  return order;
}
