/**
 * The per-run code shared by every backend: claim (with `resume`) → create the run folder (params and
 * `[Run] status = running` in one write) → call `simulate` → save what it returned and the final `[Run]`
 * section in one write → the run's record. Runs in a local slot or a SLURM array task.
 *
 * @module
 */

import { StorageManager } from "../src/run/storage_manager.ts";
import { groupFolder } from "../src/layout.ts";
import { storageErrorCode } from "../src/errors.ts";
import type { ParamValue } from "../src/formats/params.ts";
import type { FailureReason, RunRecord, RunStatus } from "./events.ts";
import {
  readRunSection,
  RESULT_KEYS,
  RUN_SECTION,
  type RunSection,
  runSectionEntries,
  writeRunSection,
} from "./run_record.ts";
import { checkResult, ResultError } from "./values.ts";
import { PointClaim } from "./claims.ts";
import type { Params, SweepTask } from "./sweep.ts";

export type { FailureReason, RunRecord, RunStatus } from "./events.ts";

/** What a simulation gets besides its parameters and run folder. */
export interface SimulationContext {
  /** This run's seed (32-bit unsigned), different for every point and repeat. */
  seed: number;
  /** The task's position in the sweep. */
  index: number;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  /**
   * Aborted when the run must stop: its timeout passed (reason: a `TimeoutError` DOMException), the sweep
   * was stopped, or the sweep's process died (an `AbortError`). The simulation then has the sweep's
   * `graceMs` to save what it has and return, before its process is killed.
   */
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

/**
 * The simulation module could not be loaded: the sweep cannot run.
 *
 * @example
 * ```ts
 * import { SimulationLoadError } from "@sweepstore/sweepstore/runner";
 * console.log(new SimulationLoadError("sim.ts: not found").name); // "SimulationLoadError"
 * ```
 */
export class SimulationLoadError extends Error {
  /** Creates the error with the loader's message. */
  constructor(message: string) {
    super(message);
    this.name = "SimulationLoadError";
  }
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
  /** Passed to the simulation as `ctx.signal`; its abort reason decides the status (timeout or interrupted). */
  signal?: AbortSignal;
  /** Called once the run folder exists, before `simulate` starts; awaited. */
  onStart?: (path: string) => unknown;
  /** More `[Run]` fields written with the first ones (owner, host, pid, SLURM job). */
  runInfo?: RunSection;
}

/**
 * Imports a simulation module and returns its `simulate` function (a named export, or the default export).
 *
 * @throws {TypeError} When the module exports no function; the import's own error when it cannot load.
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

/** sweepstore's own modules that import a simulation: their stack frames tell the user nothing. */
const LOADER_MODULES = [
  new URL("./task.ts", import.meta.url).href,
  new URL("./local/slot.ts", import.meta.url).href,
];

/**
 * The text of an error that stopped a simulation module from loading: its stack without the frames of
 * sweepstore's loader (the frames of the user's module are kept), or what was thrown.
 *
 * @example
 * ```ts
 * import { loadErrorText } from "./task.ts";
 * console.log(loadErrorText(new TypeError('Module not found "file:///x/sim.ts".')));
 * ```
 */
export function loadErrorText(err: unknown): string {
  return errorText(err).split("\n")
    .filter((line) => !/^\s+at /.test(line) || !LOADER_MODULES.some((m) => line.includes(m)))
    .join("\n");
}

/** The longest `[Run] error` kept, in characters: the same bound as a run's output tails (64 KiB). */
const MAX_ERROR_CHARS = 65536;

/**
 * The text of an error for `[Run] error`: its stack, or what was thrown; at most
 * 65,536 characters (64 KiB, as a run's output tails; the start and the end of a longer one, saying how much was cut). Never
 * throws: a thrown value whose description throws (a `toString` or getter that throws, a Proxy, an object
 * without prototype) is named by its kind, so a simulation cannot crash its slot by what it throws.
 */
export function errorText(err: unknown): string {
  let text: string;
  try {
    text = describe(err);
  } catch (inner) {
    let why = "";
    try {
      why = `: describing it threw ${inner instanceof Error ? inner.message : typeof inner}`;
    } catch { /* the inner value is as unruly */ }
    text = `thrown value: a ${err === null ? "null" : typeof err} that cannot be described${why}`;
  }
  // a lone surrogate (not UTF-8) could not cross the slot protocol (CBOR) nor be read by Python
  text = text.toWellFormed();
  if (text.length <= MAX_ERROR_CHARS) return text;
  const half = MAX_ERROR_CHARS / 2;
  return `${text.slice(0, half)}\n… (${text.length - 2 * half} characters cut) …\n${
    text.slice(-half)
  }`;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const stack = err.stack;
    if (typeof stack === "string") return stack;
    return `${String(err.name)}: ${String(err.message)}`;
  }
  return `thrown value: ${String(err)}`;
}

/** Why `simulate` failed, from what it threw (never throws itself, see {@linkcode errorText}). */
function thrownReason(err: unknown): FailureReason {
  try {
    // A full disk under the simulation's own writes is the storage's fault, not the simulation's.
    return err instanceof ResultError
      ? "result"
      : storageErrorCode(err) === "no_space"
      ? "storage"
      : "exception";
  } catch {
    return "exception"; // a Proxy whose traps throw
  }
}

/** How an aborted run ends: by its timeout, or interrupted. */
function abortOutcome(
  signal?: AbortSignal,
): { status: RunStatus; reason: FailureReason } | undefined {
  if (!signal?.aborted) return undefined;
  const timeout = (signal.reason as { name?: string } | undefined)?.name === "TimeoutError";
  return timeout
    ? { status: "timeout", reason: "timeout" }
    : { status: "interrupted", reason: "interrupted" };
}

