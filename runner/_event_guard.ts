/**
 * The user's `onEvent` callback, guarded: `runSweep` calls it from the pool's message handlers, where an
 * exception it throws would be an unhandled rejection that ends the whole program (and `runSweep` would
 * never settle). The first exception stops the sweep as `signal` would (no new runs; running runs get
 * `ctx.signal` aborted, `graceMs`, then are killed and marked `interrupted`), no later event is delivered,
 * and `runSweep` rejects with that exception once the runs are down. An async callback's rejection counts
 * as its exception while the sweep runs (after `runSweep` settled, it is dropped).
 *
 * @module
 */

import type { SweepEvent } from "./events.ts";

/** Delivers events to a callback until it throws; then stops the sweep and keeps the error. */
export class EventGuard {
  /** Aborted when the caller's `signal` is, or when the callback threw. */
  readonly signal: AbortSignal;
  #stop = new AbortController();
  #callback?: (event: SweepEvent) => void;
  #error?: { error: unknown };

  constructor(callback?: (event: SweepEvent) => void, signal?: AbortSignal) {
    this.#callback = callback;
    this.signal = signal ? AbortSignal.any([signal, this.#stop.signal]) : this.#stop.signal;
  }

  /** Gives `event` to the callback (nothing after it threw once). */
  readonly emit = (event: SweepEvent): void => {
    if (this.#error || !this.#callback) return;
    try {
      // An async callback (`async (e) => …`, which `=> void` admits) rejects instead of throwing: the same
      // fault, and unheeded it would be an unhandled rejection that ends the whole program.
      const out: unknown = this.#callback(event);
      if (out instanceof Promise) out.catch((error) => this.#fail(error));
    } catch (error) {
      this.#fail(error);
    }
  };

  #fail(error: unknown): void {
    if (this.#error) return;
    this.#error = { error };
    this.#stop.abort(new DOMException("the onEvent callback threw", "AbortError"));
  }

  /** Throws what the callback threw, if it did. */
  rethrow(): void {
    if (this.#error) throw this.#error.error;
  }
}
