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
   * Points per array task, run one after another in one process.
   * @default {1}
   */
  chunk?: number;
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
  /** The array's job id. */
  jobId: string;
  /** The collect job's id, with `collectJob`. */
  collectJobId?: string;
  /** The sweep file. */
  sweepFile: string;
  /** The batch script that was submitted. */
  script: string;
  /** The number of array tasks. */
  arrayTasks: number;
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
  const stderr = new TextDecoder().decode(out.stderr).trim();
  if (!out.success) {
    throw new Error(`${name} ${args.slice(0, 3).join(" ")} … failed (exit ${out.code}): ${stderr}`);
  }
  return new TextDecoder().decode(out.stdout);
}
