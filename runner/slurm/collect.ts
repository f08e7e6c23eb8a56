/**
 * Following and collecting a SLURM sweep: the state of each run (from the run folders and SLURM), waiting
 * for the array to end, and marking what SLURM stopped (TIMEOUT, CANCELLED, FAILED, OUT_OF_MEMORY, …) in
 * the runs' folders.
 *
 * @module
 */

import { StorageManagerGroup } from "../../src/group/group.ts";
import { StorageManager } from "../../src/run/storage_manager.ts";
import type { FailureReason, RunRecord, RunStatus, SweepCounts } from "../events.ts";
import { markRun, readRunSection, writeRunSection } from "../run_record.ts";
import type { SweepTask } from "../sweep.ts";
import type { SlurmOptions } from "./options.ts";
import { ACTIVE_STATES, arrayStates, STOPPED_STATES } from "./squeue.ts";
import { readSweepFile, type SweepFile } from "./sweep_file.ts";
import { type SweepSummary, writeSummary } from "../summary.ts";

/** Per-run states of a SLURM sweep, from the runs' folders and SLURM. */
export interface SweepStatus {
  /** The sweep file's content. */
  sweep: SweepFile;
  /** SLURM's state per array task (absent once SLURM forgot the job). */
  slurm: Map<number, string>;
  /** Per task (point × repeat): its run folder (if any) and status. */
  runs: {
    task: SweepTask;
    arrayTask: number;
    path?: string;
    status: RunStatus | "running" | "pending";
  }[];
  /** Whether no array task is pending or running any more. */
  finished: boolean;
}

async function slurmStates(sweep: SweepFile, slurm: SlurmOptions): Promise<Map<number, string>> {
  const states = new Map<number, string>();
  for (const job of sweep.jobs) {
    try {
      for (const [k, v] of await arrayStates(job, slurm)) states.set(k, v);
    } catch (err) {
      // squeue forgets finished jobs after MinJobAge: the run folders then tell everything.
      if (!/Invalid job id/i.test((err as Error).message)) throw err;
    }
  }
  return states;
}

/** The newest attempt's folder of each task of the sweep. */
function foldersByIndex(group: StorageManagerGroup, sweepId: string): Map<number, StorageManager> {
  const byIndex = new Map<number, StorageManager>();
  const attempts = new Map<StorageManager, number>();
  for (const sm of group) {
    const run = readRunSection(sm);
    if (run.sweep !== sweepId || run.index === undefined) continue;
    attempts.set(sm, run.attempt ?? 0);
    const prev = byIndex.get(run.index);
    if (!prev || (run.attempt ?? 0) >= attempts.get(prev)!) byIndex.set(run.index, sm);
  }
  return byIndex;
}

/**
 * Reads the state of a SLURM sweep: which runs are done, failed, running or still pending.
 *
 * @example
 * ```ts ignore
 * import { listSweepFiles, sweepStatus } from "@sweepstore/sweepstore/runner";
 * const status = await sweepStatus((await listSweepFiles("/project/Data", "MySweep"))[0]);
 * console.log(status.finished, status.runs.map((r) => r.status));
 * ```
 */
export async function sweepStatus(
  sweepFile: string,
  slurm: SlurmOptions = {},
): Promise<SweepStatus> {
  const sweep = await readSweepFile(sweepFile);
  const states = await slurmStates(sweep, slurm);
  const group = await StorageManagerGroup.load(sweep.name, { dataFolder: sweep.dataFolder });
  const byIndex = foldersByIndex(group, sweep.id);
  const arrayTasks = Math.ceil(sweep.tasks.length / sweep.chunk);
  const finished = [...Array(arrayTasks).keys()].every((i) =>
    !ACTIVE_STATES.has(states.get(i) ?? "COMPLETED")
  );
  const runs = sweep.tasks.map((task, i) => {
    const sm = byIndex.get(task.index);
    return {
      task,
      arrayTask: Math.floor(i / sweep.chunk),
      path: sm?.path,
      status: sm ? (readRunSection(sm).status ?? "running") : "pending" as const,
    };
  });
  return { sweep, slurm: states, runs, finished };
}

/**
 * Runs of a SLURM sweep by state (`pending` runs count only in `total`; every end other than `done`
 * counts as `failed`).
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
    else if (r.status !== "pending") counts.failed++;
  }
  return counts;
}

/** Options for {@linkcode collectSweep}. */
export interface CollectOptions {
  /** SLURM options (binDir). */
  slurm?: SlurmOptions;
  /**
   * Also write the summary files (summary.csv, summary.json, plot.svg) of the group.
   * @default {true}
   */
  summary?: boolean;
}

const REASONS: Record<string, FailureReason> = {
  TIMEOUT: "timeout",
  DEADLINE: "timeout",
  CANCELLED: "interrupted",
  PREEMPTED: "preempted",
  OUT_OF_MEMORY: "oom",
};

/** Marked by an array task that got SIGTERM, waiting for SLURM's verdict (cancelled, time limit). */
export const SIGTERM_STATE = "SIGTERM";

