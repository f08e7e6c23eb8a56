/**
 * Review of session 23 (b): an async `onEvent` (`async (e) => …`, which the `(event) => void` type admits)
 * that throws returns a rejected promise instead of throwing. The guard saw no exception: the rejection
 * was unhandled and ended the embedding program (`runSweep` never settled; checked in a child process, as
 * a user's program). Now it stops the sweep and `runSweep` rejects with it, as a synchronous throw does.
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { runsOf } from "./_engine.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url).pathname;
const RUNNER = new URL("../runner/mod.ts", import.meta.url).href;

Deno.test("an async onEvent that rejects: runSweep rejects with its error, the program lives, no run stays running", async () => {
  await withTempDir(async (dataFolder) => {
    const program = `
      import { runSweep } from ${JSON.stringify(RUNNER)};
      const boom = new Error("async boom");
      try {
        await runSweep({
          name: "Async", simulation: ${JSON.stringify(SIM)}, dataFolder: ${
      JSON.stringify(dataFolder)
    },
          grid: { mode: ["sleep"], ms: [3000], i: [1, 2, 3, 4] }, concurrency: 2, graceMs: 500,
          onEvent: async (e) => { if (e.type === "started") throw boom; },
        });
        console.log("resolved");
      } catch (err) {
        console.log(err === boom ? "rejected with the callback's error" : "rejected with " + err);
      }
    `;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", program],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout).trim();
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals([out.code, stdout], [0, "rejected with the callback's error"], stderr);
    assert(!stderr.includes("Uncaught"), stderr);
    const runs = await runsOf(dataFolder, "Async");
    assert(runs.length >= 1 && runs.length <= 2, `the sweep stopped: ${runs.length} runs`);
    for (const r of runs) assert(r.status !== "running", `${r.path} still says running`);
  });
});
