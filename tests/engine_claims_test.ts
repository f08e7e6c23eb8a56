// Runs are claimed while they run: no duplicate after kill -9, two resumes at once run each point once.
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { processesWith, runsOf, startSweep, sweepOutput, untilRunning, within } from "./_engine.ts";
import {
  findRunningFolder,
  ownerAlive,
  OwnerLock,
  PointClaim,
  readRunSection,
  reconcileRuns,
  runSweep,
} from "../runner/mod.ts";
import { StorageManager, StorageManagerGroup } from "../mod.ts";

const SIMS = new URL("./fixtures/sims/engine_sims.ts", import.meta.url);

function donePerPoint(runs: { status?: string; point?: string }[]): number[] {
  const counts: Record<string, number> = {};
  for (const r of runs) if (r.status === "done") counts[r.point!] = (counts[r.point!] ?? 0) + 1;
  return Object.values(counts);
}

Deno.test("resume right after kill -9: the live orphans' points are not started again; nothing runs twice", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const points = Array.from({ length: 6 }, (_, i) => ({ mode: "sleep", ms: 1500, i }));
    const base = { name: "Res", points, dataFolder: data, summary: false, concurrency: 2 };
    const child = startSweep({ ...base, simulation: "engine_sims.ts", graceMs: 3000 });
    await untilRunning(data, "Res", 2);
    Deno.kill(child.pid, "SIGKILL");
    await child.output();
    const first = await runSweep({ ...base, simulation: SIMS, resume: true });
    assertEquals(first.claimedElsewhere, 2, "the two runs of the dead sweep's slots were alive");
    assertEquals(first.runs.map((r) => r.status), ["done", "done", "done", "done"]);
    await within(8, "the orphans to end", async () => (await processesWith(data)).length === 0);
    const second = await runSweep({ ...base, simulation: SIMS, resume: true });
    assertEquals(second.claimedElsewhere, 0);
    assertEquals(second.skipped + second.runs.length, 6);
    const runs = await runsOf(data, "Res");
    assertEquals(donePerPoint(runs), [1, 1, 1, 1, 1, 1], "each point done exactly once");
    assertEquals(runs.filter((r) => r.status === "running").length, 0, "no folder stays running");
  });
});

Deno.test("two resume sweeps of one name started together run each missing point exactly once", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const options = {
      name: "Twice",
      simulation: "engine_sims.ts",
      points: Array.from({ length: 8 }, (_, i) => ({ mode: "sleep", ms: 300, i })),
      concurrency: 2,
      resume: true,
      dataFolder: data,
      summary: false,
    };
    const [a, b] = await Promise.all([
      sweepOutput(startSweep(options)),
      sweepOutput(startSweep(options)),
    ]);
    const runs = await runsOf(data, "Twice");
    assertEquals(runs.length, 8, "one folder per point: no point ran twice");
    assertEquals(donePerPoint(runs), [1, 1, 1, 1, 1, 1, 1, 1]);
    assertEquals(a.statuses.length + b.statuses.length, 8);
    assertEquals(a.claimedElsewhere + b.claimedElsewhere, 8);
  });
});

Deno.test("status and summary mark a running folder whose owner is gone interrupted; a live one stays running", async () => {
  await withTempDir(async (dataFolder) => {
    const dead = await StorageManager.create("Own", {
      dataFolder,
      params: { Run: { status: "running", owner: "1-gone-x" } },
    });
    const { OwnerLock } = await import("../runner/mod.ts");
    const owner = await OwnerLock.acquire(dataFolder, "Own");
    const live = await StorageManager.create("Own", {
      dataFolder,
      params: { Run: { status: "running", owner: owner.id } },
    });
    const result = await reconcileRuns(await StorageManagerGroup.load("Own", { dataFolder }));
    assertEquals(result.interrupted, [dead.path]);
    assertEquals(result.alive.map((sm) => sm.path), [live.path]);
    assertEquals(readRunSection(await StorageManager.open(dead.path)).status, "interrupted");
    owner.release();
    await reconcileRuns(await StorageManagerGroup.load("Own", { dataFolder }));
    assertEquals(readRunSection(await StorageManager.open(live.path)).status, "interrupted");
  });
});

Deno.test("user parameters named index, status and sweep never confuse the runner's [Run] record", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const result = await runSweep({
      name: "Names",
      simulation: SIMS,
      points: [
        { mode: "exit", index: 1, status: "running", sweep: "x" },
        { mode: "sleep", ms: 10, index: 0, status: "done", sweep: "y" },
      ],
      concurrency: 1,
      dataFolder: data,
    });
    const [crashed, ok] = result.runs;
    assertEquals([crashed.status, crashed.reason, crashed.exitCode], ["failed", "exit", 7]);
    assertEquals(ok.status, "done");
    const sm = await StorageManager.open(crashed.path);
    assertEquals(sm.param("index"), 1);
    assertEquals(sm.param("status"), "running");
    assertEquals(readRunSection(sm).status, "failed");
    assertEquals(readRunSection(sm).index, 0);
    assertEquals(result.summary!.counts, { failed: 1, done: 1 });
    // A folder found by its typed [Run] fields: the one whose user parameters look like a match is not it.
    const decoy = await StorageManager.create("Find", {
      dataFolder: data,
      params: {
        Parameters: { index: 3, status: "running", sweep: "s1" },
        Run: { status: "done", sweep: "s1", index: 9 },
      },
    });
    const real = await StorageManager.create("Find", {
      dataFolder: data,
      params: { Run: { status: "running", sweep: "s1", index: 3, attempt: 1 } },
    });
    assertEquals(await findRunningFolder(data, "Find", "s1", 3, 1), real.path);
    assertEquals(decoy.path !== real.path, true);
  });
});

Deno.test("this process's own locks are known without their files (NFS locks are per process: a second lock in one process succeeds)", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const owner = await OwnerLock.acquire(data, "Own");
    const claim = (await PointClaim.tryAcquire(data, "Own", '{"n":1}', 0))!;
    // Remove the lock files: on NFS, within one process, a fresh open + lock would succeed just as here.
    for (const sub of ["owners", "claims"]) {
      await Deno.remove(`${data}/StorageManager/Own/.sweepstore/${sub}`, { recursive: true });
    }
    assertEquals(await ownerAlive(data, "Own", owner.id), true, "this process's owner is alive");
    assertEquals(
      await ownerAlive(`${data}/.`, "Own", owner.id),
      true,
      "whatever the path's spelling",
    );
    assertEquals(
      await PointClaim.tryAcquire(data, "Own", '{"n":1}', 0),
      undefined,
      "a claim this process holds is not taken twice",
    );
    claim.release();
    owner.release();
    // its file is gone: the lock cannot tell (reconcileRuns asks the run's pid)
    assertEquals(await ownerAlive(data, "Own", owner.id), undefined);
    const again = await PointClaim.tryAcquire(data, "Own", '{"n":1}', 0);
    assert(again !== undefined, "released: the claim can be taken again");
    again.release();
  });
});
