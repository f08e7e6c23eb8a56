/**
 * The SLURM backend's options and results, and how it calls SLURM's commands (sbatch, squeue, scancel).
 *
 * @module
 */

import { join } from "node:path";

/** Options of the SLURM backend. */
export interface SlurmOptions {
  /** The partition (`--partition`). */
  partition?: string;
  /** Time limit per array task (`--time`), e.g. `"00:30:00"` or minutes as a number. */
  time?: string | number;
  /** CPUs per task (`--cpus-per-task`). */
  cpusPerTask?: number;
  /** Memory per task (`--mem`), e.g. `"4G"`. */
  mem?: string;
  /**
   * At most this many array tasks at once (`--array=…%P`).
   * @default {the sweep's concurrency, if given}
   */
  parallelism?: number;
  /**
   * Points per array task, run one after another in one process. Given, it is kept (raised only when
   * the tasks would exceed `maxSubmitJobs`).
   * @default {automatic: `taskMinutes` of runs per task (from measured or estimated run times), else 1,
   * raised to stay within the cluster's limits}
   */
  chunk?: number;
  /**
   * The target length of an array task, in minutes, for the automatic `chunk`: runs of `runSeconds`
   * (measured: the median `duration_s` of earlier `done` runs of the sweep's name) are packed so that a
   * task takes about this long. Without a run time, `chunk` is 1.
   * @default {10}
   */
  taskMinutes?: number;
  /** An estimate of one run's wall time in seconds, used when no earlier run of the sweep was measured. */
  runSeconds?: number;
  /**
   * The cluster's `MaxArraySize` (array indices 0 … n-1): larger sweeps are split into several arrays.
   * @default {read from `scontrol show config`}
   */
  maxArraySize?: number;
  /**
   * How many array tasks you may have queued at once (`MaxSubmitJobs` of your association or QOS):
   * `chunk` is raised so that the sweep needs no more tasks.
   * @default {the smallest MaxSubmitJobs that `sacctmgr show assoc` lists, where slurmdbd runs; else none}
   */
  maxSubmitJobs?: number;
  /**
   * Submit requeueable tasks (`--requeue`): on preemption SLURM sends SIGTERM, the running run gets its
   * `ctx.signal` aborted and `graceMs`, is marked `interrupted` (reason `preempted`), and the requeued
   * task runs only its points without a finished run.
   * @default {false}
   */
  requeue?: boolean;
  /** More `sbatch` arguments, e.g. `["--account=lab", "--qos=short"]`. */
  sbatchArgs?: string[];
  /**
   * Wait for the array to finish (polling squeue) and write the summary; with `false` `runSweep` returns
   * as soon as the job is submitted (`result.slurm.jobId`).
   * @default {true}
   */
  wait?: boolean;
  /**
   * Also submit a collect job that runs when the array has ended (`--dependency=afterany:<id>`, which also
   * fires when tasks failed), writing the summary files. Useful with `wait: false`.
   * @default {false}
   */
  collectJob?: boolean;
  /**
   * Milliseconds between squeue polls.
   * @default {2000}
   */
  pollMs?: number;
  /**
   * The `deno` executable on the nodes.
   * @default {the one running this process (Deno.execPath())}
   */
  deno?: string;
  /**
   * The folder of SLURM's commands (sbatch, squeue, scancel).
   * @default {found on PATH}
   */
  binDir?: string;
}

/** What the SLURM backend reports back. */
export interface SlurmSubmission {
  /** The (first) array's job id. */
  jobId: string;
  /** Every array's job id (a sweep larger than `MaxArraySize` spans several arrays). */
  jobIds: string[];
  /** Points per array task, as chosen (see {@linkcode SlurmOptions.chunk}). */
  chunk: number;
  /** Why this chunk and these arrays, for people (e.g. "chunk 5: runs of ~2 s (measured) in 10-minute tasks"). */
  plan: string;
  /** The collect job's id, with `collectJob`. */
  collectJobId?: string;
  /** The sweep file. */
  sweepFile: string;
  /** The batch script of the first array (the others are `<sweep id>.<k>.sh` next to it). */
  script: string;
  /** The number of array tasks, over all arrays. */
  arrayTasks: number;
}

function checkCount(name: string, v: unknown, min: number, integer: boolean): void {
  if (v === undefined) return;
  if (
    typeof v !== "number" || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))
  ) {
    throw new RangeError(
      `slurm.${name} must be ${integer ? "an integer" : "a number"} ≥ ${min}, not ${String(v)}`,
    );
  }
}

