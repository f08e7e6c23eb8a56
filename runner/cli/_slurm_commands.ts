/**
 * `sweepstore status` and `sweepstore collect`: the state of any sweep (local or SLURM), and a SLURM
 * sweep's summary once it ended.
 *
 * @module
 */

import { Command } from "@commander-js/extra-typings";
import {
  collectSweep,
  listSweepFiles,
  type SweepStatus,
  sweepStatus,
  taskRanges,
} from "../slurm/slurm.ts";
import { reconcileRuns } from "../reconcile.ts";
import { groupFolder } from "../../src/layout.ts";
import { runState } from "./_run_states.ts";
import { loadGroup } from "./_report_command.ts";
import { statusCounts } from "./_ls_command.ts";
import { StorageError } from "../../src/errors.ts";
import { messageOf, UsageError } from "./errors.ts";
import { sweepName } from "./_values.ts";
import { dataFolderOf, summaryText, writeErr, writeOut } from "./_output.ts";
import { type CommandContext, DATA_HELP } from "./_context.ts";

/** A SLURM sweep command: `<name>` (the sweep) and `--data`; only its name and texts differ. */
function sweepSpec(name: string, summary: string, description: string) {
  return new Command(name)
    .summary(summary)
    .description(description)
    .argument("<name>", "the sweep's name", sweepName)
    .option("--data <dir>", DATA_HELP);
}

function statusSpec() {
  return sweepSpec(
    "status",
    "per-run states of a sweep (done, failed by reason, timeout, interrupted, running)",
    "Per-run states of the sweep <name>, local or SLURM: counts by state (failed runs by reason). A " +
      "run that says running while the process that ran it is gone (kill -9, a crashed node) is " +
      "marked interrupted in its folder, so 'run --resume' runs it again. For a SLURM sweep also the " +
      "state of each point of its newest sweep file, merged from the run folders and SLURM (pending, " +
      "running, done, failed by reason, requeued), over all its job arrays, and which array tasks " +
      "SLURM still has queued; a sweep that sbatch refused says so.",
  );
}

function collectSpec() {
  return sweepSpec(
    "collect",
    "after a SLURM sweep: mark what SLURM stopped, write the summary files",
    "After a SLURM sweep ended: marks the runs that SLURM stopped (TIMEOUT, CANCELLED, FAILED, …) in " +
      "their folders and writes summary.csv, summary.json and plot.svg, like a local sweep.",
  );
}

type SlurmOpts = ReturnType<ReturnType<typeof statusSpec>["opts"]>;

async function newestSweepFile(name: string, data: string | undefined): Promise<string> {
  const files = await listSweepFiles(await dataFolderOf(data), name);
  if (!files.length) {
    throw new UsageError(
      `no SLURM sweep of "${name}" found (sweep files live in Data/StorageManager/${name}/sweeps/); ` +
        `check the name and --data`,
    );
  }
  return files[0];
}

/** Runs `fn` on the sweep file; a file that does not parse is a `StorageError` naming it. */
async function withSweepFile<T>(file: string, fn: (file: string) => Promise<T>): Promise<T> {
  try {
    return await fn(file);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new StorageError(
      `the sweep file ${file} is corrupt (${messageOf(err)}); move it away to use an older one`,
      { path: file, code: "corrupt", cause: err },
    );
  }
}

function counted(values: Iterable<string>): string {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ");
}

/** The counts of the group's runs by state, after marking the dead `running` ones interrupted. */
async function localStatus(name: string, data: string): Promise<string[] | undefined> {
  const smg = await loadGroup(name, data); // says on stderr which run folders it could not read
  const unread = smg.errors.length;
  if (!smg.length && !unread) return undefined;
  const { interrupted } = await reconcileRuns(smg);
  const states = await Promise.all(smg.runs.map((sm) => runState(sm, true)));
  const by = statusCounts(states);
  const lines = [`${name}: ${smg.length} runs${by ? ` (${by})` : ""}`];
  if (unread) lines.push(`not counted: ${unread} run folders whose config.ini could not be read`);
  if (interrupted.length) {
    lines.push(
      `marked interrupted (the process that ran them is gone): ${interrupted.length}; ` +
        `'sweepstore run … --resume' runs them again`,
    );
  }
  return lines;
}

function pointLabel(r: SweepStatus["runs"][number]): string {
  return (r.status === "failed" || r.status === "requeued") && r.reason
    ? `${r.status} (${r.reason})`
    : r.status;
}

