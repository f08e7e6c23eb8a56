/**
 * The pool's side of a slot ({@linkcode SlotProcess}): a `deno run` subprocess in its own process group,
 * started through `/bin/sh` with a guard process that kills the group when the pool's process dies,
 * its named pipes (FIFOs) in a private folder of the group's `.sweepstore/` — `in` (pool → slot),
 * `out` (slot → pool), `watch` (held open by the pool, never written: its end tells the slot's watchdog that
 * the pool died; the guards read an inherited pipe instead, see the constructor), `stdout` and `stderr` (the
 * slot's own stdout and stderr: FIFOs, so that the slot can see by their mtime whether anything was written
 * to them since its last run marker, see `_run_marks.ts`) — and the last 64 KiB of its stdout and stderr
 * (drained at once, so the parent's memory stays bounded whatever a simulation prints).
 *
 * Why FIFOs and not a Unix socket: in Deno 2.9 a Unix socket needs `--allow-net`, which neither the sweep's
 * program nor the simulation should need; FIFOs need only the Data folder's read/write permissions (and
 * `mkfifo`). The pool opens its ends read+write, which never blocks and keeps them open; the kernel ends
 * the slot's reads when the pool's process dies, however it dies.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fsError } from "../../src/run/_fs_error.ts";
import { DEFAULT_GRACE_MS } from "../sweep_options.ts";
import {
  type FromSlot,
  readFrames,
  sendFrame,
  sendFrameFast,
  sendFramesFast,
  streamReader,
  type ToSlot,
} from "./protocol.ts";
import { MarkedOutput } from "./_run_marks.ts";
import { drain, type RingBuffer } from "./ring_buffer.ts";
import { KILL_MARKED, killMarked, SLOT_MARK } from "./_marked_kill.ts";

async function mkfifo(paths: string[]): Promise<void> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("mkfifo", { args: ["-m", "600", ...paths], stderr: "piped" })
      .output();
  } catch (err) {
    throw new Error(
      `the local backend could not run mkfifo (${
        (err as Error).message
      }): allow it with --allow-run`,
      { cause: err },
    );
  }
  if (!out.success) {
    throw new Error(`mkfifo failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

/**
 * File systems (as `stat -f -c %T` names them) on which a write to a FIFO sets its mtime in what `stat`
 * returns, at once and for good: the slot then marks only the streams written to (`_output_marks.ts`). On
 * others — a network file system may answer `stat` from the server, which never sees a FIFO's writes —
 * every run is marked.
 */
const LOCAL_FILE_SYSTEMS = new Set(["ext2/ext3", "xfs", "btrfs", "tmpfs", "zfs", "f2fs"]);

