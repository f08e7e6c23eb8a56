/**
 * The contract between the sweep engine and whoever watches it (the CLI, a notebook, a larger program):
 * how a run ended ({@linkcode RunRecord}) and what happens while a sweep runs ({@linkcode SweepEvent}).
 * `runSweep` never prints: it reports every step here, through `onEvent` and `sweepEvents()`.
 *
 * @module
 */

import type { ParamValue } from "../src/formats/params.ts";
import type { FailureReason, RunStatus } from "./run_record.ts";
import type { Params } from "./sweep.ts";

export type { FailureReason, RunStatus } from "./run_record.ts";

/** The outcome of one task of a sweep (its last attempt). */
export interface RunRecord {
  /** The task's position in the sweep, 0-based. */
  index: number;
  /** The point's parameters, exactly as the simulation got them. */
  params: Params;
  /** Which repeat of the point, 0-based. */
  repeat: number;
  /** The run folder of the last attempt; `""` when no folder could be created. */
  path: string;
  /** How the last attempt ended. */
  status: RunStatus;
  /** Why it did not end `done`. */
  reason?: FailureReason;
  /**
   * The error message (and stack), when it did not end `done`. In a sweep's result (`result.runs`) an
   * error longer than 2,048 characters is its first and last 1,024 around a line naming where the whole
   * text is (`[Run] error` in the run's `config.ini`, up to 64 KiB), so that many failing runs cannot fill
   * the sweep's memory; the `ended` event carries it whole.
   */
  error?: string;
  /** The exit code of the simulation's process, with reason `exit`. */
  exitCode?: number;
  /** The signal that killed the simulation's process, with reason `signal`. */
  signal?: string;
  /** Wall time of the last attempt, in milliseconds. */
  durationMs: number;
  /** How many attempts were made (1 = no retry). */
  attempts: number;
  /** The run's seed (32-bit unsigned integer). */
  seed: number;
  /** What `simulate` returned and was saved into `[Parameters]`, if anything. */
  result?: Record<string, ParamValue>;
}

/** Runs of a sweep by state, as progress displays show them. */
export interface SweepCounts {
  /** Runs to do in this sweep (after `resume` skipped the finished ones). */
  total: number;
  /** Runs that ended `done`. */
  done: number;
  /** Runs that ended otherwise (failed, timeout, interrupted), after their last attempt. */
  failed: number;
  /** Runs in progress now. */
  running: number;
}

/**
 * What happens during a sweep, in order. Every sweep starts with `planned` and ends with `finished`;
 * between them one `started` and one `ended` per attempt of a task (`retrying` instead of the last
 * `ended` when another attempt follows). A search (`runSweep` with `search`) adds one `generation` after
 * each generation was evaluated.
 */
export type SweepEvent =
  | {
    type: "planned";
    /** The sweep's id (also `[Run] sweep` in each run folder). */
    sweepId: string;
    /** The backend that runs it. */
    backend: "local" | "slurm";
    /** Runs to do now. */
    total: number;
    /** Runs skipped by `resume` because a finished run exists. */
    skipped: number;
    /** Runs skipped because a live run of the same point and repeat holds its claim elsewhere. */
    claimedElsewhere: number;
  }
  | {
    type: "started";
    index: number;
    attempt: number;
    /** The new run folder. */
    path: string;
    counts: SweepCounts;
  }
  | { type: "retrying"; record: RunRecord; counts: SweepCounts }
  | { type: "ended"; record: RunRecord; counts: SweepCounts }
  | {
    type: "stopping";
    /** Why: the `signal` option was aborted, or SLURM signalled the task. */
    reason: "aborted" | "preempted";
    /** How long simulations get to return after `ctx.signal` was aborted, before they are killed. */
    graceMs: number;
  }
  | {
    type: "submitted";
    /** SLURM job ids of the array(s). */
    jobIds: string[];
    /** Array tasks submitted. */
    arrayTasks: number;
    /** Why this chunk and these arrays (e.g. "chunk 5: runs of ~2 s (measured) in 10-minute tasks"). */
    plan?: string;
    /** The collect job, with `slurm.collectJob`. */
    collectJobId?: string;
  }
  | {
    type: "warning";
    /** Something the user should know that is not a run's outcome (a run folder that could not be marked). */
    message: string;
    /** The file or folder it is about. */
    path?: string;
  }
  | {
    type: "generation";
    /** A search's generation that was evaluated, 0-based. */
    generation: number;
    /** The generations the search runs, when it says. */
    generations?: number;
    /** Evaluations so far, this generation's included (reused ones too). */
    evaluations: number;
    /** Evaluations of this generation found finished on disk (`resume`) and not run again. */
    reused: number;
    /** The objective's name. */
    objective: string;
    /** The best objective value of this generation. */
    best?: number;
    /** The mean objective value of this generation (finite values). */
    mean?: number;
    /** The best evaluation so far. */
    bestSoFar?: { params: Params; score: number; path: string };
  }
  | { type: "finished"; counts: SweepCounts; interrupted: boolean };
