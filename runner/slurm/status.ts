/**
 * The state of a SLURM sweep, merged from its run folders and SLURM's account of its array tasks, over
 * every job array of the sweep: per point `pending` (its task is queued), `running`, `requeued` (its run
 * was preempted and its task waits to run again), `unstarted` (its task ended without starting it),
 * `refused` (sbatch never accepted the sweep), or how its run ended.
 *
 * @module
 */

import { StorageManagerGroup } from "../../src/group/group.ts";
import type { StorageManager } from "../../src/run/storage_manager.ts";
import type { FailureReason, RunStatus, SweepCounts } from "../events.ts";
import { readRunSection } from "../run_record.ts";
import type { SweepTask } from "../sweep.ts";
import { type Accounts, type TaskAccount, taskAccounts } from "./accounting.ts";
import { clusterLimits } from "./limits.ts";
import type { SlurmOptions } from "./options.ts";
import { ACTIVE_STATES } from "./squeue.ts";
import { readSweepFile, slurmTaskId, sweepArrays, type SweepFile } from "./sweep_file.ts";

/** A point's state in a SLURM sweep (see the module documentation). */
export type PointState = RunStatus | "running" | "pending" | "requeued" | "unstarted" | "refused";

/** One task (point × repeat) of a SLURM sweep. */
export interface SweepStatusRun {
  /** The task. */
  task: SweepTask;
  /** Its array task in the sweep (over all arrays). */
  arrayTask: number;
  /** SLURM's id of that array task, `<job>_<task>`. */
  slurmTask?: string;
  /** Its newest run folder, if any. */
  path?: string;
  /** Its state. */
  status: PointState;
  /** Why its run did not end `done`. */
  reason?: FailureReason;
}

/** Per-run states of a SLURM sweep, from the runs' folders and SLURM. */
export interface SweepStatus {
  /** The sweep file's content. */
  sweep: SweepFile;
  /** SLURM's state per array task of the sweep (absent once SLURM forgot the job). */
  slurm: Map<number, string>;
  /** SLURM's account per array task of the sweep (state, exit code, restarts, memory, elapsed). */
  accounts: Map<number, TaskAccount>;
  /** Per task (point × repeat). */
  runs: SweepStatusRun[];
  /** Whether no array task is pending or running any more (a refused sweep: true). */
  finished: boolean;
  /** The array tasks SLURM still has queued or running, as `<job>_<task>`. */
  active: string[];
}

/** The newest attempt's folder of each task of the sweep. */
function foldersByIndex(
  group: Iterable<StorageManager>,
  sweepId: string,
): Map<number, StorageManager> {
  const byIndex = new Map<number, { sm: StorageManager; attempt: number }>();
  for (const sm of group) {
    const run = readRunSection(sm);
    if (run.sweep !== sweepId || run.index === undefined) continue;
    const attempt = run.attempt ?? 0;
    const prev = byIndex.get(run.index);
    if (!prev || attempt >= prev.attempt) byIndex.set(run.index, { sm, attempt });
  }
  return new Map([...byIndex].map(([k, v]) => [k, v.sm]));
}

/** SLURM's account per array task of the sweep, and the array tasks of jobs SLURM no longer knows. */
function byArrayTask(sweep: SweepFile, accounts: Accounts) {
  const out = new Map<number, TaskAccount>();
  const forgotten = new Set<number>();
  for (const a of sweepArrays(sweep)) {
    let known = false;
    for (let i = 0; i < a.count; i++) {
      const account = accounts.get(`${a.job}_${i}`);
      if (account) out.set(a.first + i, account);
      known ||= account !== undefined;
    }
    // Forgotten (MinJobAge passed, no slurmdbd): nothing of it is queued any more.
    if (!known) { for (let i = 0; i < a.count; i++) forgotten.add(a.first + i); }
  }
  return { accounts: out, forgotten };
}

function pointState(
  sm: StorageManager | undefined,
  account: TaskAccount | undefined,
  refused: boolean,
  forgotten: boolean,
): { status: PointState; reason?: FailureReason } {
  const active = account !== undefined && ACTIVE_STATES.has(account.state);
  if (!sm) {
    if (refused) return { status: "refused" };
    // A job SLURM forgot has ended: its points without a run folder never started.
    const waiting = active || (account === undefined && !forgotten);
    return { status: waiting ? "pending" : "unstarted" };
  }
  const run = readRunSection(sm);
  if (run.status === "interrupted" && run.reason === "preempted" && active) {
    return { status: "requeued", reason: run.reason };
  }
  return { status: run.status ?? "running", reason: run.reason };
}

