// A hostile second look at issue 8 (the runner you can kill): faults found by trying it as a new user would.
// Each test failed before its fix.
import { assert, assertEquals } from "./_assert.ts";
import { cli, fixture, withTempDir } from "./_helpers.ts";

Deno.test("user parameters named status, duration_s and run: the printed table shows their values, not the run's", async () => {
  await withTempDir(async (dir) => {
    const out = await cli([
      ...["run", fixture("sims/tiny.ts"), "--name", "Named", "--data", `${dir}/Data`],
      ...["--grid", "k=2", "--grid", "status=running", "--grid", "duration_s=100"],
      ...["--grid", "run=mine", "--no-progress"],
    ]);
    assertEquals(out.code, 0, out.stderr);
    const lines = out.stdout.split("\n").filter((l) => l.trim());
    const header = lines.findIndex((l) => l.startsWith("run_run "));
    const cells = (l: string) => l.trim().split(/\s{2,}/);
    const columns = cells(lines[header]);
    const row = cells(lines[header + 2]);
    // The run's own columns are renamed run_<name> beside a parameter of their name (the files, too).
    assertEquals(columns, [
      "run_run",
      "run_status",
      "k",
      "status",
      "duration_s",
      "run",
      "score",
      "run_duration_s",
    ]);
    const csv = await Deno.readTextFile(`${dir}/Data/StorageManager/Named/runs.csv`);
    const names = csv.split(/\r?\n/)[0].split(",");
    assertEquals(new Set(names).size, names.length, `one name once: ${names}`);
    assertEquals(names, [...columns, "error"]);
    assertEquals(row.slice(1, 7), ["done", "2", "running", "100", "mine", "1"], lines[header + 2]);
    assert(row[0].startsWith("Named"), row[0]);
    assert(Number(row[7]) < 100, `the run's duration, not the user's 100: ${row[7]}`);
  });
});

Deno.test("a permission Deno would refuse is refused before anything starts, naming the flag (exit 2), not blamed on the simulation", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    for (
      const [flag, named] of [
        ["--allow-net=a,,b", "--allow-net"],
        ["--allow-net=https://example.com", "--allow-net"],
        ["--allow-env=A=B", "--allow-env"],
        ["--allow-sys=foo", "--allow-sys"],
        ["--allow-run=,ffmpeg", "--allow-run"],
      ]
    ) {
      const out = await cli([
        ...["run", fixture("sims/tiny.ts"), "--name", "Perm", "--data", data, "--grid", "k=1"],
        ...["--no-progress", flag],
      ]);
      assertEquals(out.code, 2, `${flag}: ${out.stderr}`);
      assert(out.stderr.includes(named) && !out.stderr.includes("simulation"), out.stderr);
      assert(!out.stderr.includes("    at "), `no stack trace: ${out.stderr}`);
    }
    const { runSweep } = await import("../runner/mod.ts");
    for (const permissions of [{ sys: ["foo"] }, { net: "example.com" }, { env: [""] }]) {
      const err = await runSweep({
        name: "Perm",
        simulation: fixture("sims/tiny.ts"),
        grid: { k: [1] },
        dataFolder: data,
        // deno-lint-ignore no-explicit-any
        permissions: permissions as any,
      }).then(() => undefined, (e) => e);
      assert(err instanceof TypeError, `${JSON.stringify(permissions)}: ${err}`);
    }
    assertEquals(await Deno.stat(data).then(() => true, () => false), false, "no folder made");
  });
});

Deno.test("swept parameters named runs and failed: summary.csv with repeats names each column once", async () => {
  await withTempDir(async (dir) => {
    const out = await cli([
      ...["run", fixture("sims/tiny.ts"), "--name", "Pts", "--data", `${dir}/Data`],
      ...["--grid", "k=1,2", "--grid", "runs=3", "--grid", "failed=0", "--repeats", "2"],
      "--no-progress",
    ]);
    assertEquals(out.code, 0, out.stderr);
    const csv = await Deno.readTextFile(`${dir}/Data/StorageManager/Pts/summary.csv`);
    const names = csv.split(/\r?\n/)[0].split(",");
    assertEquals(names.slice(0, 5), ["k", "runs", "failed", "n_runs", "n_failed"]);
    assertEquals(new Set(names).size, names.length, `one name once: ${names}`);
  });
});
