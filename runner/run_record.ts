/**
 * The one owner of a run folder's `[Run]` section: what the runner writes about a run (status, reason,
 * attempt, seed, timings, process, SLURM ids, log files) as a typed record, read and written only here.
 * Both backends, the summary and the CLI (`status`, `ls`) use these functions; nobody parses `config.ini`
 * text for it.
 *
 * @module
 */

import { join } from "node:path";
import { type IniData, stringifyIni } from "../src/formats/ini.ts";
import { paramKey } from "../src/run/param_keys.ts";
import { formatParam, type ParamValue } from "../src/formats/params.ts";
import { StorageManager } from "../src/run/storage_manager.ts";

/**
 * The section of `config.ini` the runner owns.
 *
 * @example
 * ```ts
 * import { StorageManager } from "@sweepstore/sweepstore";
 * import { RUN_SECTION } from "@sweepstore/sweepstore/runner";
 * const dataFolder = await Deno.makeTempDir();
 * const sm = await StorageManager.create("Demo", { dataFolder, params: { Run: { status: "done" } } });
 * console.log(sm.param("status", { section: RUN_SECTION })); // "done"
 * ```
 */
export const RUN_SECTION = "Run";

/** How a run ended, as written to `[Run] status` of its folder. */
export type RunStatus = "done" | "failed" | "timeout" | "interrupted";

/**
 * Why a run did not end `done`, as written to `[Run] reason`:
 * - `exception`: `simulate` threw or rejected (the message and stack are in `error`);
 * - `exit`: the simulation's process exited by itself during the run (`Deno.exit(n)`; `exitCode` says n);
 * - `signal`: the process was killed by a signal nobody in the sweep sent (`signal` names it);
 * - `oom`: out of memory (V8's heap limit `memoryMb`, the kernel's OOM killer, SLURM's memory limit);
 * - `timeout`: it ran past `timeoutMs` (or SLURM's time limit);
 * - `interrupted`: the sweep was stopped (signal, `AbortSignal`) or its owner died while it ran;
 * - `preempted`: SLURM preempted or requeued its task;
 * - `storage`: its run folder could not be written (full disk, no permission): `error` names the path;
 * - `result`: `simulate` returned something that cannot be stored (the key and type are named).
 */
export type FailureReason =
  | "exception"
  | "exit"
  | "signal"
  | "oom"
  | "timeout"
  | "interrupted"
  | "preempted"
  | "storage"
  | "result";

/** The state a run folder is in: still `running`, or how it ended. */
export type RunState = RunStatus | "running";

/**
 * The `[Run]` section of a run folder, typed. Every field is optional on read (folders written by
 * PymoNNto, by hand or by older versions lack some); times are ISO 8601 text, durations seconds.
 */
export interface RunSection {
  /** `running` while the run runs, then how it ended. */
  status?: RunState;
  /** Why it did not end `done` (see {@linkcode FailureReason}). */
  reason?: FailureReason;
  /** The error message (and stack); for `storage` it names the path. */
  error?: string;
  /** The sweep's id. */
  sweep?: string;
  /** The task's position in its sweep. */
  index?: number;
  /** The point's identity (canonical JSON of its parameters). */
  point?: string;
  /** Which repeat of the point, 0-based. */
  repeat?: number;
  /** The run's seed. */
  seed?: number;
  /** Which attempt (1 = first). */
  attempt?: number;
  /** When the run started. */
  started?: string;
  /** When it ended. */
  finished?: string;
  /** Wall time of the run, in seconds. */
  duration_s?: number;
  /** The exit code of its process, with reason `exit`. */
  exit_code?: number;
  /** The signal that killed its process, with reason `signal`. */
  signal?: string;
  /** The machine it ran on. */
  host?: string;
  /** The process that ran it. */
  pid?: number;
  /** The lock that the process running it holds (see `runner/claims.ts`); free once that process died. */
  owner?: string;
  /** SLURM: `<array job>_<task>`. */
  slurm_job?: string;
  /** SLURM: the node. */
  slurm_node?: string;
  /** SLURM: the state SLURM gave the array task, when it stopped the run. */
  slurm_state?: string;
  /** SLURM: the array task's exit code as SLURM reports it (`<code>:<signal>`), from sacct or scontrol. */
  slurm_exit_code?: string;
  /** SLURM: the array task's elapsed wall time in seconds (all runs of its chunk), from sacct or scontrol. */
  slurm_elapsed_s?: number;
  /** SLURM: the array task's peak resident memory (`MaxRSS`) in MiB, from sacct (slurmdbd) only. */
  slurm_max_rss_mb?: number;
  /** SLURM: how often SLURM requeued the array task (preemption, `scontrol requeue`) before this run. */
  slurm_restarts?: number;
  /** The file holding the last 64 KiB of its stdout, relative to the run folder. */
  stdout_log?: string;
  /** The file holding the last 64 KiB of its stderr, relative to the run folder. */
  stderr_log?: string;
  /** The project's git commit when the sweep started (`+dirty` when it had uncommitted changes). */
  git_commit?: string;
  /** Search: the generation this evaluation belongs to, 0-based (see `runner/search/`). */
  generation?: number;
  /** Search: the individual's position in its generation, 0-based. */
  individual?: number;
  /** Search: the individuals of the previous generation this one was bred from (`[]` for the first). */
  parents?: number[];
}

