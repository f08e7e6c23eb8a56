/**
 * `runSweep`: checks the options, expands the points, skips what `resume` finds finished or alive
 * elsewhere, runs the rest on a backend (local slots or SLURM), and writes the group summary. A library
 * function: it never prints, exits or installs signal handlers; it reports through `onEvent` (or
 * {@linkcode sweepEvents}) and stops when `signal` is aborted.
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { findDataFolder } from "../src/run/data_folder.ts";
import { gitInfo } from "../src/formats/backup.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import type { Backend, BackendOutcome, SweepPlan } from "./backend.ts";
import { Tally } from "./backend.ts";
import { RecordStore, withRecords } from "./_record_store.ts";
import { reconcileRuns } from "./reconcile.ts";
import { EventGuard } from "./_event_guard.ts";
import { hostName } from "./_run_process.ts";
import type { RunRecord, SweepEvent } from "./events.ts";
import { LocalBackend } from "./local/backend.ts";
import { readRunSection } from "./run_record.ts";
import { SlurmBackend } from "./slurm/backend.ts";
import type { SlurmSubmission } from "./slurm/options.ts";
import { type SweepSummary, writeSummary } from "./summary.ts";
import { expandSweep, type SweepTask } from "./sweep.ts";
import { pickTasks, taskCount, taskList } from "./_task_list.ts";
import { checkSweepOptions, type RunSweepOptions } from "./sweep_options.ts";
import { GridSearch } from "./search/methods.ts";
import {
  plannedEvaluations,
  runSearch,
  type SearchBest,
  type SearchOutcome,
} from "./search/driver.ts";
import { geneNames } from "./search/options.ts";
import { writeSearchPlot } from "./search/plot.ts";

/** What {@linkcode runSweep} did. */
export interface SweepResult {
  /** The sweep's id (also in each run's `[Run] sweep`). */
  id: string;
  /**
   * One record per task that ended, in sweep order. The sweep keeps them compactly and makes these objects
   * when `runs` is first read (then keeps them; assigning replaces them): ~7.5 MB instead of 27–45 MB for
   * 100,000 tiny runs while the summary is written (bench/README.md, "Sweep memory").
   */
  runs: RunRecord[];
  /** Tasks skipped because `resume` found a finished run. */
  skipped: number;
  /** Tasks not run because a live process elsewhere runs (or meanwhile finished) their point. */
  claimedElsewhere: number;
  /** All runs of the sweep's name, after the sweep. */
  group: StorageManagerGroup;
  /** The summary files and the table to print, unless `summary: false` (or the files could not be written). */
  summary?: SweepSummary;
  /** Whether the sweep was stopped through `signal`. */
  interrupted: boolean;
  /** The SLURM submission, with `backend: "slurm"`. */
  slurm?: SlurmSubmission;
  /** A search's best run: `{ params, score, path, generation, individual }` (the objective's value as `score`). */
  best?: SearchBest;
  /** A search's evaluations, per-generation best and mean, reused evaluations, and its plot `search.svg`. */
  search?: Omit<SearchOutcome, "records" | "best"> & { plot?: string };
}

function simulationUrl(simulation: string | URL): string {
  if (simulation instanceof URL) return simulation.href;
  if (/^(file|https?|jsr|npm):/.test(simulation)) return simulation;
  return pathToFileURL(resolve(simulation)).href;
}

function sweptNames(options: RunSweepOptions): string[] {
  const names = new Set<string>([
    ...Object.keys(options.grid ?? {}),
    ...Object.keys(options.random ?? {}),
    ...(options.points ?? []).flatMap((p) => Object.keys(p)),
    ...(options.search ? geneNames(options.search) : []),
  ]);
  return [...names];
}

/**
 * The project's git commit (the Data folder's parent), `+dirty` with uncommitted changes, for
 * `[Run] git_commit`; `undefined` outside a repository or where running git is not allowed (the
 * permission is queried first, so there is never a prompt).
 */
