/**
 * The local backend's scheduler: a pool of slots (`slot.ts`, each a `deno run` subprocess in its own process
 * group) fed so that every slot always has work queued; timeouts (abort `ctx.signal`, wait the grace period,
 * kill the group), retries, crashes, and stopping.
 *
 * Why subprocesses and not Web Workers: in Deno, `worker.terminate()` does not stop a synchronous loop
 * (`while (true) {}` keeps burning a core), and a worker calling `Deno.exit()` ends the whole program. A
 * subprocess can be killed with everything it started (SIGKILL to its process group), its exit is always
 * seen, it can have its own heap limit, and it runs with its own, narrower permissions.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { denoRunArgs } from "../command.ts";

export type { PermissionOptions } from "../command.ts";
export type { LocalPoolOptions, PoolConfig, PoolEvent } from "./pool_options.ts";
import { type LocalPoolOptions, PARENT_DEATH_GRACE_MS, type PoolConfig } from "./pool_options.ts";
import type { RunRecord } from "../events.ts";
import type { SweepTask } from "../sweep.ts";
import { DEFAULT_GRACE_MS } from "../sweep_options.ts";
import { SimulationLoadError } from "../task.ts";
import { removeOwnerFilesOf } from "../claims.ts";
import type { FromSlot } from "./protocol.ts";
import { SlotProcess } from "./slot_process.ts";
import { openPoolFolder, type PoolFolder } from "./_pool_folder.ts";
import { join } from "node:path";
import { sweepstoreFolder } from "../../src/layout.ts";
import {
  crashMark,
  earlyExitText,
  fatalError,
  type Pending,
  type RunningRun,
  stopRun,
} from "./_stops.ts";
import { PendingQueue } from "./_pending_queue.ts";
import {
  feedSlot,
  inFlight,
  loaded,
  loadLimitText,
  newSlotState,
  settled,
  type SlotState,
  watchLoad,
} from "./_slot_state.ts";

/**
 * How long the pool waits, after a slot's process ended, for the messages it sent before (normally a few
 * ms; the limit is for a frame it left half-written).
 */
const MESSAGES_DRAIN_MS = 5000;

/**
 * A pool of local slot processes that runs the tasks of one sweep. Library users normally call
 * `runSweep`; the pool is exported for tools that schedule tasks themselves.
 *
 * @example
 * ```ts ignore
 * import { expandSweep, LocalPool } from "@sweepstore/sweepstore/runner";
 * const pool = new LocalPool(
 *   { simulation: "file:///p/sim.ts", name: "S", dataFolder: "/p/Data", sweepId: "s1" },
 *   { concurrency: 2, timeoutMs: 60_000 },
 * );
 * const records = await pool.run(expandSweep({ grid: { n: [1, 2, 3] } }));
 * ```
 */
export class LocalPool {
  readonly #config: PoolConfig;
  readonly #options: LocalPoolOptions;
  readonly #slots = new Set<SlotState>();
  readonly #args: string[];
  #poolFolder?: PoolFolder;
  #poolDir = "";
  #queue = new PendingQueue();
  #records: RunRecord[] = [];
  #remaining = 0;
  #stopped = false;
  #nextId = 0;
  #crashesWithoutStart = 0;
  #runMs?: number;
  #writes = new Set<Promise<unknown>>();
  /** Spawning slots and handling their exits, until disposed. */
  #lifecycles = new Set<Promise<unknown>>();
  #failed = false;
  #resolve?: () => void;
  #reject?: (err: Error) => void;