/** Whether `dir` is on one of {@linkcode LOCAL_FILE_SYSTEMS} (`stat -f`, through /bin/sh). */
async function onLocalFileSystem(dir: string): Promise<boolean> {
  try {
    const out = await new Deno.Command("/bin/sh", {
      args: ["-c", 'exec stat -f -c %T "$1"', "sweepstore-fs", dir],
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success && LOCAL_FILE_SYSTEMS.has(new TextDecoder().decode(out.stdout).trim());
  } catch {
    return false;
  }
}

/** {@linkcode onLocalFileSystem} of each pool folder, asked once. */
const localPools = new Map<string, Promise<boolean>>();

/**
 * The signals the slot's helpers (its guard, the `cat`s reading its pipes, and their guards) ignore: sent to
 * every process of the sweep at once (`systemctl stop`, `scancel` of a job step, a `kill` of the process
 * group or session), they ended the helpers, and with them the slot's messages, output and guard, while the
 * sweep's process and the slot (`watchdog.ts`) take them as a stop. The helpers are only ever killed with
 * SIGKILL; the ignoring is inherited by `cat` and `sleep`, never by the slot (its shell execs it untrapped).
 */
const IGNORED = "TERM HUP INT";

/** How long a slot's output is still read after it exited (programs it left may hold the pipes). */
const EXITED_DRAIN_MS = 1000;

/** A slot process as the pool sees it. */
export class SlotProcess {
  /** The slot's number in this pool. */
  readonly id: number;
  /** The process. */
  readonly child: Deno.ChildProcess;
  /**
   * The secret in the run markers the slot writes to its stdout and stderr (given in its configuration,
   * never printed; see `_run_marks.ts`).
   */
  readonly #marksToken = crypto.randomUUID();
  /** Its stdout: the last bytes (markers stripped) and the runs' boundaries in them. */
  readonly out: MarkedOutput = new MarkedOutput(this.#marksToken);
  /** See {@linkcode SlotProcess.out}. */
  readonly err: MarkedOutput = new MarkedOutput(this.#marksToken);
  /** Resolves with its exit status once it exited and both pipes are drained. */
  readonly exited: Promise<Deno.CommandStatus>;
  readonly #in: Deno.FsFile;
  readonly #out: Deno.FsFile;
  readonly #watch: Deno.FsFile;
  /**
   * The pool's own handles of the `stdout` and `stderr` FIFOs: a FIFO opened for writing blocks until it has
   * a reader and a reader's open blocks until it has a writer; these make both opens return at once, and
   * keep the slot's writes from failing (no reader) before its `cat`s opened theirs. Closed once the slot
   * exited, so that the readers see the end of its output when what it started closed its ends too.
   */
  readonly #outputHolds: Deno.FsFile[];
  readonly #dir: string;
  readonly #reader: Deno.ChildProcess;
  /** Reads the slot's `stdout` FIFO to its stdout and the `stderr` FIFO to its stderr (two `cat`s). */
  readonly #outputReader: Deno.ChildProcess;
  #writing: Promise<unknown> = Promise.resolve();
  #closed = false;
  #killed = false;
  /** The slot's {@linkcode SLOT_MARK}: in the environment of every process it starts. */
  readonly #mark = crypto.randomUUID();
  /** The pool's secret in its `drained` marker (see {@linkcode SlotProcess.drainMessages}). */
  readonly #token = crypto.randomUUID();
  #drained = Promise.withResolvers<boolean>();

  private constructor(
    id: number,
    dir: string,
    files: Deno.FsFile[],
    args: string[],
    config: Record<string, unknown>,
  ) {
    this.id = id;
    this.#dir = dir;
    [this.#in, this.#out, this.#watch] = files;
    this.#outputHolds = files.slice(3);
    // /bin/sh starts the guard, then becomes the slot (exec: same pid, the slot's own exit status). The
    // guard reads the shell's stdin, a pipe whose only writer is the pool's process (it never writes): when
    // that process dies, however it dies, the read ends, and after the grace period (and half a second for
    // the slot's watchdog to mark its run) the guard kills the whole process group: the slot even while it
    // spins in `while (true) {}`, and every program the simulation started. (Not the `watch` FIFO: opening
    // a FIFO blocks until it has a writer, so a guard that opened it just after the pool died waited for
    // ever; an inherited pipe needs no open.) The slot's stdout and stderr are the `stdout` and `stderr` FIFOs.
    // The slot and all it starts carry its mark (exported after the guard started: the guard has none), by
    // which the guard also kills what left the group (setsid, detached).
    const graceS = ((Number(config.graceMs ?? DEFAULT_GRACE_MS) + 500) / 1000).toFixed(3);
    this.child = new Deno.Command("/bin/sh", {
      args: [
        "-c",
        KILL_MARKED + "g=$1; m=$2; o=$3; e=$4; shift 4; exec 3<&0; " +
        "{ trap '' " + IGNORED +
        '; cat <&3; sleep "$g"; killmarked "$m"; kill -9 0; } </dev/null >/dev/null 2>&1 & ' +
        `export ${SLOT_MARK}="$m"; exec "$@" 3<&- </dev/null >"$o" 2>"$e"`,
        "sweepstore-slot",
        graceS,
        this.#mark,
        join(dir, "stdout"),
        join(dir, "stderr"),
        Deno.execPath(),
        ...args,
        JSON.stringify({ ...config, pipes: dir, marks: this.#marksToken }),
      ],
      stdin: "piped", // never written: its end is the pool's death
      stdout: "null",
      stderr: "null",
      // Its output goes to stdout.log / stderr.log and into run errors: plain text, without Deno's colours.
      env: { NO_COLOR: "1" },
      detached: true, // its own process group: killing -pid reaches what the simulation started
    }).spawn();
    // The `out` pipe is read through `cat`: a child's stdout is read by Deno's event loop directly (epoll),
    // a named pipe opened as a file only through a thread per read, which halved tiny-run throughput. Its
    // own guard kills it when the pool's process dies (a `cat` that opened `out` after the pool died would
    // wait for a writer for ever).
    this.#reader = new Deno.Command("/bin/sh", {
      args: [
        "-c",
        `trap '' ${IGNORED}; ` +
        'exec 3<&0; { cat <&3; kill -9 0; } </dev/null >/dev/null 2>&1 & exec cat "$1" 3<&- </dev/null',
        "sweepstore-reader",
        join(dir, "out"),
      ],
      stdin: "piped", // never written: its end is the pool's death
      stdout: "piped",
      stderr: "null",
      detached: true, // not in the terminal's process group: Ctrl-C must not cut the slot's messages
    }).spawn();
    // The slot's stdout and stderr FIFOs, read the same way (and for the same reason) by two `cat`s of one
    // shell: one to its stdout, one to its stderr. Each ends when every writer closed its end.
    this.#outputReader = new Deno.Command("/bin/sh", {
      args: [
        "-c",
        `trap '' ${IGNORED}; ` +
        'exec 3<&0; { cat <&3; kill -9 0; } </dev/null >/dev/null 2>&1 & cat "$1" 3<&- </dev/null & ' +
        'exec cat "$2" >&2 3<&- </dev/null',
        "sweepstore-output",
        join(dir, "stdout"),
        join(dir, "stderr"),
      ],
      stdin: "piped", // never written: its end is the pool's death
      stdout: "piped",
      stderr: "piped",
      detached: true,
    }).spawn();
    const stopDraining = new AbortController();
    const out = drain(this.#outputReader.stdout, this.out, stopDraining.signal).then(() =>
      this.out.close()
    );
    const err = drain(this.#outputReader.stderr, this.err, stopDraining.signal).then(() =>
      this.err.close()
    );
    this.exited = this.child.status.then(async (status) => {
      // Programs the simulation started hold the slot's stdout and stderr open after it exited: the
      // group's die now, and those that left it (setsid, detached) by their mark; a pipe still held by one
      // that escaped both (a cleared environment) stops being read after a second, or the slot's exit
      // would never be seen.
      this.#killGroup();
      await killMarked(this.#mark);
      this.#closeOutputHolds();
      const late = setTimeout(() => stopDraining.abort(), EXITED_DRAIN_MS);
      await Promise.all([out, err]);
      clearTimeout(late);
      return status;
    });
  }

  /**
   * Makes the slot's pipes in `poolDir/slot<id>/` and spawns `deno <args>` with `config` (JSON, the pipes'
   * folder added) as its last argument.
   */
  static async spawn(
    id: number,
    poolDir: string,
    args: string[],
    config: Record<string, unknown>,
  ): Promise<SlotProcess> {
    const dir = join(poolDir, `slot${id}`);
    // The parents (Data/StorageManager/<name>/.sweepstore/pools/…) follow the umask, as every run folder
    // does; only the slot's own folder of pipes is private.
    try {
      await Deno.mkdir(dirname(dir), { recursive: true });
      await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      // a file where a folder should be (the group's, its .sweepstore), no permission, a full disk
      throw fsError(err, `Cannot make the slot folder ${dir}`, dir);
    }
    const paths = ["in", "out", "watch", "stdout", "stderr"].map((n) => join(dir, n));
    await mkfifo(paths);
    const files = await Promise.all(paths.map((p) => Deno.open(p, { read: true, write: true })));
    const pool = dirname(dir);
    if (!localPools.has(pool)) localPools.set(pool, onLocalFileSystem(pool));
    const quietMarks = await localPools.get(pool)!;
    return new SlotProcess(id, dir, files, args, { ...config, quietMarks });
  }

  /** Lets go of the pool's own handles of the slot's stdout and stderr FIFOs (see the field). */
  #closeOutputHolds(): void {
    for (const f of this.#outputHolds.splice(0)) {
      try {
        f.close();
      } catch { /* closed */ }
    }
  }

  /** The last bytes of its stdout (markers stripped). */
  get stdout(): RingBuffer {
    return this.out.ring;
  }

  /** The last bytes of its stderr (markers stripped). */
  get stderr(): RingBuffer {
    return this.err.ring;
  }

  /** The process id (= its process group id). */
  get pid(): number {
    return this.child.pid;
  }

  /**
   * The messages the slot sends, until {@linkcode SlotProcess.drainMessages} found their end (or
   * {@linkcode SlotProcess.dispose} is called).
   */
  async *messages(): AsyncGenerator<FromSlot> {
    for await (const msg of readFrames<FromSlot>(streamReader(this.#reader.stdout))) {
      if (msg.t !== "drained") yield msg;
      else if (msg.token === this.#token) {
        this.#drained.resolve(true);
        return;
      }
    }
  }

  /**
   * After the process exited: resolves `true` once {@linkcode SlotProcess.messages} yielded every message
   * the slot sent (and its consumer handled them), or `false` after `ms` (a frame left half-written, a
   * reader that never started). The slot's messages and its exit come on different pipes, and the
   * messages pass through `cat`: the exit is usually seen first, with the slot's last messages (a run's
   * `end`, the next one's `start`) still on their way. The pool writes a marker with its secret token into
   * the `out` pipe behind the slot's last bytes; when the reader yields it, nothing of the slot is left.
   */
  drainMessages(ms: number): Promise<boolean> {
    sendFrame(this.#out, { t: "drained", token: this.#token }).catch(() => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
    return Promise.race([this.#drained.promise, late]).finally(() => clearTimeout(timer));
  }

  /** Sends a message, in order; a dead slot makes it a no-op (its exit is handled elsewhere). */
  send(message: ToSlot): void {
    if (this.#closed) return;
    this.#writing = this.#writing.then(() => sendFrameFast(this.#in, message)).catch(() => {});
  }

  /** Sends several messages in order, in one write when they are small together. */
  sendAll(messages: ToSlot[]): void {
    if (this.#closed) return;
    this.#writing = this.#writing.then(() => sendFramesFast(this.#in, messages)).catch(() => {});
  }

  /** Closes the pool's sending side: the slot finishes (aborting the run in progress) and exits. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#writing = this.#writing.then(() => this.#in.close()).catch(() => {});
  }

  /** Kills the slot's whole process group with SIGKILL (the simulation and what it started). */
  kill(): void {
    this.#killed = true;
    try {
      Deno.kill(-this.pid, "SIGKILL");
    } catch { /* already gone */ }
  }

  /** Whether the pool killed it. */
  get killed(): boolean {
    return this.#killed;
  }

  #killGroup(): void {
    try {
      Deno.kill(-this.pid, "SIGKILL"); // the guard, and anything the simulation left behind
    } catch { /* nothing left */ }
  }

  /** Closes the pipes, ends the slot's guard, and removes the pipes' folder, after the process exited. */
  async dispose(): Promise<void> {
    this.#killGroup();
    this.#closeOutputHolds();
    this.close();
    await this.#writing;
    for (const f of [this.#out, this.#watch]) {
      try {
        f.close();
      } catch { /* closed */ }
    }
    for (const reader of [this.#reader, this.#outputReader]) {
      try {
        Deno.kill(-reader.pid, "SIGKILL"); // the reader and its guard
      } catch { /* gone */ }
      await reader.status;
    }
    for (const child of [this.child, this.#reader, this.#outputReader]) {
      await child.stdin.close().catch(() => {});
    }
    await Deno.remove(this.#dir, { recursive: true }).catch(() => {});
  }
}
