/**
 * Review of session 23 (b): a run whose slot dies in its grace period after the sweep was stopped (an
 * abort listener that throws, a `Deno.exit` on abort). It is `interrupted` (the stop's doing), but its
 * error said "did not return within <graceMs> ms after ctx.signal was aborted, and was killed" though
 * nobody killed it and it ended at once: the words lied and the cause (its own output) was left out. Now
 * it says how the process ended and its last output, as a death in a timeout's grace period does.
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { runsOf } from "./_engine.ts";
import { runSweep } from "../runner/mod.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url).pathname;

Deno.test("stopped, the slot dies in its grace period: interrupted, the error says how it ended, not 'killed'", async () => {
  await withTempDir(async (dataFolder) => {
    const stop = new AbortController();
    let started = 0;
    const t0 = performance.now();
    const result = await runSweep({
      name: "StopThrow",
      simulation: SIM,
      dataFolder,
      points: [{ mode: "throwing_abort" }, { mode: "throwing_abort", i: 2 }],
      concurrency: 2,
      graceMs: 30_000, // a death within it is the listener's doing, long before the pool would kill
      summary: false,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === "started" && ++started === 2) setTimeout(() => stop.abort(), 300);
      },
    });
    assert(
      performance.now() - t0 < 25_000,
      "the slots died at once: nobody waited for the grace period",
    );
    assertEquals(result.runs.length, 2);
    for (const r of result.runs) {
      assertEquals([r.status, r.reason], ["interrupted", "interrupted"], r.error);
      assert(!r.error?.includes("was killed"), `nobody killed it: ${r.error}`);
      assert(r.error?.includes("exited with code 1"), r.error);
      assert(r.error?.includes("abort listener boom"), `its own words: ${r.error}`);
    }
    for (const run of await runsOf(dataFolder, "StopThrow")) {
      assertEquals([run.status, run.reason], ["interrupted", "interrupted"]);
      assert(String(run.error).includes("abort listener boom"), String(run.error));
    }
  });
});
