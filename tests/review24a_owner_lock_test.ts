// Session 24's review (a) of issue 8, "no point runs twice": a user deleted the group's `.sweepstore`
// bookkeeping (here its `owners` folder) while a sweep ran. A live owner keeps its flock on the deleted
// file, but `status` found no lock file, judged the owner gone and marked both live runs `interrupted`;
// `run --resume` then ran both points again while the first sweep finished them too: 4 `done` runs of 2
// points. Now a missing lock file tells nothing, and the run's `[Run] pid` on this host decides. Real
// processes: the CLI, its slots, `ps`.
import { assert, assertEquals } from "./_assert.ts";
import { cli, spawnCli, withTempDir } from "./_helpers.ts";
import { runsOf, untilRunning } from "./_engine.ts";

// Waits (without a timer of its own that a test could depend on) until the test creates `go`.
const SIM = `export async function simulate(p) {
  const go = new URL("./go", import.meta.url);
  while (true) {
    try { await Deno.stat(go); break; } catch { await new Promise((r) => setTimeout(r, 50)); }
  }
  return { score: p.x };
}
`;

Deno.test("owner lock files deleted while a sweep runs: status leaves its live runs running, resume runs no point twice", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, SIM);
    const data = `${dir}/Data`;
    const args = [`${dir}/sim.ts`, "--name", "Del", "--grid", "x=1,2", "-j", "2", "--data", data];
    const first = spawnCli(["run", ...args, "--no-progress"]);
    try {
      await untilRunning(data, "Del", 2);
      await Deno.remove(`${data}/StorageManager/Del/.sweepstore/owners`, { recursive: true });

      const status = await cli(["status", "Del", "--data", data]);
      assertEquals(status.code, 0, status.stderr);
      assert(status.stdout.includes("Del: 2 runs (2 running)"), status.stdout);
      assertEquals((await runsOf(data, "Del")).map((r) => r.status), ["running", "running"]);
      const ls = await cli(["ls", "--data", data]);
      assert(/Del\s+2 runs\s+\(2 running\)/.test(ls.stdout), ls.stdout);

      const resume = await cli(["run", ...args, "--resume", "--no-progress"], dir);
      assertEquals(resume.code, 75, resume.stdout + resume.stderr); // held elsewhere: resume again later
    } finally {
      await Deno.writeTextFile(`${dir}/go`, "");
    }
    const out = await first.output;
    assertEquals(out.code, 0, out.stderr);
    const runs = await runsOf(data, "Del");
    assertEquals(runs.map((r) => r.status), ["done", "done"], JSON.stringify(runs));
  });
});

Deno.test("owner lock files deleted, then the slots killed with SIGKILL: status marks their runs interrupted by pid", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, SIM);
    const data = `${dir}/Data`;
    const args = [`${dir}/sim.ts`, "--name", "Gone", "--grid", "x=1,2", "-j", "2", "--data", data];
    const first = spawnCli(["run", ...args, "--no-progress"]);
    const running = await untilRunning(data, "Gone", 2);
    await Deno.remove(`${data}/StorageManager/Gone/.sweepstore/owners`, { recursive: true });
    first.child.kill("SIGKILL");
    await first.output;
    for (const r of running) {
      try {
        Deno.kill(-r.pid!, "SIGKILL"); // the slot's whole group, before its watchdog marks the run
      } catch { /* gone */ }
    }
    await Deno.writeTextFile(`${dir}/go`, "");
    // the kernel reaps the slots; ps stops listing them
    for (let i = 0; i < 100; i++) {
      const ps = await new Deno.Command("ps", {
        args: ["-o", "stat=", "-p", running.map((r) => r.pid).join(",")],
        stdout: "piped",
      }).output();
      const states = new TextDecoder().decode(ps.stdout).trim();
      if (states.split("\n").every((s) => s === "" || s.startsWith("Z"))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assertEquals((await runsOf(data, "Gone")).map((r) => r.status), ["running", "running"]);
    const status = await cli(["status", "Gone", "--data", data]);
    assertEquals(status.code, 0, status.stderr);
    assert(status.stdout.includes("marked interrupted"), status.stdout);
    for (const r of await runsOf(data, "Gone")) assertEquals(r.status, "interrupted");
  });
});
