/**
 * The cluster's limits and how a sweep fits them: `MaxArraySize` and the accounting plugin from
 * `scontrol show config`, `MaxSubmitJobs` from `sacctmgr` where slurmdbd runs, and the plan: how many
 * points per array task (`chunk`: given, or packed to `slurm.taskMinutes` from measured or estimated run
 * times) and how many job arrays (none larger than `MaxArraySize`), so that any sweep size runs.
 *
 * @module
 */

import { runSlurm, type SlurmOptions } from "./options.ts";

/** What the cluster allows, as read from SLURM. */
export interface ClusterLimits {
  /** `MaxArraySize`: array indices 0 … n-1 are accepted. SLURM's default is 1001. */
  maxArraySize: number;
  /** The smallest `MaxSubmitJobs` of the associations (where slurmdbd runs), else undefined. */
  maxSubmitJobs?: number;
  /** Whether `sacct` works (`AccountingStorageType=accounting_storage/slurmdbd`). */
  sacct: boolean;
}

/** SLURM's default `MaxArraySize`. */
export const DEFAULT_MAX_ARRAY_SIZE = 1001;

/** The target length of an array task in minutes, when `slurm.taskMinutes` is not given. */
export const DEFAULT_TASK_MINUTES = 10;

/**
 * Reads `key = value` lines of `scontrol show config`.
 *
 * @example
 * ```ts
 * import { parseConfig } from "./limits.ts";
 * console.log(parseConfig("MaxArraySize            = 11\nJobRequeue = 0\n").get("MaxArraySize")); // "11"
 * ```
 */
export function parseConfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^(\w+)\s*=\s*(.*)$/.exec(line.trim());
    if (m) out.set(m[1], m[2].trim());
  }
  return out;
}

const cache = new Map<string, Promise<ClusterLimits>>();

async function readLimits(slurm: SlurmOptions): Promise<ClusterLimits> {
  let config: Map<string, string>;
  try {
    config = parseConfig(await runSlurm(slurm, "scontrol", ["show", "config"]));
  } catch {
    // No scontrol (or not allowed): SLURM's defaults; sbatch then says what is wrong, if anything.
    return { maxArraySize: DEFAULT_MAX_ARRAY_SIZE, sacct: false };
  }
  const size = Number(config.get("MaxArraySize"));
  const sacct = /slurmdbd/.test(config.get("AccountingStorageType") ?? "");
  let maxSubmitJobs: number | undefined;
  if (sacct) {
    try {
      const out = await runSlurm(slurm, "sacctmgr", [
        "-n",
        "-P",
        "show",
        "assoc",
        "format=MaxSubmit",
      ]);
      const limits = out.split("\n").map(Number).filter((n) => Number.isInteger(n) && n > 0);
      if (limits.length) maxSubmitJobs = Math.min(...limits);
    } catch { /* no sacctmgr, no rights: no limit known */ }
  }
  return {
    maxArraySize: Number.isInteger(size) && size > 0 ? size : DEFAULT_MAX_ARRAY_SIZE,
    maxSubmitJobs,
    sacct,
  };
}

/**
 * The cluster's limits (read once per process, `binDir` and `SLURM_CONF`); SLURM's defaults where `scontrol show
 * config` cannot be run.
 *
 * @example
 * ```ts ignore
 * import { clusterLimits } from "./limits.ts";
 * console.log(await clusterLimits()); // { maxArraySize: 1001, maxSubmitJobs: undefined, sacct: false }
 * ```
 */
export function clusterLimits(slurm: SlurmOptions = {}): Promise<ClusterLimits> {
  // Another cluster's configuration is read again. Asked first: a bare get would prompt on a terminal.
  const env = Deno.permissions.querySync({ name: "env", variable: "SLURM_CONF" }).state;
  const conf = env === "granted" ? Deno.env.get("SLURM_CONF") ?? "" : "";
  const key = `${slurm.binDir ?? ""}\0${conf}`;
  let limits = cache.get(key);
  if (!limits) {
    limits = readLimits(slurm);
    cache.set(key, limits);
  }
  return limits;
}

/**
 * A SLURM time (`--time`: minutes, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`, or minutes as a
 * number) in seconds; undefined for what it cannot read (`UNLIMITED`).
 *
 * @example
 * ```ts
 * import { timeSeconds } from "./limits.ts";
 * console.log(timeSeconds("1-00:30:00"), timeSeconds("90"), timeSeconds(2)); // 88200 5400 120
 * ```
 */
export function timeSeconds(time: string | number | undefined): number | undefined {
  if (typeof time === "number") return time * 60;
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(time?.trim() ?? "");
  if (!m) return undefined;
  const [days, a, b, c] = [m[1], m[2], m[3], m[4]].map((v) => (v === undefined ? undefined : +v));
  if (days !== undefined) return days * 86400 + a! * 3600 + (b ?? 0) * 60 + (c ?? 0);
  if (c !== undefined) return a! * 3600 + b! * 60 + c;
  if (b !== undefined) return a! * 60 + b;
  return a! * 60;
}