/**
 * Reads the state of a SLURM sweep over all its job arrays: which points are done, failed (by reason),
 * running, requeued, still pending, and which array tasks SLURM still has queued.
 *
 * @throws {Error} When scontrol or sacct fails (other than for a job SLURM forgot).
 *
 * @example
 * ```ts ignore
 * import { listSweepFiles, sweepStatus } from "@sweepstore/sweepstore/runner";
 * const status = await sweepStatus((await listSweepFiles("/project/Data", "MySweep"))[0]);
 * console.log(status.finished, status.active, status.runs.map((r) => r.status));
 * ```
 */
export async function sweepStatus(
  sweepFile: string,
  slurm: SlurmOptions = {},
): Promise<SweepStatus> {
  const sweep = await readSweepFile(sweepFile);
  const refused = sweep.refused !== undefined;
  const { accounts, forgotten } = refused || !sweep.jobs.length
    ? { accounts: new Map<number, TaskAccount>(), forgotten: new Set<number>() }
    : byArrayTask(sweep, await taskAccounts(sweep.jobs, slurm, (await clusterLimits(slurm)).sacct));
  const group = await StorageManagerGroup.load(sweep.name, { dataFolder: sweep.dataFolder });
  const byIndex = foldersByIndex(group, sweep.id);
  const active: string[] = [];
  for (const [i, a] of [...accounts].sort((x, y) => x[0] - y[0])) {
    if (ACTIVE_STATES.has(a.state)) active.push(slurmTaskId(sweep, i)!);
  }
  const runs = sweep.tasks.map((task, i): SweepStatusRun => {
    const arrayTask = Math.floor(i / sweep.chunk);
    const sm = byIndex.get(task.index);
    return {
      task,
      arrayTask,
      slurmTask: slurmTaskId(sweep, arrayTask),
      path: sm?.path,
      ...pointState(sm, accounts.get(arrayTask), refused, forgotten.has(arrayTask)),
    };
  });
  const slurmStates = new Map([...accounts].map(([k, v]) => [k, v.state]));
  return { sweep, slurm: slurmStates, accounts, runs, finished: active.length === 0, active };
}

/**
 * Runs of a SLURM sweep by state (`pending`, `requeued`, `refused` runs count only in `total`; every end
 * other than `done`, and `unstarted`, counts as `failed`).
 *
 * @example
 * ```ts
 * import { slurmCounts, type SweepStatus } from "@sweepstore/sweepstore/runner";
 * const status = {
 *   runs: [{ status: "done" }, { status: "running" }, { status: "timeout" }, { status: "pending" }],
 * } as SweepStatus; // (from sweepStatus(sweepFile))
 * console.log(slurmCounts(status)); // { done: 1, failed: 1, running: 1, total: 4 }
 * ```
 */
export function slurmCounts(status: SweepStatus): SweepCounts {
  const counts: SweepCounts = { done: 0, failed: 0, running: 0, total: status.runs.length };
  for (const r of status.runs) {
    if (r.status === "done") counts.done++;
    else if (r.status === "running") counts.running++;
    else if (!["pending", "requeued", "refused"].includes(r.status)) counts.failed++;
  }
  return counts;
}

/**
 * Array task ids as compact ranges per job, e.g. `7_[0-3,5], 8_[0-2]`.
 *
 * @example
 * ```ts
 * import { taskRanges } from "./status.ts";
 * console.log(taskRanges(["7_0", "7_1", "7_2", "7_5", "8_0"])); // "7_[0-2,5], 8_0"
 * ```
 */
export function taskRanges(ids: string[]): string {
  const byJob = new Map<string, number[]>();
  for (const id of ids) {
    const [job, task] = id.split("_");
    byJob.set(job, [...(byJob.get(job) ?? []), Number(task)]);
  }
  return [...byJob].map(([job, tasks]) => {
    tasks.sort((a, b) => a - b);
    const parts: string[] = [];
    for (let i = 0; i < tasks.length;) {
      let j = i;
      while (j + 1 < tasks.length && tasks[j + 1] === tasks[j] + 1) j++;
      parts.push(i === j ? `${tasks[i]}` : `${tasks[i]}-${tasks[j]}`);
      i = j + 1;
    }
    return tasks.length === 1 ? `${job}_${parts[0]}` : `${job}_[${parts.join(",")}]`;
  }).join(", ");
}
