// How the pool records a run whose slot process ended under it: timed out and killed, stopped, or crashed
// (Deno.exit, a signal, out of memory). The run's output tail goes to its folder, and the folder is marked
// once the process can no longer write.

import { join } from "node:path";
import { atomicWrite } from "../../src/formats/atomic.ts";
import type { FailureReason, RunRecord, RunStatus } from "../events.ts";
import { findRunningFolder, markRun, type RunSection, writeRunSection } from "../run_record.ts";
import { StorageManager } from "../../src/run/storage_manager.ts";
import type { SweepTask } from "../sweep.ts";
import { DEFAULT_GRACE_MS } from "../sweep_options.ts";
import type { SlotProcess } from "./slot_process.ts";
import type { FromSlot } from "./protocol.ts";
import { StorageError } from "../../src/errors.ts";
import { SimulationLoadError } from "../task.ts";
import { waitForEnd } from "./_run_marks.ts";

/** How long a run's log waits for its end marker on stdout and stderr after its `end` message, in ms. */
const END_MARKER_MS = 1000;

/** A task given to a slot. */
export interface Pending {
  task: SweepTask;
  attempt: number;
}

/** The run a slot reported started. */
export interface RunningRun {
  index: number;
  path: string;
  /** performance.now() at its start. */
  started: number;
  /** The slot's number for the run, in its output markers (`_run_marks.ts`). */
  run: number;
  /**
   * Which of the slot's streams have the run's end marker (bit 0 stdout, bit 1 stderr), from its `end`
   * message; the others had nothing written since their last marker. Undefined: not known (the run did not
   * end by itself), so both are looked for.
   */
  marks?: number;
  timer?: ReturnType<typeof setTimeout>;
  timedOut?: boolean;
}

const decoder = new TextDecoder();

/**
 * The error a slot's `fatal` message ends the sweep with: a `StorageError` naming the folder when it could
 * not take its owner lock, a `SimulationLoadError` when its simulation did not load.
 */
export function fatalError(msg: Extract<FromSlot, { t: "fatal" }>, simulation: string): Error {
  if (msg.path !== undefined) {
    return new StorageError(msg.error, { path: msg.path, code: msg.code });
  }
  return new SimulationLoadError(
    `The simulation ${simulation} failed: the simulation could not be loaded:\n${msg.error}`,
  );
}

/** How a slot process that ended before it was ready ended, with the last lines of its stderr. */
export function earlyExitText(proc: SlotProcess, status: Deno.CommandStatus): string {
  const how = status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
  const tail = lastLines(proc, 0);
  return `its process ${how} before it was ready to run${
    tail ? `; its last output:\n${tail}` : ""
  }`;
}

/** Told when a run's output tail could not be written to its folder (a full disk…). */
export type LostOutput = (event: { type: "lostOutput"; path: string; message: string }) => void;

/**
 * Writes the run's share of the slot's output tails to `stdout.log` / `stderr.log` in its folder; a file
 * that cannot be written is told to `lost` (the run's record stays as it ended).
 */
async function saveTails(
  proc: SlotProcess,
  run: RunningRun,
  lost?: LostOutput,
): Promise<RunSection> {
  // The run's output and its `end` message come on different pipes: what it printed before it ended can
  // be read after the message. The slot writes an end marker behind it, before the message.
  // A stream without the marker had nothing written to it during the run (`_output_marks.ts`).
  const streams = [proc.out, proc.err].map((s, i) =>
    run.marks === undefined || run.marks & (1 << i) ? s : undefined
  );
  await waitForEnd(streams.filter((s) => s !== undefined), run.run, END_MARKER_MS);
  // Both taken at once: the bounds of later runs arriving during a write cannot push them out.
  const none = new Uint8Array(0);
  const logs = [
    ["stdout.log", streams[0]?.take(run.run) ?? none, "stdout_log"],
    ["stderr.log", streams[1]?.take(run.run) ?? none, "stderr_log"],
  ] as const;
  const out: RunSection = {};
  for (const [file, bytes, key] of logs) {
    if (!bytes.length) continue;
    try {
      await atomicWrite(join(run.path, file), bytes);
      out[key] = file;
    } catch (err) {
      const message = `the run's output could not be saved (${bytes.length} bytes): ${
        err instanceof Error ? err.message : String(err)
      }`;
      lost?.({ type: "lostOutput", path: run.path, message });
    }
  }
  return out;
}

