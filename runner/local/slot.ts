/**
 * A pool slot's program: `deno run <permissions> runner/local/slot.ts '<SlotConfig JSON>'`, spawned in its
 * own process group. It opens its named pipes (`slot_process.ts`), starts its watchdog (a Web Worker that ends the
 * process when the pool's process dies, see `watchdog.ts`), loads the simulation once, then runs the tasks
 * it is sent one after another. Aborts arrive on the same pipe and abort the run's `ctx.signal`. When the
 * pool closes its side (stop, or its death), the run in progress is aborted and nothing new starts.
 *
 * @module
 */

import { OwnerLock } from "../claims.ts";
import { StorageError } from "../../src/errors.ts";
import type { RunRecord } from "../events.ts";
import {
  type ClaimOutcome,
  claimTask,
  errorText,
  loadErrorText,
  loadSimulation,
  runTask,
  type Simulate,
} from "../task.ts";
import { markRun } from "../run_record.ts";
import { OutputMarks } from "./_output_marks.ts";
import { encodeFrame, type FromSlot, readFrames, sendFramesFast, type ToSlot } from "./protocol.ts";

/** What a slot needs to know, passed as its first argument (JSON). */
export interface SlotConfig {
  /** The simulation module's URL. */
  simulation: string;
  /** The sweep's name. */
  name: string;
  /** The Data folder. */
  dataFolder: string;
  /** The sweep's id. */
  sweepId: string;
  /** The folder of its pipes `in`, `out` and `watch`. */
  pipes: string;
  /** How long a run gets to return after its `ctx.signal` was aborted by the pool's death, in ms. */
  graceMs: number;
  /** How long after a stop signal sent to the slot itself (the sweep's `graceMs`, see `watchdog.ts`). */
  stopGraceMs?: number;
  /** Take point claims (resume sweeps). */
  resume: boolean;
  /** The machine's name, for `[Run] host`. */
  host?: string;
  /** The secret of the run markers this slot writes to its stdout and stderr (`_run_marks.ts`). */
  marks: string;
  /**
   * Its FIFOs are on a local file system: mark only the streams written to since their last marker
   * (`_output_marks.ts`); otherwise every run is marked.
   */
  quietMarks?: boolean;
}

interface Current {
  index: number;
  controller: AbortController;
}

const config = JSON.parse(Deno.args[0]) as SlotConfig;
// The pool holds its ends open from before the spawn, so these opens return at once; they block only when
// the pool is already gone (or gave up on this slot): then end instead of waiting for ever.
const giveUp = setTimeout(() => Deno.exit(1), 5000);
const input = await Deno.open(`${config.pipes}/in`, { read: true });
const output = await Deno.open(`${config.pipes}/out`, { write: true });
clearTimeout(giveUp);
let writing: Promise<unknown> = Promise.resolve();
let held: FromSlot[] = [];
/**
 * Sends in order; a pool that is gone makes sends no-ops (the watchdog ends this process). With `hold`, the
 * message waits for the next one and both go out in one write (one wake-up of the pool instead of two): the
 * `end` of a run when another task is queued, whose `start` follows within the time it takes to create a
 * run folder.
 */
function send(message: FromSlot, hold = false): Promise<unknown> {
  held.push(message);
  if (hold) return writing;
  const batch = held;
  held = [];
  unwritten++;
  writing = writing.then(() => sendFramesFast(output, batch)).catch(() => {}).finally(() =>
    unwritten--
  );
  return writing;
}
/** Batches handed to `writing` and not yet written. */
let unwritten = 0;
// A process that ends at once (Deno.exit in the simulation, or in a timer it left behind that fires
// between two runs) must not take a held `end` with it: the pool would blame the finished run for the
// exit. Deno dispatches `unload` on Deno.exit; nothing else is being written then (each run waits for
// its `start` and `end` to be written; if something is, the held message stays rather than cut into a frame).
globalThis.addEventListener("unload", () => {
  if (!held.length || unwritten > 0) return;
  try {
    for (const frame of held.splice(0).map(encodeFrame)) {
      for (let off = 0; off < frame.length;) off += output.writeSync(frame.subarray(off));
    }
  } catch { /* the pool is gone */ }
});

