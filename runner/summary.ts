/**
 * The group analysis after a sweep: a table sorted by score (returned, for the CLI to print), and
 * `summary.csv`, `summary.json`, `plot.svg` (score against each swept parameter) and `report.html` in
 * `Data/StorageManager/<name>/`. Runs that say `running` though their process is gone are marked
 * `interrupted` first (`reconcileRuns`), so a crashed sweep never shows as "running" for ever.
 *
 * @module
 */

import { join } from "node:path";
import { atomicWriteText } from "../src/formats/atomic.ts";
import type { StorageManagerGroup } from "../src/group/group.ts";
import type { ParamValue } from "../src/formats/params.ts";
import { removeDuplicatesGetEval } from "../src/group/reducers.ts";
import { type Cell, plotSvg, type Table, toConsoleTable, toCSV } from "../src/group/report.ts";
import { writeHtmlReport } from "../src/report_html/html_report.ts";
import { reconcileRuns } from "./claims.ts";
import { readRunSection } from "./run_record.ts";

/** Options for {@linkcode writeSummary}. */
export interface SummaryOptions {
  /**
   * The swept parameters (plot axes and the first columns).
   * @default {the parameters whose values differ between runs}
   */
  swept?: string[];
  /**
   * The parameter to sort by, best (largest) first, and to plot.
   * @default {"score"}
   */
  score?: string;
  /**
   * At most this many rows in the printed table (all rows go to the files).
   * @default {20}
   */
  maxRows?: number;
}

/** What {@linkcode writeSummary} made. */
export interface SweepSummary {
  /** The table to print (the CLI prints it; the library never does). */
  table: string;
  /** Runs by status. */
  counts: Record<string, number>;
  /** The written files. */
  files: { csv: string; json: string; svg?: string; html?: string };
}

function toCell(v: ParamValue | null | undefined): Cell {
  return v === undefined || v === null || typeof v !== "object" ? v : pythonJson(v, 0);
}

function isNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

const SPECIAL = "\u0000sweepstore-number:";

/**
 * JSON as Python's `json` module writes and reads it: NaN, Infinity and -Infinity as the bare tokens
 * `NaN`, `Infinity`, `-Infinity`, -0 as `-0.0`, bigints as digits — so summary.json keeps every number a
 * run folder stores (JavaScript's `JSON.parse` refuses those tokens; Python's and pandas' readers take them).
 */
function pythonJson(value: unknown, indent = 2): string {
  const text = JSON.stringify(value, (_k, v) => {
    if (typeof v === "bigint") return `${SPECIAL}${v}`;
    if (typeof v !== "number") return v;
    if (Number.isNaN(v)) return `${SPECIAL}NaN`;
    if (v === Infinity) return `${SPECIAL}Infinity`;
    if (v === -Infinity) return `${SPECIAL}-Infinity`;
    if (Object.is(v, -0)) return `${SPECIAL}-0.0`;
    return v;
  }, indent || undefined);
  return text.replace(/"\\u0000sweepstore-number:([^"]*)"/g, "$1");
}

