/**
 * The list functions behind {@linkcode StorageManagerGroup}'s methods (internal): values of parameters,
 * arrays and objects across runs, the runs as a table, and the plot of one parameter against another.
 *
 * @module
 */

import { storageErrorCode } from "../errors.ts";
import type { ParamValue } from "../formats/params.ts";
import { DEFAULT_SECTION, type StorageManager } from "../run/storage_manager.ts";
import { mapBounded } from "./_load.ts";
import type { GroupPlotOptions, GroupTableOptions, ListOptions } from "./options.ts";
import { plotSvg, type SummarySeries } from "./plot.ts";
import { removeDuplicatesGetEval } from "./reducers.ts";
import type { Cell, Table } from "./table.ts";

/** How many `.npy` or object files of a group are read at once. */
const FILE_READS_IN_FLIGHT = 16;

function isMissing(v: unknown): boolean {
  return v === null || v === undefined;
}

/** One parameter across `runs`; `null` where missing, dropped with `removeNone`. */
export function paramList(
  runs: readonly StorageManager[],
  param: string,
  options: ListOptions,
): (ParamValue | null)[] {
  const section = options.section ?? DEFAULT_SECTION;
  const values = runs.map((sm) => sm.param(param, { section, default: null }));
  return options.removeNone ? values.filter((v) => !isMissing(v)) : values;
}

/** One list per parameter, rows aligned; `removeNone` drops rows with a missing or NaN value. */
export function multiParamList(
  runs: readonly StorageManager[],
  params: readonly string[],
  options: ListOptions,
): (ParamValue | null)[][] {
  const section = options.section ?? DEFAULT_SECTION;
  let rows = runs.map((sm) => params.map((p) => sm.param(p, { section, default: null })));
  if (options.removeNone) {
    rows = rows.filter((row) =>
      row.every((v) => !isMissing(v) && !(typeof v === "number" && Number.isNaN(v)))
    );
  }
  return params.map((_, j) => rows.map((row) => row[j]));
}

/** `load` of every run, a bounded number at a time; `null` where the file is not there. */
export async function loadEach<T>(
  runs: readonly StorageManager[],
  load: (sm: StorageManager) => Promise<T>,
  removeNone: boolean | undefined,
): Promise<(T | null)[]> {
  const values = await mapBounded(runs, FILE_READS_IN_FLIGHT, async (sm) => {
    try {
      return await load(sm);
    } catch (err) {
      if (storageErrorCode(err) === "not_found") return null;
      throw err;
    }
  });
  return removeNone ? values.filter((v) => !isMissing(v)) : values;
}

/** The parameter names of every run, lowercased, in first-seen order. */
export function allParams(runs: readonly StorageManager[], section: string | undefined): string[] {
  const names = new Set<string>();
  for (const sm of runs) for (const k of sm.paramKeys({ section })) names.add(k);
  return [...names];
}

function toCell(v: ParamValue | null): Cell {
  return v === null || typeof v !== "object" ? v : JSON.stringify(v);
}

/** The runs as a table: a `run` column (unless `runColumn: false`), then one column per parameter. */
export function runsTable(
  runs: readonly StorageManager[],
  params: readonly string[] | undefined,
  options: GroupTableOptions,
): Table {
  const section = options.section ?? DEFAULT_SECTION;
  const names = params ? params.map((p) => p.toLowerCase()) : allParams(runs, section);
  const withRun = options.runColumn ?? true;
  return {
    columns: withRun ? ["run", ...names] : [...names],
    rows: runs.map((sm) => {
      const cells = names.map((p) => toCell(sm.param(p, { section, default: null })));
      return withRun ? [sm.name, ...cells] : cells;
    }),
  };
}

/** The SVG plot of `options.y` against `options.x` over `runs`, with the reducer's line ± std. */
export function plotRuns(
  runs: readonly StorageManager[],
  groupName: string,
  options: GroupPlotOptions,
): string {
  const [x, y] = multiParamList(runs, [options.x, options.y], { section: options.section });
  let summary: SummarySeries | undefined;
  if (options.reducer !== undefined) {
    const [ux, center] = removeDuplicatesGetEval(x, y, options.reducer);
    const name = typeof options.reducer === "string" ? options.reducer : "value";
    const [, spread] = removeDuplicatesGetEval(x, y, name.startsWith("nan") ? "nanstd" : "std");
    summary = { x: ux, mean: center, std: spread, label: `${name} ± std` };
  }
  return plotSvg({
    points: { x, y },
    summary,
    xLabel: options.x,
    yLabel: options.y,
    title: options.title ?? `${options.y} against ${options.x} (${groupName}, ${runs.length} runs)`,
  }, { xLog: options.xLog });
}
