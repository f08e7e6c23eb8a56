/**
 * The local backend: a pool of slots, each a `deno run` subprocess that loads the simulation once and runs
 * tasks one after another, fed so that every slot always has work queued.
 *
 * Why subprocesses and not Web Workers: in Deno, `worker.terminate()` does not stop a synchronous loop
 * (`while (true) {}` keeps burning a core), and a worker calling `Deno.exit()` ends without any event. A
 * subprocess can be killed (SIGKILL frees its core at once), its exit is always seen, it can have its own
 * heap limit, and it runs with its own, narrower permissions.
 *
 * @module
 */

import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { StorageManager } from "../../src/run/storage_manager.ts";
import { lines } from "./lines.ts";
import type { SweepTask } from "../sweep.ts";
import {
  PROTOCOL_PREFIX,
  type RunRecord,
  type RunStatus,
  type SlotConfig,
  type TaskMessage,
} from "../task.ts";

/** What a simulation may do beyond reading the project and writing the Data folder. */
export interface PermissionOptions {
  /** More paths to read (the project folder and the simulation's folder are always readable). */
  read?: string[];
  /** More paths to write (the Data folder is always writable). */
  write?: string[];
  /** Network access: `true` for any host, or a list of hosts. */
  net?: boolean | string[];
  /** Environment variables: `true` for all, or a list of names. */
  env?: boolean | string[];
  /** Running programs: `true` for any, or a list (e.g. `["ffmpeg"]` for renderVideo). */
  run?: boolean | string[];
  /** System information: `true` for all, or a list of APIs. */
  sys?: boolean | string[];
  /** Foreign function interface: `true` for any library, or a list of paths. */
  ffi?: boolean | string[];
}

/** Options for {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * How many simulations run at once (one subprocess each).
   * @default {navigator.hardwareConcurrency}
   */
  concurrency?: number;
  /**
   * Stop a run this many milliseconds after it started (its process is killed and its CPU freed).
   * @default {undefined} (no limit)
   */
  timeoutMs?: number;
  /**
   * Run a failed or timed-out task again, up to this many more times (each attempt in a new folder).
   * @default {0}
   */
  retries?: number;
  /**
   * At most this many tasks are queued in each slot at once, to hide the hand-over latency of tiny runs.
   * Only runs shorter than ~10 ms get more than one in flight, so long runs are always handed to the
   * next free slot and spread evenly.
   * @default {8}
   */
  prefetch?: number;
  /** Extra permissions for the simulations. */
  permissions?: PermissionOptions;
  /**
   * V8 heap limit of each slot in MiB (`--max-old-space-size`); a run that needs more fails, the sweep
   * goes on.
   * @default {undefined} (V8's default)
   */
  memoryMb?: number;
  /**
   * More arguments for `deno run`, before the script (e.g. `["--config", "deno.json"]`).
   * @default {[]}
   */
  denoArgs?: string[];
  /**
   * The project folder the simulations may read.
   * @default {the folder that holds the Data folder}
   */
  projectDir?: string;
  /** Called when a run starts, ends, or is retried. */
  onEvent?: (event: PoolEvent) => void;
}

/** Progress events of a {@linkcode WorkerPool}. */
export type PoolEvent =
  | { type: "start"; index: number; path: string }
  | { type: "end"; record: RunRecord }
  | { type: "retry"; record: RunRecord };

interface Pending {
  task: SweepTask;
  attempt: number;
}

interface Slot {
  id: number;
  child: Deno.ChildProcess;
  stdin: WritableStreamDefaultWriter<Uint8Array>;
  sent: Pending[];
  running?: { index: number; path: string; started: number; timer?: ReturnType<typeof setTimeout> };
  killed?: "timeout" | "interrupt";
  /** Its stdin was closed: it gets no more tasks and exits once idle. */
  closing?: boolean;
  stderrTail: string[];
  done: Promise<void>;
  startedTasks: number;
}

const encoder = new TextEncoder();

function flag(name: string, value: boolean | string[] | undefined): string[] {
  if (value === true) return [`--allow-${name}`];
  if (Array.isArray(value) && value.length) return [`--allow-${name}=${value.join(",")}`];
  return [];
}