/** Runs started by this slot: the number in their output markers. */
let runs = 0;
const marks = new OutputMarks(config.pipes, config.marks, config.quietMarks ?? false);

let current: Current | undefined;
const queue: Extract<ToSlot, { t: "task" }>[] = [];
let closed = false;
let wake = () => {};
const gone = () => new DOMException("the sweep stopped, or its process died", "AbortError");
const watchdog = new Worker(new URL("./watchdog.ts", import.meta.url), { type: "module" });
watchdog.onmessage = () => current?.controller.abort(gone());

/**
 * SIGTERM, SIGHUP or SIGINT sent to the slot itself — `systemctl stop`, `scancel` of a job step, a `kill`
 * of the process group or session send it to every process of the sweep, not only to the sweep's process
 * — is a stop, as the CLI takes it: the run's `ctx.signal` is aborted, nothing new starts, and a run that
 * has not returned after the sweep's grace period is given up (`interrupted`); then the slot ends. (Before,
 * the slot died at once: nothing saved, and the pool, stopping on the same signal, blamed the run for not
 * returning.) A simulation that blocks the event loop is not reached: the pool's timeout or stop kills it.
 */
let signalled = false;
/** Why the run in progress was given up, once the grace after a stop signal passed. */
let givenUpWhy: string | undefined;
/** Gives the run in progress up (set by each run: a promise of the whole slot would keep every run's). */
let giveUpCurrent: ((why: string) => void) | undefined;
for (const name of ["SIGTERM", "SIGHUP", "SIGINT"] as const) {
  Deno.addSignalListener(name, () => {
    if (signalled) return;
    signalled = true;
    const ms = config.stopGraceMs ?? config.graceMs;
    const why =
      `the slot got ${name}; the run did not return within ${ms} ms after ctx.signal was aborted`;
    const timer = setTimeout(() => giveUpCurrent?.(givenUpWhy = why), ms);
    Deno.unrefTimer(timer); // a slot with nothing left to do ends without waiting for it
    stopHere(new DOMException(`the slot got ${name}`, "AbortError"));
  });
}

/** The record of a run given up after a stop signal (see above), marked in its folder if it has one. */
async function givenUp(
  task: Extract<ToSlot, { t: "task" }>["task"],
  attempt: number,
  path: string,
  started: number,
  error: string,
): Promise<RunRecord> {
  if (path) {
    try {
      await markRun(path, { status: "interrupted", reason: "interrupted", error });
    } catch { /* the folder cannot be written: resume and status find the owner gone */ }
  }
  const { index, repeat, seed } = task;
  const durationMs = Date.now() - started;
  return {
    index,
    params: {},
    repeat,
    path,
    seed,
    status: "interrupted",
    reason: "interrupted",
    error,
    durationMs,
    attempts: attempt,
  };
}
// The run in progress, for the watchdog to mark: its path's length and UTF-8 bytes in shared memory (no
// message per run).
const shared = new SharedArrayBuffer(4 + 8192);
const sharedLength = new Int32Array(shared, 0, 1);
const sharedPath = new Uint8Array(shared, 4);
function setRunPath(path?: string): void {
  Atomics.store(sharedLength, 0, 0);
  if (!path) return;
  const { written } = new TextEncoder().encodeInto(path, sharedPath);
  if (written < sharedPath.length) Atomics.store(sharedLength, 0, written);
}
watchdog.postMessage({
  t: "watch",
  pipe: `${config.pipes}/watch`,
  graceMs: config.graceMs,
  stopGraceMs: config.stopGraceMs ?? config.graceMs,
  shared,
});

