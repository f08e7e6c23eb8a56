/**
 * Runs grouped by the values of some parameters (internal, shared by `aggregate.ts` and
 * `aggregate_np.ts`): the axes and values with their defaults (`resolveAxes`), and one group per distinct
 * combination (values compared by `_value_key.ts`), ascending by the values in the order of the parameters
 * (`compareParamValues`; runs lacking one come last).
 *
 * @module
 */

import type { ParamValue } from "../formats/params.ts";
import type { StorageManager } from "../run/storage_manager.ts";
import { valueKey } from "./_value_key.ts";
import { compareParamValues } from "./order.ts";
import { groupSchema } from "./schema.ts";
import { RUNNER_SECTION } from "./_sweep_record.ts";

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

/**
 * Refuses a `by` parameter that no run holds in `[Parameters]` (a typo, or a `[Run]` field such as
 * `repeat`): grouping by it would silently pool every run into one row.
 */
function checkHeld(
  runs: readonly StorageManager[],
  by: string[],
  schemaOf: () => ReturnType<typeof groupSchema>,
  caller: string,
): void {
  for (const p of by) {
    if (runs.some((sm) => readParam(sm, p) !== undefined)) continue;
    const schema = schemaOf();
    const names = schema.params.filter((q) => q.section !== RUNNER_SECTION).map((q) => q.name);
    const inRun = schema.params.some((q) => q.section === RUNNER_SECTION && q.name === p);
    throw new RangeError(
      `${caller}: no run has the parameter ${JSON.stringify(p)} named in by${
        inRun ? ` (it is a [${RUNNER_SECTION}] field, not a parameter)` : ""
      }: name parameters of [Parameters] (${names.join(", ") || "none"})`,
    );
  }
}

/**
 * The `by` parameters and the values of an aggregation, defaults filled in.
 *
 * @throws {TypeError} When `by` is omitted and no run carries a sweep record, or `by` or `values` is no
 *   array of names.
 * @throws {RangeError} When a `by` parameter is held by no run (of a group with runs).
 */
export function resolveAxes(
  runs: readonly StorageManager[],
  options: { by?: readonly string[]; values?: readonly string[] },
  caller = "aggregate()",
): { by: string[]; values: string[] } {
  for (const [name, list] of [["by", options.by], ["values", options.values]] as const) {
    if (list !== undefined && (!Array.isArray(list) || list.some((p) => typeof p !== "string"))) {
      throw new TypeError(
        `${caller}: ${name} must be an array of parameter names, e.g. ${name}: ["n"], not ${
          JSON.stringify(list)
        }`,
      );
    }
  }
  let schema: ReturnType<typeof groupSchema> | undefined;
  const schemaOf = () => (schema ??= groupSchema(runs));
  let by = options.by?.map((p) => p.toLowerCase());
  if (by === undefined) {
    const { fromSweep, varying, swept } = schemaOf();
    if (!fromSweep && runs.length > 0) {
      throw new TypeError(
        `${caller}: these runs carry no sweep record ([Run] point), so which parameters are the axes is ` +
          `unknown: name them, e.g. by: [${
            JSON.stringify(varying[0] ?? "n")
          }] (parameters that vary: ${varying.join(", ") || "none"})`,
      );
    }
    by = swept;
  } else if (runs.length > 0) {
    checkHeld(runs, by, schemaOf, caller);
  }
  const axes = by;
  const values = options.values?.map((p) => p.toLowerCase()) ??
    schemaOf().numeric.filter((p) => !axes.includes(p));
  return { by, values };
}