/** One SVG holding one plot per swept parameter, stacked. */
function stackedPlots(
  group: StorageManagerGroup,
  params: string[],
  score: string,
): string | undefined {
  const panels: string[] = [];
  for (const p of params) {
    const [x, y] = group.getMultiParamList([p, score]);
    if (!x.some(isNumber) || !y.some(isNumber)) continue;
    const [ux, mean] = removeDuplicatesGetEval(x, y, "mean");
    const [, std] = removeDuplicatesGetEval(x, y, "std");
    const positive = x.filter(isNumber);
    const xLog = positive.length > 0 && positive.every((v) => v > 0) &&
      Math.max(...positive) / Math.min(...positive) >= 100;
    panels.push(plotSvg({
      points: { x, y },
      summary: ux.length < x.filter(isNumber).length ? { x: ux, mean, std } : undefined,
      xLabel: p,
      yLabel: score,
      title: `${score} against ${p} (${group.name}, ${group.length} runs)`,
    }, { xLog }));
  }
  if (!panels.length) return undefined;
  const h = 420;
  const body = panels.map((svg, i) =>
    svg.replace(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" /, `<svg x="0" y="${i * h}" `)
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="${
    h * panels.length
  }" viewBox="0 0 640 ${h * panels.length}">\n${body.join("")}</svg>\n`;
}

/** One run of summary.json. */
interface SummaryRun {
  run: string;
  path: string;
  status: string;
  params: Record<string, ParamValue | null>;
  duration_s: number | null;
  error: string | null;
}

/** The summary of a group before it is written: the full table, the runs of summary.json, counts. */
interface SummaryRows {
  table: Table;
  runs: SummaryRun[];
  counts: Record<string, number>;
  swept: string[];
  score: string;
  hasScore: boolean;
  /** The parameters neither swept nor the score. */
  rest: string[];
}

/** Builds the summary's rows (and sorts the group by score, largest first, when runs have one). */
function summaryRows(group: StorageManagerGroup, options: SummaryOptions): SummaryRows {
  const score = (options.score ?? "score").toLowerCase();
  const all = group.getAllParams().filter((p) => p !== "time");
  const swept = (options.swept?.map((s) => s.toLowerCase()) ??
    all.filter((p) => new Set(group.getParamList(p).map((v) => pythonJson(v))).size > 1))
    .filter((p) => p !== score);
  const hasScore = group.runs.some((sm) => sm.param(score) !== undefined);
  if (hasScore) group.sortBy(score, { descending: true });
  const rest = all.filter((p) => !swept.includes(p) && p !== score);
  const columns = [
    "run",
    "status",
    ...swept,
    ...(hasScore ? [score] : []),
    ...rest,
    "duration_s",
    "error",
  ];
  const counts: Record<string, number> = {};
  const rows: Cell[][] = [];
  const runs: SummaryRun[] = [];
  for (const sm of group) {
    const run = readRunSection(sm);
    const status = run.status ?? "unknown";
    counts[status] = (counts[status] ?? 0) + 1;
    const error = run.error;
    const duration = run.duration_s;
    const params = Object.fromEntries(all.map((p) => [p, sm.param(p, { default: null })]));
    rows.push([
      sm.name,
      status,
      ...swept.map((p) => toCell(params[p])),
      ...(hasScore ? [toCell(params[score])] : []),
      ...rest.map((p) => toCell(params[p])),
      toCell(duration),
      error?.split("\n")[0],
    ]);
    runs.push({
      run: sm.name,
      path: sm.path,
      status,
      params,
      duration_s: duration ?? null,
      error: error ?? null,
    });
  }
  return { table: { columns, rows }, runs, counts, swept, score, hasScore, rest };
}

/** The table to print: the first `maxRows` rows and the main columns. */
function consoleText(summary: SummaryRows, maxRows: number): string {
  const { table: { columns, rows }, swept, score, hasScore, rest } = summary;
  const shownColumns = [
    "run",
    "status",
    ...swept,
    ...(hasScore ? [score] : []),
    ...rest.slice(0, 3),
    "duration_s",
  ];
  const shown: Table = {
    columns: shownColumns,
    rows: rows.slice(0, maxRows).map((r) => shownColumns.map((c) => r[columns.indexOf(c)])),
  };
  let text = toConsoleTable(shown);
  if (rows.length > maxRows) {
    text += `… and ${rows.length - maxRows} more runs (all in summary.csv)\n`;
  }
  return text;
}

/** Writes summary.csv, summary.json and (when runs have a score) plot.svg into the group folder. */
async function writeSummaryFiles(
  group: StorageManagerGroup,
  summary: SummaryRows,
): Promise<SweepSummary["files"]> {
  const { swept, score, hasScore, counts, runs } = summary;
  const csv = join(group.path, "summary.csv");
  const json = join(group.path, "summary.json");
  await Deno.mkdir(group.path, { recursive: true });
  await atomicWriteText(csv, toCSV(summary.table));
  const summaryJson = {
    name: group.name,
    written: new Date().toISOString(),
    swept,
    score: hasScore ? score : null,
    counts,
    runs,
  };
  await atomicWriteText(json, pythonJson(summaryJson) + "\n");
  const files: SweepSummary["files"] = { csv, json };
  const svg = hasScore ? stackedPlots(group, swept, score) : undefined;
  if (svg) {
    files.svg = join(group.path, "plot.svg");
    await atomicWriteText(files.svg, svg);
  }
  return files;
}

/**
 * Writes the sweep's summary files into the group folder and returns the table to print. Runs are sorted
 * by `score` (largest first) when they have one. Runs whose process is gone are marked `interrupted` first.
 *
 * @throws {StorageError|Deno.errors.PermissionDenied} When the files cannot be written (a full disk).
 *
 * @example
 * ```ts
 * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * import { writeSummary } from "@sweepstore/sweepstore/runner";
 * const dataFolder = await Deno.makeTempDir();
 * for (const n of [1, 2, 3]) {
 *   await StorageManager.create("Sum", { dataFolder, params: { Parameters: { n, score: n / 10 }, Run: { status: "done" } } });
 * }
 * const summary = await writeSummary(await StorageManagerGroup.load("Sum", { dataFolder }), { swept: ["n"] });
 * console.log(summary.table);
 * ```
 */
export async function writeSummary(
  group: StorageManagerGroup,
  options: SummaryOptions = {},
): Promise<SweepSummary> {
  await reconcileRuns(group);
  const summary = summaryRows(group, options);
  const table = consoleText(summary, options.maxRows ?? 20);
  const files = await writeSummaryFiles(group, summary);
  const { swept, score } = summary;
  files.html = await writeHtmlReport(group, { swept, objective: score, runRecord: readRunSection });
  return { table, counts: summary.counts, files };
}
