/**
 * Progress of a sweep: done/failed/running counts, runs per second and the time left, as a live bar on a
 * terminal or a plain line every few seconds otherwise (logs, CI, SLURM).
 *
 * @module
 */

/** Options for {@linkcode Progress}. */
export interface ProgressOptions {
  /**
   * Draw a live bar (`true`), print plain lines (`false`), or nothing (`"off"`).
   * @default {whether stderr is a terminal}
   */
  mode?: boolean | "off";
  /**
   * Seconds between plain lines.
   * @default {5}
   */
  intervalS?: number;
  /** Where the output goes. */
  write?: (text: string) => void;
}

/** Counts of a sweep's runs. */
export interface ProgressCounts {
  /** Runs that finished successfully. */
  done: number;
  /** Runs that failed, timed out or were interrupted. */
  failed: number;
  /** Runs in progress. */
  running: number;
  /** All runs of the sweep. */
  total: number;
}

const encoder = new TextEncoder();

/** Writes to stderr, ignoring a terminal that is gone (after SIGHUP) so that a sweep can still stop cleanly. */
function writeStderr(text: string): void {
  let bytes = encoder.encode(text);
  try {
    while (bytes.length) bytes = bytes.subarray(Deno.stderr.writeSync(bytes));
  } catch {
    // nothing left to tell
  }
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * Shows a sweep's progress. Call {@linkcode Progress.update} whenever counts change (it throttles itself)
 * and {@linkcode Progress.finish} at the end.
 *
 * @example
 * ```ts
 * import { Progress } from "./progress.ts";
 * const p = new Progress({ mode: false, write: (t) => console.log(t.trim()) });
 * p.update({ done: 5, failed: 1, running: 2, total: 10 });
 * p.finish({ done: 9, failed: 1, running: 0, total: 10 });
 * ```
 */
export class Progress {
  readonly #mode: boolean | "off";
  readonly #interval: number;
  readonly #write: (text: string) => void;
  readonly #start = performance.now();
  #last = -Infinity;
  #drawn = false;

  /** Starts the clock. */
  constructor(options: ProgressOptions = {}) {
    this.#mode = options.mode ?? Deno.stderr.isTerminal();
    this.#interval = (options.intervalS ?? 5) * 1000;
    this.#write = options.write ?? writeStderr;
  }

  /** The status line for these counts. */
  line(c: ProgressCounts): string {
    const elapsed = (performance.now() - this.#start) / 1000;
    const finished = c.done + c.failed;
    const rate = finished / Math.max(elapsed, 1e-9);
    const eta = rate > 0 ? (c.total - finished) / rate : Infinity;
    const pct = c.total ? Math.floor((100 * finished) / c.total) : 100;
    return `${finished}/${c.total} (${pct}%) done ${c.done} failed ${c.failed} running ${c.running} · ` +
      `${rate >= 10 ? rate.toFixed(0) : rate.toFixed(2)} runs/s · elapsed ${
        duration(elapsed)
      } · ETA ${finished === c.total ? "0s" : duration(eta)}`;
  }

  /** Redraws (bar) or prints (plain line, every few seconds) the counts. */
  update(c: ProgressCounts): void {
    if (this.#mode === "off") return;
    const now = performance.now();
    if (this.#mode === true) {
      if (now - this.#last < 100) return;
      this.#last = now;
      const width = 24;
      const filled = c.total ? Math.round((width * (c.done + c.failed)) / c.total) : width;
      this.#write(`\r\x1b[2K[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${this.line(c)}`);
      this.#drawn = true;
    } else if (now - this.#last >= this.#interval) {
      this.#last = now;
      this.#write(`${this.line(c)}\n`);
    }
  }

  /**
   * Prints a line of its own (a warning, a note), also with `mode: "off"`: a live bar is cleared first
   * and drawn again on the next update.
   */
  note(line: string): void {
    this.#write(`${this.#mode === true && this.#drawn ? "\r\x1b[2K" : ""}${line}\n`);
    if (this.#drawn) this.#last = -Infinity; // redraw the bar at the next update
    this.#drawn = false;
  }

  /** Prints the final counts and ends the bar's line. */
  finish(c: ProgressCounts): void {
    if (this.#mode === "off") return;
    this.#write(`${this.#mode === true && this.#drawn ? "\r\x1b[2K" : ""}${this.line(c)}\n`);
  }
}
