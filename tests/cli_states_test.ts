// The CLI's view of run states (issue 8 point 2): `status` works for local sweeps and marks a `running`
// run whose process is gone `interrupted`; `ls` shows it so without writing; `run` says why runs failed.
import { assert, assertEquals } from "./_assert.ts";
import { run, withFullDisk, withTempDir } from "./_helpers.ts";
import { runsOf } from "./_engine.ts";
import { StorageManager } from "../mod.ts";

const CLI = new URL("../runner/cli/cli.ts", import.meta.url).pathname;
const FAULTS = new URL("./fixtures/sims/faults.ts", import.meta.url).pathname;

function cli(args: string[]) {
  return run(Deno.execPath(), [
    "run",
    "--allow-read",
    "--allow-write",
    "--allow-run",
    CLI,
    ...args,
  ]);
}

Deno.test("a run left running by a dead process: ls shows it interrupted without writing; status marks it", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    // The slot's watchdog marks its run itself when the sweep is killed (-9 included); a node that went
    // down cannot: its folder says running with an owner lock nobody holds.
    await StorageManager.create("Dead", {
      dataFolder: data,
      params: { Run: { status: "running", owner: "1-gone-x", host: "node7" } },
    });
    const ls = await cli(["ls", "--data", data]);
    assertEquals(ls.code, 0, ls.stderr);
    assert(/Dead\s+1 runs\s+\(1 interrupted\)/.test(ls.stdout), ls.stdout);
    assertEquals(
      (await runsOf(data, "Dead")).map((r) => r.status),
      ["running"],
      "ls wrote nothing",
    );

    const status = await cli(["status", "Dead", "--data", data]);
    assertEquals(status.code, 0, status.stdout + status.stderr);
    assert(status.stdout.includes("Dead: 1 runs (1 interrupted)"), status.stdout);
    assert(status.stdout.includes("marked interrupted"), status.stdout);
    const [marked] = await runsOf(data, "Dead");
    assertEquals([marked.status, marked.reason], ["interrupted", "interrupted"]);
    const ini = await Deno.readTextFile(`${marked.path}/config.ini`);
    assert(/status = interrupted/.test(ini), ini);
  });
});

Deno.test("status of a local sweep counts its runs by state, failed ones by reason; an unknown name exits 2", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const made = await cli([
      ...["run", FAULTS, "--name", "Mix", "--grid", "mode=ok,throw,exit", "--data", data],
      "--no-progress",
    ]);
    assertEquals(made.code, 1, made.stderr);
    const why = made.stderr.split("\n").filter((l) => l.startsWith("failed: "));
    assertEquals(why.length, 2, made.stderr);
    assert(/^failed: 1 exception — first: \/.*\/Mix\d+: Error: boom$/.test(why[0]), why[0]);
    assert(/^failed: 1 exit — first: \/.*\/Mix\d+: .*7/.test(why[1]), why[1]);
    const status = await cli(["status", "Mix", "--data", data]);
    assertEquals(status.code, 0, status.stderr);
    assert(
      status.stdout.includes("Mix: 3 runs (1 done, 1 failed (exception), 1 failed (exit))"),
      status.stdout,
    );
    const none = await cli(["status", "Nope", "--data", data]);
    assertEquals(none.code, 2, none.stderr);
    assert(none.stderr.includes('no runs of "Nope" found'), none.stderr);
  });
});

Deno.test("report --section Run shows a run whose process is gone as interrupted, and writes nothing", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    await StorageManager.create("Rep", {
      dataFolder: data,
      params: { Run: { status: "running", owner: "1-gone-x" } },
    });
    await StorageManager.create("Rep", { dataFolder: data, params: { Run: { status: "done" } } });
    for (const format of [[], ["--csv"], ["--json"], ["--markdown"]]) {
      const out = await cli(["report", "Rep", "--section", "Run", ...format, "--data", data]);
      assertEquals(out.code, 0, out.stderr);
      assert(out.stdout.includes("interrupted") && !out.stdout.includes("running"), out.stdout);
      assert(out.stdout.includes("done"), out.stdout);
    }
    assertEquals((await runsOf(data, "Rep")).map((r) => r.status).sort(), ["done", "running"]);
  });
});

Deno.test("run on a full disk (a 1 MiB tmpfs) says on stderr why the runs failed, though no summary could be written", async () => {
  await withFullDisk("Full", async (data) => {
    const out = await cli([
      ...["run", FAULTS, "--name", "Full", "--grid", "mode=ok", "--repeats", "2"],
      ...["--concurrency", "1", "--data", data, "--no-progress"],
    ]);
    assertEquals(out.code, 1, out.stderr);
    const why = out.stderr.split("\n").filter((l) => l.startsWith("failed: "));
    assertEquals(why.length, 1, out.stderr);
    assert(why[0].startsWith(`failed: 2 storage — first: `), why[0]);
    assert(why[0].includes(`${data}/StorageManager/Full`), why[0]);
  });
});
