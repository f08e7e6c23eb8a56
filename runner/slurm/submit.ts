/**
 * Submitting a sweep to SLURM: the sweep file, the batch script (`deno run <permissions>
 * runner/slurm/array_task.ts <sweep file> $SLURM_ARRAY_TASK_ID`), `sbatch --array`, and optionally a collect
 * job that runs when the array has ended.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { atomicWriteText } from "../../src/formats/atomic.ts";
import { slurmFolder, sweepFilesFolder } from "../../src/layout.ts";
import type { SweepPlan } from "../backend.ts";
import { denoRunArgs, type DenoRunOptions, type PermissionOptions } from "../command.ts";
import { DEFAULT_GRACE_MS } from "../sweep_options.ts";
import { runSlurm, type SlurmOptions, type SlurmSubmission } from "./options.ts";
import { type SweepFile, writeSweepFile } from "./sweep_file.ts";

/**
 * Options for {@linkcode submitSweep}: the sweep as planned (its `dataFolder` absolute and shared by the
 * nodes) and how its simulations run.
 */
export interface SubmitSweepOptions
  extends
    Pick<SweepPlan, "id" | "name" | "dataFolder" | "simulation" | "tasks" | "swept">,
    Pick<DenoRunOptions, "permissions" | "memoryMb" | "denoArgs"> {
  /** In-task retries. */
  retries?: number;
  /** Take point claims before each run (a resume sweep). */
  resume?: boolean;
  /**
   * How long a run gets after SIGTERM (scancel, time limit) aborted its `ctx.signal`, in ms.
   * @default {DEFAULT_GRACE_MS} (3 s)
   */
  graceMs?: number;
  /** Array parallelism when `slurm.parallelism` is not given. */
  concurrency?: number;
  /** SLURM options. */
  slurm: SlurmOptions;
}

const quote = (s: string) => `'${s.replaceAll("'", `'"'"'`)}'`;

function timeArg(time: string | number): string {
  return typeof time === "number" ? String(Math.max(1, Math.ceil(time))) : time;
}

/** The array task reads SLURM's job id and node name from the environment, to record them in [Run]. */
function taskPermissions(permissions: PermissionOptions = {}): PermissionOptions {
  const env = permissions.env;
  return {
    ...permissions,
    env: env === true ? true : [
      ...(env || []),
      "SLURM_ARRAY_JOB_ID",
      "SLURM_JOB_ID",
      "SLURM_ARRAY_TASK_ID",
      "SLURMD_NODENAME",
    ],
  };
}

function batchScript(options: SubmitSweepOptions, sweepFile: string, arrayTasks: number): string {
  const slurm = options.slurm;
  const logDir = slurmFolder(options.dataFolder, options.name);
  const parallelism = slurm.parallelism ?? options.concurrency;
  const taskScript = fileURLToPath(new URL("./array_task.ts", import.meta.url));
  const args = denoRunArgs(taskScript, {
    ...options,
    permissions: taskPermissions(options.permissions),
  });
  const directives = [
    `--job-name=${options.name}`,
    `--array=0-${arrayTasks - 1}${parallelism ? `%${parallelism}` : ""}`,
    `--output=${join(logDir, "%A_%a.out")}`,
    ...(slurm.partition ? [`--partition=${slurm.partition}`] : []),
    ...(slurm.time !== undefined ? [`--time=${timeArg(slurm.time)}`] : []),
    ...(slurm.cpusPerTask ? [`--cpus-per-task=${slurm.cpusPerTask}`] : []),
    ...(slurm.mem ? [`--mem=${slurm.mem}`] : []),
  ];
  return [
    "#!/bin/bash",
    `# sweepstore sweep ${options.id}: ${options.tasks.length} runs in ${arrayTasks} array tasks`,
    ...directives.map((d) => `#SBATCH ${d}`),
    `exec ${
      [slurm.deno ?? Deno.execPath(), ...args, sweepFile].map(quote).join(" ")
    } "$SLURM_ARRAY_TASK_ID"`,
    "",
  ].join("\n");
}

