/**
 * The one interface both backends implement (the local pool, SLURM): `submit` the planned tasks, `follow`
 * them until they end (or the sweep is stopped), `status` while they run, `collect` the records. `runSweep`
 * drives it; the per-run code (`task.ts`), the `deno run` command (`command.ts`) and the run record
 * (`run_record.ts`) are shared.
 *
 * @module
 */

import type { RunRecord, SweepCounts, SweepEvent } from "./events.ts";
import type { SlurmSubmission } from "./slurm/options.ts";
import type { SweepTask } from "./sweep.ts";
import type { RunSweepOptions } from "./sweep_options.ts";

/** What a backend is asked to run. */
export interface SweepPlan {
  /** The sweep's id. */
  id: string;
  /** The sweep's name. */
  name: string;
  /** The Data folder (absolute). */
  dataFolder: string;
  /** The simulation module's URL. */
  simulation: string;
  /** The tasks to run. */
  tasks: SweepTask[];
  /** The swept parameter names. */
  swept: string[];
  /** This machine's name, for `[Run] host`. */
  host?: string;
  /** The checked options. */
  options: RunSweepOptions;
}

/** What a backend has to report with. */
export interface BackendContext {
  /** Reports an event (counts are kept by {@linkcode Tally}). */
  emit: (event: SweepEvent) => void;
  /** The counts, kept up to date. */
  tally: Tally;
  /**
   * When given, where the backend may keep each task's record as the task ends (by task index); it then
   * returns no `records` from `collect`. The local backend does (`runSweep` passes a compact store: a sweep
   * of 100,000 runs never holds every record as an object); the SLURM backend returns `records` as before.
   */
  records?: RecordSink;
}

/** Where a backend keeps the records of ended tasks (see {@linkcode BackendContext.records}). */
export interface RecordSink {
  /** Keeps the record of task `index` (replacing an earlier one). */
  set(index: number, record: RunRecord): void;
}

/** What a backend collected. */
export interface BackendOutcome {
  /** One record per task that ended (none when they went to {@linkcode BackendContext.records}). */
  records: RunRecord[];
  /** Whether the sweep was stopped. */
  interrupted: boolean;
  /** Tasks not run because another process claimed (or finished) their point meanwhile. */
  claimedElsewhere: number;
  /** The SLURM submission. */
  slurm?: SlurmSubmission;
  /** The sweep was submitted and not waited for (`slurm.wait: false`). */
  detached?: boolean;
}

/** A way to run a sweep's tasks. */
export interface Backend {
  /** The backend's name, as in `SweepEvent` `planned`. */
  readonly name: "local" | "slurm";
  /** Starts the tasks (spawns the slots; writes the sweep file and calls sbatch). */
  submit(plan: SweepPlan, context: BackendContext): Promise<void>;
  /** Waits until the tasks ended, or until `signal` stops them (then stops them and waits). */
  follow(signal?: AbortSignal): Promise<void>;
  /** The counts so far. */
  status(): SweepCounts;
  /** The records, once `follow` returned. */
  collect(): Promise<BackendOutcome>;
}

/**
 * The counts of a sweep, updated from the backend's events.
 *
 * @example
 * ```ts
 * import { type RunRecord, Tally } from "@sweepstore/sweepstore/runner";
 * const tally = new Tally(2);
 * tally.started(0);
 * console.log(tally.snapshot()); // { total: 2, done: 0, failed: 0, running: 1 }
 * const record = { index: 0, status: "done" } as RunRecord; // (a backend's full record)
 * tally.ended(record, true);
 * tally.dropped(); // task 1 was claimed by another process
 * console.log(tally.snapshot()); // { total: 1, done: 1, failed: 0, running: 0 }
 * ```
 */
export class Tally {
  /** The current counts. */
  readonly counts: SweepCounts;
  #running = new Set<number>();

  /** Counts for `total` runs to do. */
  constructor(total: number) {
    this.counts = { total, done: 0, failed: 0, running: 0 };
  }

  /** A copy of the counts, for an event. */
  snapshot(): SweepCounts {
    return { ...this.counts };
  }

  /** Task `index` started a run. */
  started(index: number): void {
    this.#running.add(index);
    this.counts.running = this.#running.size;
  }

  /** A task's run ended (`final`: its last attempt). */
  ended(record: RunRecord, final: boolean): void {
    this.#running.delete(record.index);
    this.counts.running = this.#running.size;
    if (!final) return;
    if (record.status === "done") this.counts.done++;
    else this.counts.failed++;
  }

  /** A task will not run here (claimed elsewhere). */
  dropped(): void {
    this.counts.total = Math.max(0, this.counts.total - 1);
  }
}
