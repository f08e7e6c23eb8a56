/**
 * One SLURM array task: `deno run <permissions> runner/task.ts <sweep file> <array index>`. Runs the points
 * of its chunk one after another with the same per-task code as a local slot (`runTask`): own random run
 * folder in the shared Data folder, `[Run]` status, plus `slurm_job` and `slurm_node`. Exits 1 when a run
 * failed, so SLURM reports the task as FAILED.
 *
 * @module
 */

import { readSweepFile, slurmRunInfo } from "./slurm.ts";
import { loadSimulation, type RunRecord, runTask } from "../task.ts";

const [sweepFile, indexText] = Deno.args;
const arrayIndex = Number(indexText);
if (!sweepFile || !Number.isSafeInteger(arrayIndex)) {
  console.error("usage: deno run … runner/task.ts <sweep file> <array index>");
  Deno.exit(2);
}
const sweep = await readSweepFile(sweepFile);
const tasks = sweep.tasks.slice(arrayIndex * sweep.chunk, (arrayIndex + 1) * sweep.chunk);
const simulate = await loadSimulation(sweep.simulation);
const controller = new AbortController();
let current: string | undefined;
// SLURM sends SIGTERM before it kills a task (time limit, scancel): say so in the run being written.
Deno.addSignalListener("SIGTERM", () => {
  controller.abort(new Error("SIGTERM from SLURM"));
  console.error(`sweepstore: SIGTERM while running ${current ?? "no run"}`);
  Deno.exit(143);
});
let failed = 0;
for (const task of tasks) {
  let record: RunRecord | undefined;
  for (let attempt = 1; attempt <= sweep.retries + 1; attempt++) {
    record = await runTask(task, simulate, {
      name: sweep.name,
      dataFolder: sweep.dataFolder,
      sweepId: sweep.id,
      attempt,
      signal: controller.signal,
      runInfo: slurmRunInfo(),
      onStart: (path) => (current = path),
    });
    console.log(`${record.status} ${record.path} ${JSON.stringify(task.params)}`);
    if (record.status === "done") break;
  }
  if (record?.status !== "done") failed++;
}
Deno.exit(failed ? 1 : 0);
