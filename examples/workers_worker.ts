/**
 * The worker half of [workers.ts](./workers.ts): one Deno Web Worker that creates and fills runs with
 * `StorageManager` while the other workers do the same, then reports what it stored to the main thread.
 *
 * Each worker, with all its saves started at once:
 * - creates `runsPerWorker` runs of `WorkersRandom` (random numbers, `WorkersRandom4821`) and as many of
 *   `WorkersEnum` (enumerated, `WorkersEnum1`, `WorkersEnum2`, …), each with `saveParamDict` and a `.npy`
 *   trace from `saveNp`;
 * - opens the one shared run folder the main thread made and saves its own keys into it with `saveParam`,
 *   `saveParamDict` and `saveNp`, from two `StorageManager` objects, while the other workers write to the
 *   same `config.ini`.
 *
 * It needs read and write access to the Data folder only (see workers.ts for the permission table).
 */
import { StorageManager } from "../mod.ts";

/** What the main thread asks one worker to do (the first and only message it sends). */
export interface WorkerJob {
  /** The worker's number, 0-based; saved as the `worker` parameter of each of its runs. */
  worker: number;
  /** Absolute path of the `Data` folder all workers share. */
  dataFolder: string;
  /** Runs to create under each of the two names, `WorkersRandom` and `WorkersEnum`. */
  runsPerWorker: number;
  /** Absolute path of the run folder that every worker fills at the same time. */
  sharedRun: string;
  /** Parameters this worker saves one by one (`saveParam`) into the shared run. */
  sharedKeys: number;
}

/** One run a worker created: its folder name and exactly what it saved. */
export interface RunReport {
  /** The run folder's name, e.g. `WorkersRandom4821`. */
  name: string;
  /** The parameters saved with one `saveParamDict`. */
  params: { worker: number; i: number; lr: number; score: number };
  /** The values of the float64 array saved as `trace.npy`. */
  trace: number[];
}

/** The worker's answer: what it stored, or the error that stopped it. */
export type WorkerReply =
  | {
    ok: true;
    worker: number;
    random: RunReport[];
    enumerated: RunReport[];
    /** Every parameter this worker saved into the shared run, by key. */
    sharedParams: Record<string, number | string | boolean>;
    /** The `.npy` key it saved into the shared run and the values. */
    sharedTrace: { key: string; values: number[] };
  }
  | { ok: false; worker: number; error: string };

/** The worker's global scope, typed for what this module uses (the file is also type-checked as part of the main program). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerJob>) => void) | null;
  postMessage(message: WorkerReply): void;
};

/** A small stand-in "experiment": a noisy bump of the score around lr = 10^-2.5. */
function experiment(worker: number, i: number): RunReport["params"] & { trace: number[] } {
  const lr = 10 ** -(1 + ((worker + i) % 4) / 2 + Math.random() * 0.25);
  const score = Math.exp(-((Math.log10(lr) + 2.5) ** 2)) + (Math.random() - 0.5) * 0.05;
  const trace = Array.from({ length: 32 }, (_, t) => score * (1 - Math.exp(-t / (4 + i))));
  return { worker, i, lr, score, trace };
}

async function makeRun(name: string, randomNr: boolean, job: WorkerJob, i: number) {
  const sm = await StorageManager.create(name, { dataFolder: job.dataFolder, randomNr });
  const { trace, ...params } = experiment(job.worker, i);
  await sm.saveParamDict(params);
  await sm.saveNp("trace", { data: Float64Array.from(trace), shape: [trace.length] });
  return { name: sm.name, params, trace };
}

async function fillSharedRun(job: WorkerJob) {
  const w = `w${job.worker}`;
  const sm = await StorageManager.open(job.sharedRun);
  const other = await StorageManager.open(job.sharedRun); // a second object on the same folder
  const sharedParams: Record<string, number | string | boolean> = {};
  const saves: Promise<void>[] = [];
  for (let k = 0; k < job.sharedKeys; k++) {
    sharedParams[`${w}_k${k}`] = job.worker * 1000 + k;
    saves.push(sm.saveParam(`${w}_k${k}`, job.worker * 1000 + k));
  }
  const dict = { [`${w}_label`]: `worker ${job.worker}`, [`${w}_ready`]: true };
  Object.assign(sharedParams, dict);
  saves.push(other.saveParamDict(dict));
  const values = Array.from({ length: 8 }, (_, t) => job.worker + t / 8);
  saves.push(sm.saveNp(`${w}_trace`, { data: Float64Array.from(values), shape: [values.length] }));
  await Promise.all(saves);
  return { sharedParams, sharedTrace: { key: `${w}_trace`, values } };
}

async function work(job: WorkerJob): Promise<WorkerReply> {
  const n = job.runsPerWorker;
  const [random, enumerated, shared] = await Promise.all([
    Promise.all(Array.from({ length: n }, (_, i) => makeRun("WorkersRandom", true, job, i))),
    Promise.all(Array.from({ length: n }, (_, i) => makeRun("WorkersEnum", false, job, i))),
    fillSharedRun(job),
  ]);
  return { ok: true, worker: job.worker, random, enumerated, ...shared };
}

scope.onmessage = (event) => {
  const job = event.data;
  work(job).then(
    (reply) => scope.postMessage(reply),
    (err) => scope.postMessage({ ok: false, worker: job.worker, error: String(err?.stack ?? err) }),
  );
};
