/**
 * `sweepstore report`: the runs of a sweep as a table, CSV, Markdown, JSON or the self-contained HTML
 * report; its option specs (which are also its help) and what it does.
 *
 * @module
 */

import { Command } from "@commander-js/extra-typings";
import { StorageManagerGroup } from "../../src/group/group.ts";
import { UsageError } from "./errors.ts";
import { nameList, sectionName, sweepName, whereQuery } from "./_values.ts";
import { dataFolderOf, outputPath, writeErr, writeOut, writeOutput } from "./_output.ts";
import { type CommandContext, DATA_HELP } from "./_context.ts";
import { type Table, toConsoleTable, toCSV, toMarkdown } from "../../src/group/table.ts";
import { runState } from "./_run_states.ts";
import { writeHtmlReport } from "../../src/report_html/html_report.ts";
import { readRunSection } from "../run_record.ts";
import { runSectionsOf } from "../run_sections.ts";
import { pythonJson } from "../../src/formats/_python_json.ts";

function reportSpec() {
  return new Command("report")
    .summary("print (or write as CSV/Markdown/JSON/HTML) the runs of a sweep")
    .description(
      "Prints the runs of a sweep: an aligned table, or CSV, Markdown or JSON; --html writes the " +
        "self-contained HTML report (one file, no server: open it in a browser).",
    )
    .argument("<name>", "the sweep's name", sweepName)
    .option("--sort <param>", "sort by a parameter (largest first; --asc for smallest first)")
    .option("--asc", "ascending order")
    .option("--where <query>", 'only runs matching a query, e.g. "n>1000 && lr<=0.01"', whereQuery)
    .option(
      "--columns <a,b,…>",
      "parameters to show (default: all but bookkeeping: the time stamp `time`, `seed`, `repeat`)",
      nameList,
    )
    .option("--csv", "write CSV")
    .option("--markdown", "write a Markdown table")
    .option("--json", "write a JSON array of objects")
    .option(
      "--html",
      "write the HTML report (default file: report.html in the sweep's folder; --sort names the objective)",
    )
    .option("-o, --output <file>", "write to a file instead of the terminal")
    .option("--section <name>", "the config.ini section (default: Parameters)", sectionName)
    .option("--data <dir>", DATA_HELP);
}

type ReportOpts = ReturnType<ReturnType<typeof reportSpec>["opts"]>;

/**
 * Loads a sweep's group, printing the run folders that could not be read.
 *
 * @param name The sweep's name.
 * @param data The `--data` option.
 * @returns The group.
 *
 * @example
 * ```ts
 * import { loadGroup } from "./_report_command.ts";
 * console.log((await loadGroup("Nothing", await Deno.makeTempDir())).length); // 0
 * ```
 */
export async function loadGroup(
  name: string,
  data: string | undefined,
): Promise<StorageManagerGroup> {
  const smg = await StorageManagerGroup.load(name, { dataFolder: await dataFolderOf(data) });
  for (const e of smg.errors) {
    const message = e.error.message;
    writeErr(
      message.includes(e.path) ? `skipped: ${message}\n` : `skipped ${e.path}: ${message}\n`,
    );
  }
  return smg;
}

/**
 * `--json`: one object per run, as Python's `json` module writes and reads it (`pythonJson`, as
 * summary.json): NaN, Infinity, -Infinity, -0.0 and integers past 2⁵³ keep their values (JSON.stringify
 * made them null, 0 and strings).
 */
function jsonText(table: Table) {
  return pythonJson(
    table.rows.map((r) => Object.fromEntries(table.columns.map((c, j) => [c, r[j] ?? null]))),
  ) + "\n";
}

/**
 * A usage error naming parameters that no run has, and the ones the runs do have.
 *
 * @example
 * ```ts
 * import { unknownParams } from "./_report_command.ts";
 * console.log(unknownParams("--x", ["nope"], ["n", "score"], undefined, "plot").message);
 * // --x: no run has "nope" in [Parameters]; the runs have: n, score
 * ```
 */
export function unknownParams(
  flag: string,
  unknown: string[],
  known: string[],
  section?: string,
  command = "report",
): UsageError {
  const shown = known.length > 30 ? [...known.slice(0, 30), "…"] : known;
  return new UsageError(
    `${flag}: no run has ${unknown.map((n) => `"${n}"`).join(", ")} in [${
      section ?? "Parameters"
    }]; the runs have: ${shown.join(", ") || "no parameters"}`,
    command,
  );
}

