/**
 * The options of `runSweep`, and their check: every option is checked before any folder or process
 * exists, and a bad one throws a `TypeError` (wrong type, invalid key, a value a run folder cannot store)
 * or a `RangeError` (a number out of range) naming the option and the fix.
 *
 * @module
 */

import { validateName } from "../src/run/names.ts";
import { MAX_NUMBER_DIGITS } from "../src/run/data_folder.ts";

/** A sweep name is the prefix of its run folders (`<name><nr>`): room is kept for the number. */
const SWEEP_NAME_RESERVE = {
  reserveBytes: MAX_NUMBER_DIGITS,
  reserveFor: "the run number of its run folders",
};
import { checkPermissions, type PermissionOptions } from "./command.ts";
import type { SweepEvent } from "./events.ts";
import { checkSlurmOptions, type SlurmOptions } from "./slurm/options.ts";
import type { SweepSpec } from "./sweep.ts";
import { checkParams, checkStorable } from "./values.ts";
import { rangeProblem } from "./_ranges.ts";
import { checkSearchOptions } from "./search/check_options.ts";
import type { Objective, SearchOptions } from "./search/options.ts";

/**
 * The grace period a run gets after its `ctx.signal` was aborted (timeout, stop, SIGTERM from SLURM,
 * the sweep's process dying) before its process group is killed, in milliseconds: the default of
 * `graceMs` in `runSweep`, `LocalPool`, `submitSweep` and of the CLI's `--grace`.
 *
 * @example
 * ```ts
 * import { DEFAULT_GRACE_MS } from "@sweepstore/sweepstore/runner";
 * console.log(`a stopped run is killed ${DEFAULT_GRACE_MS / 1000} s later`); // 3 s
 * ```
 */
export const DEFAULT_GRACE_MS = 3000;

/**
 * The longest `timeoutMs` and `graceMs`: setTimeout's largest delay (2^31 − 1 ms, about 24.8 days). A longer
 * one fires at once: `timeoutMs: 1e10` failed the sweep with "the module did not finish loading within
 * 10000000000 ms" a millisecond after it started.
 */
export const MAX_DURATION_MS = 2_147_483_647;

