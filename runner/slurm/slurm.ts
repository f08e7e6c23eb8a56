/**
 * The SLURM backend: the same sweep as one job array. The points and options go to a sweep file in
 * `Data/StorageManager/<name>/`; `sbatch --array=0-(M-1)%P` runs `deno run <permissions> runner/task.ts
 * <sweep file> $SLURM_ARRAY_TASK_ID` on the nodes, each task running its chunk of points exactly as a local
 * slot does (own random run folder in the shared Data folder, `[Run]` status). The submitting process can
 * wait (polling `squeue --json`, with the same progress display as local sweeps) or return the job id at
 * once; `collectSweep` then marks what SLURM stopped (TIMEOUT, CANCELLED, FAILED, OUT_OF_MEMORY, …) in the
 * runs' folders and writes the same summary files as a local sweep.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { atomicWriteText } from "../../src/formats/atomic.ts";
import { StorageManagerGroup } from "../../src/group/group.ts";
import type { ParamValue } from "../../src/formats/params.ts";
import { StorageManager } from "../../src/run/storage_manager.ts";
import { permissionFlags, type PermissionOptions } from "../local/pool.ts";
import { Progress, type ProgressCounts } from "../cli/progress.ts";
import { type SweepSummary, writeSummary } from "../summary.ts";
import type { SweepTask } from "../sweep.ts";
import type { RunRecord, RunStatus } from "../task.ts";

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
   * Wait for the array to finish (polling squeue, showing progress) and write the summary; with `false`
   * `runSweep` returns as soon as the job is submitted (`result.slurm.jobId`).
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
   * The folder of SLURM's commands (sbatch, squeue, scontrol).
   * @default {found on PATH}
   */
  binDir?: string;
}