function arrayLines(status: SweepStatus): string[] {
  const { sweep } = status;
  const lines = [
    `SLURM sweep ${sweep.id} (${
      sweep.jobs.length === 1 ? "job" : `${sweep.jobs.length} arrays: jobs`
    } ${sweep.jobs.join(", ")}; ${sweep.tasks.length} runs, ${sweep.chunk} per array task): ${
      status.finished ? "ended" : "active"
    }`,
  ];
  if (status.accounts.size) {
    lines.push(`array tasks: ${counted([...status.accounts.values()].map((a) => a.state))}`);
  }
  if (status.active.length) {
    lines.push(`queued or running array tasks: ${taskRanges(status.active)}`);
  }
  const requeued = [...status.accounts].filter(([, a]) => a.restarts && a.state === "PENDING");
  if (requeued.length) {
    lines.push(
      `requeued array tasks (waiting to run again): ${
        taskRanges(requeued.map(([i]) => status.runs.find((r) => r.arrayTask === i)!.slurmTask!))
      }`,
    );
  }
  return lines;
}

async function slurmStatus(file: string): Promise<string[]> {
  const status = await withSweepFile(file, sweepStatus);
  const { sweep } = status;
  if (sweep.refused !== undefined) {
    return [
      `SLURM sweep ${sweep.id} was never accepted by SLURM: none of its ${sweep.tasks.length} ` +
      `runs was queued. sbatch said: ${sweep.refused}`,
    ];
  }
  if (!sweep.jobs.length) {
    return [`SLURM sweep ${sweep.id} was not submitted (its submission stopped before sbatch)`];
  }
  const lines = [...arrayLines(status), `runs: ${counted(status.runs.map(pointLabel))}`];
  for (const r of status.runs) {
    lines.push(
      `  ${String(r.task.index).padStart(4)}  ${pointLabel(r).padEnd(20)} ${
        (r.slurmTask ?? "").padEnd(10)
      } ${JSON.stringify(r.task.params)}  ${r.path ?? ""}`,
    );
  }
  return lines;
}

async function statusAction(name: string, opts: SlurmOpts): Promise<number> {
  const data = await dataFolderOf(opts.data);
  const files = await listSweepFiles(data, name);
  const local = await localStatus(name, data); // first: it marks the runs whose process is gone
  const slurm = files.length ? await slurmStatus(files[0]) : [];
  if (!local && !files.length) {
    throw new UsageError(
      `no runs of "${name}" found in ${groupFolder(data, name)}; check the name and --data`,
    );
  }
  writeOut([...(local ?? []), ...slurm].join("\n") + "\n");
  return 0;
}

async function collectAction(name: string, opts: SlurmOpts): Promise<number> {
  const file = await newestSweepFile(name, opts.data);
  const { records, summary, status } = await withSweepFile(file, (f) => collectSweep(f));
  if (status.sweep.refused !== undefined) {
    writeErr(
      `the SLURM sweep ${status.sweep.id} was never accepted by SLURM: ${status.sweep.refused}\n`,
    );
    return 1;
  }
  if (!status.finished) {
    writeErr("note: the sweep is still running; collected what has ended so far\n");
  }
  if (summary) writeOut(summaryText(name, summary));
  return records.every((r) => r.status === "done") && status.finished ? 0 : 1;
}

/**
 * The `status` command, wired to set `context.exitCode`.
 *
 * @param context Receives the exit code.
 * @returns The command.
 *
 * @example
 * ```ts
 * import { statusCommand } from "./_slurm_commands.ts";
 * console.log(statusCommand({ exitCode: 0 }).name()); // "status"
 * ```
 */
export function statusCommand(context: CommandContext): Command<[string], SlurmOpts> {
  return statusSpec().action(async (name, opts) => {
    context.exitCode = await statusAction(name, opts);
  });
}

/**
 * The `collect` command, wired to set `context.exitCode`.
 *
 * @param context Receives the exit code.
 * @returns The command.
 *
 * @example
 * ```ts
 * import { collectCommand } from "./_slurm_commands.ts";
 * console.log(collectCommand({ exitCode: 0 }).name()); // "collect"
 * ```
 */
export function collectCommand(context: CommandContext): Command<[string], SlurmOpts> {
  return collectSpec().action(async (name, opts) => {
    context.exitCode = await collectAction(name, opts);
  });
}
