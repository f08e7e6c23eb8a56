/**
 * The sweep's progress and summary on the terminal, for sweep scripts: the same bar, lines and notes that
 * `sweepstore run` draws, from the events `runSweep` reports. `runSweep` itself never prints; a script
 * that wants to show progress passes `onEvent` of a {@linkcode terminalView}.
 *
 * @module
 */

import type { SweepEvent } from "../events.ts";
import type { SweepSummary } from "../summary.ts";
import { Progress, type ProgressOptions } from "./progress.ts";
import { summaryText } from "./_output.ts";
import { sweepView } from "./_sweep_view.ts";

/** What {@linkcode terminalView} returns. */
export interface TerminalView {
  /** Pass it as `onEvent` to `runSweep`. */
  onEvent: (e: SweepEvent) => void;
  /** Stops the clock that redraws the bar between events (call it when the sweep has returned). */
  stop: () => void;
  /** The summary block `sweepstore run` prints: counts, the table (best first) and the summary files. */
  summary: (name: string, summary: SweepSummary) => string;
}

/**
 * Draws a sweep on stderr from its events: a live bar on a terminal, a plain line every 5 s otherwise
 * (`mode` as {@linkcode ProgressOptions}), and a line for what the user should know (resumed runs, runs
 * claimed elsewhere, a SLURM submission, warnings).
 *
 * @param options Where and how to draw (default: stderr, a bar when it is a terminal).
 * @returns The event handler, a stop function for its clock, and the summary formatter.
 *
 * @example
 * ```ts
 * import { terminalView } from "@sweepstore/sweepstore/cli";
 * const lines: string[] = [];
 * const view = terminalView({ mode: false, write: (t) => lines.push(t) });
 * view.onEvent({ type: "warning", message: "could not mark the run" });
 * view.stop();
 * console.log(lines); // [ "warning: could not mark the run\n" ]
 * ```
 */
export function terminalView(options: ProgressOptions = {}): TerminalView {
  const view = sweepView(new Progress(options));
  const clock = setInterval(view.tick, 1000);
  Deno.unrefTimer(clock);
  return {
    onEvent: view.onEvent,
    stop: () => clearInterval(clock),
    summary: (name, summary) => summaryText(name, summary),
  };
}