async function sweepGitCommit(dataFolder: string): Promise<string | undefined> {
  try {
    if (Deno.permissions.querySync({ name: "run", command: "git" }).state !== "granted") return;
    const git = await gitInfo(dirname(dataFolder));
    return git ? `${git.commit}${git.dirty ? "+dirty" : ""}` : undefined;
  } catch {
    return undefined; // git missing or failing: the runs simply carry no commit
  }
}

/**
 * With `resume`: marks `running` folders whose process is gone `interrupted`, and drops the tasks that have
 * a `done` run (skipped) or a run alive in another process (claimed elsewhere).
 */
async function resumeFilter(tasks: SweepTask[], name: string, dataFolder: string) {
  const group = await StorageManagerGroup.load(name, { dataFolder });
  const alive = new Set<string>();
  for (const sm of (await reconcileRuns(group)).alive) {
    const run = readRunSection(sm);
    if (run.point !== undefined) alive.add(`${run.point}#${run.repeat ?? 0}`);
  }
  const done = new Set<string>();
  for (const sm of group) {
    const run = readRunSection(sm);
    if (run.point !== undefined && run.status === "done") {
      done.add(`${run.point}#${run.repeat ?? 0}`);
    }
  }
  const keep = new Int32Array(tasks.length);
  let kept = 0;
  let skipped = 0;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]; // (a task list makes each task as it is read: read once)
    const key = `${t.point}#${t.repeat}`;
    if (done.has(key)) skipped++;
    else if (!alive.has(key)) keep[kept++] = i;
  }
  return {
    tasks: pickTasks(tasks, keep.subarray(0, kept)),
    skipped,
    claimed: tasks.length - kept - skipped,
  };
}

async function summarize(
  options: RunSweepOptions,
  dataFolder: string,
  emit: (e: SweepEvent) => void,
): Promise<{ group: StorageManagerGroup; summary?: SweepSummary }> {
  const group = await StorageManagerGroup.load(options.name, { dataFolder });
  if (options.summary === false) return { group };
  try {
    // a search's objective orders the summary (best first in its direction)
    const summaryOptions = { swept: sweptNames(options), objective: options.objective };
    return { group, summary: await writeSummary(group, summaryOptions) };
  } catch (err) {
    emit({
      type: "warning",
      message: `the summary files could not be written: ${(err as Error).message}`,
      path: group.path,
    });
    return { group };
  }
}

/**
 * Runs a sweep (see {@linkcode RunSweepOptions}): checks every option before anything starts, expands the
 * points, skips finished (and alive elsewhere) ones with `resume`, runs the rest with the fewest permissions
 * (read the project, write the Data folder), and writes the group summary. Failing, crashing, stuck and
 * out-of-memory simulations are marked in their run folders and the sweep goes on. With `search` (and
 * `objective`), it runs an adaptive search instead (evolution, random, grid or an ask/tell optimizer;
 * see `SearchOptions`): generation after generation on the same backends, `result.best` the best run.
 *
 * @throws {TypeError|RangeError} A bad option (naming it and the fix), before any folder or process exists.
 * @throws {RangeError} Also with `backend: "slurm"` when sbatch refuses a value given (an unknown
 *   partition, a time over the partition's limit…), naming the option; the sweep file records the refusal.
 * @throws {SimulationLoadError} When the simulation module cannot be loaded.
 * @throws {QueryError} A search constraint that does not parse.
 * @throws {StorageError} With `search` and `resume`, when a run of the search is alive in another process.
 * @throws {unknown} What `onEvent` threw: its first exception stops the sweep as `signal` would (the runs
 *   in progress are interrupted; no later event is delivered), and `runSweep` rejects with it once they
 *   are down.
 *
 * @example
 * ```ts ignore
 * import { runSweep } from "@sweepstore/sweepstore/runner";
 * const stop = new AbortController();
 * const result = await runSweep({
 *   name: "Demo", simulation: "./sim.ts", grid: { n: [10, 100] }, repeats: 2,
 *   signal: stop.signal, onEvent: (e) => e.type === "ended" && console.log(e.record.status),
 * });
 * console.log(result.summary?.table);
 * ```
 */
