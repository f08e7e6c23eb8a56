import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { alive, fixture, withTempDir } from "./_helpers.ts";
import { untilRunning } from "./_engine.ts";
import { runSweep, SimulationLoadError } from "../runner/mod.ts";
import { StorageManager } from "../src/run/storage_manager.ts";

const FAULTS = new URL("./fixtures/sims/faults.ts", import.meta.url);

Deno.test("a sweep survives throws, rejections, Deno.exit, OOM, infinite loops and refused permissions", async () => {
  await withTempDir(async (dir) => {
    const modes = [
      "ok",
      "number",
      "throw",
      "reject",
      "exit",
      "oom",
      "loop",
      "write_outside",
      "fetch",
      "bad_return",
    ];
    const result = await runSweep({
      name: "Faults",
      simulation: FAULTS,
      points: modes.map((mode) => ({ mode, outside: `${dir}/outside.txt` })),
      concurrency: 2,
      timeoutMs: 2000,
      memoryMb: 64,
      dataFolder: `${dir}/Data`,
      summary: false,
    });
    const by = Object.fromEntries(result.runs.map((r) => [r.params.mode, r]));
    assertEquals(result.runs.length, modes.length);
    assertEquals(by.ok.status, "done");
    assertEquals(by.number.result, { score: 0.25 });
    // the result's keys are recorded, so that a record can be made from the folder alone (SLURM)
    const numbered = await StorageManager.open(by.number.path);
    assertEquals(numbered.param("result_keys", { section: "Run" }), ["score"]);
    assertEquals(by.throw.result, undefined);
    assertEquals(by.throw.status, "failed");
    assert(by.throw.error!.includes("boom"), by.throw.error);
    assert(by.reject.error!.includes("rejected on purpose"));
    assertEquals(by.exit.status, "failed");
    assert(by.exit.error!.includes("exited with code 7"), by.exit.error);
    assertEquals(by.oom.status, "failed");
    assert(/out of memory|heap/i.test(by.oom.error!), by.oom.error);
    assertEquals(by.loop.status, "timeout");
    assert(
      by.write_outside.error!.includes("NotCapable") ||
        by.write_outside.error!.includes("PermissionDenied"),
    );
    assert(
      by.fetch.error!.includes("NotCapable") || by.fetch.error!.includes("PermissionDenied"),
      by.fetch.error,
    );
    assert(by.bad_return.error!.includes("returned Map"), by.bad_return.error);
    // Nothing escaped the Data folder.
    await assertRejects(() => Deno.stat(`${dir}/outside.txt`), Deno.errors.NotFound);
    // Every folder says how its run ended.
    for (const r of result.runs) {
      const sm = await StorageManager.open(r.path);
      assertEquals(
        await sm.loadParam("status", { section: "Run" }),
        r.status,
        r.params.mode as string,
      );
      if (r.status !== "done") {
        assert(String(await sm.loadParam("error", { section: "Run" })).length > 0);
      }
    }
    // The stuck run's process was killed: its CPU is free.
    const pid = await (await StorageManager.open(by.loop.path)).loadParam("pid", {
      section: "Run",
    });
    assertEquals(await alive(pid as number), false, `the looping process ${pid} still runs`);
    const ok = await StorageManager.open(by.ok.path);
    assertEquals(await ok.loadParam("label"), "fine");
    assertEquals((await ok.loadNp("trace")).shape, [3]);
  });
});

Deno.test("retries run a failed point again in a new folder; the failed attempt stays marked", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "Retry",
      simulation: FAULTS,
      points: [{ mode: "flaky" }, { mode: "throw" }],
      retries: 1,
      concurrency: 1,
      dataFolder: `${dir}/Data`,
      summary: false,
    });
    const [flaky, thrown] = result.runs;
    assertEquals([flaky.status, flaky.attempts], ["done", 2]);
    assertEquals([thrown.status, thrown.attempts], ["failed", 2]);
    assertEquals(result.group.length, 4, "two attempts of each point have folders");
    const statuses = result.group.runs.map((sm) =>
      `${sm.param("mode")}:${sm.param("attempt", { section: "Run" })}:${
        sm.param("status", { section: "Run" })
      }`
    ).sort();
    assertEquals(statuses, ["flaky:1:failed", "flaky:2:done", "throw:1:failed", "throw:2:failed"]);
  });
});

