/**
 * The sweep runner: `runSweep` runs a simulation module over a parameter grid, random samples or explicit
 * points, each run in its own randomly named run folder, in a pool of subprocess slots (or as a SLURM job
 * array), then writes the group analysis.
 *
 * @example
 * ```ts ignore
 * import { runSweep } from "@sweepstore/sweepstore/runner";
 * const result = await runSweep({
 *   name: "MySweep",
 *   simulation: new URL("./sim.ts", import.meta.url),
 *   grid: { n: [100, 1000], lr: [0.1, 0.01] },
 *   repeats: 3,
 *   timeoutMs: 60_000,
 * });
 * console.log(result.runs.filter((r) => r.status === "done").length);
 * ```
 *
 * @module
 */

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { findDataFolder } from "../src/run/data_folder.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { validateName } from "../src/run/names.ts";
import { type PermissionOptions, WorkerPool } from "./local/pool.ts";
import { Progress, type ProgressCounts } from "./cli/progress.ts";
import {
  collectSweep,
  type SlurmOptions,
  type SlurmSubmission,
  submitSweep,
  waitForSweep,
} from "./slurm/slurm.ts";
import { type SweepSummary, writeSummary } from "./summary.ts";
import { expandSweep, type SweepSpec, type SweepTask } from "./sweep.ts";
import type { RunRecord } from "./task.ts";

export * from "./sweep.ts";
export * from "./task.ts";
export * from "./local/pool.ts";
export * from "./cli/progress.ts";
export * from "./summary.ts";
export * from "./slurm/slurm.ts";
export * from "./local/lines.ts";

/** Options for {@linkcode runSweep}. */
export interface RunSweepOptions extends SweepSpec {
  /** The sweep's name: its runs go to `Data/StorageManager/<name>/<name><nr>/`. */
  name: string;
  /** The simulation module (a URL, or a path relative to the working directory). */
  simulation: string | URL;
  /**
   * How many runs at once.
   * @default {navigator.hardwareConcurrency}
   */
  concurrency?: number;
  /**
   * Per-run time limit in milliseconds, from the run's start.
   * @default {undefined} (none)
   */
  timeoutMs?: number;
  /**
   * How many times a failed or timed-out run is tried again.
   * @default {0}
   */
  retries?: number;
  /**
   * Skip points (and repeats) that already have a finished (`done`) run in this group.
   * @default {false}
   */
  resume?: boolean;
  /**
   * The Data folder.
   * @default {the first `Data` folder found walking up from the working directory, else `./Data`}
   */
  dataFolder?: string;
  /**
   * Show progress: a live bar on a terminal, plain lines otherwise; `false` for none.
   * @default {true}
   */
  progress?: boolean;
  /** What the simulations may do beyond reading the project and writing the Data folder. */
  permissions?: PermissionOptions;
  /**
   * V8 heap limit per slot, in MiB.
   * @default {undefined}
   */
  memoryMb?: number;
  /**
   * More `deno run` arguments for the slots (e.g. `["--config", "deno.json"]`).
   * @default {[]}
   */
  denoArgs?: string[];
  /**
   * At most this many tasks queued per slot (only runs shorter than ~10 ms get more than one).
   * @default {8}
   */
  prefetch?: number;
  /**
   * Write summary.csv, summary.json and plot.svg and print the summary table after the runs.
   * @default {true}
   */
  summary?: boolean;
  /**
   * Where the runs run: `"workers"`, a pool of local subprocesses; `"slurm"`, a SLURM job array (the Data
   * folder must be on a file system the nodes share).
   * @default {"workers"}
   */
  backend?: "workers" | "slurm";
  /** Options of the SLURM backend (partition, time, chunk, wait, …). */
  slurm?: SlurmOptions;
  /**
   * On Ctrl-C (SIGINT): stop, mark running runs `interrupted`, print the summary so far and exit the
   * process with code 130. With `false`, `runSweep` returns with `interrupted: true` instead.
   * @default {true}
   */
  exitOnInterrupt?: boolean;
}

/** What {@linkcode runSweep} did. */
export interface SweepResult {
  /** The sweep's id (also in each run's `[Run] sweep`). */
  id: string;
  /** One record per task that ran, in sweep order. */
  runs: RunRecord[];
  /** Tasks skipped because `resume` found a finished run. */
  skipped: number;
  /** All runs of the sweep's name, after the sweep. */
  group: StorageManagerGroup;
  /** The summary files and table, unless `summary: false`. */
  summary?: SweepSummary;
  /** Whether the sweep was interrupted (SIGINT). */
  interrupted: boolean;
  /** The SLURM submission, with `backend: "slurm"`. */
  slurm?: SlurmSubmission;
}

function printSummary(name: string, summary: SweepSummary, note = ""): void {
  const line = Object.entries(summary.counts).map(([k, v]) => `${v} ${k}`).join(", ");
  console.log(`\n${name}: ${line}${note}\n${summary.table}`);
  console.log(
    `summary: ${summary.files.csv}\n         ${summary.files.json}${
      summary.files.svg ? `\n         ${summary.files.svg}` : ""
    }`,
  );
}