async function verdict(
  status: SweepStatus,
  run: SweepStatus["runs"][number],
  sm: StorageManager | undefined,
): Promise<void> {
  const slurmState = status.slurm.get(run.arrayTask);
  const stopped = slurmState !== undefined && STOPPED_STATES[slurmState] !== undefined;
  const st = stopped ? STOPPED_STATES[slurmState!] : "failed";
  const reason: FailureReason = (slurmState ? REASONS[slurmState] : undefined) ?? "exit";
  const error = `SLURM array task ${status.sweep.jobs.at(-1)}_${run.arrayTask} ${
    (stopped ? slurmState! : "ended").toLowerCase()
  } ${run.path ? "before this run finished" : "before this run started"}`;
  if (!sm) {
    run.status = st;
    (run as { reason?: FailureReason }).reason = reason;
    (run as { error?: string }).error = error;
    return;
  }
  const section = readRunSection(sm);
  if (section.status === "running") {
    await markRun(sm.path, {
      status: st,
      reason,
      error,
      extra: { slurm_state: slurmState ?? "unknown" },
    });
  } else {
    // The task marked it itself on SIGTERM: SLURM now says why (cancelled, time limit, preempted).
    await writeRunSection(sm, {
      status: stopped ? st : "interrupted",
      reason: stopped ? reason : "interrupted",
      error: `${error}; ${section.error ?? ""}`.trim(),
      slurm_state: slurmState ?? "unknown",
    });
  }
  await sm.loadParam("status", { section: "Run" });
}

async function recordOf(
  status: SweepStatus,
  run: SweepStatus["runs"][number],
): Promise<RunRecord | undefined> {
  const sm = run.path ? await StorageManager.open(run.path) : undefined;
  const before = sm ? readRunSection(sm) : {};
  const waiting = run.status === "running" || run.status === "pending" ||
    (before.status === "interrupted" && before.slurm_state === SIGTERM_STATE);
  if (waiting && status.finished) await verdict(status, run, sm);
  const section = sm ? readRunSection(sm) : {};
  const st = sm ? section.status : run.status;
  if (st === undefined || st === "running" || st === "pending") return undefined;
  const extra = run as { reason?: FailureReason; error?: string };
  return {
    index: run.task.index,
    params: run.task.params,
    repeat: run.task.repeat,
    path: run.path ?? "",
    status: st as RunStatus,
    reason: section.reason ?? extra.reason,
    error: section.error ?? extra.error,
    exitCode: section.exit_code,
    signal: section.signal,
    durationMs: (section.duration_s ?? 0) * 1000,
    attempts: section.attempt ?? 1,
    seed: run.task.seed,
  };
}

/**
 * After a SLURM sweep: marks the runs that SLURM stopped (a run still `running` in an array task that ended
 * as TIMEOUT, CANCELLED, FAILED, OUT_OF_MEMORY, …) with that status, and points that never started as
 * failed records, then writes the summary files (unless `summary: false`). Returns one record per task
 * that ended, the status it read, and the summary.
 *
 * @example
 * ```ts ignore
 * import { collectSweep, listSweepFiles } from "@sweepstore/sweepstore/runner";
 * const { records } = await collectSweep((await listSweepFiles("/project/Data", "MySweep"))[0]);
 * console.log(records.length);
 * ```
 */
export async function collectSweep(
  sweepFile: string,
  options: CollectOptions = {},
): Promise<{ records: RunRecord[]; status: SweepStatus; summary?: SweepSummary }> {
  const status = await sweepStatus(sweepFile, options.slurm);
  const records: RunRecord[] = [];
  for (const run of status.runs) {
    const record = await recordOf(status, run);
    if (record) records.push(record);
  }
  if (options.summary === false) return { records, status };
  const group = await StorageManagerGroup.load(status.sweep.name, {
    dataFolder: status.sweep.dataFolder,
  });
  return { records, status, summary: await writeSummary(group, { swept: status.sweep.swept }) };
}

/**
 * Waits for a SLURM sweep to end, polling squeue every `slurm.pollMs`; `onPoll` gets the counts after each
 * poll. Stops waiting (and returns the last status) when `signal` is aborted.
 *
 * @example
 * ```ts ignore
 * import { listSweepFiles, waitForSweep } from "@sweepstore/sweepstore/runner";
 * await waitForSweep((await listSweepFiles("/project/Data", "MySweep"))[0], { slurm: { pollMs: 5000 } });
 * ```
 */
export async function waitForSweep(
  sweepFile: string,
  options: { slurm?: SlurmOptions; onPoll?: (counts: SweepCounts) => void; signal?: AbortSignal } =
    {},
): Promise<SweepStatus> {
  const pollMs = options.slurm?.pollMs ?? 2000;
  while (true) {
    const status = await sweepStatus(sweepFile, options.slurm);
    options.onPoll?.(slurmCounts(status));
    if (status.finished || options.signal?.aborted) return status;
    await new Promise<void>((r) => {
      const timer = setTimeout(r, pollMs);
      options.signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        r();
      }, { once: true });
    });
  }
}

/**
 * Extra `[Run]` fields that identify the SLURM task of a run.
 *
 * @example
 * ```ts
 * import { slurmRunInfo } from "@sweepstore/sweepstore/runner";
 * console.log(slurmRunInfo()); // {} outside SLURM; { slurm_job: "1234_5", slurm_node: "n01" } in an array task
 * ```
 */
export function slurmRunInfo(): { slurm_job?: string; slurm_node?: string; host?: string } {
  const get = (name: string) => {
    try {
      return Deno.env.get(name);
    } catch {
      return undefined; // no --allow-env for it
    }
  };
  const job = get("SLURM_ARRAY_JOB_ID") ?? get("SLURM_JOB_ID");
  const task = get("SLURM_ARRAY_TASK_ID");
  const host = get("SLURMD_NODENAME");
  const info: { slurm_job?: string; slurm_node?: string; host?: string } = {};
  if (job) info.slurm_job = task !== undefined ? `${job}_${task}` : job;
  if (host) info.slurm_node = info.host = host;
  return info;
}
