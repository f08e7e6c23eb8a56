/**
 * The per-task code of a sweep, shared by every backend: load the simulation module once; per task,
 * create the run folder (params and `[Run] status = running` in one write), call `simulate`, save what it
 * returned and the final `[Run]` status in one write.
 *
 * The pool slot program around it is `runner/slot.ts`: a `deno run` subprocess that reads tasks from stdin
 * as JSON lines and reports on stdout with lines that start with {@linkcode PROTOCOL_PREFIX}; anything
 * else the simulation prints passes through.
 *
 * @module
 */

import { StorageManager } from "../src/run/storage_manager.ts";
import type { ParamValue } from "../src/formats/params.ts";
import type { Params, SweepTask } from "./sweep.ts";

/** What a simulation gets besides its parameters and run folder. */
export interface SimulationContext {
  /** This run's seed (32-bit unsigned), different for every point and repeat. */
  seed: number;
  /** The task's position in the sweep. */
  index: number;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  /** Aborted when the sweep stops (the parent process went away). */
  signal: AbortSignal;
}

/**
 * A simulation: `simulate(params, sm, ctx)`. It may return an object (saved into `[Parameters]`), a
 * number (saved as `score`), or nothing.
 */
export type Simulate = (
  params: Params,
  sm: StorageManager,
  ctx: SimulationContext,
) => unknown;

/** How a run ended. */
export type RunStatus = "done" | "failed" | "timeout" | "interrupted";

/** The outcome of one task. */
export interface RunRecord {
  /** The task's position in the sweep. */
  index: number;
  /** The point's parameters. */
  params: Params;
  /** The run folder (of the last attempt); empty when no folder was created. */
  path: string;
  /** How the last attempt ended. */
  status: RunStatus;
  /** The error message and stack, when the run failed or timed out. */
  error?: string;
  /** How long the last attempt took, in milliseconds. */
  durationMs: number;
  /** How many attempts were made. */
  attempts: number;
  /** The run's seed. */
  seed: number;
  /** What `simulate` returned and was saved, if anything. */
  result?: Record<string, ParamValue>;
}

/** Options for {@linkcode runTask}. */
export interface RunTaskOptions {
  /** The sweep's name: runs go to `<dataFolder>/StorageManager/<name>/<name><nr>`. */
  name: string;
  /** The Data folder. */
  dataFolder: string;
  /** The sweep's id, written to `[Run] sweep`. */
  sweepId: string;
  /**
   * Which attempt this is (1 = first).
   * @default {1}
   */
  attempt?: number;
  /** Passed to the simulation as `ctx.signal`. */
  signal?: AbortSignal;
  /** Called once the run folder exists, before `simulate` starts. */
  onStart?: (path: string) => void;
  /** More `[Run]` entries written with the first ones (e.g. the SLURM job of the task). */
  runInfo?: Record<string, ParamValue>;
}

/** The prefix of the protocol lines a pool slot writes on stdout. */
export const PROTOCOL_PREFIX = "\u001eSWEEPSTORE ";

/**
 * Imports a simulation module and returns its `simulate` function (a named export, or the default export).
 * Throws a `TypeError` that says what the module must export.
 *
 * @example
 * ```ts ignore
 * import { loadSimulation } from "@sweepstore/sweepstore/runner";
 * const simulate = await loadSimulation(new URL("./sim.ts", import.meta.url));
 * ```
 */
export async function loadSimulation(url: string | URL): Promise<Simulate> {
  const mod = await import(String(url));
  const fn = typeof mod.simulate === "function" ? mod.simulate : mod.default;
  if (typeof fn !== "function") {
    throw new TypeError(
      `${url} does not export a simulation: add \`export async function simulate(params, sm, ctx) { … }\``,
    );
  }
  return fn as Simulate;
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return `thrown value: ${String(err)}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Runs one task: creates its run folder (random name, race-free) with the point's parameters and
 * `[Run] status = running`, calls `simulate`, then saves what it returned and the final `[Run]` section
 * (`status`, `error`, `finished`, `duration_s`) in one crash-safe write. Never throws for a failing
 * simulation: the failure is in the record and the folder.
 *
 * @example
 * ```ts
 * import { runTask } from "@sweepstore/sweepstore/runner";
 * const dataFolder = await Deno.makeTempDir();
 * const task = { index: 0, params: { n: 3 }, repeat: 0, seed: 1, point: '{"n":3}' };
 * const record = await runTask(task, (p) => ({ score: Number(p.n) * 2 }), { name: "T", dataFolder, sweepId: "s1" });
 * console.log(record.status, record.result); // "done" { score: 6 }
 * ```
 */
export async function runTask(
  task: SweepTask,
  simulate: Simulate,
  options: RunTaskOptions,
): Promise<RunRecord> {
  const attempt = options.attempt ?? 1;
  const started = new Date();
  const sm = await StorageManager.create(options.name, {
    randomNr: true,
    dataFolder: options.dataFolder,
    params: {
      Parameters: task.params,
      Run: {
        status: "running",
        sweep: options.sweepId,
        index: task.index,
        point: task.point,
        repeat: task.repeat,
        seed: task.seed,
        attempt,
        started: started.toISOString(),
        ...options.runInfo,
      },
    },
  });
  options.onStart?.(sm.path);
  const t0 = performance.now();
  let status: RunStatus = "done";
  let error: string | undefined;
  let result: Record<string, ParamValue> | undefined;
  try {
    const value = await simulate(task.params, sm, {
      seed: task.seed,
      index: task.index,
      attempt,
      signal: options.signal ?? new AbortController().signal,
    });
    if (typeof value === "number") result = { score: value };
    else if (isPlainObject(value)) result = value as Record<string, ParamValue>;
    else if (value !== undefined && value !== null) {
      throw new TypeError(
        `simulate() returned ${
          typeof value === "object" ? value.constructor?.name : typeof value
        }: ` +
          "return an object of results, a number (saved as score), or nothing",
      );
    }
  } catch (err) {
    status = "failed";
    error = errorText(err);
  }
  const durationMs = performance.now() - t0;
  const run: Record<string, ParamValue> = {
    status,
    finished: new Date().toISOString(),
    duration_s: Math.round(durationMs) / 1000,
  };
  if (error !== undefined) run.error = error;
  try {
    await sm.saveParamSections(result ? { Parameters: result, Run: run } : { Run: run });
  } catch (err) {
    // The result itself cannot be saved (e.g. a Map among the values): the run fails, and says why.
    status = "failed";
    error = `the result could not be saved: ${errorText(err)}`;
    result = undefined;
    await sm.saveParamSections({ Run: { ...run, status, error } });
  }
  return {
    index: task.index,
    params: task.params,
    path: sm.path,
    status,
    error,
    durationMs,
    attempts: attempt,
    seed: task.seed,
    result,
  };
}

/** A message from the parent to a pool slot. */
export interface TaskMessage {
  /** The task to run. */
  task: SweepTask;
  /** Which attempt it is. */
  attempt: number;
}

/** What a pool slot needs to know, passed as its first argument (JSON). */
export interface SlotConfig {
  /** The simulation module's URL. */
  simulation: string;
  /** The sweep's name. */
  name: string;
  /** The Data folder. */
  dataFolder: string;
  /** The sweep's id. */
  sweepId: string;
}
