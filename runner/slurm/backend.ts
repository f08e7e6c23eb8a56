/**
 * The SLURM backend ({@linkcode SlurmBackend}): submits a sweep as a job array, follows it with squeue, and
 * collects the records from the run folders. Stopping (`signal`) cancels the array with `scancel`: SLURM
 * sends SIGTERM to the tasks, which abort their runs' `ctx.signal` and mark them `interrupted`.
 *
 * @module
 */

import type { Backend, BackendContext, BackendOutcome, SweepPlan } from "../backend.ts";
import type { SweepCounts } from "../events.ts";
import { DEFAULT_GRACE_MS } from "../sweep_options.ts";
import { collectSweep, waitForSweep } from "./collect.ts";
import { runSlurm, type SlurmSubmission } from "./options.ts";
import { submitSweep } from "./submit.ts";

/**
 * The SLURM backend: the sweep as a job array (`runSweep` with `backend: "slurm"`).
 *
 * @example
 * ```ts
 * import { SlurmBackend } from "@sweepstore/sweepstore/runner";
 * console.log(new SlurmBackend().name); // "slurm"
 * ```
 */
export class SlurmBackend implements Backend {
  /** Its name. */
  readonly name = "slurm" as const;
  #plan?: SweepPlan;
  #context?: BackendContext;
  #submission?: SlurmSubmission;
  #counts?: SweepCounts;
  #interrupted = false;

  /** Writes the sweep file and submits the array. */
  async submit(plan: SweepPlan, context: BackendContext): Promise<void> {
    this.#plan = plan;
    this.#context = context;
    const o = plan.options;
    this.#submission = await submitSweep({
      id: plan.id,
      name: plan.name,
      dataFolder: plan.dataFolder,
      simulation: plan.simulation,
      tasks: plan.tasks,
      swept: plan.swept,
      retries: o.retries,
      resume: o.resume,
      graceMs: o.graceMs,
      concurrency: o.concurrency,
      permissions: o.permissions,
      memoryMb: o.memoryMb,
      denoArgs: o.denoArgs,
      slurm: o.slurm ?? {},
    });
    const s = this.#submission;
    context.emit({
      type: "submitted",
      jobIds: s.jobIds,
      arrayTasks: s.arrayTasks,
      plan: s.plan,
      collectJobId: s.collectJobId,
    });
  }

  /** Polls squeue until the array ended; on `signal`, cancels it (scancel) and waits for the end. */
  async follow(signal?: AbortSignal): Promise<void> {
    const slurm = this.#plan!.options.slurm ?? {};
    const sweepFile = this.#submission!.sweepFile;
    const onPoll = (counts: SweepCounts) => (this.#counts = counts);
    const status = await waitForSweep(sweepFile, { slurm, onPoll, signal });
    if (status.finished) return;
    this.#interrupted = true;
    this.#context!.emit({
      type: "stopping",
      reason: "aborted",
      graceMs: this.#plan!.options.graceMs ?? DEFAULT_GRACE_MS,
    });
    await runSlurm(slurm, "scancel", this.#submission!.jobIds);
    await waitForSweep(sweepFile, { slurm, onPoll });
  }

  /** The counts of the last poll. */
  status(): SweepCounts {
    return this.#counts ?? this.#context!.tally.snapshot();
  }

  /** Marks what SLURM stopped and returns the records. */
  async collect(): Promise<BackendOutcome> {
    const { records } = await collectSweep(this.#submission!.sweepFile, {
      slurm: this.#plan!.options.slurm,
      summary: false, // runSweep writes it
    });
    for (const r of records) this.#context!.tally.ended(r, true);
    return {
      records: records.sort((a, b) => a.index - b.index),
      interrupted: this.#interrupted,
      claimedElsewhere: 0,
      slurm: this.#submission,
    };
  }

  /** The submission (after {@linkcode SlurmBackend.submit}). */
  get submission(): SlurmSubmission | undefined {
    return this.#submission;
  }
}
