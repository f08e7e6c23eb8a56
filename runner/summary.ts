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
import { atomicWriteTextPieces } from "../src/formats/atomic.ts";
import type { StorageManagerGroup } from "../src/group/group.ts";
import { rowsOf } from "../src/group/group_views.ts";
import { type SchemaRoles, schemaRolesOfRows } from "../src/group/schema.ts";
import { type Table, toConsoleTable } from "../src/group/report.ts";
import { DEFAULT_SECTION } from "../src/run/storage_manager.ts";
import { writeHtmlReport } from "../src/report_html/html_report.ts";
import { reconcileRuns } from "./reconcile.ts";
import { readRunSection, RUN_SECTION, runSectionOf } from "./run_record.ts";
import { runSectionsOf } from "./run_sections.ts";
import type { ParamValue } from "../src/formats/params.ts";
import { lenientValues, type ValueOf } from "../src/group/_index_rows.ts";
import {
  consoleTable,
  csvColumns,
  csvRowAt,
  pointAt,
  pointJsonPieces,
  type PointSummary,
  pointTable,
  type SummaryObjective,
} from "./_summary_points.ts";
import { hasRepeats } from "./_summary_keys.ts";
import { stackedPlots } from "./_summary_plot.ts";
import { freeName } from "../src/group/_column_names.ts";
import { pythonJson } from "../src/formats/_python_json.ts";
import {
  csvPieces,
  Durations,
  jsonPieces,
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
  /**
   * With repeats: the points, best first (also in summary.json). Made when first read (a getter: the
   * sweep's summary of 20,000 points never holds an object per point unless a caller reads them).
   */
  points?: PointSummary[];
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

/** The `[Run]` fields the summary shows (the rest of the record is left unread). */
const RECORD_FIELDS = new Set(["status", "duration_s", "error"]);

/**
 * The records of the runs: status, duration, error (`readRunSection`'s rule, `runSectionOf`, over the
 * group's columns: a `StorageManager`'s parameters would parse the run's whole `config.ini` into objects,
 * ~20 MB promoted for 100,000 runs; and only these three fields: the point text and instants were parsed
 * for nothing), and counts. Statuses are kept as one string each (a few distinct), durations in a
 * `Float64Array`.
 */
function recordsOf(group: StorageManagerGroup, summary: SummaryRows, maxRows: number): void {
  const readers = readersOf(summary);
  const columns = new Map<string, ValueOf>();
  let i = 0;
  const field = (key: string): ParamValue | undefined => {
    if (!RECORD_FIELDS.has(key)) return undefined;
    let read = columns.get(key);
    if (!read) columns.set(key, read = lenientValues(summary.rows, key, RUN_SECTION));
    return read(i);
  };
  const statuses = new Map<string, string>();
  for (const sm of group) { // for its path only: one StorageManager at a time, its config never parsed
    const run = runSectionOf(field);
    let status = run.status ?? "unknown";
    status = statuses.get(status) ?? (statuses.set(status, status), status);
    summary.status[i] = status;
    summary.counts[status] = (summary.counts[status] ?? 0) + 1;
    if (run.duration_s !== undefined) summary.duration.set(i, run.duration_s);
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
  const schema = schemaRolesOfRows(rowsOf(group), options.swept?.map((p) => p.toLowerCase()));
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
    duration: new Durations(group.length),
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
  const sweptValues = swept.map((p) => summary.rows.values(p, DEFAULT_SECTION));
  if (hasRepeats(sweptValues, summary.rows.length)) {
    const numeric = new Set(schema.numeric);
    const values = [...(hasScore ? [score] : []), ...rest.filter((p) => numeric.has(p))];
    const objective = hasScore ? { key: score, goal } : undefined;
    const finished = (i: number) => summary.status[i] === "done" || summary.status[i] === "unknown";
    summary.points = pointTable(summary.rows, finished, swept, values, objective);
  }
  return summary;
}

/** The table to print: the first `maxRows` rows (points with repeats, else runs) and the main columns. */
function consoleText(summary: SummaryRows, maxRows: number): string {
  if (summary.points) {
    const points = summary.points.length;
    let text = toConsoleTable(consoleTable(summary.points, maxRows));
    if (points > maxRows) {
      text += `… and ${points - maxRows} more points (all in summary.csv; every run in runs.csv)\n`;
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
  const points = summary.points;
  if (points) {
    const row = (k: number) => csvRowAt(points, k);
    await atomicWriteTextPieces(csv, csvPieces(csvColumns(points), points.length, row));
  } // without repeats summary.csv is runs.csv: copied, not made from the rows a second time
  else await atomicWriteTextPieces(csv, fileBytes(runsCsv));
  const head = {
    name: group.name,
    written: new Date().toISOString(),
    swept,
    score: hasScore ? score : null,
    objective: hasScore ? { key: score, goal } : null,
    counts,
  };
  await atomicWriteTextPieces(json, jsonPieces(head, summary, points && pointJsonPieces(points)));
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
  const { out, swept, objective, goal } = await summaryWithoutHtml(group, options);
  out.files.html = await writeHtmlReport(group, {
    swept,
    objective,
    goal,
    runRecord: readRunSection,
    runRecords: runSectionsOf,
  });
  return out;
}

/**
 * {@linkcode writeSummary} without report.html (internal: bench/sweep_memory_bench.ts `--no-html` measures
 * this part alone); also returns what report.html is written with.
 */
export async function summaryWithoutHtml(
  group: StorageManagerGroup,
  options: SummaryOptions = {},
): Promise<
  { out: SweepSummary; swept: string[]; objective: string; goal: SummaryObjective["goal"] }
> {
  await reconcileRuns(group);
  const maxRows = options.maxRows ?? 20;
  const summary = summaryRows(group, options, maxRows);
  const table = consoleText(summary, maxRows);
  const files = await writeSummaryFiles(group, summary);
  const out: SweepSummary = { table, counts: summary.counts, files };
  const points = summary.points;
  if (points) {
    // made when first read: the sweep's own summary (and the CLI) never reads them
    let made: PointSummary[] | undefined;
    Object.defineProperty(out, "points", {
      get: () => made ??= Array.from({ length: points.length }, (_, k) => pointAt(points, k)),
      enumerable: true,
      configurable: true,
    });
  }
  return { out, swept: summary.swept, objective: summary.score, goal: summary.goal };
}
