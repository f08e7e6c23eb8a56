// The slot's side of the run markers (`_run_marks.ts`): after a run, a marker goes to its stdout or stderr
// only when something was written to that stream since the stream's last marker, by anyone: the slot, a
// Worker of the simulation, or a program it started that writes to the inherited stream. Most tiny runs
// print nothing; each marker costs the pool a wake-up and a read.
//
// How the slot knows: its stdout and stderr are FIFOs in its private folder (`slot_process.ts`), and the
// kernel sets a pipe's mtime to the current time on every write, whoever writes. Right after a marker the
// slot sets the FIFO's mtime to 0 (`utime`), and after the next run it looks (`stat`, by path: no file to
// open, ~3 µs): still 0 means nothing was written since. Once, at the start, it checks that writes do set
// the mtime on this file system; where they do not (or `stat`/`utime` fail), every run is marked, as before.
// So is every run on a file system not known to be local (`slot_process.ts`): a network file system may
// answer `stat` from its server, which never sees a FIFO's writes.
//
// Not seen: a write by another thread or process in the few microseconds between a marker's `write` and the
// `utime` that follows it (two system calls in a row): those bytes go to the next run that marks that
// stream (a later run, never an earlier one), or, when no later run of the slot does, to no run's log.

import { markerBytes } from "./_run_marks.ts";

/** The mtime of a FIFO with nothing written since its last marker. */
const CLEAN = 0;

/** Writes a slot's run markers to its stdout and stderr, only where something was written since the last. */
export class OutputMarks {
  readonly #paths: string[];
  readonly #token: string;
  readonly #quiet: boolean;
  /** Whether writes to the FIFOs are seen in their mtime (checked by {@linkcode OutputMarks.ready}). */
  #seen = false;

  /**
   * The marks of a slot whose FIFOs are `<pipes>/stdout` and `<pipes>/stderr`, with the secret `token`;
   * without `quiet`, every run is marked on both streams.
   */
  constructor(pipes: string, token: string, quiet: boolean) {
    this.#paths = [`${pipes}/stdout`, `${pipes}/stderr`];
    this.#token = token;
    this.#quiet = quiet;
  }

  /** Writes the ready marker (run 0) to both streams, and checks that writes show in the FIFOs' mtime. */
  ready(): void {
    this.#seen = this.#quiet && [0, 1].every((i) => this.#reset(i));
    const bytes = markerBytes(this.#token, 0);
    for (const i of [0, 1]) write(i, bytes);
    if (this.#seen) this.#seen = [0, 1].every((i) => this.#mtime(i) !== CLEAN);
    if (this.#seen) this.#seen = [0, 1].every((i) => this.#reset(i));
  }

  /**
   * After run `n` (its simulation returned): writes its marker to each stream written to since its last
   * marker. Returns which: bit 0 stdout, bit 1 stderr.
   */
  runEnded(n: number): number {
    let marked = 0;
    let bytes: Uint8Array | undefined;
    for (const i of [0, 1]) {
      if (this.#seen && this.#mtime(i) === CLEAN) continue;
      write(i, bytes ??= markerBytes(this.#token, n));
      marked |= 1 << i;
      if (this.#seen && !this.#reset(i)) this.#seen = false;
    }
    return marked;
  }

  #mtime(i: number): number | undefined {
    try {
      return Deno.statSync(this.#paths[i]).mtime?.getTime();
    } catch {
      return undefined; // not CLEAN: marked
    }
  }

  #reset(i: number): boolean {
    try {
      Deno.utimeSync(this.#paths[i], CLEAN, CLEAN);
      return true;
    } catch {
      return false;
    }
  }
}

/** Writes `bytes` whole to stdout (0) or stderr (1), behind all the simulation printed so far. */
function write(i: number, bytes: Uint8Array): void {
  const stream = i === 0 ? Deno.stdout : Deno.stderr;
  try {
    for (let off = 0; off < bytes.length;) off += stream.writeSync(bytes.subarray(off));
  } catch { /* the pool is gone */ }
}
