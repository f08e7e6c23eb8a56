/**
 * Draws a sweep on the terminal from its {@linkcode SweepEvent}s: the progress bar (or a plain line every
 * few seconds), and one line for what the user should know (resumed runs, runs claimed elsewhere, a SLURM
 * submission, SLURM stopping the task, warnings).
 *
 * @module
 */

import type { SweepCounts, SweepEvent } from "../events.ts";
import type { Progress } from "./progress.ts";

function plannedLines(e: Extract<SweepEvent, { type: "planned" }>): string[] {
  const lines: string[] = [];
  if (e.skipped) {
    lines.push(
      `resume: ${e.skipped} of ${
        e.skipped + e.total + e.claimedElsewhere
      } runs already finished, ` +
        `${e.total} to run`,
    );
  }
  if (e.claimedElsewhere) {
    lines.push(
      `${e.claimedElsewhere} runs are running in another sweep of this name right now; not started ` +
        `here: run --resume again once that sweep has ended (exit 75 when the runs started here all end done)`,
    );
  }
  return lines;
}

function submittedLine(e: Extract<SweepEvent, { type: "submitted" }>, runs: number): string {
  const jobs = e.jobIds.length === 1 ? `job ${e.jobIds[0]}` : `jobs ${e.jobIds.join(", ")}`;
  return `submitted SLURM ${jobs}: ${runs} runs in ${e.arrayTasks} array tasks` +
    (e.plan ? ` (${e.plan})` : "") + (e.collectJobId ? `, collect job ${e.collectJobId}` : "");
}

function generationLine(e: Extract<SweepEvent, { type: "generation" }>): string {
  // Numbered from 0 as in [Run] generation, the best run and search.svg; "(k of n)" counts them.
  const of = e.generations !== undefined ? ` (${e.generation + 1} of ${e.generations})` : "";
  const reused = e.reused ? ` (${e.reused} found finished)` : "";
  const gen = e.best !== undefined
    ? `best ${e.objective} ${e.best}${e.mean !== undefined ? `, mean ${e.mean}` : ""}`
    : `no ${e.objective} yet`;
  const sofar = e.bestSoFar ? `; best so far ${e.bestSoFar.score}` : "";
  return `generation ${e.generation}${of}: ${e.evaluations} evaluations${reused}, ${gen}${sofar}`;
}

/** What {@linkcode sweepView} returns. */
export interface SweepView {
  /** Pass it as `onEvent` to `runSweep`. */
  onEvent: (e: SweepEvent) => void;
  /** Call it every second or so: redraws the bar (its clock) and prints the plain line when due. */
  tick: () => void;
}

/**
 * Draws a sweep with `progress` from its events.
 *
 * @param progress Where the bar, the plain lines and the notes go.
 * @returns The event handler and a clock tick.
 *
 * @example
 * ```ts
 * import { Progress } from "./progress.ts";
 * import { sweepView } from "./_sweep_view.ts";
 * const lines: string[] = [];
 * const { onEvent } = sweepView(new Progress({ mode: false, write: (t) => lines.push(t) }));
 * onEvent({ type: "warning", message: "could not mark the run", path: "/d/run1" });
 * console.log(lines); // [ "warning: could not mark the run (/d/run1)\n" ]
 * ```
 */
export function sweepView(progress: Progress): SweepView {
  let total = 0;
  let counts: SweepCounts | undefined;
  const onEvent = (e: SweepEvent) => {
    if ("counts" in e) counts = e.counts;
    switch (e.type) {
      case "planned":
        total = e.total;
        for (const line of plannedLines(e)) progress.note(line);
        break;
      case "started":
      case "ended":
      case "retrying":
        progress.update(e.counts);
        break;
      case "submitted":
        progress.note(submittedLine(e, total));
        break;
      case "stopping":
        // A stop the CLI asked for was announced by its signal handler; SLURM's is news.
        if (e.reason === "preempted") {
          progress.note(
            `SLURM is stopping this task: simulations get ${
              e.graceMs / 1000
            }s to return, then are ` +
              `killed and marked interrupted; 'sweepstore run … --resume' runs them again`,
          );
        }
        break;
      case "generation":
        progress.note(generationLine(e));
        break;
      case "warning":
        progress.note(
          `warning: ${e.message}${e.path && !e.message.includes(e.path) ? ` (${e.path})` : ""}`,
        );
        break;
      case "finished":
        progress.finish(e.counts);
        counts = undefined;
        break;
    }
  };
  // Between events (long runs), the bar's clock and the plain line every few seconds go on.
  const tick = () => counts && progress.update(counts);
  return { onEvent, tick };
}