function simulationUrl(simulation: string | URL): string {
  if (simulation instanceof URL) return simulation.href;
  if (/^(file|https?|jsr|npm):/.test(simulation)) return simulation;
  return pathToFileURL(resolve(simulation)).href;
}

/** The keys of the runs that already finished: `<point>#<repeat>`. */
function finishedKeys(group: StorageManagerGroup): Set<string> {
  const done = new Set<string>();
  for (const sm of group) {
    if (sm.param("status", { section: "Run" }) !== "done") continue;
    const point = sm.param("point", { section: "Run" });
    const repeat = sm.param("repeat", { section: "Run", default: 0 });
    if (typeof point === "string") done.add(`${point}#${repeat}`);
  }
  return done;
}

function sweptNames(options: SweepSpec): string[] {
  const names = new Set<string>([
    ...Object.keys(options.grid ?? {}),
    ...Object.keys(options.random ?? {}),
    ...(options.points ?? []).flatMap((p) => Object.keys(p)),
  ]);
  return [...names];
}

/**
 * Runs a sweep (see {@linkcode RunSweepOptions}): expands the points, skips finished ones with `resume`,
 * runs the rest in a pool of subprocess slots with the fewest permissions (read the project, write the
 * Data folder), shows progress, and writes the group analysis. Failing, crashing, stuck and out-of-memory
 * simulations are marked in their run folders and the sweep goes on.
 *
 * @example
 * ```ts ignore
 * import { runSweep } from "@sweepstore/sweepstore";
 * const result = await runSweep({ name: "Demo", simulation: "./sim.ts", grid: { n: [10, 100] }, repeats: 2 });
 * console.log(result.summary?.table);
 * ```
 */
export async function runSweep(options: RunSweepOptions): Promise<SweepResult> {
  validateName(options.name, "sweep name");
  const dataFolder = options.dataFolder !== undefined
    ? resolve(options.dataFolder)
    : await findDataFolder();
  const simulation = simulationUrl(options.simulation);
  const id = `${options.name}-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 6)}`;
  let tasks: SweepTask[] = expandSweep(options);
  let skipped = 0;
  if (options.resume) {
    const done = finishedKeys(await StorageManagerGroup.load(options.name, { dataFolder }));
    const before = tasks.length;
    tasks = tasks.filter((t) => !done.has(`${t.point}#${t.repeat}`));
    skipped = before - tasks.length;
  }
  if (skipped) {
    console.error(
      `resume: ${skipped} of ${
        skipped + tasks.length
      } runs already finished, ${tasks.length} to run`,
    );
  }

  if (options.backend === "slurm") {
    const slurm = options.slurm ?? {};
    const submission = await submitSweep({
      id,
      name: options.name,
      dataFolder,
      simulation,
      tasks,
      swept: sweptNames(options),
      retries: options.retries,
      concurrency: options.concurrency,
      permissions: options.permissions,
      memoryMb: options.memoryMb,
      denoArgs: options.denoArgs,
      slurm,
    });
    console.error(
      `submitted SLURM job ${submission.jobId}: ${tasks.length} runs in ${submission.arrayTasks} array tasks` +
        (submission.collectJobId ? `, collect job ${submission.collectJobId}` : ""),
    );
    if (slurm.wait === false) {
      const group = await StorageManagerGroup.load(options.name, { dataFolder });
      return { id, runs: [], skipped, group, interrupted: false, slurm: submission };
    }
    await waitForSweep(submission.sweepFile, { slurm, progress: options.progress });
    const collected = await collectSweep(submission.sweepFile, {
      slurm,
      summary: options.summary !== false,
    });
    if (collected.summary) printSummary(options.name, collected.summary);
    const group = await StorageManagerGroup.load(options.name, { dataFolder });
    const runs = collected.records.sort((a, b) => a.index - b.index);
    return {
      id,
      runs,
      skipped,
      group,
      summary: collected.summary,
      interrupted: false,
      slurm: submission,
    };
  }

  const counts: ProgressCounts = { done: 0, failed: 0, running: 0, total: tasks.length };
  const progress = new Progress({ mode: options.progress === false ? "off" : undefined });
  const pool = new WorkerPool({ simulation, name: options.name, dataFolder, sweepId: id }, {
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    permissions: options.permissions,
    memoryMb: options.memoryMb,
    denoArgs: options.denoArgs,
    prefetch: options.prefetch,
    onEvent: (e) => {
      if (e.type === "start") counts.running++;
      else {
        counts.running = Math.max(0, counts.running - 1);
        if (e.type === "end") e.record.status === "done" ? counts.done++ : counts.failed++;
      }
      progress.update(counts);
    },
  });

  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    pool.interrupt(); // run() below then resolves with the records so far
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  let records: RunRecord[];
  try {
    records = await pool.run(tasks);
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
  progress.finish(counts);

  const runs = records.filter((r): r is RunRecord => r !== undefined);
  const group = await StorageManagerGroup.load(options.name, { dataFolder });
  let summary: SweepSummary | undefined;
  if (options.summary !== false) {
    summary = await writeSummary(group, { swept: sweptNames(options) });
    printSummary(options.name, summary, interrupted ? " (interrupted)" : "");
  }
  if (interrupted && options.exitOnInterrupt !== false) Deno.exit(130);
  return { id, runs, skipped, group, summary, interrupted };
}
