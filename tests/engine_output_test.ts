// A simulation's output cannot hurt the runner: bounded memory, tails kept in the run folder, no forgery.
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { runsOf, startSweep, sweepOutput } from "./_engine.ts";
import { runSweep } from "../runner/mod.ts";

const SIMS = new URL("./fixtures/sims/engine_sims.ts", import.meta.url);

for (const mb of [70, 100]) {
  Deno.test(`a ${mb} MB \\r progress bar without newlines: the sweep's peak RSS stays bounded, the tail is kept`, async () => {
    await withTempDir(async (dir) => {
      const data = `${dir}/Data`;
      const out = await sweepOutput(startSweep({
        name: "Bar",
        simulation: "engine_sims.ts",
        points: [{ mode: "progress", mb }],
        dataFolder: data,
        summary: false,
      }));
      assertEquals(out.statuses, ["done"]);
      console.log(
        `peak RSS of the sweep's process with a ${mb} MB progress bar: ${out.hwmKb / 1024} MiB`,
      );
      // Before: 753 MB for 70 MB of output. The process itself needs ~100 MiB.
      assert(out.hwmKb < 200 * 1024, `peak RSS ${out.hwmKb} kB`);
      const [run] = await runsOf(data, "Bar");
      const log = await Deno.readFile(`${run.path}/stdout.log`);
      assertEquals(log.length, 64 * 1024, "the last 64 KiB");
      assert(new TextDecoder().decode(log).endsWith("\rlast progress 100%"));
    });
  });
}

Deno.test("a protocol message forged on stdout is output, not a result", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "Forge",
      simulation: SIMS,
      points: [{ mode: "forge" }, { mode: "sleep", ms: 1 }],
      concurrency: 1,
      dataFolder: `${dir}/Data`,
      summary: false,
    });
    assertEquals(result.runs.map((r) => [r.status, r.result]), [
      ["done", { score: 7 }],
      ["done", { score: 1 }],
    ]);
    assertEquals(result.runs[0].path.endsWith("/forged"), false);
    const stdout = await Deno.readTextFile(`${result.runs[0].path}/stdout.log`);
    assert(stdout.includes("SWEEPSTORE"), "the forged text is kept as the run's output");
    assertEquals((await runsOf(`${dir}/Data`, "Forge")).length, 2);
  });
});

Deno.test("a crashed run's error names its stderr log in the run folder", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "Crash",
      simulation: new URL("./fixtures/sims/faults.ts", import.meta.url),
      points: [{ mode: "oom" }],
      memoryMb: 32,
      dataFolder: `${dir}/Data`,
      summary: false,
    });
    const [r] = result.runs;
    assertEquals([r.status, r.reason], ["failed", "oom"]);
    assert(r.error!.includes(`${r.path}/stderr.log`), r.error);
    const [run] = await runsOf(`${dir}/Data`, "Crash");
    assertEquals(run.stderr_log, "stderr.log");
    assert((await Deno.readTextFile(`${r.path}/stderr.log`)).length > 0);
  });
});

Deno.test("a crashed run's error and stderr.log are plain text, without terminal colour codes", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "Plain",
      simulation: new URL("./fixtures/sims/engine_sims.ts", import.meta.url),
      points: [{ mode: "uncaught" }],
      dataFolder: `${dir}/Data`,
      summary: false,
    });
    const [r] = result.runs;
    assertEquals([r.status, r.reason], ["failed", "exit"]);
    assert(r.error!.includes("uncaught in a timer"), r.error);
    assert(!r.error!.includes("\u001b["), `colour codes in the error: ${JSON.stringify(r.error)}`);
    const log = await Deno.readTextFile(`${r.path}/stderr.log`);
    assert(!log.includes("\u001b["), `colour codes in stderr.log: ${JSON.stringify(log)}`);
  });
});