/**
 * In a `[Run]` table, shows a run that says `running` while its owner is gone as `interrupted` (only
 * what is printed: `status` marks the folder). Checks the owners of `running` runs only.
 */
async function showDeadRuns(smg: StorageManagerGroup, table: Table): Promise<void> {
  const column = table.columns.indexOf("status");
  if (column < 0) return;
  for (const [i, row] of table.rows.entries()) {
    if (row[column] === "running" && (await runState(smg.runs[i])) === "interrupted") {
      row[column] = "interrupted";
    }
  }
}

/** `--html`: writes the report of the (queried) runs and says where. */
async function htmlAction(smg: StorageManagerGroup, opts: ReportOpts): Promise<number> {
  if (opts.columns || opts.section) {
    throw new UsageError("--html takes no --columns or --section", "report");
  }
  if (opts.asc && !opts.sort) {
    throw new UsageError("--asc needs --sort <objective>: --html --sort loss --asc", "report");
  }
  const objective = opts.sort?.toLowerCase();
  const file = await writeHtmlReport(smg, {
    objective,
    // --sort KEY --asc: smaller is better (a loss); the sweep's own goal otherwise.
    goal: opts.asc ? "minimize" : undefined,
    runRecord: readRunSection,
    runRecords: runSectionsOf,
    // checked as every -o is: a mistyped folder is refused, not created
    file: opts.output === undefined ? undefined : await outputPath(opts.output),
  });
  writeOut(`${file}\n`);
  return 0;
}

async function reportAction(name: string, opts: ReportOpts): Promise<number> {
  if ([opts.csv, opts.markdown, opts.json].filter(Boolean).length > 1) {
    throw new UsageError("choose one of --csv, --markdown and --json", "report");
  }
  if (opts.html && (opts.csv || opts.markdown || opts.json)) {
    throw new UsageError(
      "--html writes the HTML report: drop --csv, --markdown and --json",
      "report",
    );
  }
  const smg = await loadGroup(name, opts.data);
  if (smg.length === 0) {
    writeErr(`no runs of "${name}" in ${smg.path}\n`);
    return 1;
  }
  const section = opts.section;
  const known = smg.getAllParams({ section });
  if (section !== undefined && known.length === 0) {
    // A typo (`--section run`) printed the run names alone and exited 0, as if the runs had nothing.
    throw new UsageError(
      `--section ${section}: no run has a parameter in [${section}]; section names are ` +
        `case-sensitive, as configparser's (a sweep's runs have [Parameters] and [Run])`,
      "report",
    );
  }
  for (
    const [flag, names] of [["--sort", opts.sort ? [opts.sort] : []], [
      "--columns",
      opts.columns ?? [],
    ]] as const
  ) {
    const unknown = names.filter((n) => !known.includes(n.toLowerCase()));
    if (unknown.length) throw unknownParams(flag, unknown, known, section);
  }
  if (opts.sort) smg.sortBy(opts.sort, { descending: !opts.asc, section });
  if (opts.where) smg.runs = smg.query(opts.where, { section });
  if (opts.html) return await htmlAction(smg, opts);
  // Bookkeeping (the time stamp every run gets on creation, seeds, repeats) would crowd every table, as in
  // the sweep summary: shown only when asked for. In another section (e.g. Run) every column is shown.
  const parameters = section === undefined || section === "Parameters";
  const hidden = new Set(parameters ? smg.schema().bookkeeping : []);
  const columns = opts.columns ?? known.filter((p) => !hidden.has(p));
  const table = smg.toTable(columns, { section });
  if (section?.toLowerCase() === "run") await showDeadRuns(smg, table);
  const text = opts.csv
    ? toCSV(table)
    : opts.markdown
    ? toMarkdown(table)
    : opts.json
    ? jsonText(table)
    : toConsoleTable(table);
  await writeOutput(text, opts.output);
  return 0;
}

/**
 * The `report` command, wired to set `context.exitCode`.
 *
 * @param context Receives the exit code.
 * @returns The command.
 *
 * @example
 * ```ts
 * import { reportCommand } from "./_report_command.ts";
 * console.log(reportCommand({ exitCode: 0 }).name()); // "report"
 * ```
 */
export function reportCommand(context: CommandContext): Command<[string], ReportOpts> {
  return reportSpec().action(async (name, opts) => {
    context.exitCode = await reportAction(name, opts);
  });
}