/**
 * The record of a run that ended by itself but not `done` (its simulate threw, it returned after its timeout or
 * a stop, its result was refused), once its output tails are in its folder: `[Run]` names the log files and
 * the error says where they are, as for a crashed run (issue 8, point 3). Unchanged when nothing was written.
 */
async function saveTailsOfFailed(
  proc: SlotProcess,
  run: RunningRun,
  record: RunRecord,
  lost?: LostOutput,
): Promise<RunRecord> {
  const logs = await saveTails(proc, run, lost);
  if (!record.path || !(logs.stderr_log || logs.stdout_log)) return record;
  const error = withLogPath(record.error ?? "", record.path, logs);
  try {
    await writeRunSection(await StorageManager.open(record.path), { ...logs, error });
  } catch {
    return record; // a full disk: the logs may be there, the record says what happened
  }
  return { ...record, error };
}

export const stopRun = { saveTails, saveTailsOfFailed };

/** `error` ending with where the run's output is (its stderr log, else its stdout log), when it has one. */
function withLogPath(error: string, path: string, logs: RunSection): string {
  const log = logs.stderr_log ?? logs.stdout_log;
  return log ? `${error}\n(the run's output: ${join(path, String(log))})` : error;
}

function lastLines(proc: SlotProcess, from: number): string {
  const text = decoder.decode(proc.stderr.since(from)).slice(-2000);
  return text.split(/\r?\n/).slice(-15).join("\n").trim();
}

/** The last 8 KiB of its stderr since `from`: V8's out-of-memory line is followed by its C stack trace. */
function lastText(proc: SlotProcess, from: number): string {
  return decoder.decode(proc.stderr.since(from).slice(-8192));
}

/**
 * V8's own last words when its heap is exhausted (`# Fatal JavaScript out of memory: Reached heap limit`,
 * or `… process out of memory …`), after which it ends the process with a signal (SIGTRAP in Deno 2.9).
 */
const V8_OOM = /^# Fatal (JavaScript|process) out of memory\b/m;

/**
 * Why a slot's process ended: V8's heap exhausted (`oom`) only when it died by a signal after V8's own
 * line — not when the run merely printed words like "heap limit" or "allocation failed" and then exited
 * (that was `oom` too, blaming memory for a `Deno.exit(3)`) — else the signal, else the exit code.
 */
function crashReason(
  status: Deno.CommandStatus,
  stderr: string,
): { reason: FailureReason; how: string } {
  if (status.signal && V8_OOM.test(stderr)) {
    return { reason: "oom", how: "ran out of memory (V8's heap limit, memoryMb)" };
  }
  if (status.signal) return { reason: "signal", how: `was killed by ${status.signal}` };
  return { reason: "exit", how: `exited with code ${status.code}` };
}

interface StopContext {
  timeoutMs?: number;
  graceMs?: number;
  onEvent?: LostOutput;
}

interface SweepContext {
  dataFolder: string;
  name: string;
  sweepId: string;
}

type CrashedSlot = { proc: SlotProcess; running?: RunningRun; killedFor?: "timeout" | "stop" };

