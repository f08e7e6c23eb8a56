/**
 * One SLURM array task: `deno run <permissions> runner/slurm/array_task.ts <sweep file> <array index>`.
 * Runs the points of its chunk one after another with the same per-task code as a local slot (`runTask`),
 * holding an owner lock (and, for a resume sweep, each point's claim) while it runs. SIGTERM (scancel, the
 * time limit, preemption) aborts the run's `ctx.signal`, gives it the sweep's grace period to return, marks
 * it `interrupted` (reason `preempted` when the sweep was submitted with `slurm.requeue`; collect then adds
 * SLURM's verdict) and exits 143, so `resume` re-runs only it and the points not started. A task that
 * SLURM requeued (`SLURM_RESTART_COUNT` > 0) runs only its points without a `done` run of this sweep.
 * Exits 1 when a run failed, so SLURM reports the task as FAILED.
 *
 * @module
 */

import { ownerAlive, OwnerLock } from "../claims.ts";
import type { FailureReason, RunRecord } from "../events.ts";
import { markRun, readRunSection, writeRunSection } from "../run_record.ts";
import { StorageManagerGroup } from "../../src/group/group.ts";
import type { SweepFile } from "./sweep_file.ts";
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
/**
 * After a requeue: the runs the task's earlier start left. Marks those still `running` (their process is
 * gone) and those it marked on SIGTERM as requeued; returns the points that have a `done` run and the
 * highest attempt per point (the new runs count on from it).
 */
async function earlierRuns(sweep: SweepFile, indices: Set<number>, restarts: number) {
  const done = new Set<number>();
  const attempts = new Map<number, number>();
  const group = await StorageManagerGroup.load(sweep.name, { dataFolder: sweep.dataFolder });
  for (const sm of group) {
    const run = readRunSection(sm);
    if (run.sweep !== sweep.id || run.index === undefined || !indices.has(run.index)) continue;
    attempts.set(run.index, Math.max(attempts.get(run.index) ?? 0, run.attempt ?? 1));
    if (run.status === "done") done.add(run.index);
    const gone = run.status === "running" &&
      !(run.owner && (await ownerAlive(sweep.dataFolder, sweep.name, run.owner)));
    if (gone) {
      await markRun(sm.path, {
        status: "interrupted",
        reason: "preempted",
        error: `SLURM requeued its array task (restart ${restarts}) before this run finished`,
        extra: { slurm_state: "REQUEUED" },
      });
    } else if (run.status === "interrupted" && run.slurm_state === SIGTERM_STATE) {
      await writeRunSection(sm, { slurm_state: "REQUEUED" });
    }
  }
  return { done, attempts };
}

const sweep = await readSweepFile(sweepFile);
const info = slurmRunInfo();
let tasks = sweep.tasks.slice(arrayIndex * sweep.chunk, (arrayIndex + 1) * sweep.chunk);
const simulate = await loadSimulation(sweep.simulation);
const owner = await OwnerLock.acquire(sweep.dataFolder, sweep.name).catch((err: Error) => {
  // Without its lock, a run this task left `running` (a killed node) could never be told from a live one.
  console.error(`sweepstore: no run started (storage): ${err.message}`); // collect.ts reads this line
  Deno.exit(1);
});
const graceMs = sweep.graceMs ?? DEFAULT_GRACE_MS;
const stopReason: FailureReason = sweep.requeue ? "preempted" : "interrupted";
let attempts = new Map<number, number>();
if (info.slurm_restarts) {
  const earlier = await earlierRuns(sweep, new Set(tasks.map((t) => t.index)), info.slurm_restarts);
  attempts = earlier.attempts;
  tasks = tasks.filter((t) => !earlier.done.has(t.index)); // never a finished point twice
}
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
        reason: stopReason,
        error:
          `SLURM sent SIGTERM; the run did not return within ${graceMs} ms after ctx.signal was aborted`,
        extra: { slurm_state: SIGTERM_STATE },
        startedAt: run.started,
      }).catch(() => {});
    }
  }
  owner.release();
  Deno.exit(143);
});

let failed = 0;
for (const task of tasks) {
  if (controller.signal.aborted) break;
  let record: RunRecord | undefined;
  const base = attempts.get(task.index) ?? 0;
  for (let attempt = 1; attempt <= sweep.retries + 1 && !controller.signal.aborted; attempt++) {
    const outcome = await claimTask(task, sweep).catch((err: Error) => {
      // The claims folder cannot be used (resume): as without an owner lock, nothing more runs here.
      console.error(`sweepstore: no run started (storage): ${err.message}`); // collect.ts reads this line
      owner.release();
      return Deno.exit(1);
    });
    if (!outcome.run) break;
    let ended = () => {};
    current = { started: performance.now(), ended: new Promise((r) => (ended = r as () => void)) };
    record = await runTask(task, simulate, {
      name: sweep.name,
      dataFolder: sweep.dataFolder,
      sweepId: sweep.id,
      attempt: base + attempt,
      signal: controller.signal,
      runInfo: { owner: owner.id, pid: Deno.pid, ...info },
      onStart: (path) => (current!.path = path),
    });
    if (record.status === "interrupted" && record.path) {
      // runTask marked it (the simulation returned after SIGTERM): collect adds SLURM's verdict.
      await StorageManager.open(record.path)
        .then((sm) => writeRunSection(sm, { slurm_state: SIGTERM_STATE, reason: stopReason }))
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
owner.release();
Deno.exit(failed ? 1 : 0);
