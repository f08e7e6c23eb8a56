/**
 * The state of a group's runs as the CLI shows it (`status`, `ls`, `report`): a run that says `running`
 * while its owner's lock is free (its process died: kill -9, a crashed node) is shown as `interrupted`,
 * and the reasons the runs of a sweep did not end `done`.
 *
 * @module
 */

import type { StorageManager } from "../../src/run/storage_manager.ts";
import { runningAlive } from "../reconcile.ts";
import type { RunRecord } from "../events.ts";
import { readRunSection } from "../run_record.ts";

/**
 * A run's state label: its `[Run] status` (`-` when it has none), `failed (reason)` for a failed run
 * with a reason, and `interrupted` for a `running` run whose owner is gone. Writes nothing; only runs
 * that say `running` cost a lock check.
 *
 * @param sm The run.
 * @param withReason Whether a failed run's label names its reason.
 * @returns The label.
 *
 * @example
 * ```ts
 * import { StorageManager } from "@sweepstore/sweepstore";
 * import { runState } from "./_run_states.ts";
 * const dataFolder = await Deno.makeTempDir();
 * const sm = await StorageManager.create("D", { dataFolder, params: { Run: { status: "running", owner: "1-gone-x" } } });
 * console.log(await runState(sm)); // "interrupted"
 * ```
 */
export async function runState(sm: StorageManager, withReason = false): Promise<string> {
  const run = readRunSection(sm);
  if (run.status === "running" && run.owner && (await runningAlive(sm.path, run)) === false) {
    return "interrupted";
  }
  if (withReason && run.status === "failed" && run.reason) return `failed (${run.reason})`;
  return run.status ?? "-";
}

function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
}

/**
 * One line per reason the runs did not end `done`: its count, the first such run's folder and the first
 * line of its error, e.g. `failed: 2 storage — first: /d/X1: the run folder could not be created: …`.
 *
 * @param runs The runs of a sweep.
 * @returns The lines, without newlines; none when every run is `done`.
 *
 * @example
 * ```ts
 * import { failureLines } from "./_run_states.ts";
 * const run = { index: 0, params: {}, repeat: 0, durationMs: 1, attempts: 1, seed: 1 };
 * console.log(failureLines([
 *   { ...run, path: "/d/X1", status: "failed", reason: "exception", error: "Error: boom\n    at f" },
 *   { ...run, path: "/d/X2", status: "done" },
 * ])); // [ "failed: 1 exception — first: /d/X1: Error: boom" ]
 * ```
 */
export function failureLines(runs: readonly RunRecord[]): string[] {
  const byReason = new Map<string, { count: number; first: RunRecord }>();
  for (const r of runs) {
    if (r.status === "done") continue;
    const key = `${r.status}\u0000${r.reason ?? r.status}`;
    const seen = byReason.get(key);
    if (seen) seen.count++;
    else byReason.set(key, { count: 1, first: r });
  }
  return [...byReason.values()].map(({ count, first }) => {
    const where = first.path || "(no run folder)";
    const error = firstLine(first.error);
    return `${first.status}: ${count} ${first.reason ?? first.status} — first: ${where}${
      error ? `: ${error}` : ""
    }`;
  });
}
