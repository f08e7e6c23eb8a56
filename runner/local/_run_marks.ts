// Run boundaries inside a slot's stdout and stderr. The slot writes a marker (its secret token, `S` or `E`
// and the run's number) to both streams when a run's simulation starts and right after it returns, before
// its `end` message; the pool's reader (`MarkedOutput`) strips the markers, notes where each run's output
// begins and ends in the ring, and keeps a copy of the run's bytes at its end marker (the next run's
// output cannot overwrite them). A marker with another token is just output. Output printed between a
// run's end marker and the next run's start marker (a timer the run left behind) belongs to no run's log.

import { RingBuffer } from "./ring_buffer.ts";

const encoder = new TextEncoder();

/** The marker bytes the slot writes: `\0sweepstore:<token>:<S|E><n>\0`. */
export function markerBytes(token: string, kind: "S" | "E", n: number): Uint8Array {
  return encoder.encode(`\0sweepstore:${token}:${kind}${n}\0`);
}

/** Where one run's output lies in a stream (total byte counts), and its bytes once it ended. */
interface Bounds {
  start?: number;
  end?: number;
  bytes?: Uint8Array;
}

/** Runs whose bounds are kept (older ones are dropped: a run never reported, a log already saved). */
const KEEP = 8;
/** The longest run number in a marker (digits). */
const MAX_DIGITS = 15;

/** A slot's stdout or stderr: its ring of the last bytes, and the run boundaries found in it. */
export class MarkedOutput {
  /** The last bytes of the stream (markers stripped). */
  readonly ring: RingBuffer;
  readonly #prefix: Uint8Array;
  #carry = new Uint8Array(0);
  readonly #bounds = new Map<number, Bounds>();
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
        this.#note(m.kind, m.n);
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

  /** Whether run `n`'s end marker arrived, or the stream ended. */
  ended(n: number): boolean {
    return this.#closed || this.#bounds.get(n)?.end !== undefined;
  }

  /** Resolves at the next chunk or the stream's end. */
  changed(): Promise<void> {
    return this.#changed.promise;
  }

  /**
   * Run `n`'s output (its last `capacity` bytes at most), and forgets it: the bytes between its start and
   * end markers; without an end marker (killed, the stream ended, not arrived), from its start (or
   * `fallback`, a byte count) to the end of what arrived.
   */
  take(n: number, fallback: number): Uint8Array {
    const b = this.#bounds.get(n);
    this.#bounds.delete(n);
    if (b?.bytes) return b.bytes;
    return this.ring.since(b?.start ?? fallback);
  }

  /** Where run `n`'s output starts (a byte count), if its start marker arrived. */
  startOf(n: number): number | undefined {
    return this.#bounds.get(n)?.start;
  }

  #note(kind: "S" | "E", n: number): void {
    let b = this.#bounds.get(n);
    if (!b) {
      b = {};
      this.#bounds.set(n, b);
      for (const k of this.#bounds.keys()) if (k <= n - KEEP) this.#bounds.delete(k);
    }
    if (kind === "S") b.start = this.ring.total;
    else {
      b.end = this.ring.total;
      b.bytes = this.ring.range(b.start ?? b.end, b.end);
    }
  }

  /** A marker at `at`: its kind, run number and end; "partial" when `buf` ends inside one; else null. */
  #match(buf: Uint8Array, at: number): { kind: "S" | "E"; n: number; next: number } | "partial" | null {
    const p = this.#prefix;
    let i = 0;
    while (i < p.length && at + i < buf.length) {
      if (buf[at + i] !== p[i]) return null;
      i++;
    }
    if (i < p.length) return "partial";
    let j = at + p.length;
    if (j >= buf.length) return "partial";
    const kind = buf[j] === 0x53 ? "S" : buf[j] === 0x45 ? "E" : undefined;
    if (!kind) return null;
    j++;
    let n = 0;
    const first = j;
    while (j < buf.length && buf[j] >= 0x30 && buf[j] <= 0x39 && j - first < MAX_DIGITS) {
      n = n * 10 + buf[j] - 0x30;
      j++;
    }
    if (j >= buf.length) return j - first < MAX_DIGITS ? "partial" : null;
    if (buf[j] !== 0 || j === first) return null;
    return { kind, n, next: j + 1 };
  }

  #wake(): void {
    this.#changed.resolve();
    this.#changed = Promise.withResolvers<void>();
  }
}

/**
 * Waits until run `n`'s end marker arrived on both streams (or they ended), at most `ms`: the run's
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
