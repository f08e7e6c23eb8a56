// A pool killed with SIGKILL cannot remove its folder of named pipes (.sweepstore/pools/<pid>-<rand>/): the
// next pool of the group removes it once its lock is free and it is a minute old; a live pool's folder stays.
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { processesWith, startSweep, untilRunning, within } from "./_engine.ts";
import { runSweep } from "../runner/mod.ts";

const SIMS = new URL("./fixtures/sims/engine_sims.ts", import.meta.url);

async function poolFolders(pools: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(pools)) names.push(e.name);
  return names.sort();
}

async function age(path: string) {
  const old = new Date(Date.now() - 120_000);
  await Deno.utime(path, old, old);
}

Deno.test("a pool folder a kill -9 left is removed by the next sweep of the group; a live pool's folder stays", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const pools = `${data}/StorageManager/Pf/.sweepstore/pools`;
    const base = { name: "Pf", dataFolder: data, summary: false, concurrency: 1 };
    // A sweep killed with SIGKILL: its slot dies with it (watchdog), its pool folder stays.
    const dead = startSweep({ ...base, simulation: "engine_sims.ts", points: [{ mode: "spin" }] });
    await untilRunning(data, "Pf", 1);
    Deno.kill(dead.pid, "SIGKILL");
    await dead.output();
    await within(
      8,
      "the dead sweep's slot to end",
      async () => (await processesWith(data)).length === 0,
    );
    const left = await poolFolders(pools);
    assertEquals(left.length, 1, "kill -9 leaves the pool folder");
    assert(left[0].startsWith(`${dead.pid}-`), left[0]);
    // A live sweep of the same group: its folder is locked, however old it looks.
    const live = startSweep({
      ...base,
      simulation: "engine_sims.ts",
      points: [{ mode: "sleep", ms: 60_000 }],
      graceMs: 500,
    });
    try {
      await within(
        30,
        "the live sweep's pool folder",
        async () => (await poolFolders(pools)).length === 2,
      );
      const liveFolder = (await poolFolders(pools)).find((n) => n.startsWith(`${live.pid}-`))!;
      assert(liveFolder, "the live sweep's folder");
      for (const n of await poolFolders(pools)) await age(`${pools}/${n}`);
      const next = await runSweep({
        ...base,
        simulation: SIMS,
        points: [{ mode: "sleep", ms: 10 }],
      });
      assertEquals(next.runs.map((r) => r.status), ["done"]);
      assertEquals(
        await poolFolders(pools),
        [liveFolder],
        "the dead pool's folder removed, the live one kept",
      );
    } finally {
      Deno.kill(live.pid, "SIGKILL");
      await live.output();
      await within(
        8,
        "the live sweep's slot to end",
        async () => (await processesWith(data)).length === 0,
      );
    }
  });
});

Deno.test("a pool folder younger than a minute is left alone even when its lock is free", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const pools = `${data}/StorageManager/Young/.sweepstore/pools`;
    await Deno.mkdir(`${pools}/999999-abc`, { recursive: true });
    const base = { name: "Young", dataFolder: data, summary: false, simulation: SIMS };
    await runSweep({ ...base, points: [{ mode: "sleep", ms: 10 }] });
    assertEquals(await poolFolders(pools), ["999999-abc"], "too young to judge");
    await age(`${pools}/999999-abc`);
    await runSweep({ ...base, points: [{ mode: "sleep", ms: 10 }] });
    assertEquals(await poolFolders(pools), [], "old and unlocked: removed");
  });
});

Deno.test("a pool never removes a folder of its own process (on NFS the lock would not tell: it is per process)", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const pools = `${data}/StorageManager/Own/.sweepstore/pools`;
    await Deno.mkdir(pools, { recursive: true });
    // An old, unlocked folder named for this process: what a second pool of this process looks like to
    // the first one on NFS, where its own tryLock of the other pool's folder succeeds.
    const ours = `${pools}/${Deno.pid}-own`;
    const dead = `${pools}/1-dead`; // pid 1 never runs sweeps: a dead pool's folder, for contrast
    for (const p of [ours, dead]) {
      await Deno.mkdir(p);
      await age(p);
    }
    await runSweep({
      name: "Own",
      simulation: SIMS,
      points: [{ mode: "ok" }],
      dataFolder: data,
      summary: false,
    });
    assertEquals(await poolFolders(pools), [`${Deno.pid}-own`]);
  });
});
