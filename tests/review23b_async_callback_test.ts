/**
 * Review of session 23 (b): an async `onEvent` (`async (e) => …`, which the `(event) => void` type admits)
 * that throws returns a rejected promise instead of throwing. The guard saw no exception: the rejection
 * was unhandled and ended the embedding program (`runSweep` never settled; checked in a child process, as
 * a user's program); `sweepEvents` dropped the callback's promise too. Now it stops the sweep and
 * `runSweep` (and the iteration of `sweepEvents`) rejects with it, as a synchronous throw does.
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { runsOf } from "./_engine.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url).pathname;
const RUNNER = new URL("../runner/mod.ts", import.meta.url).href;

/** A user's program: a sweep whose async onEvent throws at the first `started`; prints what it caught. */
function program(dataFolder: string, call: string): string {
  const options = JSON.stringify({
    name: "Async",
    simulation: SIM,
    dataFolder,
    grid: { mode: ["sleep"], ms: [3000], i: [1, 2, 3, 4] },
    concurrency: 2,
    graceMs: 500,
  });
  return `
    import { runSweep, sweepEvents } from ${JSON.stringify(RUNNER)};
    const boom = new Error("async boom");
    const options = { ...${options}, onEvent: async (e) => { if (e.type === "started") throw boom; } };
    try {
      ${call}
      console.log("resolved");
    } catch (err) {
      console.log(err === boom ? "rejected with the callback's error" : "rejected with " + err);
    }
  `;
}

for (
  const [api, call] of [
    ["runSweep", "await runSweep(options);"],
    ["sweepEvents", "for await (const _ of sweepEvents(options));"],
  ]
) {
  Deno.test(`an async onEvent that rejects: ${api} rejects with its error, the program lives, no run stays running`, async () => {
    await withTempDir(async (dataFolder) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["eval", "--ext=ts", program(dataFolder, call)],
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
}