async function submitCollect(options: SubmitSweepOptions, jobId: string): Promise<string> {
  const slurm = options.slurm;
  const logDir = slurmFolder(options.dataFolder, options.name);
  const cli = fileURLToPath(new URL("../cli/cli.ts", import.meta.url));
  const collect = join(logDir, `${options.id}-collect.sh`);
  const command = [
    slurm.deno ?? Deno.execPath(),
    "run",
    "--quiet",
    "--allow-read",
    `--allow-write=${options.dataFolder}`,
    "--allow-run",
    cli,
    "collect",
    options.name,
    "--data",
    options.dataFolder,
  ];
  await atomicWriteText(
    collect,
    [
      "#!/bin/bash",
      `#SBATCH --job-name=${options.name}-collect`,
      `#SBATCH --output=${join(logDir, `${options.id}-collect.out`)}`,
      ...(slurm.partition ? [`#SBATCH --partition=${slurm.partition}`] : []),
      `exec ${command.map(quote).join(" ")}`,
      "",
    ].join("\n"),
  );
  // afterany, never afterok: with one failed task afterok would wait for ever.
  const out = await runSlurm(slurm, "sbatch", [
    "--parsable",
    `--dependency=afterany:${jobId}`,
    ...(slurm.sbatchArgs ?? []),
    collect,
  ]);
  return out.trim().split(";")[0];
}

/**
 * Writes the sweep file and the batch script, and submits the job array with sbatch.
 *
 * @throws {Error} With sbatch's message when sbatch is missing or refuses the job.
 *
 * @example
 * ```ts ignore
 * import { expandSweep, submitSweep } from "@sweepstore/sweepstore/runner";
 * const submission = await submitSweep({
 *   id: "MySweep-1", name: "MySweep", dataFolder: "/shared/project/Data",
 *   simulation: "file:///shared/project/sim.ts", tasks: expandSweep({ grid: { n: [1, 2] } }), swept: ["n"],
 *   slurm: { partition: "cpu", time: "00:10:00" },
 * });
 * console.log(submission.jobId);
 * ```
 */
export async function submitSweep(options: SubmitSweepOptions): Promise<SlurmSubmission> {
  const slurm = options.slurm;
  const chunk = Math.max(1, slurm.chunk ?? 1);
  const logDir = slurmFolder(options.dataFolder, options.name);
  await Deno.mkdir(sweepFilesFolder(options.dataFolder, options.name), { recursive: true });
  await Deno.mkdir(logDir, { recursive: true });
  const sweepFile = join(sweepFilesFolder(options.dataFolder, options.name), `${options.id}.json`);
  const file: SweepFile = {
    version: 2,
    id: options.id,
    name: options.name,
    dataFolder: options.dataFolder,
    simulation: options.simulation,
    chunk,
    retries: options.retries ?? 0,
    resume: options.resume ?? false,
    graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
    tasks: options.tasks,
    swept: options.swept,
    jobs: [],
    created: new Date().toISOString(),
  };
  await writeSweepFile(sweepFile, file);
  const arrayTasks = Math.ceil(options.tasks.length / chunk);
  const script = join(logDir, `${options.id}.sh`);
  await atomicWriteText(script, batchScript(options, sweepFile, arrayTasks));
  await Deno.chmod(script, 0o755);
  const jobId =
    (await runSlurm(slurm, "sbatch", ["--parsable", ...(slurm.sbatchArgs ?? []), script]))
      .trim().split(";")[0];
  file.jobs.push(jobId);
  await writeSweepFile(sweepFile, file, { tasks: false });
  const collectJobId = slurm.collectJob ? await submitCollect(options, jobId) : undefined;
  return { jobId, collectJobId, sweepFile, script, arrayTasks };
}