Deno.test("resume skips points that already have a finished run and runs only the rest", async () => {
  await withTempDir(async (dir) => {
    const base = {
      name: "Resume",
      simulation: FAULTS,
      dataFolder: `${dir}/Data`,
      summary: false,
      concurrency: 2,
    };
    const first = await runSweep({ ...base, grid: { mode: ["ok", "throw"], k: [1, 2] } });
    assertEquals(first.runs.length, 4);
    const second = await runSweep({
      ...base,
      grid: { mode: ["ok", "throw"], k: [1, 2, 3] },
      resume: true,
    });
    assertEquals(second.skipped, 2, "the two finished ok points are skipped");
    assertEquals(second.runs.map((r) => `${r.params.mode}${r.params.k}`).sort(), [
      "ok3",
      "throw1",
      "throw2",
      "throw3",
    ]);
    assertEquals(second.group.length, 8);
  });
});

Deno.test("a simulation module that cannot be loaded fails the sweep at once with its error", async () => {
  await withTempDir(async (dir) => {
    const err = await assertRejects(
      () =>
        runSweep({
          name: "Broken",
          simulation: new URL("./fixtures/sims/broken_import.ts", import.meta.url),
          grid: { n: [1, 2, 3] },
          dataFolder: `${dir}/Data`,
        }),
      SimulationLoadError,
      "does_not_exist",
    );
    assert(err.message.includes("broken_import.ts"));
  });
});

Deno.test("the summary table, summary.csv, summary.json and plot.svg are written after the runs", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "Sum",
      simulation: FAULTS,
      grid: { mode: ["ok"], k: [1, 2, 3] },
      repeats: 2,
      dataFolder: `${dir}/Data`,
    });
    const files = result.summary!.files;
    assertEquals(files.csv, `${dir}/Data/StorageManager/Sum/summary.csv`);
    // every run in runs.csv; with repeats, one row per point in summary.csv
    const runsCsv = (await Deno.readTextFile(files.runs!)).trim().split("\n");
    assertEquals(runsCsv.length, 7);
    assert(runsCsv[0].startsWith("run,status,mode,k,score"), runsCsv[0]);
    const csv = (await Deno.readTextFile(files.csv)).trim().split("\n");
    assertEquals(csv.length, 4);
    assert(csv[0].startsWith("mode,k,runs,failed,score_count,score_mean,score_std"), csv[0]);
    const json = JSON.parse(await Deno.readTextFile(files.json));
    assertEquals(json.counts, { done: 6 });
    const svg = await Deno.readTextFile(files.svg!);
    assert(svg.startsWith("<svg") && svg.includes("score against k"), svg.slice(0, 200));
    assert(result.summary!.table.includes("score"));
  });
});

Deno.test("Ctrl-C (SIGINT) stops the sweep, marks running runs interrupted, prints the summary and exits 130", async () => {
  await withTempDir(async (dir) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", fixture("sweep_sigint.ts"), `${dir}/Data`],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // Wait until two runs are running (their folders exist with status running).
    const group = `${dir}/Data/StorageManager/Sig`;
    await untilRunning(`${dir}/Data`, "Sig", 2);
    child.kill("SIGINT");
    const out = await child.output();
    const stdout = new TextDecoder().decode(out.stdout);
    assertEquals(out.code, 130, new TextDecoder().decode(out.stderr));
    assert(stdout.includes("2 interrupted") && stdout.includes("(interrupted)"), stdout);
    assert(!stdout.includes("not reached"));
    const statuses = [];
    for await (const e of Deno.readDir(group)) {
      if (e.isDirectory && !e.name.startsWith(".")) {
        statuses.push(
          (await StorageManager.open(`${group}/${e.name}`)).param("status", { section: "Run" }),
        );
      }
    }
    assertEquals(statuses, ["interrupted", "interrupted"]);
  });
});
