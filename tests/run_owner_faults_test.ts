/**
 * A dead owner never leaves a run `running` for ever, even where the owner lock is missing:
 * - a slot (or SLURM array task) that cannot create its owner lock runs nothing and the sweep fails with a
 *   `StorageError` naming the owners folder (before, it ran its runs without `[Run] owner`, and a run it
 *   left `running` after a kill -9 was skipped by `status`, `resume` and the summary for ever);
 * - a `running` run without an owner (older versions, a user's program) is judged by its `[Run] pid` on
 *   this host: gone, or a pid reused by a process started after the run → `interrupted`; alive → alive;
 *   another host or no pid → left alone. Real processes, checked in /proc.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { StorageError, StorageManager } from "../mod.ts";
import { readRunSection, reconcileRuns, runSweep } from "../runner/mod.ts";
import { hostName } from "../runner/_run_process.ts";
import { cli, withTempDir } from "./_helpers.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url).pathname;

/** Makes `.sweepstore/owners` of group `name` a file, so that no owner lock can be created there. */
async function blockOwners(data: string, name: string): Promise<string> {
  const owners = `${data}/StorageManager/${name}/.sweepstore/owners`;
  await Deno.mkdir(`${data}/StorageManager/${name}/.sweepstore`, { recursive: true });
  await Deno.writeTextFile(owners, "in the way\n");
  return owners;
}

async function runFolders(data: string, name: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(`${data}/StorageManager/${name}`)) {
    if (e.isDirectory && !e.name.startsWith(".")) out.push(e.name);
  }
  return out;
}

Deno.test("a slot that cannot create its owner lock runs nothing: a StorageError names the owners folder", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const owners = await blockOwners(data, "NoOwner");
    const err = (await assertRejects(
      () =>
        runSweep({
          simulation: SIM,
          name: "NoOwner",
          dataFolder: data,
          grid: { mode: ["return"], i: [1, 2, 3] },
          concurrency: 2,
          summary: false,
        }),
      StorageError,
    )) as StorageError;
    assertEquals(err.path, owners);
    assert(err.message.includes("owner lock"), err.message);
    assert(
      !err.message.includes("could not be loaded"),
      `blamed on the simulation: ${err.message}`,
    );
    assertEquals(await runFolders(data, "NoOwner"), [], "no run may start without an owner lock");
  });
});

Deno.test("the CLI: no owner lock → exit 1, one line naming the folder, no stack trace", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const owners = await blockOwners(data, "NoOwnerCli");
    const out = await cli([
      "run",
      SIM,
      "--name",
      "NoOwnerCli",
      "--data",
      data,
      "--grid",
      "mode=return",
      "--no-progress",
    ]);
    const said = out.stdout + out.stderr;
    assertEquals(out.code, 1, said);
    assert(said.includes(owners), said);
    assert(!/^\s+at /m.test(said), `a stack trace:\n${said}`);
  });
});

/** A process that has ended (its pid is free, unless reused). */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

Deno.test("a running run without an owner: judged by its pid on this host", async () => {
  await withTempDir(async (dataFolder) => {
    const host = hostName();
    assert(host, "the test needs the host name");
    const sleeper = new Deno.Command("sleep", { args: ["60"] }).spawn();
    try {
      await new Promise((r) => setTimeout(r, 50));
      const now = new Date().toISOString();
      const hourAgo = new Date(Date.now() - 3600_000).toISOString();
      const make = (pid: number, started: string, h = host) =>
        StorageManager.create("Own", {
          dataFolder,
          params: { Run: { status: "running", host: h, pid, started } },
        });
      const dead = await make(await deadPid(), now);
      const alive = await make(sleeper.pid, now);
      const reused = await make(sleeper.pid, hourAgo); // the pid now names a process started after it
      const elsewhere = await make(await deadPid(), now, `${host}-other`);
      const badPid = await make(-1, now); // not a process id: nothing can be told (ps refuses it)
      const { interrupted, alive: live } = await reconcileRuns([
        dead,
        alive,
        reused,
        elsewhere,
        badPid,
      ]);

      assertEquals(interrupted.sort(), [dead.path, reused.path].sort());
      assertEquals(live.map((sm) => sm.path), [alive.path]);
      const states = await Promise.all(
        [dead, alive, reused, elsewhere, badPid].map(async (sm) =>
          readRunSection(await StorageManager.open(sm.path))
        ),
      );
      assertEquals(states.map((r) => r.status), [
        "interrupted",
        "running",
        "interrupted",
        "running",
        "running",
      ]);
      assert(states[0].error?.includes(`pid ${states[0].pid} on ${host}`), states[0].error);
    } finally {
      sleeper.kill("SIGKILL");
      await sleeper.status;
    }
  });
});