/**
 * `[Run] result_keys`: the keys of `[Parameters]` that the simulation returned (its result), in its order,
 * written with the run's end (a Python list of texts, as configparser + `ast.literal_eval` read it). Not a
 * field of {@linkcode RunSection}: only a SLURM sweep's records need it (`runner/slurm/collect.ts` reads
 * the result back from the folder), so the summary and the report never carry it.
 */
export const RESULT_KEYS = "result_keys";

/**
 * The keys of what a run's simulation returned ({@linkcode RESULT_KEYS}), or `undefined` when the run has
 * none (it did not return, an older version ran it) or the value was edited into another type.
 *
 * @example
 * ```ts
 * import { StorageManager } from "@sweepstore/sweepstore";
 * import { readResultKeys } from "@sweepstore/sweepstore/runner";
 * const sm = StorageManager.fromConfigText("/tmp/E/E1", "[Parameters]\nscore = 1\n[Run]\nresult_keys = ['score']\n");
 * console.log(readResultKeys(sm)); // ["score"]
 * ```
 */
export function readResultKeys(sm: StorageManager): string[] | undefined {
  let keys: ParamValue | undefined;
  try {
    keys = sm.param(RESULT_KEYS, { section: RUN_SECTION });
  } catch {
    return undefined; // unreadable: as missing
  }
  return Array.isArray(keys) && keys.every((k) => typeof k === "string")
    ? keys as string[]
    : undefined;
}

const STATES = new Set(["running", "done", "failed", "timeout", "interrupted"]);
const REASONS = new Set([
  "exception",
  "exit",
  "signal",
  "oom",
  "timeout",
  "interrupted",
  "preempted",
  "storage",
  "result",
]);
const NUMBERS = [
  "index",
  "repeat",
  "seed",
  "attempt",
  "duration_s",
  "exit_code",
  "pid",
  "generation",
  "individual",
  "slurm_elapsed_s",
  "slurm_max_rss_mb",
  "slurm_restarts",
] as const;
const TEXTS = [
  "error",
  "sweep",
  "point",
  "started",
  "finished",
  "signal",
  "host",
  "owner",
  "slurm_job",
  "slurm_node",
  "slurm_state",
  "slurm_exit_code",
  "stdout_log",
  "stderr_log",
  "git_commit",
] as const;

/**
 * Reads the `[Run]` section of a run (as last read from its `config.ini`); fields of the wrong type are
 * left out, so a hand-edited folder never breaks a reader.
 *
 * @example
 * ```ts
 * import { StorageManager } from "@sweepstore/sweepstore";
 * import { readRunSection } from "@sweepstore/sweepstore/runner";
 * const sm = StorageManager.fromConfigText("/tmp/E/E1", "[Parameters]\nindex = 9\n[Run]\nstatus = done\nindex = 2\n");
 * console.log(readRunSection(sm)); // { status: "done", index: 2 }
 * ```
 */
export function readRunSection(sm: StorageManager): RunSection {
  return runSectionOf((key) => {
    try {
      return sm.param(key, { section: RUN_SECTION });
    } catch {
      return undefined; // an unreadable value is left out, as a missing one
    }
  });
}

/**
 * A `[Run]` record from its fields' values (`get` gives `undefined` for a missing or unreadable one):
 * `readRunSection`'s rule, shared with `runSectionsOf` (run_sections.ts).
 */
export function runSectionOf(get: (key: string) => ParamValue | undefined): RunSection {
  const out: RunSection = {};
  const status = get("status");
  if (typeof status === "string" && STATES.has(status)) out.status = status as RunState;
  const reason = get("reason");
  if (typeof reason === "string" && REASONS.has(reason)) out.reason = reason as FailureReason;
  for (const key of NUMBERS) {
    const v = get(key);
    if (typeof v === "number") out[key] = v;
    else if (typeof v === "bigint") out[key] = Number(v);
  }
  const parents = get("parents");
  if (Array.isArray(parents) && parents.every((p) => typeof p === "number")) {
    out.parents = parents as number[];
  }
  for (const key of TEXTS) {
    const v = get(key);
    if (typeof v === "string") out[key] = v;
    else if (key === "slurm_job" && typeof v === "number") out[key] = String(v);
  }
  return out;
}

/** The entries of `fields` that are set, as `config.ini` values. */
function entries(fields: RunSection): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v as ParamValue;
  return out;
}