  /** Creates a pool for one sweep; nothing starts until {@linkcode LocalPool.run}. */
  constructor(config: PoolConfig, options: LocalPoolOptions = {}) {
    this.#config = config;
    this.#options = options;
    const slot = fileURLToPath(new URL("./slot.ts", import.meta.url));
    this.#args = denoRunArgs(slot, {
      ...options,
      dataFolder: config.dataFolder,
      simulation: config.simulation,
    });
  }

  /** The `deno` command line of a slot, without its configuration argument (for logs and tests). */
  get commandLine(): string[] {
    return [Deno.execPath(), ...this.#args];
  }

  /**
   * Runs the tasks; resolves with one record per task that ended, by task index (holes for the rest; none
   * with `keepRecords: false`).
   */
  async run(tasks: readonly SweepTask[]): Promise<RunRecord[]> {
    this.#records = this.#options.keepRecords === false ? [] : new Array(tasks.length);
    this.#remaining = tasks.length;
    this.#queue = new PendingQueue(tasks);
    if (tasks.length === 0) return [];
    const { dataFolder, name } = this.#config;
    this.#poolFolder = await openPoolFolder(join(sweepstoreFolder(dataFolder, name), "pools"));
    this.#poolDir = this.#poolFolder.path;
    const done = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const n = Math.min(this.#concurrency(), tasks.length);
    for (let i = 0; i < n; i++) this.#spawn();
    try {
      await done;
      await Promise.all([...this.#writes]);
    } finally {
      // Nothing of the sweep outlives its rejection: the slots #fatal killed exit and are disposed first.
      if (this.#failed) await settled(this.#lifecycles, 5000);
      await this.#poolFolder.remove();
    }
    return this.#records;
  }

  /**
   * Stops the pool: no new runs start; the runs in progress get their `ctx.signal` aborted and `graceMs`
   * to return, then their process groups are killed and they are marked `interrupted`. A pending
   * {@linkcode LocalPool.run} then resolves with the records so far.
   */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#queue.clear();
    for (const s of this.#slots) {
      s.killedFor = "stop";
      if (!s.ready) s.proc?.kill();
      else s.proc.close(); // the slot aborts its run, starts nothing new, and exits
      if (s.running) clearTimeout(s.running.timer);
    }
    const grace = this.#options.graceMs ?? DEFAULT_GRACE_MS;
    const timer = setTimeout(() => {
      for (const s of this.#slots) s.proc?.kill();
    }, grace);
    Deno.unrefTimer(timer);
    this.#checkDone();
  }

  /** The grace period of runs whose `ctx.signal` was aborted, in ms. */
  get graceMs(): number {
    return this.#options.graceMs ?? DEFAULT_GRACE_MS;
  }

  /** Whether {@linkcode LocalPool.stop} was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  #concurrency(): number {
    return Math.max(1, this.#options.concurrency ?? navigator.hardwareConcurrency);
  }

  #spawn(): void {
    const state = newSlotState();
    this.#slots.add(state);
    const life = SlotProcess.spawn(this.#nextId++, this.#poolDir, this.#args, {
      ...this.#config,
      // On the death of the sweep's process the grace period is capped, so that within 5 s nothing of the
      // sweep is left (a second Ctrl-C, a kill -9): a stop the sweep asked for gets the full graceMs.
      graceMs: Math.min(this.#options.graceMs ?? DEFAULT_GRACE_MS, PARENT_DEATH_GRACE_MS),
      stopGraceMs: this.#options.graceMs ?? DEFAULT_GRACE_MS,
      resume: this.#options.resume ?? false,
    }).then((proc) => {
      state.proc = proc;
      state.spawned = true;
      watchLoad(state, this.#options.timeoutMs, (ms) => this.#fatal(loadLimitText(ms)));
      if (this.#stopped) proc.kill();
      (async () => {
        for await (const msg of proc.messages()) if (!state.exited) this.#message(state, msg);
      })();
      return proc.exited.then((status) => this.#exited(state, status))
        .catch((err) => this.#reject?.(err));
    }, (err) => {
      this.#slots.delete(state);
      this.#stopped = true;
      for (const s of this.#slots) s.proc?.kill();
      this.#reject?.(err);
    });
    this.#lifecycles.add(life);
    life.finally(() => this.#lifecycles.delete(life));
  }

  #message(state: SlotState, msg: FromSlot): void {
    if (msg.t === "ready") {
      state.ready = true;
      loaded(state);
      if (this.#stopped) state.proc.close();
      else this.#feed(state);
    } else if (msg.t === "fatal") this.#fatal(fatalError(msg, this.#config.simulation));
    else if (msg.t === "start") this.#started(state, msg.index, msg.path, msg.run);
    else if (msg.t === "skip") this.#skipped(state, msg.index, msg.why);
    else if (msg.t === "end") this.#ended(state, msg.record, msg.marks);
  }

  #feed(s: SlotState): void {
    feedSlot(s, this.#queue, inFlight(this.#runMs, this.#options.prefetch), this.#stopped);
  }

  #started(s: SlotState, index: number, path: string, n: number): void {
    s.startedTasks++;
    this.#crashesWithoutStart = 0;
    const head = s.sent[0];
    const run: RunningRun = {
      index,
      path,
      started: performance.now(),
      run: n, // its output's end is marked in the output streams (`_run_marks.ts`)
    };
    const timeout = this.#options.timeoutMs;
    if (timeout !== undefined) run.timer = setTimeout(() => this.#timeout(s), timeout);
    s.running = run;
    this.#options.onEvent?.({ type: "start", index, attempt: head?.attempt ?? 1, path });
  }

  #timeout(s: SlotState): void {
    const run = s.running;
    if (!run || s.killedFor) return;
    run.timedOut = true;
    s.proc.send({ t: "abort", index: run.index, reason: "timeout" });
    run.timer = setTimeout(() => {
      if (s.running !== run) return; // it returned within the grace period
      s.killedFor = "timeout";
      s.proc.kill();
      this.#requeue(s, 1);
      this.#wake();
    }, this.#options.graceMs ?? DEFAULT_GRACE_MS);
  }

  #ended(s: SlotState, record: RunRecord, marks?: number): void {
    const run = s.running;
    clearTimeout(run?.timer);
    if (run) {
      run.marks = marks;
      const ms = performance.now() - run.started;
      this.#runMs = this.#runMs === undefined ? ms : 0.8 * this.#runMs + 0.2 * ms;
      // Nothing written to either stream during the run (no marker): no logs to cut. A run not `done` is
      // reported once its logs are in its folder and its error names them.
      if (marks !== 0 && record.status !== "done" && record.path) {
        s.running = undefined;
        const p = s.sent.shift();
        this.#track(
          stopRun.saveTailsOfFailed(s.proc, run, record, this.#options.onEvent)
            .catch(() => record) // (the logs could not be cut: the run is reported as it ended)
            .then((r) => p && this.#finish(p, { ...r, params: p.task.params })),
        );
        return this.#feed(s);
      }
      if (marks !== 0) this.#track(stopRun.saveTails(s.proc, run, this.#options.onEvent));
    }
    s.running = undefined;
    const p = s.sent.shift();
    if (p) this.#finish(p, { ...record, params: p.task.params });
    this.#feed(s);
  }

  #skipped(s: SlotState, index: number, why: "claimed" | "done"): void {
    s.sent.shift();
    this.#options.onEvent?.({ type: "skip", index, why });
    this.#remaining--;
    this.#feed(s);
    this.#checkDone();
  }

  #finish(p: Pending, record: RunRecord): void {
    const retries = this.#options.retries ?? 0;
    const again = record.status === "failed" || record.status === "timeout";
    if (again && p.attempt <= retries && !this.#stopped) {
      this.#options.onEvent?.({ type: "retry", record });
      this.#queue.push({ task: p.task, attempt: p.attempt + 1 });
      this.#wake();
      return;
    }
    this.#keep(p.task.index, record);
    this.#options.onEvent?.({ type: "end", record });
    this.#remaining--;
    this.#checkDone();
  }

  /** Keeps an ended task's record for `run`'s result (unless `keepRecords: false`). */
  #keep(index: number, record: RunRecord): void {
    if (this.#options.keepRecords !== false) this.#records[index] = record;
  }

  #checkDone(): void {
    if (this.#remaining > 0 && !this.#stopped) return;
    for (const s of this.#slots) {
      if (s.closing || !s.spawned) continue;
      s.closing = true;
      // A slot that is not ready may not have opened its pipe yet: closing it would leave its open waiting.
      if (s.ready) s.proc.close();
      else s.proc.kill();
    }
    if (this.#slots.size === 0) this.#resolve?.();
  }

  /** Gives queued work to slots with room; starts slots while work waits and fewer than `concurrency` run. */
  #wake(): void {
    if (this.#stopped) return;
    for (const s of this.#slots) this.#feed(s);
    let live = 0;
    for (const s of this.#slots) if (!s.killedFor && !s.closing && !s.exited) live++;
    while (this.#queue.length > 0 && live < this.#concurrency()) {
      this.#spawn();
      live++;
    }
  }

  /** Puts a slot's queued, not started tasks (after the first `keep`) back at the front of the queue. */
  #requeue(s: SlotState, keep = 0): void {
    this.#queue.unshift(...s.sent.splice(keep));
  }

  #track(write: Promise<unknown>): void {
    this.#writes.add(write);
    write.finally(() => this.#writes.delete(write));
  }

  /** Slot `s` keeps dying before it runs anything: the sweep fails with `text`. */
  async #giveUp(s: SlotState, text: string): Promise<void> {
    this.#slots.delete(s);
    await s.proc.dispose();
    this.#fatal(text);
  }

  /** Ends the sweep with `error` (a text: a `SimulationLoadError` saying the simulation failed). */
  #fatal(error: string | Error): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#failed = true;
    for (const s of this.#slots) s.proc?.kill();
    this.#reject?.(
      typeof error === "string"
        ? new SimulationLoadError(`The simulation ${this.#config.simulation} failed: ${error}`)
        : error,
    );
  }

  async #exited(s: SlotState, status: Deno.CommandStatus): Promise<void> {
    // Its last messages (a run's end, the next one's start) may still be on their way: the state says
    // which run it died in only once they are handled. After that, nothing more is taken from it or given.
    await s.proc.drainMessages(MESSAGES_DRAIN_MS);
    s.exited = true;
    clearTimeout(s.running?.timer);
    loaded(s);
    const head = s.sent.shift();
    const run = s.running;
    if (!s.ready && !s.killedFor && !s.closing && !this.#stopped) {
      // Died before it could take a task (a heap limit too small to start, Deno.exit at the module's top
      // level): respawning it for ever would hang the sweep.
      if (++this.#crashesWithoutStart >= 3) return this.#giveUp(s, earlyExitText(s.proc, status));
    }
    if (head && (run || !s.killedFor)) {
      const mark = crashMark(s, status, this.#options, this.#config, head);
      const record = await mark.record;
      if (mark.countsAsCrash && s.startedTasks === 0 && ++this.#crashesWithoutStart >= 3) {
        const first = record.error?.split("\n")[0];
        return this.#giveUp(s, `its process keeps exiting before starting a run (${first})`);
      }
      if (!run && !record.path && s.startedTasks > 0) {
        // It never began (no start, no folder): the process ended between two runs (a timer the previous
        // run left behind calling Deno.exit, a signal). Not an attempt: it goes back to the queue.
        s.sent.unshift(head);
      } else if (record.path || !this.#stopped) {
        if (this.#stopped) {
          // Stopped: no retry, but the run ended and is counted as such.
          this.#keep(head.task.index, record);
          this.#options.onEvent?.({ type: "end", record });
        } else this.#finish(head, record);
      }
    }
    this.#requeue(s);
    this.#slots.delete(s);
    await removeOwnerFilesOf(this.#config.dataFolder, this.#config.name, s.proc.pid);
    await s.proc.dispose();
    if (this.#stopped) this.#checkDone();
    else this.#wake();
    if (this.#remaining === 0) this.#checkDone();
  }
}
