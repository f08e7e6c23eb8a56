/**
 * The sweep's report as one self-contained HTML file: header (name, runs by status, time span, git
 * commit), a sortable table of the runs (or points) filtered by the project's query language, failures
 * with their reason and stderr tail, parallel coordinates with brushing, the objective against each swept
 * parameter with mean and 95 % CI, a heatmap per pair of swept parameters, per-run detail with links to
 * its files, and the best and mean objective per generation of an adaptive search.
 *
 * The file needs no server and no network (a Content-Security-Policy forbids every request): the styles,
 * the page's script and Apache ECharts (vendored, see `vendor/`) are inline, and the data is embedded as
 * JSON that no value can break out of (see `_embed.ts`). Links to run files are relative to the report, so
 * it keeps working after `rsync`ing the group folder.
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { atomicWriteTextPieces } from "../formats/atomic.ts";
import type { StorageManager } from "../run/storage_manager.ts";
import type { StorageManagerGroup } from "../group/group.ts";
import { collectReport, type ReportData, type RunInfo } from "./_report_data.ts";
import { echartsScript, pageHtml, pagePieces } from "./_page.ts";

export type { RunInfo } from "./_report_data.ts";

/** The report's file name in the group folder. */
export const REPORT_FILE = "report.html";

/** Options for {@linkcode htmlReport} and {@linkcode writeHtmlReport}. */
export interface HtmlReportOptions {
  /**
   * The result to plot and sort by (best first, see `goal`).
   * @default {"score"}
   */
  objective?: string;
  /**
   * Whether a larger (`maximize`) or smaller (`minimize`) objective is better: the table's first order and
   * the "best" per generation.
   * @default {"maximize"}
   */
  goal?: "maximize" | "minimize";
  /**
   * The swept parameters (axes of the plots).
   * @default {the parameters whose values differ between runs, except `time`, `git_commit`, `git_dirty` and the objective}
   */
  swept?: string[];
  /**
   * Reads a run's record (status, reason, error, timings, stderr log, generation); the runner passes
   * `readRunSection`. Without it every run's status is `unknown`.
   */
  runRecord?: (sm: StorageManager) => RunInfo;
  /**
   * Reads every run's record by its position in the group's current order, used instead of `runRecord`
   * when given (the runner passes `runSectionsOf`: no `StorageManager` per run, which a group of 100,000
   * runs made the report's writer pay +126 MiB for); with `fields`, only those fields (the report's
   * counts and time span need four of every run, whole records only of the runs it lists).
   */
  runRecords?: (
    group: StorageManagerGroup,
    fields?: readonly string[],
  ) => (index: number) => RunInfo;
  /**
   * Where the report will be written (links to run files are relative to its folder).
   * @default {`<group folder>/report.html`}
   */
  file?: string;
}

/**
 * The report of `group` as HTML text (see the module doc for what it shows). Reads each run's folder
 * listing and, for failed runs, the tail of their stderr log.
 *
 * @throws {Deno.errors.PermissionDenied} Without read permission for the run folders.
 *
 * @example
 * ```ts
 * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * import { htmlReport } from "@sweepstore/sweepstore/report-html";
 * const dataFolder = await Deno.makeTempDir();
 * for (const n of [1, 2, 3]) {
 *   await StorageManager.create("Html", { dataFolder, params: { Parameters: { n, score: n / 10 } } });
 * }
 * const html = await htmlReport(await StorageManagerGroup.load("Html", { dataFolder }));
 * console.log(html.startsWith("<!DOCTYPE html>")); // true
 * ```
 */
export async function htmlReport(
  group: StorageManagerGroup,
  options: HtmlReportOptions = {},
): Promise<string> {
  return pageHtml(await reportData(group, options), await echartsScript());
}

/** The report's data (the runs' rows bounded by `MAX_REPORT_RUNS`, the statistics' by `MAX_REPORT_POINTS`). */
function reportData(
  group: StorageManagerGroup,
  options: HtmlReportOptions,
): Promise<ReportData> {
  const file = resolve(options.file ?? join(group.path, REPORT_FILE));
  return collectReport(group, {
    reportDir: dirname(file),
    objective: (options.objective ?? "score").toLowerCase(),
    goal: options.goal ?? "maximize",
    swept: options.swept,
    runRecord: options.runRecord,
    runRecords: options.runRecords,
  });
}

/**
 * Writes the report of `group` (crash-safe: temp file + rename) and returns its path:
 * `<group folder>/report.html` unless `options.file` says otherwise.
 *
 * @throws {StorageError} When the file cannot be written (a full disk, a read-only folder).
 *
 * @example
 * ```ts
 * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * import { writeHtmlReport } from "@sweepstore/sweepstore/report-html";
 * const dataFolder = await Deno.makeTempDir();
 * await StorageManager.create("Html", { dataFolder, params: { Parameters: { n: 1, score: 0.5 } } });
 * console.log(await writeHtmlReport(await StorageManagerGroup.load("Html", { dataFolder }))); // …/Html/report.html
 * ```
 */
export async function writeHtmlReport(
  group: StorageManagerGroup,
  options: HtmlReportOptions = {},
): Promise<string> {
  const file = resolve(options.file ?? join(group.path, REPORT_FILE));
  const data = await reportData(group, { ...options, file });
  await Deno.mkdir(dirname(file), { recursive: true });
  // in pieces: the page (megabytes for 10,000 runs) is never one text, nor one UTF-8 copy of it
  await atomicWriteTextPieces(file, pagePieces(data, await echartsScript()));
  return file;
}
