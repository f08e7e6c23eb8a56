// Run boundaries inside a slot's stdout and stderr. The slot writes a marker (its secret token and the run's
// number) to both streams once it is ready (number 0) and right after each run's simulation returns,
// before its `end` message (after a run, only on a stream written to since its last marker: see
// `_output_marks.ts`; the `end` message says which); the pool's reader (`MarkedOutput`) strips the
// markers and, at each one, keeps a copy of the bytes since the previous one: run n's output is what came
// between the markers n-1 and n (the next run's output cannot overwrite it); a run without a marker on a
// stream printed nothing there. So output printed after a run returned (a timer it left
// behind) goes to the next run's log, never to an earlier one; what the slot printed while loading the
// simulation is in no run's log. A marker with another token is just output. One marker per run and
// stream, not two: each is a wake-up of the pool, and tiny runs are counted in thousands per second.

import { RingBuffer } from "./ring_buffer.ts";

const encoder = new TextEncoder();

/** The marker bytes the slot writes after run `n` (0: it is ready): `\0sweepstore:<token>:E<n>\0`. */
export function markerBytes(token: string, n: number): Uint8Array {
  return encoder.encode(`\0sweepstore:${token}:E${n}\0`);
}

/**
 * Runs whose bounds are kept (the last this many markers): every run with a marker is taken by the pool
 * when it ends, so this is a safety net for memory (a run the pool never saw), far above the few marked
 * runs a stream's reader is ahead of the pool.
 */
const KEEP = 64;
/** The longest run number in a marker (digits). */
const MAX_DIGITS = 15;

/** A slot's stdout or stderr: its ring of the last bytes, and the run boundaries found in it. */
export class MarkedOutput {
  /** The last bytes of the stream (markers stripped). */
  readonly ring: RingBuffer;
  readonly #prefix: Uint8Array;
  #carry = new Uint8Array(0);
  /** Each ended run's output, until taken. */
  readonly #runs = new Map<number, Uint8Array>();
  /** The byte count at the last marker: where the next run's output starts. */
  #last = 0;
  #closed = false;
  #changed = Promise.withResolvers<void>();

  /** A stream whose markers carry `token`; its ring keeps `capacity` bytes. */
  constructor(token: string, capacity?: number) {
    this.ring = new RingBuffer(capacity);
    this.#prefix = encoder.encode(`\0sweepstore:${token}:`);
  }

  /** Appends a chunk of the stream: its markers are noted and stripped, the rest goes to the ring. */
  write(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.#carry.length) {
      buf = new Uint8Array(this.#carry.length + chunk.length);
      buf.set(this.#carry);
      buf.set(chunk, this.#carry.length);
      this.#carry = new Uint8Array(0);
    }
    let from = 0;
    let at = buf.indexOf(0);
    while (at >= 0) {
      const m = this.#match(buf, at);
      if (m === "partial") {
        this.ring.write(buf.subarray(from, at));
        this.#carry = buf.slice(at);
        from = buf.length;
        break;
      }
      if (m) {
        this.ring.write(buf.subarray(from, at));
        this.#note(m.n);
        from = at = m.next;
      } else at++;
      at = buf.indexOf(0, at);
    }
    if (from < buf.length) this.ring.write(buf.subarray(from));
    this.#wake();
  }

  /** The stream ended: what is carried over is output. */
  close(): void {
    if (this.#carry.length) this.ring.write(this.#carry);
    this.#carry = new Uint8Array(0);
    this.#closed = true;
    this.#wake();
  }

  /** Whether run `n`'s marker arrived, or the stream ended. */
  ended(n: number): boolean {
    return this.#closed || this.#runs.has(n);
  }

  /** Resolves at the next chunk or the stream's end. */
  changed(): Promise<void> {
    return this.#changed.promise;
  }

  /**
   * Run `n`'s output (its last `capacity` bytes at most), and forgets it: the bytes between the markers
   * n-1 and n; without its marker (killed, the stream ended, not arrived), since the last marker.
   */
  take(n: number): Uint8Array {
    const bytes = this.#runs.get(n);
    this.#runs.delete(n);
    return bytes ?? this.ring.since(this.#last);
  }

  /** The byte count at the last marker: where the run in progress started printing. */
  get runStart(): number {
    return this.#last;
  }

  #note(n: number): void {
    if (n > 0) {
      this.#runs.set(n, this.ring.range(this.#last, this.ring.total));
      // The oldest beyond KEEP go (markers come in order): counted in markers, not run numbers, as a
      // stream marks only the runs that wrote to it (its numbers jump, while its reader may lag).
      for (const k of this.#runs.keys()) {
        if (this.#runs.size <= KEEP) break;
        this.#runs.delete(k);
      }
    }
    this.#last = this.ring.total;
  }

  /** A marker at `at`: its run number and end; "partial" when `buf` ends inside one; else null. */
  #match(buf: Uint8Array, at: number): { n: number; next: number } | "partial" | null {
    const p = this.#prefix;
    let i = 0;
    while (i < p.length && at + i < buf.length) {
      if (buf[at + i] !== p[i]) return null;
      i++;
    }
    if (i < p.length) return "partial";
    let j = at + p.length;
    if (j >= buf.length) return "partial";
    if (buf[j] !== 0x45) return null; // E
    j++;
    let n = 0;
    const first = j;
    while (j < buf.length && buf[j] >= 0x30 && buf[j] <= 0x39 && j - first < MAX_DIGITS) {
      n = n * 10 + buf[j] - 0x30;
      j++;
    }
    if (j >= buf.length) return j - first < MAX_DIGITS ? "partial" : null;
    if (buf[j] !== 0 || j === first) return null;
    return { n, next: j + 1 };
  }

  #wake(): void {
    this.#changed.resolve();
    this.#changed = Promise.withResolvers<void>();
  }
}

/**
 * Waits until run `n`'s marker arrived on both streams (or they ended), at most `ms`: the run's
 * output and its `end` message come on different pipes.
 */
export async function waitForEnd(streams: MarkedOutput[], n: number, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!streams.every((s) => s.ended(n))) {
    const left = deadline - performance.now();
    if (left <= 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      ...streams.map((s) => s.changed()),
      new Promise((r) => (timer = setTimeout(r, left))),
    ]);
    clearTimeout(timer);
  }
}