/** How a sweep is laid out on the cluster. */
export interface ArrayPlan {
  /** Points per array task. */
  chunk: number;
  /** The job arrays: sizes, in order (each ≤ `MaxArraySize`). */
  arrays: number[];
  /** Why, for people. */
  why: string;
  /**
   * Per array: at most this many of its tasks at once (`--array=…%N`), so that all arrays together run
   * at most `parallelism` tasks and none of it is lost to rounding. Undefined without a parallelism.
   */
  throttles?: number[];
  /**
   * Per array: the earlier array (its index) it waits for (`--dependency=afterany`), when there are more
   * arrays than `parallelism` (each then runs one task at a time). Undefined without a parallelism.
   */
  after?: (number | undefined)[];
}

/** How `parallelism` is shared by the arrays: each its part (`%N`), or one task each and waiting in turn. */
function shareParallelism(
  parallelism: number | undefined,
  count: number,
): Pick<ArrayPlan, "throttles" | "after"> {
  if (!parallelism) return {};
  const arrays = [...Array(count).keys()];
  if (parallelism >= count) {
    const base = Math.floor(parallelism / count);
    return {
      throttles: arrays.map((k) => base + (k < parallelism % count ? 1 : 0)),
      after: arrays.map(() => undefined),
    };
  }
  // %0 does not exist: each array runs one task at a time, and array k starts when array k-P ended.
  return {
    throttles: arrays.map(() => 1),
    after: arrays.map((k) => (k >= parallelism ? k - parallelism : undefined)),
  };
}

/** What {@linkcode planArrays} needs besides the options. */
export interface PlanInput {
  /** Tasks (points × repeats) to run. */
  tasks: number;
  /** The cluster's limits. */
  limits: ClusterLimits;
  /** The median wall time of earlier `done` runs of the sweep, in seconds (if any). */
  measuredSeconds?: number;
  /** How many array tasks may run at once (`slurm.parallelism` or `concurrency`): packing leaves them busy. */
  parallelism?: number;
}

function autoChunk(input: PlanInput, slurm: SlurmOptions): { chunk: number; why: string } {
  if (slurm.chunk !== undefined) return { chunk: slurm.chunk, why: `chunk ${slurm.chunk} (given)` };
  const seconds = input.measuredSeconds ?? slurm.runSeconds;
  if (seconds === undefined) return { chunk: 1, why: "chunk 1 (no run time measured or given)" };
  const minutes = slurm.taskMinutes ?? DEFAULT_TASK_MINUTES;
  let chunk = Math.floor((minutes * 60) / Math.max(seconds, 1e-3));
  const limit = timeSeconds(slurm.time);
  // --time 0 is SLURM's "no time limit".
  if (limit) {
    chunk = Math.min(chunk, Math.floor((0.8 * limit) / Math.max(seconds, 1e-3)));
  }
  // Never fewer tasks than may run at once: packing must not leave allowed slots idle.
  if (input.parallelism) chunk = Math.min(chunk, Math.ceil(input.tasks / input.parallelism));
  chunk = Math.max(1, Math.min(chunk, input.tasks));
  const source = input.measuredSeconds !== undefined ? "measured" : "estimated";
  return {
    chunk,
    why: `chunk ${chunk}: runs of ~${+seconds.toPrecision(
      2,
    )} s (${source}) in ${minutes}-minute tasks`,
  };
}

/**
 * Plans a sweep on the cluster: the chunk (given; or packed to `taskMinutes` from the run time, at most
 * 80 % of `slurm.time`, and leaving at least `parallelism` tasks; raised so that the tasks stay within
 * `maxSubmitJobs`), then job arrays of at most `MaxArraySize` tasks each, sharing `parallelism`
 * (`throttles`, `after`). Options override what was read from the cluster.
 *
 * @example
 * ```ts
 * import { planArrays } from "./limits.ts";
 * const limits = { maxArraySize: 11, sacct: false };
 * console.log(planArrays({ tasks: 50, limits }, { chunk: 2 }).arrays); // [ 11, 11, 3 ]
 * console.log(planArrays({ tasks: 20000, limits, measuredSeconds: 1 }, {}).chunk); // 600
 * ```
 */
export function planArrays(input: PlanInput, slurm: SlurmOptions = {}): ArrayPlan {
  let { chunk, why } = autoChunk(input, slurm);
  const maxJobs = slurm.maxSubmitJobs ?? input.limits.maxSubmitJobs;
  if (maxJobs !== undefined && Math.ceil(input.tasks / chunk) > maxJobs) {
    chunk = Math.ceil(input.tasks / maxJobs);
    why += `; raised to ${chunk} to stay within ${maxJobs} queued tasks (MaxSubmitJobs)`;
  }
  const size = slurm.maxArraySize ?? input.limits.maxArraySize;
  const arrayTasks = Math.ceil(input.tasks / chunk);
  const arrays: number[] = [];
  for (let left = arrayTasks; left > 0; left -= size) arrays.push(Math.min(size, left));
  if (arrays.length > 1) why += `; ${arrays.length} job arrays (MaxArraySize ${size})`;
  return { chunk, arrays, why, ...shareParallelism(input.parallelism, arrays.length) };
}
