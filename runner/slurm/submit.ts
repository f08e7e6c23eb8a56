/**
 * Submitting a sweep to SLURM: the plan (chunk and job arrays within the cluster's limits, `limits.ts`),
 * the sweep file, one batch script per array (`deno run <permissions> runner/slurm/array_task.ts <sweep
 * file> $((first + SLURM_ARRAY_TASK_ID))`), `sbatch --array`, and optionally a collect job that runs when
 * every array has ended.
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
import { type ArrayPlan, clusterLimits, planArrays } from "./limits.ts";
import { StorageManagerGroup } from "../../src/group/group.ts";
import { readRunSection } from "../run_record.ts";

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

/** The array task reads SLURM's job id, node name and restart count from the environment, for [Run]. */
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
      "SLURM_RESTART_COUNT",
    ],
  };
}

/** The batch script of one job array: its tasks are the sweep's array tasks `first` … `first+count-1`. */
function batchScript(
  options: SubmitSweepOptions,
  sweepFile: string,
  array: { first: number; count: number; parallelism?: number },
  total: number,
): string {
  const slurm = options.slurm;
  const logDir = slurmFolder(options.dataFolder, options.name);
  const taskScript = fileURLToPath(new URL("./array_task.ts", import.meta.url));
  const args = denoRunArgs(taskScript, {
    ...options,
    permissions: taskPermissions(options.permissions),
  });
  const p = array.parallelism;
  const directives = [
    `--job-name=${options.name}`,
    `--array=0-${array.count - 1}${p ? `%${p}` : ""}`,
    `--output=${join(logDir, "%A_%a.out")}`,
    // A requeued task appends to its log: the first attempt's lines (and a memory kill) stay readable.
    "--open-mode=append",
    ...(slurm.requeue ? ["--requeue"] : []),
    ...(slurm.partition ? [`--partition=${slurm.partition}`] : []),
    ...(slurm.time !== undefined ? [`--time=${timeArg(slurm.time)}`] : []),
    ...(slurm.cpusPerTask ? [`--cpus-per-task=${slurm.cpusPerTask}`] : []),
    ...(slurm.mem ? [`--mem=${slurm.mem}`] : []),
  ];
  return [
    "#!/bin/bash",
    `# sweepstore sweep ${options.id}: ${options.tasks.length} runs in ${total} array tasks; ` +
    `this array runs tasks ${array.first}-${array.first + array.count - 1}`,
    ...directives.map((d) => `#SBATCH ${d}`),
    `exec ${
      [slurm.deno ?? Deno.execPath(), ...args, sweepFile].map(quote).join(" ")
    } "$((${array.first} + SLURM_ARRAY_TASK_ID))"`,
    "",
  ].join("\n");
}

async function submitCollect(options: SubmitSweepOptions, jobIds: string[]): Promise<string> {
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
  // afterany, never afterok: with one failed task afterok would wait for ever. All arrays of the sweep.
  const out = await runSlurm(slurm, "sbatch", [
    "--parsable",
    `--dependency=afterany:${jobIds.join(":")}`,
    ...(slurm.sbatchArgs ?? []),
    collect,
  ]);
  return out.trim().split(";")[0];
}