/** sweepstore's own folder: a simulation module's imports of sweepstore must be readable. */
const PACKAGE_DIR = import.meta.url.startsWith("file:")
  ? fileURLToPath(new URL("../..", import.meta.url))
  : undefined;

/**
 * The `deno run` permission flags of a slot: read the project, the simulation's folder and sweepstore's
 * own files; write the Data folder; and what `permissions` allows.
 *
 * @example
 * ```ts
 * import { permissionFlags } from "@sweepstore/sweepstore/runner";
 * console.log(permissionFlags("/p/Data", "/p", "file:///p/sim.ts", { run: ["ffmpeg"] }));
 * ```
 */
export function permissionFlags(
  dataFolder: string,
  projectDir: string,
  simulation: string,
  permissions: PermissionOptions = {},
): string[] {
  const read = [
    projectDir,
    dataFolder,
    ...(PACKAGE_DIR ? [PACKAGE_DIR.replace(/\/$/, "")] : []),
    ...(permissions.read ?? []),
  ];
  if (simulation.startsWith("file:")) read.push(dirname(fileURLToPath(simulation)));
  return [
    "--no-prompt",
    `--allow-read=${[...new Set(read)].join(",")}`,
    `--allow-write=${[dataFolder, ...(permissions.write ?? [])].join(",")}`,
    ...flag("net", permissions.net),
    ...flag("env", permissions.env),
    ...flag("run", permissions.run),
    ...flag("sys", permissions.sys),
    ...flag("ffi", permissions.ffi),
  ];
}

/**
 * Marks a stopped run in its folder, once its process has exited (so it cannot write any more), unless the
 * run got to write its own final status first. Returns the status the folder ends with.
 */
async function markRun(
  path: string,
  status: RunStatus,
  error: string,
  started: number | undefined,
  exited: Promise<unknown>,
): Promise<{ status: RunStatus; error?: string }> {
  await exited.catch(() => {});
  try {
    const sm = await StorageManager.open(path);
    const current = sm.param("status", { section: "Run" });
    if (current !== "running") {
      // It finished just before it was stopped: keep what it wrote.
      const own = sm.param("error", { section: "Run" });
      return { status: current as RunStatus, error: typeof own === "string" ? own : undefined };
    }
    const run: Record<string, string | number> = {
      status,
      error,
      finished: new Date().toISOString(),
    };
    if (started !== undefined) run.duration_s = Math.round(performance.now() - started) / 1000;
    await sm.saveParamSections({ Run: run });
  } catch (err) {
    console.error(`sweepstore: could not mark ${path} as ${status}: ${(err as Error).message}`);
  }
  return { status, error };
}

/**
 * The simulation module could not be loaded: the sweep cannot run.
 *
 * @example
 * ```ts
 * import { SimulationLoadError } from "@sweepstore/sweepstore/runner";
 * console.log(new SimulationLoadError("sim.ts: SyntaxError").name); // "SimulationLoadError"
 * ```
 */
export class SimulationLoadError extends Error {
  /** Creates the error; `message` holds the module's error. */
  constructor(message: string) {
    super(message);
    this.name = "SimulationLoadError";
  }
}

/**
 * Runs tasks in a pool of `deno run` subprocesses (see the module documentation), with per-run timeouts,
 * retries, crash recovery and interruption. Every task ends with one {@linkcode RunRecord}.
 *
 * @example
 * ```ts ignore
 * import { expandSweep, WorkerPool } from "@sweepstore/sweepstore/runner";
 * const pool = new WorkerPool(
 *   { simulation: new URL("../sim.ts", import.meta.url).href, name: "S", dataFolder: "/abs/Data", sweepId: "s1" },
 *   { concurrency: 2, timeoutMs: 60_000 },
 * );
 * const records = await pool.run(expandSweep({ grid: { n: [1, 2, 3] } }));
 * ```
 */
