/**
 * What the analysis reads of the runner's record in a run folder (internal). `runner/run_record.ts` owns the
 * `[Run]` section (writes it, types it); `src/` may not import `runner/`, so the two facts the analysis
 * needs are named here once: the section's name, and that its `point` field holds the point's parameters
 * as canonical JSON (`runner/sweep.ts`'s `pointKey`), whose keys are the sweep's swept parameters.
 * `tests/schema_test.ts` checks both against the runner's own code.
 *
 * @module
 */

import type { StorageManager } from "../run/storage_manager.ts";

/** The runner's section of `config.ini` (`RUN_SECTION` of `runner/run_record.ts`). */
export const RUNNER_SECTION = "Run";

/** Parameters of `[Parameters]` that describe a run rather than its point or its results. */
export const BOOKKEEPING_PARAMS: ReadonlySet<string> = new Set(["time", "seed", "repeat"]);

/**
 * The swept parameters of one run: the keys of its `[Run] point`, or undefined for a run without one. The
 * runner writes the JSON text quoted (`formatParam`); a hand-edited unquoted `{…}` reads as a dict, whose
 * keys serve as well.
 */
function pointKeys(sm: StorageManager): string[] | undefined {
  let value: unknown;
  try {
    value = sm.param("point", { section: RUNNER_SECTION });
  } catch {
    return undefined; // an unreadable record is no record
  }
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
 * them (the sweep's order), or undefined when no run carries a sweep record (e.g. PymoNNto's runs).
 */
export function sweptParams(runs: readonly StorageManager[]): string[] | undefined {
  const swept = new Set<string>();
  let any = false;
  for (const sm of runs) {
    const keys = pointKeys(sm);
    if (!keys) continue;
    any = true;
    for (const k of keys) swept.add(k);
  }
  if (!any) return undefined;
  const order: string[] = [];
  for (const sm of runs) {
    for (const k of sm.paramKeys()) if (swept.has(k) && !order.includes(k)) order.push(k);
    if (order.length === swept.size) break;
  }
  for (const k of swept) if (!order.includes(k)) order.push(k);
  return order;
}
