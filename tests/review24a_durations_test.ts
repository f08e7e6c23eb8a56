// Session 24's review (a) of issue 8: `timeoutMs` / `graceMs` of `runSweep` beyond setTimeout's largest delay
// (2^31 − 1 ms, about 24.8 days). The CLI refused `--timeout 30d`, but the library took `timeoutMs: 1e10`
// (115 days): Deno's timer fired after 1 ms, and the sweep failed with "the module did not finish loading
// within 10000000000 ms", having started its slots. Now both are refused before anything starts, naming
// the option; the largest delay still runs. Real processes: the sweep's slots.
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { runSweep } from "../runner/mod.ts";

Deno.test("runSweep: timeoutMs or graceMs above 2^31 − 1 ms is a RangeError before any folder exists; 2^31 − 1 runs", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = (p) => ({ score: p.x });\n");
    const data = `${dir}/Data`;
    const base = {
      name: "Long",
      simulation: `${dir}/sim.ts`,
      points: [{ x: 1 }],
      dataFolder: data,
    };
    for (
      const [key, value] of [["timeoutMs", 1e10], ["timeoutMs", 2 ** 31], ["graceMs", 2 ** 31]]
    ) {
      const err = await assertRejects(
        () => runSweep({ ...base, [key]: value, summary: false }),
        RangeError,
      );
      assert(err.message.startsWith(`${key} must be at most 2147483647 ms`), err.message);
      let made = true;
      try {
        await Deno.stat(data);
      } catch {
        made = false;
      }
      assertEquals(made, false, `${key}: ${value} made the Data folder`);
    }
    const ok = await runSweep({
      ...base,
      timeoutMs: 2 ** 31 - 1,
      graceMs: 2 ** 31 - 1,
      summary: false,
    });
    assertEquals(ok.runs.map((r) => r.status), ["done"]);
  });
});