/** The median wall time of the earlier `done` runs of the sweep's name, in seconds (none: undefined). */
async function measuredSeconds(options: SubmitSweepOptions): Promise<number | undefined> {
  if (options.slurm.chunk !== undefined) return undefined;
  const group = await StorageManagerGroup.load(options.name, { dataFolder: options.dataFolder })
    .catch(() => undefined);
  const times: number[] = [];
  for (const sm of group ?? []) {
    const run = readRunSection(sm);
    if (run.status === "done" && run.sweep && run.duration_s !== undefined) {
      times.push(run.duration_s);
    }
  }
  if (!times.length) return undefined;
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Submits the arrays one by one; when sbatch refuses one, cancels those accepted (all or nothing). */
async function submitArrays(
  options: SubmitSweepOptions,
  sweepFile: string,
  file: SweepFile,
  plan: ArrayPlan,
): Promise<string[]> {
  const slurm = options.slurm;
  const logDir = slurmFolder(options.dataFolder, options.name);
  const scripts: string[] = [];
  let first = 0;
  for (const [k, count] of plan.arrays.entries()) {
    const script = join(logDir, k === 0 ? `${options.id}.sh` : `${options.id}.${k}.sh`);
    // Several arrays share the parallelism: together never more than it at once.
    const array = { first, count, parallelism: plan.throttles?.[k] };
    const total = plan.arrays.reduce((a, b) => a + b, 0);
    await atomicWriteText(script, batchScript(options, sweepFile, array, total));
    await Deno.chmod(script, 0o755);
    scripts.push(script);
    first += count;
  }
  first = 0;
  for (const [k, count] of plan.arrays.entries()) {
    let jobId: string;
    try {
      const after = plan.after?.[k];
      const wait = after === undefined ? [] : [`--dependency=afterany:${file.jobs[after]}`];
      jobId = (await runSlurm(slurm, "sbatch", [
        "--parsable",
        ...wait,
        ...(slurm.sbatchArgs ?? []),
        scripts[k],
      ])).trim().split(";")[0];
    } catch (err) {
      if (file.jobs.length) await runSlurm(slurm, "scancel", file.jobs).catch(() => {});
      file.refused = (err as Error).message;
      file.jobs = [];
      file.arrays = [];
      await writeSweepFile(sweepFile, file, { tasks: false });
      throw optionRefusal(err as Error) ?? err;
    }
    file.jobs.push(jobId);
    file.arrays!.push({ job: jobId, first, count });
    first += count;
  }
  await writeSweepFile(sweepFile, file, { tasks: false });
  return scripts;
}

/** sbatch's refusals that name a value the user gave, with the option and how to find a good value. */
const OPTION_REFUSALS: [RegExp, string][] = [
  [/invalid partition/i, "--partition (slurm.partition): list the partitions with `sinfo -s`"],
  [
    /invalid account/i,
    "the account or partition: list yours with `sacctmgr show assoc user=$USER`",
  ],
  [/invalid qos/i, "the QOS in slurm.sbatchArgs: list yours with `sacctmgr show assoc user=$USER`"],
  [
    /requested time limit is invalid/i,
    "--time (slurm.time) exceeds the partition's limit: see `sinfo -o '%P %l'`",
  ],
  [
    /node configuration is not available|memory required by task is not available/i,
    "--mem / --cpus-per-task ask more than a node has: see `sinfo -o '%P %c %m'`",
  ],
];

/**
 * sbatch's refusal of a value the user gave (a partition that does not exist, a time over the
 * partition's limit…) as a `RangeError` naming the option, so that the CLI exits 2 (bad input) rather
 * than 1; any other failure: undefined.
 */
function optionRefusal(err: Error): RangeError | undefined {
  const hit = OPTION_REFUSALS.find(([pattern]) => pattern.test(err.message));
  if (!hit) return undefined;
  return new RangeError(`${err.message}; fix ${hit[1]}`, { cause: err });
}

/**
 * Writes the sweep file and the batch scripts, and submits the sweep with sbatch: `chunk` points per
 * array task and as many job arrays as `MaxArraySize` needs (see {@linkcode planArrays}); with
 * `slurm.collectJob` also a collect job that runs once every array ended. When sbatch refuses an array,
 * the arrays already accepted are cancelled and the sweep file says why (`refused`): `status` then says
 * the sweep was never accepted.
 *
 * @throws {RangeError} With sbatch's message and the option to fix when sbatch refuses a value given
 *   (an unknown partition, account or QOS; a time, memory or CPU count over what the cluster allows).
 * @throws {Error} With sbatch's message when sbatch is missing or refuses the job otherwise.
 *
 * @example
 * ```ts ignore
 * import { expandSweep, submitSweep } from "@sweepstore/sweepstore/runner";
 * const submission = await submitSweep({
 *   id: "MySweep-1", name: "MySweep", dataFolder: "/shared/project/Data",
 *   simulation: "file:///shared/project/sim.ts", tasks: expandSweep({ grid: { n: [1, 2] } }), swept: ["n"],
 *   slurm: { partition: "cpu", time: "00:10:00" },
 * });
 * console.log(submission.jobIds, submission.plan);
 * ```
 */
export async function submitSweep(options: SubmitSweepOptions): Promise<SlurmSubmission> {
  const slurm = options.slurm;
  const limits = await clusterLimits(slurm);
  const plan = planArrays({
    tasks: options.tasks.length,
    limits,
    measuredSeconds: await measuredSeconds(options),
    parallelism: slurm.parallelism ?? options.concurrency,
  }, slurm);
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
    chunk: plan.chunk,
    retries: options.retries ?? 0,
    resume: options.resume ?? false,
    graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
    requeue: slurm.requeue ?? false,
    tasks: options.tasks,
    swept: options.swept,
    jobs: [],
    arrays: [],
    created: new Date().toISOString(),
  };
  await writeSweepFile(sweepFile, file);
  const scripts = await submitArrays(options, sweepFile, file, plan);
  const collectJobId = slurm.collectJob ? await submitCollect(options, file.jobs) : undefined;
  return {
    jobId: file.jobs[0],
    jobIds: [...file.jobs],
    chunk: plan.chunk,
    plan: plan.why,
    collectJobId,
    sweepFile,
    script: scripts[0],
    arrayTasks: plan.arrays.reduce((a, b) => a + b, 0),
  };
}
