// Session 24's review (a) of issue 8: `[Run] host` under the CLI's own permissions. Deno 2.9 lets a program
// read /proc/sys/kernel/hostname only with --allow-all, so `sweepstore run` (--allow-read --allow-write
// --allow-run) wrote no `[Run] host`, and `status` could judge no run by its pid: a `running` run without
// an owner lock whose process was gone stayed `running` for ever. Real processes: the CLI and its slots.
import { assert, assertEquals } from "./_assert.ts";
import { cli, run, withTempDir } from "./_helpers.ts";
import { runsOf } from "./_engine.ts";
import { StorageManager } from "../src/run/storage_manager.ts";

Deno.test("the CLI's permissions: every run's [Run] host is this machine; status judges an ownerless run by its pid", async () => {
  await withTempDir(async (dir) => {
    const host = (await run("uname", ["-n"])).stdout.trim();
    assert(host);
    await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = (p) => ({ score: p.x });\n");
    const data = `${dir}/Data`;
    const made = await cli(
      ["run", "sim.ts", "--name", "H", "--grid", "x=1,2", "--no-progress"],
      dir,
    );
    assertEquals(made.code, 0, made.stderr);
    assertEquals((await runsOf(data, "H")).map((r) => r.host), [host, host]);

    // a run an older version left `running` (no owner lock), its process gone
    const gone = new Deno.Command("true").spawn();
    const { pid } = gone;
    await gone.status;
    await StorageManager.create("Old", {
      dataFolder: data,
      params: { Run: { status: "running", host, pid, started: new Date().toISOString() } },
    });
    const status = await cli(["status", "Old", "--data", data]);
    assertEquals(status.code, 0, status.stderr);
    assert(status.stdout.includes("Old: 1 runs (1 interrupted)"), status.stdout);
    assertEquals((await runsOf(data, "Old")).map((r) => r.status), ["interrupted"]);
  });
});
