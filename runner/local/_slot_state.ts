// What the pool knows of each slot, and how it feeds a slot: how many tasks it keeps queued in a slot
// (prefetch, for runs shorter than ~10 ms) and handing them over.

import type { Pending, RunningRun } from "./_stops.ts";
import type { PendingQueue } from "./_pending_queue.ts";
import type { SlotProcess } from "./slot_process.ts";
import type { ToSlot } from "./protocol.ts";

/** One slot of the pool: its process and the tasks it was given. */
export interface SlotState {
  proc: SlotProcess;
  /** Its pipes and process exist (spawning is asynchronous). */
  spawned: boolean;
  sent: Pending[];
  ready: boolean;
  closing: boolean;
  startedTasks: number;
  running?: RunningRun;
  killedFor?: "timeout" | "stop";
  /** Its process ended and every message it sent was handled: it takes no task and its messages are ignored. */
  exited?: boolean;
  /** Fires when the slot is not ready within its load limit ({@linkcode watchLoad}). */
  loadTimer?: ReturnType<typeof setTimeout>;
}

/**
 * The least time a slot gets to load the simulation module, in ms: starting Deno and compiling the module
 * take seconds on a busy machine, and a short `--timeout` is meant for runs, not for that.
 */
export const MIN_LOAD_MS = 10_000;

/**
 * Calls `late` when slot `s` is not ready (its module's top-level code has not finished, e.g. a
 * `while (true) {}` there) within `max(timeoutMs, MIN_LOAD_MS)` ms; without `timeoutMs`, no limit.
 * Returns the limit in ms (undefined: none). The timer is cleared with {@linkcode loaded}.
 */
export function watchLoad(
  s: SlotState,
  timeoutMs: number | undefined,
  late: (ms: number) => void,
): number | undefined {
  if (timeoutMs === undefined) return undefined;
  const ms = Math.max(timeoutMs, MIN_LOAD_MS);
  const timer = setTimeout(() => !s.ready && late(ms), ms);
  Deno.unrefTimer(timer);
  s.loadTimer = timer;
  return ms;
}

/** Clears slot `s`'s load timer (it is ready, or it ended). */
export function loaded(s: SlotState): void {
  clearTimeout(s.loadTimer);
  s.loadTimer = undefined;
}

/** A slot being spawned: no process yet (`proc` is set once it exists). */
export function newSlotState(): SlotState {
  return {
    sent: [],
    spawned: false,
    ready: false,
    closing: false,
    startedTasks: 0,
  } as unknown as SlotState;
}

/**
 * Tasks in flight per slot: one for runs of 10 ms or more, enough to cover ~10 ms for shorter ones.
 * `runMs` is the smoothed run time (undefined before the first run ended), `prefetch` the cap (default 8).
 */
export function inFlight(runMs: number | undefined, prefetch: number | undefined): number {
  const max = Math.max(1, prefetch ?? 8);
  if (runMs === undefined) return 1;
  return Math.min(max, Math.max(1, Math.ceil(10 / Math.max(runMs, 0.01))));
}

/**
 * Sends a ready slot tasks from the front of `queue` until it has `limit` in flight, in one write; closes it
 * when it has nothing in flight and the queue is empty. No task is sent once the pool is `stopped`. A slot
 * is refilled only once half of its `limit` is used up (with a limit of 1 or 2: as soon as one task is):
 * for tiny runs one write, and one wake-up of the slot's reader thread, per several runs instead of one per
 * run, while the slot still has work queued.
 */
export function feedSlot(s: SlotState, queue: PendingQueue, limit: number, stopped: boolean): void {
  if (!s.ready || s.closing || s.killedFor || s.exited) return;
  if (s.sent.length <= Math.floor(limit / 2)) {
    const batch: ToSlot[] = [];
    while (!stopped && s.sent.length < limit && queue.length) {
      const p = queue.shift()!;
      s.sent.push(p);
      batch.push({ t: "task", task: p.task, attempt: p.attempt });
    }
    if (batch.length) s.proc.sendAll(batch);
  }
  if (s.sent.length === 0 && queue.length === 0) {
    s.closing = true;
    s.proc.close();
  }
}

/** The error text of a slot whose module did not load within `ms` (after "The simulation X failed: "). */
export function loadLimitText(ms: number): string {
  return `the module did not finish loading within ${ms} ms (its top-level code may never end: move ` +
    `long work into simulate, where --timeout applies); its process was killed`;
}

/** Waits until every promise in `pending` (a set that may grow meanwhile) settled, or `ms` passed. */
export async function settled(pending: Set<Promise<unknown>>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise((r) => (timer = setTimeout(r, ms)));
  const all = (async () => {
    while (pending.size) await Promise.allSettled([...pending]);
  })();
  await Promise.race([all, late]);
  clearTimeout(timer);
}