export async function runSweep(options: RunSweepOptions): Promise<SweepResult> {
  checkSweepOptions(options);
  const guard = new EventGuard(options.onEvent, options.signal);
  try {
    const result = await sweep({ ...options, signal: guard.signal }, guard.emit);
    guard.rethrow();
    return result;
  } catch (err) {
    guard.rethrow(); // the callback's exception first: the sweep's own may come from its stop
    throw err;
  }
}

async function sweep(
  options: RunSweepOptions,
  emit: (e: SweepEvent) => void,
): Promise<SweepResult> {
  const dataFolder = options.dataFolder !== undefined
    ? resolve(options.dataFolder)
    : await findDataFolder();
  const id = `${options.name}-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 6)}`;
  const gitCommit = await sweepGitCommit(dataFolder);
  if (options.search) return await runSearchSweep(options, id, dataFolder, emit, gitCommit);
  const run = gitCommit ? { git_commit: gitCommit } : undefined;
  // SLURM writes every task to its tasks file: the objects; the local pool takes them one at a time
  let tasks = options.backend === "slurm"
    ? expandSweep(options).map((t) => (run ? { ...t, run: { ...t.run, ...run } } : t))
    : taskList(options, run);
  let skipped = 0;
  let claimed = 0;
  if (options.resume) {
    ({ tasks, skipped, claimed } = await resumeFilter(tasks, options.name, dataFolder));
  }
  let backend: Backend | undefined = options.backend === "slurm"
    ? new SlurmBackend()
    : new LocalBackend();
  emit({
    type: "planned",
    sweepId: id,
    backend: backend.name,
    total: tasks.length,
    skipped,
    claimedElsewhere: claimed,
  });
  const tally = new Tally(tasks.length);
  const plan: SweepPlan = {
    id,
    name: options.name,
    dataFolder,
    simulation: simulationUrl(options.simulation),
    tasks,
    swept: sweptNames(options),
    host: hostName(),
    options,
  };
  tasks = [];
  const ran = await runOnBackend(backend, plan, { emit, tally });
  backend = undefined; // the pool (slots, queue, buffers) goes before the group is loaded
  if ("notWaited" in ran) {
    const group = await StorageManagerGroup.load(options.name, { dataFolder });
    const slurm = ran.notWaited;
    return { id, runs: [], skipped, claimedElsewhere: claimed, group, interrupted: false, slurm };
  }
  const { group, summary } = await summarize(options, dataFolder, emit);
  emit({ type: "finished", counts: tally.snapshot(), interrupted: ran.interrupted });
  return withRecords({
    id,
    skipped,
    claimedElsewhere: claimed + ran.claimedElsewhere,
    group,
    summary,
    interrupted: ran.interrupted,
    slurm: ran.slurm,
  }, ran.records) as SweepResult;
}

/**
 * The plan's tasks on the backend; the records come back compact (a `RecordStore`: the local backend puts
 * each in as its run ends, SLURM's are stored once collected). The tasks (for the local backend a task list,
 * `_task_list.ts`) are dropped here, and the caller drops the backend, before the group is loaded on top of
 * what the runs left.
 */
async function runOnBackend(
  backend: Backend,
  plan: SweepPlan,
  context: { emit: (e: SweepEvent) => void; tally: Tally },
): Promise<
  | { notWaited: SlurmSubmission | undefined }
  | Omit<BackendOutcome, "records"> & { records: RecordStore }
