/**
 * One SLURM array task: `deno run <permissions> runner/slurm/array_task.ts <sweep file> <array index>`.
 * Runs the points of its chunk one after another with the same per-task code as a local slot (`runTask`),
 * holding an owner lock (and, for a resume sweep, each point's claim) while it runs. SIGTERM (scancel, the
 * time limit, preemption) aborts the run's `ctx.signal`, gives it the sweep's grace period to return, marks
 * it `interrupted` (collect then adds SLURM's verdict) and exits 143, so `resume` re-runs only it and the
 * points not started. Exits 1 when a run failed, so SLURM reports the task as FAILED.
 *
 * @module
 */

import { OwnerLock } from "../claims.ts";
import type { RunRecord } from "../events.ts";
import { markRun, writeRunSection } from "../run_record.ts";
import { DEFAULT_GRACE_MS } from "../sweep_options.ts";
import { StorageManager } from "../../src/run/storage_manager.ts";
import { claimTask, loadSimulation, runTask } from "../task.ts";
import { SIGTERM_STATE, slurmRunInfo } from "./collect.ts";
import { readSweepFile } from "./sweep_file.ts";

const [sweepFile, indexText] = Deno.args;
const arrayIndex = Number(indexText);
if (!sweepFile || !Number.isSafeInteger(arrayIndex)) {
  console.error("usage: deno run … runner/slurm/array_task.ts <sweep file> <array index>");
  Deno.exit(2);
}
const sweep = await readSweepFile(sweepFile);
const tasks = sweep.tasks.slice(arrayIndex * sweep.chunk, (arrayIndex + 1) * sweep.chunk);
const simulate = await loadSimulation(sweep.simulation);
const owner = await OwnerLock.acquire(sweep.dataFolder, sweep.name).catch(() => undefined);
const graceMs = sweep.graceMs ?? DEFAULT_GRACE_MS;
const controller = new AbortController();
let current: { path?: string; started: number; ended: Promise<unknown> } | undefined;

Deno.addSignalListener("SIGTERM", async () => {
  controller.abort(new DOMException("SLURM sent SIGTERM (scancel, time limit)", "AbortError"));
  console.error(`sweepstore: SIGTERM while running ${current?.path ?? "no run"}`);
  const run = current;
  if (run) {
    await Promise.race([run.ended, new Promise((r) => setTimeout(r, graceMs))]);
    if (run.path) {
      await markRun(run.path, {
        status: "interrupted",
        reason: "interrupted",
        error:
          `SLURM sent SIGTERM; the run did not return within ${graceMs} ms after ctx.signal was aborted`,
        extra: { slurm_state: SIGTERM_STATE },
        startedAt: run.started,
      }).catch(() => {});
    }
  }
  owner?.release();
  Deno.exit(143);
});

let failed = 0;
for (const task of tasks) {
  if (controller.signal.aborted) break;
  let record: RunRecord | undefined;
  for (let attempt = 1; attempt <= sweep.retries + 1 && !controller.signal.aborted; attempt++) {
    const outcome = await claimTask(task, sweep);
    if (!outcome.run) break;
    let ended = () => {};
    current = { started: performance.now(), ended: new Promise((r) => (ended = r as () => void)) };
    record = await runTask(task, simulate, {
      name: sweep.name,
      dataFolder: sweep.dataFolder,
      sweepId: sweep.id,
      attempt,
      signal: controller.signal,
      runInfo: { owner: owner?.id, pid: Deno.pid, ...slurmRunInfo() },
      onStart: (path) => (current!.path = path),
    });
    if (record.status === "interrupted" && record.path) {
      // runTask marked it (the simulation returned after SIGTERM): collect adds SLURM's verdict.
      await StorageManager.open(record.path)
        .then((sm) => writeRunSection(sm, { slurm_state: SIGTERM_STATE }))
        .catch(() => {});
    }
    if (outcome.claim) {
      if (record.status === "done") outcome.claim.markDone(record.path);
      outcome.claim.release();
    }
    ended();
    console.log(`${record.status} ${record.path}`);
    if (record.status === "done") break;
  }
  if (record && record.status !== "done") failed++;
}
if (controller.signal.aborted) await new Promise(() => {}); // the SIGTERM handler exits
owner?.release();
Deno.exit(failed ? 1 : 0);