export class WorkerPool {
  readonly #config: SlotConfig;
  readonly #options: WorkerPoolOptions;
  readonly #slots = new Set<Slot>();
  #queue: Pending[] = [];
  #records: RunRecord[] = [];
  #remaining = 0;
  #stopped = false;
  #nextId = 0;
  #crashesWithoutStart = 0;
  /** Moving average of a run's wall time in a slot (start to end), in ms; undefined before the first. */
  #runMs?: number;
  #resolve?: (records: RunRecord[]) => void;
  #reject?: (err: Error) => void;
  #args: string[];

  /** Creates a pool for one sweep; nothing starts until {@linkcode WorkerPool.run}. */
  constructor(config: SlotConfig, options: WorkerPoolOptions = {}) {
    this.#config = config;
    this.#options = options;
    const projectDir = options.projectDir ?? dirname(config.dataFolder);
    const worker = fileURLToPath(new URL("./slot.ts", import.meta.url));
    this.#args = [
      "run",
      "--quiet",
      ...permissionFlags(config.dataFolder, projectDir, config.simulation, options.permissions),
      ...(options.memoryMb ? [`--v8-flags=--max-old-space-size=${options.memoryMb}`] : []),
      ...(options.denoArgs ?? []),
      worker,
      JSON.stringify(config),
    ];
  }

  /** The `deno` command line of a slot (for logs and tests). */
  get commandLine(): string[] {
    return [Deno.execPath(), ...this.#args];
  }

  /** Runs the tasks and resolves with one record per task, in task order. */
  run(tasks: readonly SweepTask[]): Promise<RunRecord[]> {
    this.#records = new Array(tasks.length);
    this.#remaining = tasks.length;
    this.#queue = tasks.map((task) => ({ task, attempt: 1 }));
    if (tasks.length === 0) return Promise.resolve([]);
    const concurrency = Math.max(
      1,
      Math.min(this.#options.concurrency ?? navigator.hardwareConcurrency, tasks.length),
    );
    return new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      for (let i = 0; i < concurrency; i++) this.#spawn();
    });
  }

  /** The records of the tasks that ended so far (holes for the others). */
  get records(): RunRecord[] {
    return this.#records;
  }

  /**
   * Stops the pool: no new runs start, every slot is killed, and runs in progress are marked
   * `interrupted` in their folders and records. Resolves when all of that is done; a pending
   * {@linkcode WorkerPool.run} then resolves with the records so far (holes for runs that never ended).
   */
  async interrupt(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const marks: Promise<void>[] = [];
    for (const slot of this.#slots) {
      slot.killed = "interrupt";
      try {
        slot.child.kill("SIGKILL");
      } catch { /* already gone */ }
      const run = slot.running;
      if (run) {
        clearTimeout(run.timer);
        const head = slot.sent[0];
        marks.push(
          markRun(
            run.path,
            "interrupted",
            "the sweep was interrupted",
            run.started,
            slot.child.status,
          )
            .then((final) => {
              if (head) {
                this.#records[head.task.index] = { ...this.#records[head.task.index], ...final };
              }
            }),
        );
        if (head) {
          this.#records[head.task.index] = this.#record(
            head,
            run.path,
            "interrupted",
            "the sweep was interrupted",
            run.started,
          );
        }
      }
    }
    await Promise.all([...marks, ...[...this.#slots].map((s) => s.done)]);
    this.#resolve?.(this.#records);
  }

  #record(p: Pending, path: string, status: RunStatus, error: string, started?: number): RunRecord {
    return {
      index: p.task.index,
      params: p.task.params,
      path,
      status,
      error,
      durationMs: started === undefined ? 0 : performance.now() - started,
      attempts: p.attempt,
      seed: p.task.seed,
    };
  }

  #spawn(): void {
    const child = new Deno.Command(Deno.execPath(), {
      args: this.#args,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const slot: Slot = {
      id: this.#nextId++,
      child,
      stdin: child.stdin.getWriter(),
      sent: [],
      stderrTail: [],
      done: Promise.resolve(),
      startedTasks: 0,
    };
    this.#slots.add(slot);
    const stdoutDone = this.#readStdout(slot);
    const stderrDone = this.#readStderr(slot);
    slot.done = Promise.all([child.status, stdoutDone, stderrDone])
      .then(([status]) => this.#exited(slot, status))
      .catch((err) => console.error(`sweepstore: a pool slot failed: ${err?.stack ?? err}`));
    this.#feed(slot);
  }

  /** Tasks in flight per slot: one for runs of 10 ms or more, enough to cover ~10 ms for shorter ones. */
  #inFlight(): number {
    const max = Math.max(1, this.#options.prefetch ?? 8);
    if (this.#runMs === undefined) return 1;
    return Math.min(max, Math.max(1, Math.ceil(10 / Math.max(this.#runMs, 0.01))));
  }

  #feed(slot: Slot): void {
    if (slot.killed || slot.closing) return;
    const limit = this.#inFlight();
    while (!this.#stopped && slot.sent.length < limit && this.#queue.length) {
      const p = this.#queue.shift()!;
      slot.sent.push(p);
      const msg: TaskMessage = { task: p.task, attempt: p.attempt };
      slot.stdin.write(encoder.encode(JSON.stringify(msg) + "\n")).catch(
        () => {/* the slot died: #exited requeues */},
      );
    }
    if (slot.sent.length === 0 && this.#queue.length === 0) this.#close(slot);
  }

  /** Closes a slot's stdin: it ends once idle, and is never fed again. */
  #close(slot: Slot): void {
    if (slot.closing) return;
    slot.closing = true;
    slot.stdin.close().catch(() => {});
  }

  async #readStdout(slot: Slot): Promise<void> {
    for await (const line of lines(slot.child.stdout)) {
      // The simulation may print without a final newline: the protocol message then follows its text.
      const at = line.indexOf(PROTOCOL_PREFIX);
      if (at !== 0) console.log(at < 0 ? line : line.slice(0, at)); // the simulation's own output
      if (at < 0 || slot.killed) continue;
      let msg;
      try {
        msg = JSON.parse(line.slice(at + PROTOCOL_PREFIX.length));
      } catch {
        console.error(
          `sweepstore: unreadable message from a pool slot: ${line.slice(at, at + 200)}`,
        );
        continue;
      }
      if (msg.t === "start") this.#started(slot, msg.i, msg.path);
      else if (msg.t === "end") this.#ended(slot, msg.record);
      else if (msg.t === "fatal") this.#fatal(msg.error);
    }
  }

  async #readStderr(slot: Slot): Promise<void> {
    for await (const line of lines(slot.child.stderr)) {
      slot.stderrTail.push(line);
      if (slot.stderrTail.length > 30) slot.stderrTail.shift();
      console.error(line);
    }
  }

  #started(slot: Slot, index: number, path: string): void {
    slot.startedTasks++;
    this.#crashesWithoutStart = 0;
    const run: NonNullable<Slot["running"]> = { index, path, started: performance.now() };
    const timeout = this.#options.timeoutMs;
    if (timeout !== undefined && timeout > 0) {
      run.timer = setTimeout(() => this.#timeout(slot), timeout);
    }
    slot.running = run;
    this.#options.onEvent?.({ type: "start", index, path });
  }

  #ended(slot: Slot, record: RunRecord): void {
    const run = slot.running;
    clearTimeout(run?.timer);
    if (run) {
      const ms = performance.now() - run.started;
      this.#runMs = this.#runMs === undefined ? ms : 0.8 * this.#runMs + 0.2 * ms;
    }
    slot.running = undefined;
    const p = slot.sent.shift();
    if (!p) return;
    this.#finish(p, record);
    this.#feed(slot);
  }

  #finish(p: Pending, record: RunRecord): void {
    const retries = this.#options.retries ?? 0;
    if (
      (record.status === "failed" || record.status === "timeout") && p.attempt <= retries &&
      !this.#stopped
    ) {
      this.#options.onEvent?.({ type: "retry", record });
      this.#queue.push({ task: p.task, attempt: p.attempt + 1 });
      this.#wake();
      return;
    }
    this.#records[p.task.index] = record;
    this.#options.onEvent?.({ type: "end", record });
    if (--this.#remaining === 0) {
      for (const slot of this.#slots) this.#close(slot);
      Promise.all([...this.#slots].map((s) => s.done)).then(() => this.#resolve?.(this.#records));
    }
  }

  /**
   * Gives queued work to the slots that have room, and starts new slots while there is queued work and
   * fewer than `concurrency` slots can take it (after a retry was queued, or a slot was killed or died).
   */
  #wake(): void {
    if (this.#stopped) return;
    for (const slot of this.#slots) this.#feed(slot);
    let live = 0;
    for (const slot of this.#slots) if (!slot.killed && !slot.closing) live++;
    const concurrency = Math.max(1, this.#options.concurrency ?? navigator.hardwareConcurrency);
    while (this.#queue.length > 0 && live < concurrency) {
      this.#spawn();
      live++;
    }
  }

  #timeout(slot: Slot): void {
    const run = slot.running;
    const head = slot.sent[0];
    if (!run || !head || slot.killed) return;
    slot.killed = "timeout";
    try {
      slot.child.kill("SIGKILL");
    } catch { /* already gone */ }
    const error =
      `the run did not finish within its timeout of ${this.#options.timeoutMs} ms and was stopped`;
    slot.sent.shift();
    this.#requeue(slot);
    this.#wake();
    const record = this.#record(head, run.path, "timeout", error, run.started);
    // The record is final only once the folder says so too.
    markRun(run.path, "timeout", error, run.started, slot.child.status)
      .then((final) => this.#finish(head, { ...record, ...final }));
  }

  /** The folder of task `index` of this sweep that still says `running`, if any (a crash before its start). */
  async #findFolder(index: number): Promise<string | undefined> {
    const group = `${this.#config.dataFolder}/StorageManager/${this.#config.name}`;
    const sweep = `sweep = ${this.#config.sweepId}\n`;
    try {
      for await (const e of Deno.readDir(group)) {
        if (!e.isDirectory || e.name.startsWith(".")) continue;
        const text = await Deno.readTextFile(`${group}/${e.name}/config.ini`).catch(() => "");
        if (!text.includes(sweep) || !text.includes(`\nindex = ${index}\n`)) continue;
        if (text.includes("\nstatus = running\n")) return `${group}/${e.name}`;
      }
    } catch { /* no group folder yet */ }
    return undefined;
  }

  /** Puts a slot's queued but not started tasks back at the front of the queue. */
  #requeue(slot: Slot): void {
    this.#queue.unshift(...slot.sent);
    slot.sent = [];
  }

  #fatal(error: string): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const slot of this.#slots) {
      slot.killed = "interrupt";
      try {
        slot.child.kill("SIGKILL");
      } catch { /* gone */ }
    }
    this.#reject?.(
      new SimulationLoadError(
        `The simulation ${this.#config.simulation} could not be loaded:\n${error}`,
      ),
    );
  }

  async #exited(slot: Slot, status: Deno.CommandStatus): Promise<void> {
    this.#slots.delete(slot);
    clearTimeout(slot.running?.timer);
    if (slot.killed === "interrupt" || this.#stopped) return;
    if (slot.killed !== "timeout" && slot.sent.length > 0) {
      // A crash: the simulation called Deno.exit, ran out of memory, or the process was killed.
      const head = slot.sent.shift()!;
      const run = slot.running;
      const how = status.signal
        ? `was killed by ${status.signal}`
        : `exited with code ${status.code}`;
      const tail = slot.stderrTail.slice(-15).join("\n");
      const error = `the simulation process ${how} during the run${
        tail ? `; its last output:\n${tail}` : ""
      }`;
      // A slot can die after it created the run's folder but before its start message was read.
      const path = run?.path ?? await this.#findFolder(head.task.index);
      if (path) await markRun(path, "failed", error, run?.started, Promise.resolve());
      if (slot.startedTasks === 0 && ++this.#crashesWithoutStart >= 3) {
        this.#fatal(
          `the simulation process keeps exiting before starting a run (${how}):\n${tail}`,
        );
        return;
      }
      this.#requeue(slot);
      this.#finish(head, this.#record(head, path ?? "", "failed", error, run?.started));
    } else {
      this.#requeue(slot);
    }
    this.#wake();
  }
}
