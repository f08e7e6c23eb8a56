// Session 24's review (a) of issue 8, "every process of a run dies with its run, grandchildren included":
// a simulation that starts programs outside its slot's process group — `setsid`, `detached: true`, a
// daemon's double fork — and then times out, or whose sweep is killed with SIGKILL. The process-group
// kills never reached them: they lived on, re-parented to init, for ever. Now every process a slot starts
// carries the slot's mark in its environment, and the pool (when a slot ends) and the slot's guard (when
// the sweep's process dies) kill what carries it. Real processes, checked in /proc.
import { assertEquals } from "./_assert.ts";
import { spawnCli, withTempDir } from "./_helpers.ts";
import { processesWith, runsOf, untilRunning, within } from "./_engine.ts";
import { runSweep } from "../runner/mod.ts";

/** A simulation that leaves three programs outside its process group, then waits for ever. */
function escapingSim(tag: string): string {
  return `export async function simulate() {
  const quiet = { stdin: "null", stdout: "null", stderr: "null" };
  new Deno.Command("setsid", { args: ["sleep", "${tag}1"], ...quiet }).spawn();
  new Deno.Command("sleep", { args: ["${tag}2"], detached: true, ...quiet }).spawn();
  // a daemon: forks, the child starts its own session and forks again, the middle one exits
  await new Deno.Command("sh", { args: ["-c", "setsid sh -c 'sleep ${tag}3 &' &"], ...quiet }).output();
  while (true) await new Promise((r) => setTimeout(r, 100));
}
`;
}

/** A sleep time no other process on the machine has: `sleep 1000.<random><n>`. */
function uniqueTag(): string {
  return `1000.${crypto.getRandomValues(new Uint32Array(1))[0]}`;
}

async function escaped(tag: string): Promise<number[]> {
  return await processesWith(`sleep ${tag}`);
}

function killAll(pids: number[]) {
  for (const pid of pids) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* gone */ }
  }
}

Deno.test("a run that starts setsid, detached and daemonized programs and times out: none is left once the sweep returned", async () => {
  await withTempDir(async (dir) => {
    const tag = uniqueTag();
    await Deno.writeTextFile(`${dir}/sim.ts`, escapingSim(tag));
    try {
      const result = await runSweep({
        name: "Escape",
        simulation: `${dir}/sim.ts`,
        points: [{ x: 1 }],
        timeoutMs: 1500,
        graceMs: 300,
        permissions: { run: ["setsid", "sleep", "sh"] },
        dataFolder: `${dir}/Data`,
        summary: false,
      });
      assertEquals(result.runs.map((r) => r.status), ["timeout"]);
      assertEquals(await escaped(tag), [], "programs the timed-out run started outlived its sweep");
    } finally {
      killAll(await escaped(tag));
    }
  });
});

Deno.test("kill -9 of the sweep's process: setsid, detached and daemonized programs of its runs are gone within 5 s", async () => {
  await withTempDir(async (dir) => {
    const tag = uniqueTag();
    await Deno.writeTextFile(`${dir}/sim.ts`, escapingSim(tag));
    const data = `${dir}/Data`;
    const sweep = spawnCli([
      ...["run", `${dir}/sim.ts`, "--name", "Escape", "--grid", "x=1,2", "-j", "2"],
      ...["--grace", "0.5s", "--allow-run=setsid,sleep,sh", "--data", data, "--no-progress"],
    ]);
    try {
      await untilRunning(data, "Escape", 2);
      await within(20, "both runs started their 3 programs", async () => {
        return (await escaped(tag)).length === 6;
      });
      sweep.child.kill("SIGKILL");
      await sweep.output;
      await within(5, "nothing of the sweep left in /proc", async () => {
        return (await escaped(tag)).length === 0 && (await processesWith(data)).length === 0;
      });
      const statuses = (await runsOf(data, "Escape")).map((r) => r.status);
      assertEquals(statuses, ["interrupted", "interrupted"]);
    } finally {
      killAll(await escaped(tag));
    }
  });
});