function storageFailure(err: unknown, what: string): { reason: FailureReason; error: string } {
  const code = storageErrorCode(err);
  const storage = code === "no_space" || code === "permission" || code === "io" ||
    code === "not_found";
  return {
    reason: storage ? "storage" : "exception",
    error: `${what}: ${errorText(err)}`,
  };
}

/**
 * Creates the run folder (exclusive mkdir) with its first `config.ini` born complete: `time`, the point's
 * parameters and the `[Run]` start, in one crash-safe write; the StorageManager keeps what it wrote, so the
 * end of the run re-reads nothing (see `ConfigStore.update`). No folder is left when the file cannot be born.
 */
function createRun(task: SweepTask, options: RunTaskOptions, run: RunSection) {
  return StorageManager.create(options.name, {
    dataFolder: options.dataFolder,
    randomNr: true,
    params: { Parameters: task.params, [RUN_SECTION]: runSectionEntries(run) },
  });
}

/**
 * Runs one task: creates its run folder (random name, race-free) with the point's parameters and
 * `[Run] status = running`, calls `simulate`, then saves what it returned and the final `[Run]` section
 * (`status`, `reason`, `error`, `finished`, `duration_s`) in one crash-safe write. Never throws for a
 * failing simulation or a full disk: the failure is in the record (and the folder, where it can be written).
 * A run folder whose `config.ini` could not be written is removed.
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
  const record: RunRecord = {
    index: task.index,
    params: task.params,
    repeat: task.repeat,
    path: "",
    status: "failed",
    durationMs: 0,
    attempts: attempt,
    seed: task.seed,
  };
  let sm: StorageManager;
  try {
    sm = await createRun(task, options, {
      status: "running",
      sweep: options.sweepId,
      index: task.index,
      point: task.point,
      repeat: task.repeat,
      seed: task.seed,
      attempt,
      started: new Date().toISOString(),
      ...task.run,
      ...options.runInfo,
    });
  } catch (err) {
    const where = groupFolder(options.dataFolder, options.name);
    return { ...record, ...storageFailure(err, `the run folder could not be created in ${where}`) };
  }
  record.path = sm.path;
  await options.onStart?.(sm.path);
  const t0 = performance.now();
  let result: Record<string, ParamValue> | undefined;
  const end: RunSection = { status: "done" };
  try {
    const value = await simulate(task.params, sm, {
      seed: task.seed,
      index: task.index,
      attempt,
      signal: options.signal ?? new AbortController().signal,
    });
    result = checkResult(value, task.params);
  } catch (err) {
    end.status = "failed";
    end.reason = thrownReason(err);
    end.error = errorText(err);
  }
  const aborted = abortOutcome(options.signal);
  if (aborted) {
    end.error ??= `ctx.signal was aborted (${
      aborted.reason === "timeout" ? "the run's timeout passed" : "the sweep stopped"
    }) and the simulation returned`;
    Object.assign(end, aborted);
  }
  record.durationMs = performance.now() - t0;
  end.finished = new Date().toISOString();
  end.duration_s = Math.round(record.durationMs) / 1000;
  try {
    const sections: Record<string, Record<string, ParamValue>> = {
      [RUN_SECTION]: runSectionEntries(end),
    };
    if (result) {
      sections.Parameters = result;
      sections[RUN_SECTION][RESULT_KEYS] = Object.keys(result);
    }
    await sm.saveParamSections(sections);
  } catch (err) {
    result = undefined;
    Object.assign(end, storageFailure(err, `the run's end could not be saved to ${sm.path}`));
    end.status = "failed";
    await writeRunSection(sm, end).catch(() => {/* the disk is full: the record says it */});
  }
  record.status = end.status as RunStatus;
  record.reason = end.reason;
  record.error = end.error;
  record.result = result;
  return record;
}

/** What {@linkcode claimTask} decided. */
export type ClaimOutcome =
  | { run: true; claim?: PointClaim }
  | { run: false; why: "claimed" | "done" };

/**
 * With `resume`, takes the point claim of a task before it runs (see `runner/claims.ts`): a task whose
 * point another process runs now (`claimed`) or that another sweep finished meanwhile (`done`: the run
 * folder its claim names still says `done`) is not run. Without `resume`, every task runs.
 *
 * @throws {StorageError} With `resume`, when the claims folder cannot be used (see `PointClaim.tryAcquire`).
 *
 * @example
 * ```ts
 * import { claimTask } from "@sweepstore/sweepstore/runner";
 * const task = { index: 0, params: { n: 1 }, repeat: 0, seed: 1, point: '{"n":1}' };
 * const outcome = await claimTask(task, { dataFolder: await Deno.makeTempDir(), name: "C", resume: true });
 * console.log(outcome.run); // true
 * if (outcome.run) outcome.claim?.release();
 * ```
 */
export async function claimTask(
  task: SweepTask,
  options: { dataFolder: string; name: string; resume?: boolean },
): Promise<ClaimOutcome> {
  if (!options.resume) return { run: true };
  const claim = await PointClaim.tryAcquire(
    options.dataFolder,
    options.name,
    task.point,
    task.repeat,
  );
  if (!claim) return { run: false, why: "claimed" };
  if (claim.doneBy && await finishedRun(claim.doneBy)) {
    claim.release();
    return { run: false, why: "done" };
  }
  // (a claim's run folder that was deleted, or is no longer `done`, to run the point again: it runs)
  return { run: true, claim };
}

/** Whether the run folder `path` exists and says `done` (the run a point claim names as its finisher). */
async function finishedRun(path: string): Promise<boolean> {
  try {
    return readRunSection(await StorageManager.open(path)).status === "done";
  } catch {
    return false;
  }
}