let simulate: Simulate;
try {
  simulate = await loadSimulation(config.simulation);
} catch (err) {
  await send({ t: "fatal", error: loadErrorText(err) });
  Deno.exit(3);
}
let owner: OwnerLock;
try {
  owner = await OwnerLock.acquire(config.dataFolder, config.name);
} catch (err) {
  // Without its lock, a run this slot left `running` (kill -9) could never be told from a live one.
  const { message, path, code } = err instanceof StorageError
    ? err
    : { message: errorText(err), path: undefined, code: undefined };
  await send({ t: "fatal", error: message, path, code });
  Deno.exit(3);
}
marks.ready();
await send({ t: "ready", owner: owner.id });

/** Nothing new starts, the run in progress is aborted with `reason`; the slot ends after it. */
function stopHere(reason: DOMException): void {
  closed = true;
  queue.length = 0; // the pool queues again the tasks a slot never began
  current?.controller.abort(reason);
  wake();
}

async function readLoop(): Promise<void> {
  for await (const msg of readFrames<ToSlot>(input)) {
    if (msg.t === "task") {
      if (!closed) queue.push(msg);
    } else if (msg.t === "abort" && current?.index === msg.index) {
      current.controller.abort(
        msg.reason === "timeout"
          ? new DOMException("the run's timeout passed", "TimeoutError")
          : gone(),
      );
    }
    wake();
  }
  // The pool closed its side: it stops (or died). Nothing new starts; the run in progress is aborted.
  stopHere(gone());
}

async function runOne(msg: Extract<ToSlot, { t: "task" }>): Promise<void> {
  const { task, attempt } = msg;
  current = { index: task.index, controller: new AbortController() };
  let outcome: ClaimOutcome;
  try {
    outcome = await claimTask(task, { ...config });
  } catch (err) {
    // the claims folder cannot be used (a StorageError naming it): nothing runs, the run fails `storage`
    const error = err instanceof Error ? err.message : String(err);
    const base = { index: task.index, params: {}, repeat: task.repeat, path: "", seed: task.seed };
    const record: RunRecord = {
      ...base,
      status: "failed",
      reason: "storage",
      error,
      durationMs: 0,
      attempts: attempt,
    };
    current = undefined;
    await send({ t: "end", record }, queue.length > 0 && !closed);
    return;
  }
  if (!outcome.run) {
    await send({ t: "skip", index: task.index, why: outcome.why });
    return;
  }
  let run: number | undefined;
  let path = "";
  const started = Date.now();
  const running = runTask(task, simulate, {
    name: config.name,
    dataFolder: config.dataFolder,
    sweepId: config.sweepId,
    attempt,
    signal: current.controller.signal,
    runInfo: { owner: owner.id, host: config.host, pid: Deno.pid },
    onStart: (at) => {
      setRunPath(path = at);
      run = ++runs;
      return send({ t: "start", index: task.index, path, run });
    },
  });
  const givingUp = new Promise<string>((resolve) => {
    giveUpCurrent = resolve;
    if (givenUpWhy) resolve(givenUpWhy);
  });
  const record = await Promise.race([
    running,
    givingUp.then((error) => givenUp(task, attempt, path, started, error)),
  ]);
  giveUpCurrent = undefined;
  const marked = run !== undefined ? marks.runEnded(run) : undefined;
  if (outcome.claim) {
    if (record.status === "done") outcome.claim.markDone(record.path);
    outcome.claim.release();
  }
  setRunPath(undefined);
  current = undefined;
  // The pool knows each task's parameters: the record goes without them.
  await send(
    { t: "end", record: { ...record, params: {} }, marks: marked },
    queue.length > 0 && !closed,
  );
}

readLoop();
while (true) {
  const msg = queue.shift();
  if (msg) {
    await runOne(msg);
    continue;
  }
  if (closed) break;
  if (held.length) send(held.pop()!); // nothing follows: what is held goes now
  await new Promise<void>((r) => (wake = r));
}
if (held.length) send(held.pop()!);
await writing;
owner.release();
Deno.exit(0);