/** The status, reason and words of a run whose slot's process ended (see {@linkcode crashMark}). */
function crashVerdict(s: CrashedSlot, status: Deno.CommandStatus, options: StopContext) {
  const run = s.running;
  const grace = options.graceMs ?? DEFAULT_GRACE_MS;
  let runStatus: RunStatus = "failed";
  let reason: FailureReason;
  let error: string;
  const extra: RunSection = {};
  if (s.killedFor === "timeout") {
    runStatus = "timeout";
    reason = "timeout";
    error =
      `the run did not finish within its timeout of ${options.timeoutMs} ms, did not return ` +
      `within ${grace} ms after ctx.signal was aborted, and was killed`;
  } else if (s.killedFor === "stop" && s.proc.killed) {
    runStatus = "interrupted";
    reason = "interrupted";
    error =
      `the sweep was stopped; the run did not return within ${grace} ms after ctx.signal was ` +
      "aborted, and was killed";
  } else if (s.killedFor === "stop") {
    // It died in its grace period (an abort listener that threw, Deno.exit on abort): the stop's doing,
    // and its own words say why (not "was killed": nobody killed it).
    const tail = lastLines(s.proc, run ? s.proc.err.runStart : 0);
    runStatus = "interrupted";
    reason = "interrupted";
    if (status.signal) extra.signal = status.signal;
    else extra.exit_code = status.code;
    error = `the sweep was stopped; after ctx.signal was aborted the simulation process ${
      crashReason(status, lastText(s.proc, run ? s.proc.err.runStart : 0)).how
    }${tail ? `; its last output:\n${tail}` : ""}`;
  } else {
    const tail = lastLines(s.proc, run ? s.proc.err.runStart : 0);
    const c = crashReason(status, lastText(s.proc, run ? s.proc.err.runStart : 0));
    reason = c.reason;
    if (status.signal) extra.signal = status.signal;
    else extra.exit_code = status.code;
    error = `the simulation process ${c.how} during the run${
      tail ? `; its last output:\n${tail}` : ""
    }`;
    if (run?.timedOut && reason !== "oom") {
      // It died in its grace period (an abort listener that threw, Deno.exit on abort): the timeout's doing.
      runStatus = "timeout";
      reason = "timeout";
      error = `the run did not finish within its timeout of ${options.timeoutMs} ms; after ` +
        `ctx.signal was aborted the simulation process ${c.how}${
          tail ? `; its last output:\n${tail}` : ""
        }`;
    }
  }
  return { runStatus, reason, error, extra };
}

/**
 * The record of the run (`head`) that a slot was running, or had been given, when its process ended, and
 * the mark in its folder. `countsAsCrash`: the process ended by itself (not killed by the pool).
 */
export function crashMark(
  s: CrashedSlot,
  status: Deno.CommandStatus,
  options: StopContext,
  sweep: SweepContext,
  head: Pending,
): { record: Promise<RunRecord>; countsAsCrash: boolean } {
  const run = s.running;
  const { runStatus, reason, error, extra } = crashVerdict(s, status, options);
  const record = (async (): Promise<RunRecord> => {
    const path = run?.path ??
      await findRunningFolder(
        sweep.dataFolder,
        sweep.name,
        sweep.sweepId,
        head.task.index,
        head.attempt,
      );
    const base: RunRecord = {
      index: head.task.index,
      params: head.task.params,
      repeat: head.task.repeat,
      path: path ?? "",
      status: runStatus,
      reason,
      error,
      exitCode: extra.exit_code,
      signal: extra.signal,
      durationMs: run ? performance.now() - run.started : 0,
      attempts: head.attempt,
      seed: head.task.seed,
    };
    if (!path) return base;
    const logs = run ? await saveTails(s.proc, run, options.onEvent) : {};
    if (logs.stderr_log || logs.stdout_log) base.error = withLogPath(base.error ?? "", path, logs);
    try {
      const final = await markRun(path, {
        status: runStatus,
        reason,
        error: base.error,
        extra: { ...extra, ...logs },
        startedAt: run?.started,
      });
      return {
        ...base,
        status: (final.status ?? runStatus) as RunStatus,
        reason: final.reason,
        error: final.error,
      };
    } catch {
      return base;
    }
  })();
  return { record, countsAsCrash: !s.killedFor };
}