/** What is written to the sweep file that every array task reads. */
export interface SweepFile {
  /** File format version. */
  version: 1;
  /** The sweep's id. */
  id: string;
  /** The sweep's name. */
  name: string;
  /** The Data folder (absolute; on a file system that every node shares). */
  dataFolder: string;
  /** The simulation module's URL. */
  simulation: string;
  /** Points per array task. */
  chunk: number;
  /** In-task retries of a failed run. */
  retries: number;
  /** The tasks (points × repeats) to run. */
  tasks: SweepTask[];
  /** The swept parameter names (plot axes). */
  swept: string[];
  /** Submitted job ids, newest last. */
  jobs: string[];
  /** When the file was written. */
  created: string;
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

/** SLURM states of array tasks that ended without finishing their runs. */
const STOPPED: Record<string, RunStatus> = {
  TIMEOUT: "timeout",
  DEADLINE: "timeout",
  CANCELLED: "interrupted",
  PREEMPTED: "interrupted",
  FAILED: "failed",
  OUT_OF_MEMORY: "failed",
  NODE_FAIL: "failed",
  BOOT_FAIL: "failed",
};
const ACTIVE = new Set([
  "PENDING",
  "RUNNING",
  "CONFIGURING",
  "COMPLETING",
  "REQUEUED",
  "RESIZING",
  "SUSPENDED",
]);

function command(options: SlurmOptions, name: string): string {
  return options.binDir ? join(options.binDir, name) : name;
}

async function runSlurm(options: SlurmOptions, name: string, args: string[]): Promise<string> {
  const cmd = command(options, name);
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

function timeArg(time: string | number): string {
  return typeof time === "number" ? String(Math.max(1, Math.ceil(time))) : time;
}

function sweepFolder(dataFolder: string, name: string): string {
  return join(dataFolder, "StorageManager", name);
}

/**
 * The sweep files of a group, newest first.
 *
 * @example
 * ```ts
 * import { listSweepFiles } from "@sweepstore/sweepstore/runner";
 * console.log(await listSweepFiles(await Deno.makeTempDir(), "MySweep")); // []
 * ```
 */
export async function listSweepFiles(dataFolder: string, name: string): Promise<string[]> {
  const dir = join(sweepFolder(dataFolder, name), "sweeps");
  const files: { path: string; mtime: number }[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && e.name.endsWith(".json")) {
        const path = join(dir, e.name);
        files.push({ path, mtime: (await Deno.stat(path)).mtime?.getTime() ?? 0 });
      }
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return files.sort((a, b) => b.mtime - a.mtime || (a.path < b.path ? 1 : -1)).map((f) => f.path);
}

/**
 * Reads a sweep file.
 *
 * @example
 * ```ts ignore
 * import { listSweepFiles, readSweepFile } from "@sweepstore/sweepstore/runner";
 * const [newest] = await listSweepFiles("/project/Data", "MySweep");
 * console.log((await readSweepFile(newest)).jobs);
 * ```
 */
export async function readSweepFile(path: string): Promise<SweepFile> {
  const file = JSON.parse(await Deno.readTextFile(path)) as SweepFile;
  if (file.version !== 1 || !Array.isArray(file.tasks)) {
    throw new Error(`${path} is not a sweepstore sweep file (version 1)`);
  }
  return file;
}

/** Options for {@linkcode submitSweep}. */
export interface SubmitSweepOptions {
  /** The sweep's id. */
  id: string;
  /** The sweep's name. */
  name: string;
  /** The Data folder (absolute, shared by the nodes). */
  dataFolder: string;
  /** The simulation module's URL. */
  simulation: string;
  /** The tasks to run. */
  tasks: SweepTask[];
  /** The swept parameter names. */
  swept: string[];
  /** In-task retries. */
  retries?: number;
  /** Array parallelism when `slurm.parallelism` is not given. */
  concurrency?: number;
  /** Simulation permissions. */
  permissions?: PermissionOptions;
  /** V8 heap limit in MiB. */
  memoryMb?: number;
  /** More `deno run` arguments. */
  denoArgs?: string[];
  /** SLURM options. */
  slurm: SlurmOptions;
}

/**
 * Writes the sweep file and the batch script, and submits the job array with sbatch. Throws an Error with
 * sbatch's message when sbatch is missing or refuses the job.
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
  const folder = sweepFolder(options.dataFolder, options.name);
  const sweepsDir = join(folder, "sweeps");
  const logDir = join(folder, "slurm");
  await Deno.mkdir(sweepsDir, { recursive: true });
  await Deno.mkdir(logDir, { recursive: true });
  const sweepFile = join(sweepsDir, `${options.id}.json`);
  const file: SweepFile = {
    version: 1,
    id: options.id,
    name: options.name,
    dataFolder: options.dataFolder,
    simulation: options.simulation,
    chunk,
    retries: options.retries ?? 0,
    tasks: options.tasks,
    swept: options.swept,
    jobs: [],
    created: new Date().toISOString(),
  };
  await atomicWriteText(sweepFile, JSON.stringify(file, null, 1) + "\n");

  const arrayTasks = Math.ceil(options.tasks.length / chunk);
  const parallelism = slurm.parallelism ?? options.concurrency;
  const projectDir = dirname(options.dataFolder);
  const taskScript = fileURLToPath(new URL("./array_task.ts", import.meta.url));
  const deno = slurm.deno ?? Deno.execPath();
  // The task reads SLURM's job id and node name from the environment, to record them in [Run].
  const env = options.permissions?.env;
  const permissions: PermissionOptions = {
    ...options.permissions,
    env: env === true ? true : [
      ...(env || []),
      "SLURM_ARRAY_JOB_ID",
      "SLURM_JOB_ID",
      "SLURM_ARRAY_TASK_ID",
      "SLURMD_NODENAME",
    ],
  };
  const denoArgs = [
    "run",
    "--quiet",
    ...permissionFlags(options.dataFolder, projectDir, options.simulation, permissions),
    ...(options.memoryMb ? [`--v8-flags=--max-old-space-size=${options.memoryMb}`] : []),
    ...(options.denoArgs ?? []),
    taskScript,
    sweepFile,
  ];
  const quote = (s: string) => `'${s.replaceAll("'", `'"'"'`)}'`;
  const directives = [
    `--job-name=${options.name}`,
    `--array=0-${arrayTasks - 1}${parallelism ? `%${parallelism}` : ""}`,
    `--output=${join(logDir, "%A_%a.out")}`,
    ...(slurm.partition ? [`--partition=${slurm.partition}`] : []),
    ...(slurm.time !== undefined ? [`--time=${timeArg(slurm.time)}`] : []),
    ...(slurm.cpusPerTask ? [`--cpus-per-task=${slurm.cpusPerTask}`] : []),
    ...(slurm.mem ? [`--mem=${slurm.mem}`] : []),
  ];
  const script = join(logDir, `${options.id}.sh`);
  await atomicWriteText(
    script,
    [
      "#!/bin/bash",
      `# sweepstore sweep ${options.id}: ${options.tasks.length} runs in ${arrayTasks} array tasks`,
      ...directives.map((d) => `#SBATCH ${d}`),
      `exec ${[deno, ...denoArgs].map(quote).join(" ")} "$SLURM_ARRAY_TASK_ID"`,
      "",
    ].join("\n"),
  );
  await Deno.chmod(script, 0o755);
  const jobId =
    (await runSlurm(slurm, "sbatch", ["--parsable", ...(slurm.sbatchArgs ?? []), script]))
      .trim().split(";")[0];
  file.jobs.push(jobId);
  await atomicWriteText(sweepFile, JSON.stringify(file, null, 1) + "\n");

  let collectJobId: string | undefined;
  if (slurm.collectJob) {
    const cli = fileURLToPath(new URL("../cli/cli.ts", import.meta.url));
    const collect = join(logDir, `${options.id}-collect.sh`);
    await atomicWriteText(
      collect,
      [
        "#!/bin/bash",
        `#SBATCH --job-name=${options.name}-collect`,
        `#SBATCH --output=${join(logDir, `${options.id}-collect.out`)}`,
        ...(slurm.partition ? [`#SBATCH --partition=${slurm.partition}`] : []),
        `exec ${
          [
            deno,
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
          ].map(quote).join(" ")
        }`,
        "",
      ].join("\n"),
    );
    collectJobId = (await runSlurm(slurm, "sbatch", [
      "--parsable",
      // afterany, never afterok: with one failed task afterok would wait for ever.
      `--dependency=afterany:${jobId}`,
      ...(slurm.sbatchArgs ?? []),
      collect,
    ])).trim().split(";")[0];
  }
  return { jobId, collectJobId, sweepFile, script, arrayTasks };
}

/**
 * The SLURM state of each array task of a job (index → state), from `squeue --json`.
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
  const number = (
    v: unknown,
  ) => (v && typeof v === "object" ? ((v as { number?: number }).number) : v);
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

/** Per-run states of a SLURM sweep, from the runs' folders and SLURM. */
export interface SweepStatus {
  /** The sweep file's content. */
  sweep: SweepFile;
  /** SLURM's state per array task (absent once SLURM forgot the job). */
  slurm: Map<number, string>;
  /** Per task (point × repeat): its run folder (if any) and status. */
  runs: {
    task: SweepTask;
    arrayTask: number;
    path?: string;
    status: RunStatus | "running" | "pending";
  }[];
  /** Whether no array task is pending or running any more. */
  finished: boolean;
}

/**
 * Reads the state of a SLURM sweep: which runs are done, failed, running or still pending.
 *
 * @example
 * ```ts ignore
 * import { listSweepFiles, sweepStatus } from "@sweepstore/sweepstore/runner";
 * const status = await sweepStatus((await listSweepFiles("/project/Data", "MySweep"))[0]);
 * console.log(status.finished, status.runs.map((r) => r.status));
 * ```
 */
export async function sweepStatus(
  sweepFile: string,
  slurm: SlurmOptions = {},
): Promise<SweepStatus> {
  const sweep = await readSweepFile(sweepFile);
  const states = new Map<number, string>();
  for (const job of sweep.jobs) {
    try {
      for (const [k, v] of await arrayStates(job, slurm)) states.set(k, v);
    } catch (err) {
      // squeue forgets finished jobs after MinJobAge: the run folders then tell everything.
      if (!/Invalid job id/i.test((err as Error).message)) throw err;
    }
  }
  const group = await StorageManagerGroup.load(sweep.name, { dataFolder: sweep.dataFolder });
  const byIndex = new Map<number, StorageManager>();
  for (const sm of group) {
    if (sm.param("sweep", { section: "Run" }) !== sweep.id) continue;
    const index = sm.param("index", { section: "Run" });
    if (typeof index !== "number") continue;
    const prev = byIndex.get(index);
    const attempt = (s: StorageManager) =>
      Number(s.param("attempt", { section: "Run", default: 0 }));
    if (!prev || attempt(sm) >= attempt(prev)) byIndex.set(index, sm);
  }
  const arrayTasks = Math.ceil(sweep.tasks.length / sweep.chunk);
  const finished = [...Array(arrayTasks).keys()].every((i) =>
    !ACTIVE.has(states.get(i) ?? "COMPLETED")
  );
  const runs = sweep.tasks.map((task, i) => {
    const sm = byIndex.get(task.index);
    const status = sm
      ? String(sm.param("status", { section: "Run", default: "running" }))
      : "pending";
    return {
      task,
      arrayTask: Math.floor(i / sweep.chunk),
      path: sm?.path,
      status: status as RunStatus | "running" | "pending",
    };
  });
  return { sweep, slurm: states, runs, finished };
}

/** Options for {@linkcode collectSweep}. */
export interface CollectOptions {
  /** SLURM options (binDir). */
  slurm?: SlurmOptions;
  /**
   * Write the summary files and print the table.
   * @default {true}
   */
  summary?: boolean;
}

/**
 * After a SLURM sweep: marks the runs that SLURM stopped (a run still `running` in an array task that ended
 * as TIMEOUT, CANCELLED, FAILED, OUT_OF_MEMORY, …) with that status, and points that never started as
 * failed records, then writes the summary files. Returns one record per task.
 *
 * @example
 * ```ts ignore
 * import { collectSweep, listSweepFiles } from "@sweepstore/sweepstore/runner";
 * const { records, summary } = await collectSweep((await listSweepFiles("/project/Data", "MySweep"))[0]);
 * console.log(records.length, summary?.files.csv);
 * ```
 */
export async function collectSweep(
  sweepFile: string,
  options: CollectOptions = {},
): Promise<{ records: RunRecord[]; summary?: SweepSummary; status: SweepStatus }> {
  const status = await sweepStatus(sweepFile, options.slurm);
  const records: RunRecord[] = [];
  for (const run of status.runs) {
    const slurmState = status.slurm.get(run.arrayTask);
    let st = run.status;
    let error: string | undefined;
    if ((st === "running" || st === "pending") && status.finished) {
      const how = slurmState && STOPPED[slurmState] ? slurmState : "ended";
      st = slurmState && STOPPED[slurmState] ? STOPPED[slurmState] : "failed";
      error =
        `SLURM array task ${status.sweep.jobs.at(-1)}_${run.arrayTask} ${how.toLowerCase()} ` +
        (run.path ? "before this run finished" : "before this run started");
      if (run.path) {
        const sm = await StorageManager.open(run.path);
        await sm.saveParamSections({
          Run: {
            status: st,
            error,
            slurm_state: slurmState ?? "unknown",
            finished: new Date().toISOString(),
          },
        });
      }
    }
    if (st === "running" || st === "pending") continue;
    const sm = run.path ? await StorageManager.open(run.path) : undefined;
    records.push({
      index: run.task.index,
      params: run.task.params,
      path: run.path ?? "",
      status: st as RunStatus,
      error: error ?? (sm?.param("error", { section: "Run" }) as string | undefined),
      durationMs: Number(sm?.param("duration_s", { section: "Run", default: 0 }) ?? 0) * 1000,
      attempts: Number(sm?.param("attempt", { section: "Run", default: 1 }) ?? 1),
      seed: run.task.seed,
    });
  }
  let summary: SweepSummary | undefined;
  if (options.summary !== false) {
    const group = await StorageManagerGroup.load(status.sweep.name, {
      dataFolder: status.sweep.dataFolder,
    });
    summary = await writeSummary(group, { swept: status.sweep.swept });
  }
  return { records, summary, status };
}

/**
 * Waits for a SLURM sweep to end, showing progress like the local runner.
 *
 * @example
 * ```ts ignore
 * import { listSweepFiles, waitForSweep } from "@sweepstore/sweepstore/runner";
 * await waitForSweep((await listSweepFiles("/project/Data", "MySweep"))[0], { slurm: { pollMs: 5000 } });
 * ```
 */
export async function waitForSweep(
  sweepFile: string,
  options: { slurm?: SlurmOptions; progress?: boolean } = {},
): Promise<SweepStatus> {
  const pollMs = options.slurm?.pollMs ?? 2000;
  const progress = new Progress({ mode: options.progress === false ? "off" : undefined });
  while (true) {
    const status = await sweepStatus(sweepFile, options.slurm);
    const counts: ProgressCounts = { done: 0, failed: 0, running: 0, total: status.runs.length };
    for (const r of status.runs) {
      if (r.status === "done") counts.done++;
      else if (r.status === "running") counts.running++;
      else if (r.status !== "pending") counts.failed++;
    }
    if (status.finished) {
      progress.finish(counts);
      return status;
    }
    progress.update(counts);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Extra `[Run]` entries that identify the SLURM task of a run.
 *
 * @example
 * ```ts
 * import { slurmRunInfo } from "@sweepstore/sweepstore/runner";
 * console.log(slurmRunInfo()); // {} outside SLURM; { slurm_job: "1234_5", slurm_node: "n01" } in an array task
 * ```
 */
export function slurmRunInfo(): Record<string, ParamValue> {
  const job = Deno.env.get("SLURM_ARRAY_JOB_ID") ?? Deno.env.get("SLURM_JOB_ID");
  const task = Deno.env.get("SLURM_ARRAY_TASK_ID");
  const host = Deno.env.get("SLURMD_NODENAME");
  const info: Record<string, ParamValue> = {};
  if (job) info.slurm_job = task !== undefined ? `${job}_${task}` : job;
  if (host) info.slurm_node = host;
  return info;
}
