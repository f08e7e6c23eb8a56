/**
 * An `onEvent` callback that throws: before, the exception became an unhandled rejection inside the pool's
 * message handler that ended the embedding program (`runSweep` never settled, the caller's try/catch never
 * ran) and left a run `running`. Now the sweep stops as on `signal`, no later event is delivered, and
 * `runSweep` rejects with the callback's own exception once the runs are down (real slots, checked in
 * /proc). And a run whose `ctx.signal` listener throws after its timeout: the slot dies in the grace
 * period, which is the timeout's doing (before: blamed as `exit`).
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { runsOf } from "./_engine.ts";
import { runSweep, type SweepEvent } from "../runner/mod.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url).pathname;

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
  }
}

Deno.test("onEvent throws: runSweep rejects with that error, the runs are stopped and none stays running", async () => {
  await withTempDir(async (dataFolder) => {
    const boom = new Error("callback boom");
    const seen: SweepEvent["type"][] = [];
    let caught: unknown;
    try {
      await runSweep({
        name: "Cb",
        simulation: SIM,
        dataFolder,
        grid: { mode: ["sleep"], ms: [3000], i: [1, 2, 3, 4, 5, 6] },
        concurrency: 2,
        graceMs: 500,
        onEvent: (e) => {
          seen.push(e.type);
          if (e.type === "started") throw boom;
        },
      });
    } catch (err) {
      caught = err;
    }
    assert(caught === boom, `runSweep must reject with the callback's error, got ${caught}`);
    assertEquals(seen.filter((t) => t === "started").length, 1, "no event after the throw");
    const runs = await runsOf(dataFolder, "Cb");
    assert(runs.length >= 1 && runs.length <= 2, `the sweep stopped: ${runs.length} runs`);
    for (const r of runs) {
      assert(r.status !== "running", `${r.path} still says running`);
      assert(r.pid === undefined || !alive(Number(r.pid)), `slot ${r.pid} still alive`);
    }
  });
});

Deno.test("a run whose abort listener throws in its grace period is a timeout, not an exit", async () => {
  await withTempDir(async (dataFolder) => {
    const result = await runSweep({
      name: "AbortThrow",
      simulation: SIM,
      dataFolder,
      points: [{ mode: "throwing_abort" }],
      timeoutMs: 500,
      graceMs: 5000,
      summary: false,
    });
    const [record] = result.runs;
    assertEquals([record.status, record.reason], ["timeout", "timeout"], record.error);
    assert(record.error?.includes("abort listener boom"), record.error);
    const [run] = await runsOf(dataFolder, "AbortThrow");
    assertEquals([run.status, run.reason], ["timeout", "timeout"]);
  });
});