/** Options for `runSweep`. */
export interface RunSweepOptions extends SweepSpec {
  /** The sweep's name: its runs go to `Data/StorageManager/<name>/<name><nr>/`. */
  name: string;
  /** The simulation module (a URL, or a path relative to the working directory). */
  simulation: string | URL;
  /**
   * How many runs at once (an integer ≥ 1).
   * @default {navigator.hardwareConcurrency}
   */
  concurrency?: number;
  /**
   * Per-run time limit in milliseconds, from the run's start (> 0). When it passes, the run's `ctx.signal`
   * is aborted; `graceMs` later its process group is killed.
   * @default {undefined} (none)
   */
  timeoutMs?: number;
  /**
   * How long a run gets to save what it has and return after its `ctx.signal` was aborted (timeout, stop,
   * the sweep's process dying), in milliseconds (≥ 0); then its process group is killed.
   * @default {DEFAULT_GRACE_MS} (3 s)
   */
  graceMs?: number;
  /**
   * How many times a failed or timed-out run is tried again (an integer ≥ 0).
   * @default {0}
   */
  retries?: number;
  /**
   * Skip points (and repeats) that already have a finished (`done`) run in this group, or a run alive in
   * another process; `running` folders whose process is gone are marked `interrupted` and run again.
   * @default {false}
   */
  resume?: boolean;
  /**
   * The Data folder.
   * @default {the first `Data` folder found walking up from the working directory, else `./Data`}
   */
  dataFolder?: string;
  /** What the simulations may do beyond reading the project and writing the Data folder. */
  permissions?: PermissionOptions;
  /**
   * V8 heap limit per slot, in MiB (`--max-old-space-size`): a run that passes it fails with reason `oom`.
   * It bounds JavaScript objects, not the memory of typed arrays and `ArrayBuffer`s (outside V8's heap) nor
   * of programs the simulation starts: bound those with the machine's own means (SLURM's `--mem`, cgroups).
   * @default {undefined}
   */
  memoryMb?: number;
  /**
   * More `deno run` arguments for the slots (e.g. `["--config", "deno.json"]`).
   * @default {[]}
   */
  denoArgs?: string[];
  /**
   * At most this many tasks queued per slot (only runs shorter than ~10 ms get more than one).
   * @default {8}
   */
  prefetch?: number;
  /**
   * Write summary.csv, summary.json and plot.svg after the runs (the table is in `result.summary.table`).
   * @default {true}
   */
  summary?: boolean;
  /**
   * Where the runs run: `"local"` (alias `"workers"`), a pool of local subprocesses; `"slurm"`, a SLURM job
   * array (the Data folder must be on a file system the nodes share).
   * @default {"local"}
   */
  backend?: "local" | "workers" | "slurm";
  /** Options of the SLURM backend (partition, time, chunk, wait, …). */
  slurm?: SlurmOptions;
  /**
   * Stops the sweep when aborted: no new runs start, running runs get their `ctx.signal` aborted and
   * `graceMs` to return, then they are killed and marked `interrupted`, the summary is written, and
   * `runSweep` resolves with `interrupted: true`.
   */
  signal?: AbortSignal;
  /**
   * Called with every {@linkcode SweepEvent}, in order (progress displays draw from these). If it throws
   * (or, an async function, its promise rejects while the sweep runs), the sweep stops as on `signal` and
   * `runSweep` rejects with that exception.
   */
  onEvent?: (event: SweepEvent) => void;
  /**
   * An adaptive search instead of fixed points (evolution, random, grid, or a bring-your-own optimizer):
   * generation after generation, each evaluation an ordinary run folder with `[Run] generation`,
   * `individual` and `parents`. Needs `objective`; excludes `grid`, `points`, `random` and `repeats`.
   */
  search?: SearchOptions;
  /** What a search optimizes: a parameter each run saves, and whether to maximize or minimize it. */
  objective?: Objective;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function integer(name: string, v: unknown, min: number, fix: string): void {
  if (v === undefined) return;
  if (typeof v !== "number") {
    throw new TypeError(`${name} must be a number, not ${typeof v}: ${fix}`);
  }
  if (!Number.isSafeInteger(v) || v < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, not ${v}: ${fix}`);
  }
}

function positive(name: string, v: unknown, allowZero: boolean, fix: string): void {
  if (v === undefined) return;
  if (typeof v !== "number") {
    throw new TypeError(`${name} must be a number, not ${typeof v}: ${fix}`);
  }
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new RangeError(
      `${name} must be a finite number ${allowZero ? "≥" : ">"} 0, not ${v}: ${fix}`,
    );
  }
}

/** {@linkcode positive}, and at most {@linkcode MAX_DURATION_MS}. */
function duration(name: string, v: unknown, allowZero: boolean, fix: string): void {
  positive(name, v, allowZero, fix);
  if (typeof v === "number" && v > MAX_DURATION_MS) {
    throw new RangeError(
      `${name} must be at most ${MAX_DURATION_MS} ms (about 24.8 days, the longest timer), not ${v}: ${fix}`,
    );
  }
}

function checkGrid(grid: unknown): void {
  if (grid === undefined) return;
  if (!isPlainObject(grid)) throw new TypeError("grid must be an object of parameter → values");
  checkParams("grid", grid, (key, values) => {
    if (!Array.isArray(values) || values.length === 0) {
      throw new TypeError(
        `grid.${key} must be a non-empty array of values, e.g. grid: { ${key}: [1, 2] }`,
      );
    }
    return values;
  });
}

function checkPoints(points: unknown): void {
  if (points === undefined) return;
  if (!Array.isArray(points)) throw new TypeError("points must be an array of parameter objects");
  points.forEach((p, i) => {
    if (!isPlainObject(p)) {
      throw new TypeError(`points[${i}] must be an object of parameters, e.g. { n: 1 }`);
    }
    checkParams(`points[${i}]`, p);
  });
}

function checkRandom(random: unknown, samples: unknown): void {
  integer("samples", samples, 0, "give the number of random points to draw");
  if (random === undefined) return;
  if (!isPlainObject(random)) throw new TypeError("random must be an object of parameter → spec");
  checkParams("random", random, (key, spec) => {
    const where = `random.${key}`;
    if (!isPlainObject(spec)) throw new TypeError(`${where} must be { min, max } or { choices }`);
    if ("choices" in spec) {
      if (!Array.isArray(spec.choices) || spec.choices.length === 0) {
        throw new TypeError(`${where}.choices must be a non-empty array of values`);
      }
      for (const c of spec.choices) checkStorable(where, key, c);
      return [];
    }
    const { min, max, log, integer } = spec as {
      min: unknown;
      max: unknown;
      log?: unknown;
      integer?: unknown;
    };
    if (typeof min !== "number" || typeof max !== "number") {
      throw new TypeError(`${where} needs numbers min and max, e.g. { min: 0, max: 1 }`);
    }
    const problem = rangeProblem({ min, max, log: log === true, integer: integer === true });
    if (problem) throw new RangeError(`${where} ${problem}`);
    return [];
  });
}

/** A search's own options, and what it cannot be combined with. */
function checkSearch(options: RunSweepOptions): void {
  const fixed = (["grid", "points", "random", "samples", "repeats"] as const).find((k) =>
    options[k] !== undefined
  );
  if (fixed) {
    throw new TypeError(
      `${fixed} cannot be combined with search: a search makes its own points (use search.method "grid" or "random")`,
    );
  }
  checkSearchOptions(options.search as SearchOptions, options.objective);
  if (options.backend === "slurm" && options.slurm?.wait === false) {
    throw new RangeError(
      "slurm.wait: false cannot drive a search: each generation is bred from the scores of the last, so " +
        "the driver must follow them; run the driver itself as a job (sbatch --wrap 'sweepstore run … " +
        "--resume'): a stopped search resumes where it stopped",
    );
  }
}

/**
 * Checks every option of a sweep before anything starts (see the module documentation).
 *
 * @throws {TypeError} A wrong type, an invalid or colliding parameter key, a value a run folder cannot store,
 * a permission Deno would refuse (`checkPermissions` in `command.ts`: an empty item, a URL for `net`, an
 * unknown `sys` name).
 * @throws {RangeError} A number out of range (concurrency 0, timeoutMs -5 or NaN, retries -1, repeats 0,
 * graceMs < 0, timeoutMs or graceMs above 2^31 − 1 ms, a random range with min > max), more tasks than a sweep can number (2**31 - 1: grid points
 * + points + samples, times repeats), and a search's (see `checkSearchOptions`).
 * @throws {QueryError} A search constraint that does not parse.
 *
 * @example
 * ```ts
 * import { checkSweepOptions } from "@sweepstore/sweepstore/runner";
 * try {
 *   checkSweepOptions({ name: "S", simulation: "./sim.ts", grid: { n: [1] }, concurrency: 0 });
 * } catch (e) {
 *   console.log((e as Error).message); // concurrency must be an integer ≥ 1, not 0: …
 * }
 * ```
 */
export function checkSweepOptions(options: RunSweepOptions): void {
  if (!isPlainObject(options)) throw new TypeError("runSweep needs an options object");
  validateName(options.name, "sweep name", SWEEP_NAME_RESERVE);
  const sim = options.simulation;
  if (!(typeof sim === "string" && sim.length > 0) && !(sim instanceof URL)) {
    throw new TypeError("simulation must be a module path or URL, e.g. simulation: './sim.ts'");
  }
  integer("concurrency", options.concurrency, 1, "give how many runs may run at once (1 or more)");
  duration("timeoutMs", options.timeoutMs, false, "give a time limit in milliseconds, or none");
  duration("graceMs", options.graceMs, true, "give milliseconds (0 kills at once)");
  integer("retries", options.retries, 0, "give 0 for no retry");
  integer("repeats", options.repeats, 1, "give repeats: 1 or more");
  integer("prefetch", options.prefetch, 1, "give 1 or more");
  integer("memoryMb", options.memoryMb, 1, "give the heap limit in MiB");
  if (options.seed !== undefined && !Number.isFinite(options.seed)) {
    throw new RangeError(`seed must be a finite number, not ${options.seed}`);
  }
  const backend = options.backend;
  if (backend !== undefined && !["local", "workers", "slurm"].includes(backend)) {
    throw new TypeError(`backend must be "local" or "slurm", not ${JSON.stringify(backend)}`);
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError("signal must be an AbortSignal (from an AbortController)");
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== "function") {
    throw new TypeError("onEvent must be a function");
  }
  checkPermissions(options.permissions);
  if (options.slurm !== undefined) {
    if (!isPlainObject(options.slurm)) throw new TypeError("slurm must be an object of options");
    checkSlurmOptions(options.slurm);
  }
  if (options.search !== undefined) return checkSearch(options);
  checkGrid(options.grid);
  checkPoints(options.points);
  checkRandom(options.random, options.samples);
  if (!options.grid && !options.points?.length && !options.random) {
    throw new TypeError("The sweep has no points: give grid, points or random");
  }
  checkTaskCount(options);
}

/** The most tasks one sweep can have: each is numbered by a 32-bit signed integer (`runner/_record_store.ts`). */
const MAX_TASKS = 2 ** 31 - 1;

/**
 * The sweep's task count (grid points + points + samples, times repeats), counted before any is made: a
 * grid or `samples` too large would otherwise keep the process busy for hours before it ran out of memory.
 */
function checkTaskCount(options: RunSweepOptions): void {
  const axes = Object.values(options.grid ?? {}).map((values) => values.length);
  const gridPoints = axes.length ? axes.reduce((a, b) => a * b, 1) : 0;
  const samples = options.random ? options.samples ?? 10 : 0;
  const tasks = (gridPoints + (options.points?.length ?? 0) + samples) * (options.repeats ?? 1);
  if (tasks <= MAX_TASKS) return;
  throw new RangeError(
    `The sweep has ${tasks} tasks (grid ${axes.join("×") || "none"}, ${
      options.points?.length ?? 0
    } points, ${samples} samples, times ${
      options.repeats ?? 1
    } repeats), more than one sweep can ` +
      `number (${MAX_TASKS}): make the grid, samples or repeats smaller, or split the sweep into ` +
      "several (resume adds the points of each to the same group)",
  );
}