// sbatch's forms (SLURM 22.05): --time minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S, UNLIMITED/INFINITE
// (0: no limit); --mem a whole size with an optional unit K, M, G or T (KB … TB too).
const SLURM_TIME = /^(?:\d+-\d+(?::\d+){0,2}|\d+(?::\d+){0,2}|unlimited|infinite)$/i;
const SLURM_MEM = /^\d+(?:[KMGT]B?)?$/i;

/** A `--time` or `--mem` that sbatch would refuse is refused before anything is written or submitted. */
function checkTimeAndMem(slurm: SlurmOptions): void {
  const { time, mem } = slurm;
  if (
    typeof time === "number"
      ? !(Number.isFinite(time) && time >= 0)
      : time !== undefined && (typeof time !== "string" || !SLURM_TIME.test(time.trim()))
  ) {
    throw new RangeError(
      `slurm.time (--time) ${JSON.stringify(time)} is not a SLURM time: write minutes (90), ` +
        "MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED, e.g. 1:00:00",
    );
  }
  if (mem !== undefined && (typeof mem !== "string" || !SLURM_MEM.test(mem))) {
    throw new RangeError(
      `slurm.mem (--mem) ${JSON.stringify(mem)} is not a SLURM memory size: write a whole number ` +
        "with an optional unit K, M, G or T, e.g. 4G or 500M",
    );
  }
}

/**
 * Checks the SLURM options before anything is submitted.
 *
 * @throws {RangeError} A count or length out of range (chunk 0, taskMinutes -1, maxArraySize 0), a
 * `time` or `mem` that sbatch would refuse ("abc", "1.5G").
 * @throws {TypeError} `requeue` not a boolean, `sbatchArgs` not an array of strings.
 *
 * @example
 * ```ts
 * import { checkSlurmOptions } from "./options.ts";
 * try {
 *   checkSlurmOptions({ chunk: 0 });
 * } catch (e) {
 *   console.log((e as Error).message); // slurm.chunk must be an integer ≥ 1, not 0
 * }
 * ```
 */
export function checkSlurmOptions(slurm: SlurmOptions): void {
  for (
    const key of ["chunk", "maxArraySize", "maxSubmitJobs", "parallelism", "cpusPerTask"] as const
  ) {
    checkCount(key, slurm[key], 1, true);
  }
  checkCount("taskMinutes", slurm.taskMinutes, Number.MIN_VALUE, false);
  checkCount("runSeconds", slurm.runSeconds, 0, false);
  checkCount("pollMs", slurm.pollMs, 0, false);
  checkTimeAndMem(slurm);
  if (slurm.requeue !== undefined && typeof slurm.requeue !== "boolean") {
    throw new TypeError(`slurm.requeue must be true or false, not ${String(slurm.requeue)}`);
  }
  if (
    slurm.sbatchArgs !== undefined &&
    (!Array.isArray(slurm.sbatchArgs) || slurm.sbatchArgs.some((a) => typeof a !== "string"))
  ) {
    throw new TypeError('slurm.sbatchArgs must be an array of strings, e.g. ["--account=lab"]');
  }
}

/**
 * Runs one of SLURM's commands and returns its stdout.
 *
 * @throws {Error} When the command is missing (saying where to run) or fails (with its message).
 */
export async function runSlurm(
  options: SlurmOptions,
  name: string,
  args: string[],
): Promise<string> {
  const cmd = options.binDir ? join(options.binDir, name) : name;
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cmd, { args, stdin: "null", stdout: "piped", stderr: "piped" })
      .output();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Error(
        `${cmd} was not found: run the sweep on a SLURM login node (where sbatch and squeue are on PATH), ` +
          "or pass slurm.binDir",
        { cause: err },
      );
    }
    throw err;
  }
  // One line: sbatch says a refusal twice ("error: invalid partition …" then "… submission failed").
  const stderr = new TextDecoder().decode(out.stderr).trim().split("\n").map((l) => l.trim())
    .filter(Boolean).join("; ");
  if (!out.success) {
    throw new Error(`${name} ${args.slice(0, 3).join(" ")} … failed (exit ${out.code}): ${stderr}`);
  }
  return new TextDecoder().decode(out.stdout);
}
