/**
 * The options of the local backend's pool (`LocalPool` in `pool.ts`), what it reports while it
 * runs, and what it tells its slots about the sweep.
 *
 * @module
 */

import type { DenoRunOptions } from "../command.ts";
import type { RunRecord } from "../events.ts";

/** Options for `LocalPool`. */
export interface LocalPoolOptions extends Omit<DenoRunOptions, "dataFolder" | "simulation"> {
  /**
   * How many simulations run at once (one subprocess each).
   * @default {navigator.hardwareConcurrency}
   */
  concurrency?: number;
  /**
   * Stop a run this many milliseconds after it started: its `ctx.signal` is aborted, and its process group
   * is killed `graceMs` later if it has not returned.
   * @default {undefined} (no limit)
   */
  timeoutMs?: number;
  /**
   * How long a run gets to return after its `ctx.signal` was aborted (timeout, stop), in milliseconds.
   * @default {DEFAULT_GRACE_MS} (3 s)
   */
  graceMs?: number;
  /**
   * Run a failed or timed-out task again, up to this many more times (each attempt in a new folder).
   * @default {0}
   */
  retries?: number;
  /**
   * At most this many tasks are queued in each slot at once, to hide the hand-over latency of tiny runs.
   * Only runs shorter than ~10 ms get more than one in flight.
   * @default {8}
   */
  prefetch?: number;
  /**
   * Take point claims before each run (resume sweeps; see `runner/claims.ts`).
   * @default {false}
   */
  resume?: boolean;
  /**
   * Keep each ended task's record for {@linkcode LocalPool.run} to resolve with. `false`: `run` resolves with
   * no records, and the caller keeps them from the `end` events (a sweep's backend keeps them compactly:
   * 100,000 record objects held until the end were ~45 MB of the parent's heap).
   * @default {true}
   */
  keepRecords?: boolean;
  /**
   * Called when a run starts, ends, is retried, or is skipped because another process claimed it, and
   * when a run's output could not be saved to its folder.
   */
  onEvent?: (event: PoolEvent) => void;
}

/** What a `LocalPool` reports while it runs. */
export type PoolEvent =
  | { type: "start"; index: number; attempt: number; path: string }
  | { type: "end"; record: RunRecord }
  | { type: "retry"; record: RunRecord }
  | { type: "skip"; index: number; why: "claimed" | "done" }
  /** A run's output could not be saved to its folder (`stdout.log` / `stderr.log`: a full disk…). */
  | { type: "lostOutput"; path: string; message: string };

/** What the sweep is, for the slots. */
export interface PoolConfig {
  /** The simulation module's URL. */
  simulation: string;
  /** The sweep's name. */
  name: string;
  /** The Data folder. */
  dataFolder: string;
  /** The sweep's id. */
  sweepId: string;
  /** The machine's name for `[Run] host`. */
  host?: string;
}

/** The longest grace period a run gets when the sweep's process died (its slot then dies too). */
export const PARENT_DEATH_GRACE_MS = 4000;
