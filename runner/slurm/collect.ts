/**
 * Following and collecting a SLURM sweep: waiting for its arrays to end, marking what SLURM stopped
 * (TIMEOUT, CANCELLED, FAILED, OUT_OF_MEMORY, a memory kill that SLURM calls FAILED, …) in the runs'
 * folders, and recording SLURM's account of each task (exit code, elapsed time, MaxRSS, restarts) in its
 * runs' `[Run]` sections.
 *
 * @module
 */

import { join } from "node:path";
import { StorageManagerGroup } from "../../src/group/group.ts";
import { StorageManager } from "../../src/run/storage_manager.ts";
import type { ParamValue } from "../../src/formats/params.ts";
import { slurmFolder } from "../../src/layout.ts";
import type { FailureReason, RunRecord, RunStatus, SweepCounts } from "../events.ts";
import {
  markRun,
  readResultKeys,
  readRunSection,
  type RunSection,
  writeRunSection,
} from "../run_record.ts";
import type { SlurmOptions } from "./options.ts";
import { killedForMemory, noRunReason, type TaskAccount } from "./accounting.ts";
import { STOPPED_STATES } from "./squeue.ts";
import { slurmCounts, type SweepStatus, sweepStatus, type SweepStatusRun } from "./status.ts";
import { type SweepSummary, writeSummary } from "../summary.ts";

export { slurmCounts, type SweepStatus, sweepStatus } from "./status.ts";

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

/** SLURM's verdict on an array task: the status and reason of the runs it stopped, and the words. */
async function slurmVerdict(status: SweepStatus, run: SweepStatusRun) {
  const account = status.accounts.get(run.arrayTask);
  const state = account?.state;
  const stopped = state !== undefined && STOPPED_STATES[state] !== undefined;
  let reason: FailureReason = (state ? REASONS[state] : undefined) ?? "exit";
  let what = stopped ? state!.toLowerCase() : "ended";
  let note: string | undefined; // more words, after the sentence
  if (state === "FAILED" && run.slurmTask) {
    // OverMemoryKill: SLURM says FAILED; only the task's log says it exceeded its memory limit.
    const log = join(
      slurmFolder(status.sweep.dataFolder, status.sweep.name),
      `${run.slurmTask}.out`,
    );
    const noRun = run.path ? undefined : await noRunReason(log);
    if (await killedForMemory(log)) {
      reason = "oom";
      what = `was killed for exceeding its memory limit (SLURM: FAILED, see ${log})`;
    } else if (noRun) {
      reason = "storage"; // it could not take its owner lock: nothing ran
      note = `it ran nothing: ${noRun} (see ${log})`;
    } else note = `see ${log}`;
  }
  const st: RunStatus = stopped ? STOPPED_STATES[state!] : "failed";
  return { st, reason, what, note, state, stopped };
}

/** Whether the run's array task ran another of its points (then SLURM's kill was that run's doing). */
function taskRanOthers(status: SweepStatus, run: SweepStatusRun): boolean {
  return status.runs.some((r) => r !== run && r.arrayTask === run.arrayTask && r.path);
}

async function verdict(
  status: SweepStatus,
  run: SweepStatusRun,
  sm: StorageManager | undefined,
): Promise<void> {
  const { st, reason, what, note, state, stopped } = await slurmVerdict(status, run);
  const error = `SLURM array task ${run.slurmTask ?? run.arrayTask} ${what} ${
    run.path ? "before this run finished" : "before this run started"
  }${note ? `: ${note}` : ""}`;
  if (!sm) {
    // A point its task never reached because SLURM stopped the task during an earlier run (memory,
    // time): not this point's oom or timeout; interrupted, so that resume runs it.
    const reached = stopped || reason === "oom" ? taskRanOthers(status, run) : false;
    Object.assign(
      run,
      reached
        ? { status: "interrupted", reason: "interrupted", error }
        : { status: st, reason, error },
    );
    return;
  }
  const section = readRunSection(sm);
  if (section.status === "running") {
    await markRun(sm.path, {
      status: st,
      reason,
      error,
      extra: { slurm_state: state ?? "unknown" },
    });
  } else {
    // Marked interrupted (by the task on SIGTERM, or as owner-gone): SLURM now says why (cancelled, time
    // limit, preempted, out of memory).
    await writeRunSection(sm, {
      status: stopped ? st : "interrupted",
      reason: stopped ? reason : section.reason ?? "interrupted",
      error: `${error}; ${section.error ?? ""}`.trim(),
      slurm_state: state ?? "unknown",
    });
  }
  await sm.loadParam("status", { section: "Run" });
}

