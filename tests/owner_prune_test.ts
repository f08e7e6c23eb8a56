/**
 * Dead owners' lock files do not pile up in `<group>/.sweepstore/owners/`: a slot killed with its sweep
 * (kill -9 of the parent: the slots end through their watchdog without removing their lock) leaves one,
 * and `status` (like resume and the summary) removes it; a live
 * owner's lock is never removed, not even when it is taken while another process prunes, and a
 * `.lock-new` left by a process that died while making its lock goes once it is old.
 */
import { assert, assertEquals } from "./_assert.ts";
import { cli, withTempDir } from "./_helpers.ts";
import { processesWith, startSweep, untilRunning, within } from "./_engine.ts";
import { ownerAlive, OwnerLock, pruneOwners, removeOwnerFilesOf, runSweep } from "../runner/mod.ts";

async function lockFiles(data: string, name: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(`${data}/StorageManager/${name}/.sweepstore/owners`)) {
      out.push(e.name);
    }
  } catch { /* no folder */ }
  return out.sort();
}

Deno.test("kill -9 of a sweep: its slots' lock files are removed by status, a live owner's is kept", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const live = await OwnerLock.acquire(data, "Pr"); // another process's owner, alive throughout
    const points = Array.from({ length: 4 }, (_, i) => ({ mode: "sleep", ms: 5000, i }));
    const child = startSweep({
      name: "Pr",
      simulation: "engine_sims.ts",
      points,
      dataFolder: data,
      summary: false,
      concurrency: 2,
    });
    await untilRunning(data, "Pr", 2);
    Deno.kill(child.pid, "SIGKILL");
    await child.output();
    await within(8, "the slots to end", async () => (await processesWith(data)).length === 0);
    const left = await lockFiles(data, "Pr");
    assertEquals(left.length, 3, `the two killed slots' and the live one: ${left}`);
    const out = await cli(["status", "Pr", "--data", data]);
    assertEquals(out.code, 0, out.stderr);
    assert(out.stdout.includes("2 interrupted"), out.stdout); // marked by the slots' watchdogs as they died
    assertEquals(
      await lockFiles(data, "Pr"),
      [`${live.id}.lock`],
      "only the live owner's lock is left",
    );
    assert(await ownerAlive(data, "Pr", live.id));
    live.release();
    assertEquals(await lockFiles(data, "Pr"), []);
  });
});

Deno.test("owner locks taken while another process prunes are never removed", async () => {
  await withTempDir(async (data) => {
    await Deno.mkdir(`${data}/StorageManager/Race/.sweepstore/owners`, { recursive: true });
    await Deno.writeTextFile(`${data}/go`, "");
    const claims = new URL("../runner/claims.ts", import.meta.url).href;
    // a second process prunes the owners folder as fast as it can, until `go` is removed
    const pruner = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { pruneOwners } from ${JSON.stringify(claims)};
         let removed = 0;
         while (true) {
           try { Deno.statSync(${JSON.stringify(`${data}/go`)}); } catch { break; }
           removed += await pruneOwners(${JSON.stringify(data)}, "Race");
           Deno.writeTextFileSync(${JSON.stringify(`${data}/pruning`)}, "");
         }
         console.log(removed);`,
      ],
      stdout: "piped",
    }).spawn();
    // the race needs the pruner running: wait for its first pass
    await within(
      20,
      "the pruner to start",
      () => Deno.stat(`${data}/pruning`).then(() => true, () => false),
    );
    let lost = 0;
    for (let i = 0; i < 1500; i++) {
      const owner = await OwnerLock.acquire(data, "Race");
      const path = `${data}/StorageManager/Race/.sweepstore/owners/${owner.id}.lock`;
      // a lock on a removed file would let this live owner's runs be marked interrupted
      if (!(await Deno.stat(path).then(() => true, () => false))) lost++;
      owner.release();
    }
    await Deno.remove(`${data}/go`);
    const removed = Number(new TextDecoder().decode((await pruner.output()).stdout).trim());
    assertEquals(lost, 0, "an owner's lock file was removed while it held it");
    assertEquals(await pruneOwners(data, "Race"), 0);
    // each lock file is locked before it gets its .lock name: the pruner never finds one free
    assertEquals(removed, 0, "the pruner took a new owner's lock file before it was locked");
    assertEquals(await lockFiles(data, "Race"), []);
  });
});

Deno.test("a .lock-new file left by a process that died while making its lock is pruned once old", async () => {
  await withTempDir(async (data) => {
    const dir = `${data}/StorageManager/Old/.sweepstore/owners`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(`${dir}/1-a-b.lock-new`, "");
    await Deno.writeTextFile(`${dir}/2-a-b.lock-new`, "");
    const old = new Date(Date.now() - 11 * 60_000);
    await Deno.utime(`${dir}/1-a-b.lock-new`, old, old);
    assertEquals(await pruneOwners(data, "Old"), 1);
    assertEquals(
      await lockFiles(data, "Old"),
      ["2-a-b.lock-new"],
      "a fresh one may be a lock being made",
    );
  });
});

Deno.test("a slot killed by its run's timeout leaves no lock file: the pool removes it as the slot exits", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const result = await runSweep({
      name: "Tk",
      simulation: new URL("./fixtures/sims/engine_sims.ts", import.meta.url),
      points: [{ mode: "spin" }, { mode: "sleep", ms: 1 }],
      dataFolder: data,
      summary: false,
      concurrency: 1,
      timeoutMs: 500,
      graceMs: 100,
    });
    assertEquals(result.runs.map((r) => r.status), ["timeout", "done"]);
    // the spinning slot was killed with SIGKILL and could not remove its lock; nothing pruned since
    assertEquals(await lockFiles(data, "Tk"), []);
  });
});

Deno.test("removeOwnerFilesOf removes an ended process's .lock and .lock-new, never a held lock", async () => {
  await withTempDir(async (data) => {
    const dir = `${data}/StorageManager/Rm/.sweepstore/owners`;
    await Deno.mkdir(dir, { recursive: true });
    const live = await OwnerLock.acquire(data, "Rm"); // this process: its pid prefix, held
    for (
      const f of ["999999-a-b.lock", "999999-c-d.lock-new", "9999990-e-f.lock", "999999-g.txt"]
    ) {
      await Deno.writeTextFile(`${dir}/${f}`, "");
    }
    assertEquals(await removeOwnerFilesOf(data, "Rm", 999999), 2);
    assertEquals(
      await lockFiles(data, "Rm"),
      [`${live.id}.lock`, "9999990-e-f.lock", "999999-g.txt"].sort(),
    );
    assertEquals(await removeOwnerFilesOf(data, "Rm", Deno.pid), 0, "a held lock is kept");
    live.release();
  });
});
