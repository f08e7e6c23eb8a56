/**
 * `sweepstore run --resume` while another live sweep of the name runs some points (here: the sweep
 * itself, still running): those points are not started again, and the CLI exits 75 (EX_TEMPFAIL) with a
 * line saying to resume again later, so `run --resume && analyse` never goes on with a sweep that is not
 * complete; once that sweep has ended, a resume finds every point done and exits 0.
 */
import { assert, assertEquals } from "./_assert.ts";
import { cli, withTempDir } from "./_helpers.ts";
import { runsOf, untilRunning } from "./_engine.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url).pathname;

Deno.test("run --resume beside a live sweep of the name exits 75; afterwards 0, each point run once", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const args = [
      "run",
      SIM,
      "--name",
      "Else",
      "--grid",
      "mode=sleep",
      "--grid",
      "ms=4000",
      "--grid",
      "i=1,2",
      "--concurrency",
      "2",
      "--data",
      data,
      "--no-progress",
    ];
    const first = cli(args);
    await untilRunning(data, "Else", 2);
    const resumed = await cli([...args, "--resume"]);
    assertEquals(resumed.code, 75, resumed.stdout + resumed.stderr);
    const said = resumed.stdout + resumed.stderr;
    assert(said.includes("2 runs are running in another sweep of this name"), said);
    assert(said.includes("run --resume again once that sweep has ended"), said);
    const done = await first;
    assertEquals(done.code, 0, done.stderr);
    const again = await cli([...args, "--resume"]);
    assertEquals(again.code, 0, again.stdout + again.stderr);
    const runs = await runsOf(data, "Else");
    assertEquals(runs.map((r) => r.status), ["done", "done"], "each point ran once");
  });
});
