/**
 * Worker-based experiments: user code starts its own Deno Web Workers, each creating and filling runs with
 * `StorageManager` at the same time ([workers_worker.ts](./workers_worker.ts)), and the main thread then
 * analyses them with `StorageManagerGroup` (load, sortBy, getParamList, query).
 *
 * Run from the repository folder (it uses, or creates, ./Data):
 *   deno run --allow-read=. --allow-write=./Data examples/workers.ts
 * Options: `--workers N` (default 4), `--runs N` runs per worker and name (default 10), `--data <folder>`
 * (a Data folder elsewhere: give it read and write access too), `--sandbox` (each worker gets only read
 * and write access to the Data folder; needs `--unstable-worker-options`).
 *
 * Permissions (measured with Deno 2.9.6; a worker inherits the main thread's permissions by default):
 *
 * | what                                           | permission needed                                   |
 * | ---------------------------------------------- | --------------------------------------------------- |
 * | load the worker module and what it imports     | read on those files, in the main thread (`--allow-read=.`); the main module itself needs none |
 * | create, fill and read runs                     | read and write on the Data folder (`--allow-write=./Data`) |
 * | find the Data folder (no `dataFolder` option)  | read on the working folder; the search stops below folders it may not read, then makes `./Data` |
 * | net, env, run, sys, ffi                        | none (`renderVideo` needs `--allow-run=ffmpeg`)      |
 * | `deno: { permissions }` worker option          | `--unstable-worker-options`; it can only narrow the main thread's permissions |
 */
import { findDataFolder, StorageManager, StorageManagerGroup } from "../mod.ts";
import { toConsoleTable } from "../src/group/report.ts";
import type { WorkerJob, WorkerReply } from "./workers_worker.ts";

/** Options of {@linkcode runWorkerExperiment}. */
export interface WorkerExperimentOptions {
  /**
   * The `Data` folder the runs go to (absolute or relative to the working folder).
   * @default {the first `Data` folder found walking up from the working folder, else `./Data`}
   */
  dataFolder?: string;
  /** How many workers run at once. @default {4} */
  workers?: number;
  /** Runs each worker creates under each of the names `WorkersRandom` and `WorkersEnum`. @default {10} */
  runsPerWorker?: number;
  /** Parameters each worker saves one by one into the shared run. @default {20} */
  sharedKeys?: number;
  /**
   * The workers' own permissions (the `deno.permissions` option of `new Worker`; needs the
   * `--unstable-worker-options` flag and can only narrow the main thread's permissions).
   * @default {"inherit"}
   */
  permissions?: Deno.PermissionOptions;
}

/** What {@linkcode runWorkerExperiment} stored and loaded. */
export interface WorkerExperimentResult {
  /** Absolute path of the Data folder used. */
  dataFolder: string;
  /** One successful reply per worker, in worker order. */
  replies: Extract<WorkerReply, { ok: true }>[];
  /** Every run of `WorkersRandom` in the Data folder (earlier executions' runs too). */
  random: StorageManagerGroup;
  /** Every run of `WorkersEnum` in the Data folder (earlier executions' runs too). */
  enumerated: StorageManagerGroup;
  /** The run that all workers filled at the same time, re-opened after they finished. */
  shared: StorageManager;
}

/** Starts one worker with its job and resolves with its reply; rejects on a worker error. */
function startWorker(job: WorkerJob, permissions: Deno.PermissionOptions): Promise<WorkerReply> {
  const options: WorkerOptions & { deno?: { permissions: Deno.PermissionOptions } } = {
    type: "module",
    name: `sweepstore-worker-${job.worker}`,
  };
  if (permissions !== "inherit") options.deno = { permissions };
  const worker = new Worker(new URL("./workers_worker.ts", import.meta.url), options);
  return new Promise<WorkerReply>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<WorkerReply>) => resolve(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`worker ${job.worker}: ${event.message}`));
    };
    worker.postMessage(job);
  }).finally(() => worker.terminate());
}

/**
 * Runs the experiment: makes the shared run, starts the workers at once, waits for all of them, then
 * loads both groups. Throws the first worker's error (naming the worker) when one fails.
 *
 * @example
 * ```ts ignore
 * import { runWorkerExperiment } from "./examples/workers.ts";
 * const result = await runWorkerExperiment({ dataFolder: await Deno.makeTempDir(), workers: 2 });
 * console.log(result.random.length, result.enumerated.length); // 20 20
 * ```
 */
export async function runWorkerExperiment(
  options: WorkerExperimentOptions = {},
): Promise<WorkerExperimentResult> {
  const dataFolder = options.dataFolder !== undefined
    ? await Deno.realPath(await ensureDir(options.dataFolder))
    : await findDataFolder();
  const shared = await StorageManager.create("WorkersShared", { dataFolder, randomNr: true });
  const jobs: WorkerJob[] = Array.from({ length: options.workers ?? 4 }, (_, worker) => ({
    worker,
    dataFolder,
    runsPerWorker: options.runsPerWorker ?? 10,
    sharedRun: shared.path,
    sharedKeys: options.sharedKeys ?? 20,
  }));
  const replies = await Promise.all(
    jobs.map((job) => startWorker(job, options.permissions ?? "inherit")),
  );
  const failed = replies.find((r) => !r.ok);
  if (failed && !failed.ok) throw new Error(`worker ${failed.worker} failed: ${failed.error}`);
  return {
    dataFolder,
    replies: replies as Extract<WorkerReply, { ok: true }>[],
    random: await StorageManagerGroup.load("WorkersRandom", { dataFolder }),
    enumerated: await StorageManagerGroup.load("WorkersEnum", { dataFolder }),
    shared: await StorageManager.open(shared.path),
  };
}

async function ensureDir(path: string): Promise<string> {
  await Deno.mkdir(path, { recursive: true });
  return path;
}

function argValue(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(args: string[]): Promise<void> {
  const data = argValue(args, "--data");
  const dataFolder = data !== undefined ? data : await findDataFolder();
  const result = await runWorkerExperiment({
    dataFolder,
    workers: Number(argValue(args, "--workers") ?? 4),
    runsPerWorker: Number(argValue(args, "--runs") ?? 10),
    permissions: args.includes("--sandbox")
      ? { read: [dataFolder], write: [dataFolder], net: false, env: false, run: false, sys: false }
      : "inherit",
  });
  const created = result.replies.flatMap((r) => [...r.random, ...r.enumerated]).length;
  console.log(`${result.replies.length} workers created ${created} runs in ${result.dataFolder}`);
  const best = result.random.sortBy("score", { descending: true });
  console.log(`\nWorkersRandom: ${best.length} runs, the 5 best by score:`);
  console.log(best.runs.length > 0 ? tableOfBest(best) : "(none)");
  const scores = result.enumerated.getParamList("score").filter((s) => typeof s === "number");
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  console.log(`WorkersEnum: ${result.enumerated.length} runs, mean score ${mean.toFixed(3)}`);
  const good = result.random.query("lr <= 0.01 && score > 0.8");
  console.log(`query "lr <= 0.01 && score > 0.8": ${good.length} runs`);
  const keys = result.shared.paramKeys().length;
  console.log(`shared run ${result.shared.name}: ${keys} parameters from all workers`);
}

function tableOfBest(group: StorageManagerGroup): string {
  const table = group.toTable(["worker", "i", "lr", "score"]);
  return toConsoleTable({ ...table, rows: table.rows.slice(0, 5) });
}

if (import.meta.main) await main(Deno.args);