/**
 * SLURM's account of the run's array task, once it ended, into `[Run]`: the fields it does not have yet
 * (sacct may list a step's MaxRSS a moment after the task's state), so a later collect completes it.
 */
async function recordAccount(sm: StorageManager, account: TaskAccount | undefined): Promise<void> {
  if (!account || STOPPED_STATES[account.state] === undefined && account.state !== "COMPLETED") {
    return;
  }
  const run = readRunSection(sm);
  if (run.status === "running") return;
  const fields: RunSection = {};
  if (run.slurm_exit_code === undefined) fields.slurm_exit_code = account.exitCode;
  if (run.slurm_elapsed_s === undefined) fields.slurm_elapsed_s = account.elapsedS;
  if (run.slurm_max_rss_mb === undefined) fields.slurm_max_rss_mb = account.maxRssMb;
  if (account.restarts && run.slurm_restarts === undefined) {
    fields.slurm_restarts = account.restarts;
  }
  if (Object.values(fields).some((v) => v !== undefined)) await writeRunSection(sm, fields);
}

async function recordOf(
  status: SweepStatus,
  run: SweepStatusRun,
): Promise<RunRecord | undefined> {
  if (run.status === "refused") return undefined; // never accepted: nothing ran
  const sm = run.path ? await StorageManager.open(run.path) : undefined;
  const before = sm ? readRunSection(sm) : {};
  // Interrupted without SLURM's state: marked by its task on SIGTERM, or by `status`, `resume` or a summary
  // that found its process gone (a task killed while its simulation blocked the event loop): SLURM's
  // verdict (TIMEOUT, OUT_OF_MEMORY, CANCELLED) still says why.
  const waiting = ["running", "pending", "unstarted"].includes(run.status) ||
    (before.status === "interrupted" &&
      (before.slurm_state === SIGTERM_STATE || before.slurm_state === undefined));
  if (waiting && status.finished) await verdict(status, run, sm);
  if (sm && status.finished) await recordAccount(sm, status.accounts.get(run.arrayTask));
  const section = sm ? readRunSection(sm) : {};
  const st = sm ? section.status : run.status;
  if (st === undefined || !["done", "failed", "timeout", "interrupted"].includes(st)) {
    return undefined;
  }
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
    result: sm ? resultOf(sm) : undefined,
  };
}

/** What the simulation returned, read back from the run's `[Parameters]` (`[Run] result_keys`). */
function resultOf(sm: StorageManager): Record<string, ParamValue> | undefined {
  const keys = readResultKeys(sm);
  if (!keys) return undefined;
  const result: Record<string, ParamValue> = {};
  const missing: unique symbol = Symbol("missing");
  for (const key of keys) {
    const value = sm.param(key, { default: missing });
    if (typeof value === "symbol") return undefined; // edited away since: the folder no longer holds it
    result[key] = value;
  }
  return result;
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
  if (status.sweep.refused !== undefined) return { records, status }; // nothing ran, nothing to sum
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
export function slurmRunInfo(): {
  slurm_job?: string;
  slurm_node?: string;
  host?: string;
  slurm_restarts?: number;
} {
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
  const restarts = Number(get("SLURM_RESTART_COUNT") ?? 0);
  const info: ReturnType<typeof slurmRunInfo> = {};
  if (job) info.slurm_job = task !== undefined ? `${job}_${task}` : job;
  if (host) info.slurm_node = info.host = host;
  if (restarts > 0) info.slurm_restarts = restarts;
  return info;
}
