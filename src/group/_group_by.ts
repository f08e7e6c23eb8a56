/**
 * Runs grouped by the values of some parameters (internal, shared by `aggregate.ts` and
 * `aggregate_np.ts`): the axes and values with their defaults (`resolveAxes`), and one group per distinct
 * combination (values compared by `_value_key.ts`), ascending by the values in the order of the parameters
 * (`compareParamValues`; runs lacking one come last).
 *
 * @module
 */

import type { ParamValue } from "../formats/params.ts";
import { DEFAULT_SECTION, type StorageManager } from "../run/storage_manager.ts";
import { lenientValues, managerRows, type RunRows } from "./_index_rows.ts";
import { valueKey } from "./_value_key.ts";
import { compareParamValues } from "./order.ts";
import { type GroupSchema, schemaOfRows } from "./schema.ts";
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

/** One group of rows: its value of each grouping parameter and the positions of its runs. */
export interface RowGroup {
  key: (ParamValue | null)[];
  positions: number[];
}

/** The rows grouped by the values of `by` (lowercased names), sorted ascending by them. */
export function groupRows(rows: RunRows, by: readonly string[]): RowGroup[] {
  const readers = by.map((p) => lenientValues(rows, p, DEFAULT_SECTION));
  const groups = new Map<string, RowGroup>();
  for (let i = 0; i < rows.length; i++) {
    const key = readers.map((read) => read(i) ?? null);
    const id = JSON.stringify(key.map(valueKey));
    const group = groups.get(id);
    if (group) group.positions.push(i);
    else groups.set(id, { key, positions: [i] });
  }
  return [...groups.values()].sort((a, b) => {
    for (let i = 0; i < by.length; i++) {
      const c = compareParamValues(a.key[i], b.key[i]);
      if (c) return c;
    }
    return 0;
  });
}

/** The runs grouped by the values of `by` (lowercased names), sorted ascending by them. */
export function groupRuns(runs: readonly StorageManager[], by: readonly string[]): RunGroup[] {
  return groupRows(managerRows(runs), by).map(({ key, positions }) => ({
    key,
    runs: positions.map((i) => runs[i]),
  }));
}

/**
 * Refuses a `by` parameter that no run holds in `[Parameters]` (a typo, or a `[Run]` field such as
 * `repeat`): grouping by it would silently pool every run into one row.
 */
function checkHeld(
  runs: readonly StorageManager[] | RunRows,
  names: string[],
  schemaOf: () => GroupSchema,
  caller: string,
  option: "by" | "values" = "by",
): void {
  const rows = Array.isArray(runs) ? managerRows(runs) : runs as RunRows;
  for (const p of names) {
    const value = lenientValues(rows, p, DEFAULT_SECTION);
    let held = false;
    for (let i = 0; i < rows.length && !held; i++) held = value(i) !== undefined;
    if (held) continue;
    const schema = schemaOf();
    const known = schema.params.filter((q) => q.section !== RUNNER_SECTION).map((q) => q.name);
    const inRun = schema.params.some((q) => q.section === RUNNER_SECTION && q.name === p);
    throw new RangeError(
      `${caller}: no run has the parameter ${JSON.stringify(p)} named in ${option}${
        inRun ? ` (it is a [${RUNNER_SECTION}] field, not a parameter)` : ""
      }: name parameters of [Parameters] (${known.join(", ") || "none"})`,
    );
  }
}

/**
 * The `by` parameters and the values of an aggregation, defaults filled in.
 *
 * @throws {TypeError} When `by` is omitted and no run carries a sweep record, or `by` or `values` is no
 *   array of names.
 * @throws {RangeError} When a `by` or `values` parameter is held by no run (of a group with runs): a typo
 *   would otherwise give rows of count 0.
 */
export function resolveAxes(
  runs: readonly StorageManager[] | RunRows,
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
  let schema: GroupSchema | undefined;
  const schemaOf =
    () => (schema ??= schemaOfRows(Array.isArray(runs) ? managerRows(runs) : runs as RunRows));
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
  const named = options.values?.map((p) => p.toLowerCase());
  if (named !== undefined && runs.length > 0) checkHeld(runs, named, schemaOf, caller, "values");
  const values = named ?? schemaOf().numeric.filter((p) => !axes.includes(p));
  return { by, values };
}
