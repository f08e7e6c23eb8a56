/**
 * The group analysis after a sweep: a table best first (returned, for the CLI to print), and `summary.csv`,
 * `runs.csv`, `summary.json`, `plot.svg` (score against each swept parameter) and `report.html` in
 * `Data/StorageManager/<name>/`. With repeats (a point with more than one run), the table and `summary.csv`
 * have one row per point (each result's mean ± std over the point's finished runs, and their number n,
 * from `aggregateRuns`); `runs.csv` always keeps every run. Bookkeeping (`time`, `seed`, `repeat`, the
 * `[Run]` fields other than status, duration and error) stays out of the tables. Runs that say `running`
 * though their process is gone are marked
 * `interrupted` first (`reconcileRuns`), so a crashed sweep never shows as "running" for ever.
 *
 * @module
 */

import { join } from "node:path";
import { atomicWriteText, atomicWriteTextPieces } from "../src/formats/atomic.ts";
import type { StorageManagerGroup } from "../src/group/group.ts";
import { rowsOf } from "../src/group/group_views.ts";
import { type SchemaRoles, schemaRolesOfRows } from "../src/group/schema.ts";
import { removeDuplicatesGetEval } from "../src/group/reducers.ts";
import { type Table, toConsoleTable, toCSV } from "../src/group/report.ts";
import { plotSvgLines } from "../src/group/plot.ts";
import { writeHtmlReport } from "../src/report_html/html_report.ts";
import { reconcileRuns } from "./claims.ts";
import { readRunSection } from "./run_record.ts";
import { runSectionsOf } from "./run_sections.ts";
import { type PointSummary, pointTables, type SummaryObjective } from "./_summary_points.ts";
import { freeName } from "../src/group/_column_names.ts";
import {
  csvPieces,
  jsonPieces,
  pythonJson,
  readersOf,
  rowOf,
  type SummaryRows,
} from "./_summary_rows.ts";

export type { PointSummary, SummaryObjective };

/** Options for {@linkcode writeSummary}. */
export interface SummaryOptions {
  /**
   * The swept parameters (plot axes, the first columns, and what makes a point).
   * @default {the swept parameters of the runs' sweep records (`[Run] point`); for runs without them, the
   *   parameters whose values differ between runs}
   */
  swept?: string[];
  /**
   * The parameter to sort by, best (largest) first, and to plot (overridden by `objective`).
   * @default {"score"}
   */
  score?: string;
  /**
   * The objective of the sweep (a search's): sorts best first in its direction; overrides `score`.
   * @default {`score`, maximized}
   */
  objective?: SummaryObjective;
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
  /** The written files: `csv` is summary.csv (per point with repeats), `runs` runs.csv (every run). */
  files: { csv: string; json: string; svg?: string; runs?: string; html?: string };
  /** With repeats: the points, best first (also in summary.json). */
  points?: PointSummary[];
}

function isNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** The plot's mean ± std per distinct x (`removeDuplicatesGetEval`), when fewer x than numeric values. */
function meanStd(x: unknown[], y: unknown[]) {
  const [ux, mean] = removeDuplicatesGetEval(x, y, "mean");
  let count = 0;
  for (const v of x) if (isNumber(v)) count++;
  return ux.length < count
    ? { x: ux, mean, std: removeDuplicatesGetEval(x, y, "std")[1] }
    : undefined;
}

/**
 * Whether the panel may draw a mean ± std, cheaply: `false` when every x is a finite number, every y a
 * number and no two x are equal (then `meanStd` finds as many distinct x as values and draws none: a
 * sweep of 100,000 distinct points made its 100,000 lists for nothing); `true` otherwise.
 */
function repeatedX(x: unknown[], y: unknown[]): boolean {
  for (let i = 0; i < x.length; i++) if (!isNumber(x[i]) || typeof y[i] !== "number") return true;
  return equalNumbers(x, (a, b) => a === b) ?? true; // -0 === 0, as the map's keys
}

/**
 * Whether two of `values` are the same number by `same` (sorted in a `Float64Array`: no key text or set
 * entry per value); `undefined` when a value is not a number.
 */
