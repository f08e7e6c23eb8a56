/**
 * What SLURM says about a job array: the state of each array task, from `squeue --json`.
 *
 * @module
 */

import type { RunStatus } from "../events.ts";
import { runSlurm, type SlurmOptions } from "./options.ts";

/** SLURM states of array tasks that ended without finishing their runs, and how such a run ends. */
export const STOPPED_STATES: Record<string, RunStatus> = {
  TIMEOUT: "timeout",
  DEADLINE: "timeout",
  CANCELLED: "interrupted",
  PREEMPTED: "interrupted",
  FAILED: "failed",
  OUT_OF_MEMORY: "failed",
  NODE_FAIL: "failed",
  BOOT_FAIL: "failed",
};

/**
 * SLURM states of array tasks that have not ended: every non-final job state of squeue's "JOB STATE
 * CODES" (a task being requeued passes through several of them before it is PENDING again).
 */
export const ACTIVE_STATES: ReadonlySet<string> = new Set([
  "PENDING",
  "RUNNING",
  "CONFIGURING",
  "COMPLETING",
  "REQUEUED",
  "REQUEUE_FED",
  "REQUEUE_HOLD",
  "RESV_DEL_HOLD",
  "RESIZING",
  "SIGNALING",
  "SPECIAL_EXIT",
  "STAGE_OUT",
  "STOPPED",
  "SUSPENDED",
]);

const number = (v: unknown) => (v && typeof v === "object" ? (v as { number?: number }).number : v);

/**
 * The SLURM state of each array task of a job (index → state), from `squeue --json`.
 *
 * @throws {Error} With squeue's message when squeue fails (e.g. "Invalid job id" once SLURM forgot it).
 *
 * @example
 * ```ts ignore
 * import { arrayStates } from "@sweepstore/sweepstore/runner";
 * console.log(await arrayStates("1234")); // Map { 0 => "COMPLETED", 1 => "RUNNING", 2 => "PENDING" }
 * ```
 */
export async function arrayStates(
  jobId: string,
  slurm: SlurmOptions = {},
): Promise<Map<number, string>> {
  const out = await runSlurm(slurm, "squeue", ["--json", "--jobs", jobId]);
  const states = new Map<number, string>();
  const id = Number(jobId);
  for (const job of JSON.parse(out).jobs ?? []) {
    // squeue --json ignores --jobs in some SLURM versions (22.05 here): filter by hand.
    if (
      number(job.array_job_id) !== id && !(number(job.job_id) === id && !number(job.array_job_id))
    ) continue;
    const state = Array.isArray(job.job_state) ? job.job_state[0] : job.job_state;
    const task = typeof job.array_task_id === "object" && job.array_task_id !== null
      ? (job.array_task_id.set ? job.array_task_id.number : null)
      : job.array_task_id;
    if (typeof task === "number") {
      states.set(task, String(state));
      continue;
    }
    // A pending range such as "4-9%2" or "1,3,5-7".
    const range = String(job.array_task_string ?? "").replace(/%\d+$/, "");
    for (const part of range.split(",").filter(Boolean)) {
      const [a, b] = part.split("-").map(Number);
      for (let i = a; i <= (Number.isFinite(b) ? b : a); i++) states.set(i, String(state));
    }
  }
  return states;
}