/**
 * Writes `fields` into the `[Run]` section of a run (other fields stay), in one crash-safe write.
 *
 * @throws {StorageError|Deno.errors.NotFound} When `config.ini` cannot be written.
 *
 * @example
 * ```ts
 * import { StorageManager } from "@sweepstore/sweepstore";
 * import { readRunSection, writeRunSection } from "@sweepstore/sweepstore/runner";
 * const sm = await StorageManager.create("W", { dataFolder: await Deno.makeTempDir() });
 * await writeRunSection(sm, { status: "failed", reason: "exit", exit_code: 3 });
 * console.log(readRunSection(sm).exit_code); // 3
 * ```
 */
export async function writeRunSection(sm: StorageManager, fields: RunSection): Promise<void> {
  await sm.saveParamSections({ [RUN_SECTION]: entries(fields) });
}

/** The `[Run]` entries of a new run, as {@linkcode writeRunSection} would write them. */
export function runSectionEntries(fields: RunSection): Record<string, ParamValue> {
  return entries(fields);
}

/**
 * The first `config.ini` of a sweep's run: `[Parameters]` with `time` (epoch seconds, as
 * `StorageManager.create` writes it) and the point's parameters, and `[Run]`, in configparser's format.
 *
 * @throws {TypeError} For a key or value `config.ini` cannot hold (checked before a sweep starts).
 *
 * @example
 * ```ts
 * import { firstConfigText } from "@sweepstore/sweepstore/runner";
 * console.log(firstConfigText({ n: 1 }, { status: "running" }).includes("status = running")); // true
 * ```
 */
export function firstConfigText(params: Record<string, ParamValue>, run: RunSection): string {
  const section = (entries: [string, unknown][]) =>
    new Map(entries.map(([k, v]) => [paramKey(k), formatParam(v)]));
  const ini: IniData = new Map([
    ["Parameters", section([["time", Date.now() / 1000], ...Object.entries(params)])],
    [RUN_SECTION, section(Object.entries(entries(run)))],
  ]);
  return stringifyIni(ini);
}

/** What {@linkcode markRun} writes: how the run ended, unless it already said so itself. */
export interface RunMark {
  /** How the run ended. */
  status: RunStatus;
  /** Why. */
  reason?: FailureReason;
  /** What happened, for the user. */
  error?: string;
  /** More fields (exit code, signal, log files, SLURM state). */
  extra?: RunSection;
  /** When the run started (`performance.now()` of this process), for `duration_s`. */
  startedAt?: number;
}

/**
 * Marks a stopped run in its folder (status, reason, error, finished, duration), unless the folder no
 * longer says `running` (the run wrote its own end first: that is kept). Returns the section the folder
 * ends with. Call it only once the run's process can no longer write (it exited, or its owner lock is free).
 *
 * @throws {StorageError|Deno.errors.NotFound} When the folder cannot be read or written.
 *
 * @example
 * ```ts
 * import { StorageManager } from "@sweepstore/sweepstore";
 * import { markRun } from "@sweepstore/sweepstore/runner";
 * const sm = await StorageManager.create("M", { dataFolder: await Deno.makeTempDir(), params: { Run: { status: "running" } } });
 * console.log((await markRun(sm.path, { status: "interrupted", reason: "interrupted" })).status); // "interrupted"
 * ```
 */
export async function markRun(path: string, mark: RunMark): Promise<RunSection> {
  const sm = await StorageManager.open(path);
  const current = readRunSection(sm);
  if (current.status !== undefined && current.status !== "running") return current;
  const fields: RunSection = {
    status: mark.status,
    reason: mark.reason,
    error: mark.error,
    finished: new Date().toISOString(),
    ...mark.extra,
  };
  if (mark.startedAt !== undefined) {
    fields.duration_s = Math.round(performance.now() - mark.startedAt) / 1000;
  }
  await writeRunSection(sm, fields);
  return { ...current, ...fields };
}

/** The path of a log file named in a `[Run]` section, or undefined. */
export function logPath(runFolder: string, file: string | undefined): string | undefined {
  return file ? join(runFolder, file) : undefined;
}

/**
 * The folder of a sweep's task that still says `running`, found by its typed `[Run]` fields (sweep id,
 * index, attempt), never by searching text: for a process that died between creating the folder and
 * reporting it.
 *
 * @example
 * ```ts
 * import { findRunningFolder } from "@sweepstore/sweepstore/runner";
 * console.log(await findRunningFolder(await Deno.makeTempDir(), "None", "s1", 0, 1)); // undefined
 * ```
 */
export async function findRunningFolder(
  dataFolder: string,
  name: string,
  sweepId: string,
  index: number,
  attempt: number,
): Promise<string | undefined> {
  const { StorageManagerGroup } = await import("../src/group/group.ts");
  const group = await StorageManagerGroup.load(name, { dataFolder }).catch(() => undefined);
  for (const sm of group ?? []) {
    const run = readRunSection(sm);
    if (
      run.status === "running" && run.sweep === sweepId && run.index === index &&
      (run.attempt ?? 1) === attempt
    ) return sm.path;
  }
  return undefined;
}