> {
  if (plan.tasks.length === 0) {
    return { records: new RecordStore([]), interrupted: false, claimedElsewhere: 0 };
  }
  const store = new RecordStore([], taskCount(plan.tasks)); // each record goes in as its run ends (the local backend)
  await backend.submit(plan, { ...context, records: store });
  if (backend instanceof SlurmBackend && plan.options.slurm?.wait === false) {
    return { notWaited: backend.submission };
  }
  await backend.follow(plan.options.signal);
  const { records, ...outcome } = await backend.collect();
  plan.tasks = [];
  // a backend that returns its records (SLURM) rather than keeping them in the store
  return { ...outcome, records: records.length ? new RecordStore(records) : store };
}

/** `runSweep` with `search`: the generations on the backend, then the summary and `search.svg`. */
async function runSearchSweep(
  options: RunSweepOptions,
  id: string,
  dataFolder: string,
  emit: (e: SweepEvent) => void,
  gitCommit: string | undefined,
): Promise<SweepResult> {
  const search = options.search!;
  const planned = plannedEvaluations(
    search,
    search.method === "grid" && !search.optimizer ? new GridSearch(search).size : undefined,
  );
  const backendName = options.backend === "slurm" ? "slurm" : "local";
  const total = planned ?? search.population ?? 16;
  emit({
    type: "planned",
    sweepId: id,
    backend: backendName,
    total,
    skipped: 0,
    claimedElsewhere: 0,
  });
  const tally = new Tally(total);
  const outcome = await runSearch(options, {
    id,
    dataFolder,
    simulation: simulationUrl(options.simulation),
    host: hostName(),
    gitCommit,
    backend: () => backendName === "slurm" ? new SlurmBackend() : new LocalBackend(),
    context: { emit, tally },
  });
  const { group, summary } = await summarize(options, dataFolder, emit);
  let plot: string | undefined;
  if (options.summary !== false && outcome.generations.length) {
    try {
      plot = await writeSearchPlot(
        group.path,
        outcome.generations,
        outcome.evaluations,
        options.objective!,
        options.name,
      );
    } catch (err) {
      emit({
        type: "warning",
        message: `search.svg could not be written: ${(err as Error).message}`,
      });
    }
  }
  emit({ type: "finished", counts: tally.snapshot(), interrupted: outcome.interrupted });
  const { records, best, ...rest } = outcome;
  return {
    id,
    runs: records,
    skipped: outcome.reused,
    claimedElsewhere: 0,
    group,
    summary,
    interrupted: outcome.interrupted,
    best,
    search: { ...rest, plot },
  };
}

/**
 * The same sweep as {@linkcode runSweep}, as an async iterable of its events; the iterator's return
 * value is the {@linkcode SweepResult}. Breaking out of the loop does not stop the sweep (use `signal`);
 * its later events are then dropped, not queued.
 *
 * @throws {TypeError|RangeError|SimulationLoadError} As {@linkcode runSweep}, from the iteration.
 *
 * @example
 * ```ts ignore
 * import { sweepEvents } from "@sweepstore/sweepstore/runner";
 * const events = sweepEvents({ name: "Demo", simulation: "./sim.ts", grid: { n: [1, 2] } });
 * for await (const e of events) if (e.type === "ended") console.log(e.counts.done, "done");
 * ```
 */
export async function* sweepEvents(
  options: RunSweepOptions,
): AsyncGenerator<SweepEvent, SweepResult, undefined> {
  const queue: SweepEvent[] = [];
  let wake = () => {};
  let settled = false;
  let listening = true;
  const running = runSweep({
    ...options,
    onEvent: (e) => {
      const out = options.onEvent?.(e) as unknown; // an async callback's promise: the guard heeds it
      if (listening) { // once the loop was left: queue nothing more (memory stays bounded)
        queue.push(e);
        wake();
      }
      return out as void;
    },
  });
  running.then(() => (settled = true), () => (settled = true)).finally(() => wake());
  try {
    while (true) {
      while (queue.length) yield queue.shift()!;
      if (settled) return await running;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    listening = false;
    queue.length = 0;
  }
}
