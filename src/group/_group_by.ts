/**
 * Runs grouped by the values of some parameters (internal, shared by `aggregate.ts` and
 * `aggregate_np.ts`): one group per distinct combination (values compared by `_value_key.ts`), ascending by
 * the values in the order of the parameters (`compareParamValues`; runs lacking one come last).
 *
 * @module
 */

import type { ParamValue } from "../formats/params.ts";
import type { StorageManager } from "../run/storage_manager.ts";
import { valueKey } from "./_value_key.ts";
import { compareParamValues } from "./order.ts";

/** One group of runs and its value of each grouping parameter (`null` where the runs lack it). */
export interface RunGroup {
  key: (ParamValue | null)[];
  runs: StorageManager[];
}

/** A parameter of `[Parameters]`, or undefined when missing or unreadable (a corrupt value). */
export function readParam(sm: StorageManager, key: string): ParamValue | undefined {
  try {
    return sm.param(key);
  } catch {
    return undefined;
  }
}

/** The runs grouped by the values of `by` (lowercased names), sorted ascending by them. */
export function groupRuns(runs: readonly StorageManager[], by: readonly string[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const sm of runs) {
    const key = by.map((p) => readParam(sm, p) ?? null);
    const id = JSON.stringify(key.map(valueKey));
    const group = groups.get(id);
    if (group) group.runs.push(sm);
    else groups.set(id, { key, runs: [sm] });
  }
  return [...groups.values()].sort((a, b) => {
    for (let i = 0; i < by.length; i++) {
      const c = compareParamValues(a.key[i], b.key[i]);
      if (c) return c;
    }
    return 0;
  });
}
