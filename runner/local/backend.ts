/**
 * The local backend ({@linkcode LocalBackend}): runs a sweep's tasks in a {@linkcode LocalPool} of slot
 * processes on this machine.
 *
 * @module
 */

import type { Backend, BackendContext, BackendOutcome, SweepPlan } from "../backend.ts";
import type { RunRecord, SweepCounts } from "../events.ts";
import { LocalPool } from "./pool.ts";

/**
 * The local backend: a pool of slot processes. `runSweep` uses it unless `backend: "slurm"` is given.
 *
 * @example
 * ```ts
 * import { LocalBackend } from "@sweepstore/sweepstore/runner";
 * const backend = new LocalBackend();
 * console.log(backend.name); // "local"
 * ```
 */
export class LocalBackend implements Backend {
  /** Its name. */
  readonly name = "local" as const;
  #pool?: LocalPool;
  #run?: Promise<RunRecord[]>;
  #context?: BackendContext;
  #claimed = 0;
  /** Runs whose output could not be saved to their folder. */
  #lostOutput = 0;
  #records: RunRecord[] = [];

  /** Spawns the slots and hands them the tasks. */
  submit(plan: SweepPlan, context: BackendContext): Promise<void> {
    this.#context = context;
    const o = plan.options;
    const { emit, tally, records } = context;
    this.#pool = new LocalPool(
      {
        simulation: plan.simulation,
        name: plan.name,
        dataFolder: plan.dataFolder,
        sweepId: plan.id,
        host: plan.host,
      },
      {
        concurrency: o.concurrency,
        timeoutMs: o.timeoutMs,
        graceMs: o.graceMs,
        retries: o.retries,
        permissions: o.permissions,
        memoryMb: o.memoryMb,
        denoArgs: o.denoArgs,
        prefetch: o.prefetch,
        resume: o.resume,
        keepRecords: records === undefined, // else each goes to `records` as it ends
        onEvent: (e) => {
          if (e.type === "start") {
            tally.started(e.index);
            emit({
              type: "started",
              index: e.index,
              attempt: e.attempt,
              path: e.path,
              counts: tally.snapshot(),
            });
          } else if (e.type === "skip") {
            this.#claimed++;
            tally.dropped();
          } else if (e.type === "lostOutput") {
            // said once: on a full disk every later run's output is lost the same way
            if (this.#lostOutput++ === 0) {
              emit({
                type: "warning",
                message: `${e.message} (later runs whose output cannot be saved are not named)`,
                path: e.path,
              });
            }
          } else {
            if (e.type === "end") records?.set(e.record.index, e.record);
            tally.ended(e.record, e.type === "end");
            emit({
              type: e.type === "end" ? "ended" : "retrying",
              record: e.record,
              counts: tally.snapshot(),
            });
          }
        },
      },
    );
    this.#run = this.#pool.run(plan.tasks);
    this.#run.catch(() => {}); // follow() reports it
    return Promise.resolve();
  }

  /** Waits for the pool; on `signal`, stops it (abort, grace period, kill) and waits. */
  async follow(signal?: AbortSignal): Promise<void> {
    const pool = this.#pool!;
    const stop = () => {
      this.#context?.emit({ type: "stopping", reason: "aborted", graceMs: pool.graceMs });
      pool.stop();
    };
    if (signal?.aborted) stop();
    signal?.addEventListener("abort", stop, { once: true });
    try {
      this.#records = await this.#run!;
    } finally {
      signal?.removeEventListener("abort", stop);
    }
  }

  /** The counts so far. */
  status(): SweepCounts {
    return this.#context!.tally.snapshot();
  }

  /** The records of the tasks that ended. */
  collect(): Promise<BackendOutcome> {
    return Promise.resolve({
      records: this.#records.filter((r): r is RunRecord => r !== undefined),
      interrupted: this.#pool?.stopped ?? false,
      claimedElsewhere: this.#claimed,
    });
  }
}
