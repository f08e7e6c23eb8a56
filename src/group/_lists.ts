/**
 * The list functions behind {@linkcode StorageManagerGroup}'s methods (internal): values of parameters,
 * arrays and objects across runs, the runs as a table, and the plot of one parameter against another.
 *
 * @module
 */

import { storageErrorCode } from "../errors.ts";
import type { ParamValue } from "../formats/params.ts";
import { DEFAULT_SECTION, type StorageManager } from "../run/storage_manager.ts";
import type { RunRows } from "./_index_rows.ts";
import { freeName } from "./_column_names.ts";
import { mapBounded } from "./_load.ts";
import type { GroupPlotOptions, GroupTableOptions, ListOptions, SortByOptions } from "./options.ts";
import { compareParamValues } from "./order.ts";
import type { Lookup } from "./_query_eval.ts";
import { plotSvg, type SummarySeries } from "./plot.ts";
import { removeDuplicatesGetEval } from "./reducers.ts";
import { paramCell, type Table } from "./table.ts";

/** How many `.npy` or object files of a group are read at once. */
const FILE_READS_IN_FLIGHT = 16;

function isMissing(v: unknown): boolean {
  return v === null || v === undefined;
}

/** One parameter across `runs`; `null` where missing, dropped with `removeNone`. */
export function paramList(
  runs: RunRows,
  param: string,
  options: ListOptions,
): (ParamValue | null)[] {
  const values = columnOf(runs, param, options.section ?? DEFAULT_SECTION);
  return options.removeNone ? values.filter((v) => !isMissing(v)) : values;
}

/** One list per parameter, rows aligned; `removeNone` drops rows with a missing or NaN value. */
export function multiParamList(
  runs: RunRows,
  params: readonly string[],
  options: ListOptions,
): (ParamValue | null)[][] {
  const section = options.section ?? DEFAULT_SECTION;
  const columns = params.map((p) => columnOf(runs, p, section));
  if (!options.removeNone) return columns;
  const keep = (i: number) =>
    columns.every((c) => !isMissing(c[i]) && !(typeof c[i] === "number" && Number.isNaN(c[i])));
  const rows = Array.from({ length: runs.length }, (_, i) => i).filter(keep);
  return columns.map((c) => rows.map((i) => c[i]));
}

/** One parameter's values across the runs, `null` where missing. */
function columnOf(runs: RunRows, param: string, section: string): (ParamValue | null)[] {
  const valueOf = runs.values(param, section);
  const out = new Array<ParamValue | null>(runs.length);
  for (let i = 0; i < runs.length; i++) out[i] = valueOf(i) ?? null;
  return out;
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
export function allParams(runs: RunRows, section: string | undefined): string[] {
  const names = new Set<string>();
  let last: readonly string[] | undefined;
  for (let i = 0; i < runs.length; i++) {
    const keys = runs.keys(i, section ?? DEFAULT_SECTION);
    if (keys === last) continue; // runs of one shape share their key list
    last = keys;
    for (const k of keys) names.add(k);
  }
  return [...names];
}

/**
 * The runs as a table: a `run` column (unless `runColumn: false`; `run_run` beside a parameter named `run`,
 * as in a sweep's runs.csv: a CSV header read by pandas must not name a column twice), then one column per
 * parameter.
 */
export function runsTable(
  runs: RunRows,
  params: readonly string[] | undefined,
  options: GroupTableOptions,
): Table {
  const section = options.section ?? DEFAULT_SECTION;
  const names = params ? params.map((p) => p.toLowerCase()) : allParams(runs, section);
  const withRun = options.runColumn ?? true;
  const columns = names.map((p) => runs.values(p, section));
  const run = freeName(names, "run_", "run");
  return {
    columns: withRun ? [run, ...names] : [...names],
    rows: Array.from({ length: runs.length }, (_, i) => {
      const cells = columns.map((valueOf) => paramCell(valueOf(i) ?? null));
      return withRun ? [runs.name(i), ...cells] : cells;
    }),
  };
}

/** The SVG plot of `options.y` against `options.x` over `runs`, with the reducer's line ± std. */
export function plotRuns(
  runs: RunRows,
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

/** The positions of `runs` sorted by `param` ({@linkcode compareParamValues}'s order; stable). */
export function sortedPositions(runs: RunRows, param: string, options: SortByOptions): number[] {
  const valueOf = runs.values(param, options.section ?? DEFAULT_SECTION);
  const order = { descending: options.descending ?? false };
  const numbers = numberValues(valueOf, runs.length);
  if (numbers) {
    // every value a number: the same comparisons over a Float64Array and an index array, without an
    // object and a boxed number per run (100,000 runs: ~5 MB that lived through the sort)
    const at = new Uint32Array(runs.length);
    for (let i = 0; i < at.length; i++) at[i] = i;
    at.sort((a, b) => compareParamValues(numbers[a], numbers[b], order) || a - b);
    return Array.from(at);
  }
  const keyed = Array.from({ length: runs.length }, (_, i) => ({ i, v: valueOf(i) }));
  keyed.sort((a, b) => compareParamValues(a.v, b.v, order) || a.i - b.i);
  return keyed.map((k) => k.i);
}

/** Every run's value (`valueOf(i)`) in a `Float64Array` when all are numbers, else `undefined`. */
function numberValues(
  valueOf: (i: number) => ParamValue | undefined,
  n: number,
): Float64Array | undefined {
  const numbers = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = valueOf(i);
    if (typeof v !== "number") return undefined;
    numbers[i] = v;
  }
  return numbers;
}

/** The positions of the runs a parsed query matches, in order. */
export function matchingPositions(
  runs: RunRows,
  query: { test(lookup: Lookup): boolean },
  section: string = DEFAULT_SECTION,
): number[] {
  const readers = new Map<string, (i: number) => ParamValue | undefined>();
  let current = 0;
  const lookup = (key: string) => { // one closure for all runs, one reader per key
    let valueOf = readers.get(key);
    if (!valueOf) readers.set(key, valueOf = runs.values(key, section));
    return valueOf(current);
  };
  const matched: number[] = [];
  for (current = 0; current < runs.length; current++) if (query.test(lookup)) matched.push(current);
  return matched;
}