function equalNumbers(
  values: readonly unknown[],
  same: (a: number, b: number) => boolean,
): boolean | undefined {
  const xs = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") return undefined;
    xs[i] = v;
  }
  xs.sort(); // NaN last, -0 before 0: equal numbers end up side by side
  for (let i = 1; i < xs.length; i++) if (same(xs[i], xs[i - 1])) return true;
  return false;
}

/**
 * One SVG holding one plot per swept parameter, stacked, as pieces (`stackedPieces`, written through a
 * file handle: a sweep of 100,000 points makes a plot of ~4 MB, never one string).
 */
function stackedPlots(
  group: StorageManagerGroup,
  params: string[],
  score: string,
): Iterable<string> | undefined {
  const panels: Parameters<typeof plotSvgLines>[] = [];
  for (const p of params) {
    const [x, y] = group.getMultiParamList([p, score]);
    if (!x.some(isNumber) || !y.some(isNumber)) continue;
    // mean ± std per x, drawn when an x repeats: the maps of lists (one per distinct x) only then
    const summary = repeatedX(x, y) ? meanStd(x, y) : undefined;
    let min = Infinity, max = -Infinity, positive = true, any = false;
    for (const v of x) {
      if (!isNumber(v)) continue;
      any = true;
      if (v <= 0) positive = false;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const xLog = any && positive && max / min >= 100;
    const title = `${score} against ${p} (${group.name}, ${group.length} runs)`;
    panels.push([{ points: { x, y }, summary, xLabel: p, yLabel: score, title }, { xLog }]);
  }
  return panels.length ? stackedPieces(panels) : undefined;
}

/**
 * The stacked SVG's pieces: each panel's lines and their "\n", made as they are written (a plot of 100,000
 * points is never one string nor held whole), its opening tag placed at its row; a panel's lists are
 * dropped once it is written.
 */
function* stackedPieces(
  panels: (Parameters<typeof plotSvgLines> | undefined)[],
): Generator<string> {
  const h = 420;
  yield `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="${
    h * panels.length
  }" viewBox="0 0 640 ${h * panels.length}">\n`;
  for (let i = 0; i < panels.length; i++) {
    let first = true;
    for (const line of plotSvgLines(...panels[i]!)) {
      yield first
        ? line.replace(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" /, `<svg x="0" y="${i * h}" `)
        : line;
      yield "\n";
      first = false;
    }
    panels[i] = undefined;
  }
  yield `</svg>\n`;
}

/** The swept parameters: given, else from the sweep records, else those whose values differ. */
function sweptOf(
  group: StorageManagerGroup,
  options: SummaryOptions,
  all: string[],
  schema: SchemaRoles,
): string[] {
  if (options.swept) return options.swept.map((s) => s.toLowerCase());
  if (schema.fromSweep) return schema.swept;
  return all.filter((p) => new Set(group.getParamList(p).map((v) => pythonJson(v))).size > 1);
}

/** Whether two runs share their swept values (a point with repeats). */
function hasRepeats(group: StorageManagerGroup, swept: string[]): boolean {
  const columns = group.getMultiParamList(swept);
  // one swept parameter of numbers: their key texts differ exactly where `Object.is` does (NaN is "NaN"
  // every time, -0 is "-0.0"), compared without a text and a set entry per run
  const numbers = swept.length === 1 ? equalNumbers(columns[0], Object.is) : undefined;
  if (numbers !== undefined) return numbers;
  const seen = new Set<string>();
  for (let i = 0; i < group.length; i++) {
    const key = pythonJson(columns.map((c) => c[i]), 0);
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/**
 * The records of the runs: status, duration, error (`runSectionsOf`: `readRunSection`'s records from the
 * group's columns, no run's whole `config.ini` read), and counts.
 */
function recordsOf(group: StorageManagerGroup, summary: SummaryRows, maxRows: number): void {
  const readers = readersOf(summary);
  const recordAt = runSectionsOf(group);
  let i = 0;
  for (const sm of group) { // one StorageManager at a time (its path only); the group keeps none
    const run = recordAt(i);
    const status = run.status ?? "unknown";
    summary.status[i] = status;
    summary.counts[status] = (summary.counts[status] ?? 0) + 1;
    summary.duration[i] = run.duration_s;
    if (run.error !== undefined) summary.error.set(i, run.error);
    if (sm.path !== `${summary.groupPath}/${sm.name}`) summary.paths.set(i, sm.path);
    if (i < maxRows) summary.head.push(rowOf(summary, readers, i));
    i++;
  }
}

/** Builds the summary (and sorts the group best first by the objective, when runs have it). */
function summaryRows(
  group: StorageManagerGroup,
  options: SummaryOptions,
  maxRows: number,
): SummaryRows {
  const score = (options.objective?.key ?? options.score ?? "score").toLowerCase();
  const goal = options.objective?.goal ?? "maximize";
  // the roles alone (no distinct values counted), through the group's columns: no StorageManager per run
  const schema = schemaRolesOfRows(rowsOf(group));
  const bookkeeping = new Set(schema.bookkeeping);
  const all = group.getAllParams().filter((p) => !bookkeeping.has(p));
  const swept = sweptOf(group, options, all, schema).filter((p) => p !== score);
  const hasScore = group.getAllParams().includes(score); // some run has it (no StorageManager per run)
  if (hasScore) group.sortBy(score, { descending: goal !== "minimize" });
  const rest = all.filter((p) => !swept.includes(p) && p !== score);
  // The run's own columns are renamed run_<name> where a parameter has their name (a CSV header, and
  // pandas or Python's csv.DictReader on it, must not see one name twice).
  const own = (c: string) => freeName(all, "run_", c);
  const columns = [
    own("run"),
    own("status"),
    ...swept,
    ...(hasScore ? [score] : []),
    ...rest,
    own("duration_s"),
    own("error"),
  ];
  const summary: SummaryRows = {
    columns,
    all,
    rows: rowsOf(group),
    // one slot per run made at once: arrays grown a run at a time left their old copies (MBs) behind
    status: new Array(group.length),
    duration: new Array(group.length),
    error: new Map(),
    paths: new Map(),
    groupPath: group.path,
    head: [],
    counts: {},
    swept,
    score,
    goal,
    hasScore,
    rest,
  };
  recordsOf(group, summary, maxRows);
  if (hasRepeats(group, swept)) {
    const numeric = new Set(schema.numeric);
    const values = [...(hasScore ? [score] : []), ...rest.filter((p) => numeric.has(p))];
    const objective = hasScore ? { key: score, goal } : undefined;
    const finished = (i: number) => summary.status[i] === "done" || summary.status[i] === "unknown";
    summary.points = pointTables(summary.rows, finished, swept, values, objective);
  }
  return summary;
}

/** The table to print: the first `maxRows` rows (points with repeats, else runs) and the main columns. */
function consoleText(summary: SummaryRows, maxRows: number): string {
  if (summary.points) {
    const { columns, rows } = summary.points.console;
    let text = toConsoleTable({ columns, rows: rows.slice(0, maxRows) });
    if (rows.length > maxRows) {
      text += `… and ${
        rows.length - maxRows
      } more points (all in summary.csv; every run in runs.csv)\n`;
    }
    return text;
  }
  const { columns, head, swept, hasScore, rest } = summary;
  // By position, not by name: a user parameter may be called `status`, `run` or `duration_s` too.
  const lead = 2 + swept.length + (hasScore ? 1 : 0); // run, status, swept, score
  const shownAt = [
    ...columns.keys().take(lead),
    ...columns.keys().drop(lead).take(Math.min(3, rest.length)),
    columns.length - 2, // duration_s
  ];
  const shown: Table = {
    columns: shownAt.map((i) => columns[i]),
    rows: head.slice(0, maxRows).map((r) => shownAt.map((i) => r[i])),
  };
  let text = toConsoleTable(shown);
  if (summary.rows.length > maxRows) {
    text += `… and ${summary.rows.length - maxRows} more runs (all in summary.csv)\n`;
  }
  return text;
}

/** A file's bytes in pieces of at most 1 MiB, read into one buffer (each piece written before the next read). */
async function* fileBytes(path: string): AsyncGenerator<Uint8Array> {
  using file = await Deno.open(path);
  const buffer = new Uint8Array(1 << 20);
  for (let n = await file.read(buffer); n !== null; n = await file.read(buffer)) {
    yield buffer.subarray(0, n);
  }
}

/**
 * Writes summary.csv (per point with repeats, else per run), runs.csv (every run), summary.json and (when
 * runs have a score) plot.svg into the group folder.
 */
async function writeSummaryFiles(
  group: StorageManagerGroup,
  summary: SummaryRows,
): Promise<SweepSummary["files"]> {
  const { swept, score, goal, hasScore, counts } = summary;
  const csv = join(group.path, "summary.csv");
  const runsCsv = join(group.path, "runs.csv");
  const json = join(group.path, "summary.json");
  await Deno.mkdir(group.path, { recursive: true });
  const readers = readersOf(summary);
  const runRow = (i: number) => rowOf(summary, readers, i);
  await atomicWriteTextPieces(runsCsv, csvPieces(summary.columns, summary.rows.length, runRow));
  if (summary.points) await atomicWriteText(csv, toCSV(summary.points.csv));
  // without repeats summary.csv is runs.csv: copied, not made from the rows a second time
  else await atomicWriteTextPieces(csv, fileBytes(runsCsv));
  const head = {
    name: group.name,
    written: new Date().toISOString(),
    swept,
    score: hasScore ? score : null,
    objective: hasScore ? { key: score, goal } : null,
    counts,
    points: summary.points?.points ?? null,
  };
  await atomicWriteTextPieces(json, jsonPieces(head, summary));
  const files: SweepSummary["files"] = { csv, json, runs: runsCsv };
  const svg = hasScore ? stackedPlots(group, swept, score) : undefined;
  if (svg) {
    files.svg = join(group.path, "plot.svg");
    await atomicWriteTextPieces(files.svg, svg);
  }
  return files;
}

/**
 * Writes the sweep's summary files into the group folder and returns the table to print. Runs are sorted
 * best first by the objective (`score`, largest first, unless `objective` says otherwise) when they have
 * it. With repeats, the table and summary.csv hold one row per point: each result's mean ± std over the
 * point's finished (`done`) runs and their number n (summary.csv: count, mean, std (ddof = 1), sem, 95 %
 * CI (Student t), min, max), best first by the objective's mean; runs.csv keeps every run. Runs whose
 * process is gone are marked `interrupted` first.
 *
 * @throws {StorageError|Deno.errors.PermissionDenied} When the files cannot be written (a full disk).
 *
 * @example
 * ```ts
 * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * import { writeSummary } from "@sweepstore/sweepstore/runner";
 * const dataFolder = await Deno.makeTempDir();
 * for (const [n, score] of [[1, 0.1], [1, 0.3], [2, 0.6], [2, 0.4]]) {
 *   await StorageManager.create("Sum", { dataFolder, params: { Parameters: { n, score }, Run: { status: "done" } } });
 * }
 * const summary = await writeSummary(await StorageManagerGroup.load("Sum", { dataFolder }), { swept: ["n"] });
 * console.log(summary.table); // n = 2 first: 0.5 ± 0.1414, n = 2
 * ```
 */
export async function writeSummary(
  group: StorageManagerGroup,
  options: SummaryOptions = {},
): Promise<SweepSummary> {
  await reconcileRuns(group);
  const maxRows = options.maxRows ?? 20;
  const summary = summaryRows(group, options, maxRows);
  const table = consoleText(summary, maxRows);
  const files = await writeSummaryFiles(group, summary);
  const { swept, score: objective, goal } = summary;
  files.html = await writeHtmlReport(group, {
    swept,
    objective,
    goal,
    runRecord: readRunSection,
    runRecords: runSectionsOf,
  });
  const out: SweepSummary = { table, counts: summary.counts, files };
  if (summary.points) out.points = summary.points.points;
  return out;
}
