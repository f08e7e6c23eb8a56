// Session 24's review (a) of issue 8, "signals: stop scheduling, abort ctx.signal, give simulations a grace
// period to save what they have". SIGTERM often reaches every process of a sweep at once, not only the
// sweep's process: `systemctl stop` (a cgroup), `scancel` of a job step that runs a local sweep, a `kill`
// of the process group or session. The slots then died at once (no ctx.signal, nothing saved), and so did
// the `cat`s reading their messages and output and their guards; the sweep waited out the grace period and
// said each run "did not return … and was killed". Now the slots take the signal as a stop and their
// helpers ignore it. Real processes: the CLI, its slots, their shells, all signalled; checked in /proc.
import { assert, assertEquals } from "./_assert.ts";
import { spawnCli, withTempDir } from "./_helpers.ts";
import { processesWith, runsOf, untilRunning, within } from "./_engine.ts";

// Waits for ctx.signal (no timer of its own), then saves that it saw it and returns.
const SIM = `export async function simulate(p, sm, ctx) {
  await new Promise((r) => ctx.signal.addEventListener("abort", r));
  await sm.saveParam("saved_on_abort", String(ctx.signal.reason?.message));
  return { score: p.x };
}
`;

/** The process and all its descendants (from one `ps` listing). */
async function tree(root: number): Promise<number[]> {
  const out = await new Deno.Command("ps", { args: ["-eo", "pid=,ppid="], stdout: "piped" })
    .output();
  const children = new Map<number, number[]>();
  for (const line of new TextDecoder().decode(out.stdout).trim().split("\n")) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const all = [root];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]) ?? []));
  return all;
}

Deno.test("SIGTERM to every process of a sweep at once (systemctl stop, scancel): runs save on ctx.signal, exit 143, nothing left", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, SIM);
    const data = `${dir}/Data`;
    const sweep = spawnCli([
      ...["run", `${dir}/sim.ts`, "--name", "All", "--grid", "x=1,2", "-j", "2"],
      ...["--data", data, "--no-progress"],
    ]);
    await untilRunning(data, "All", 2);
    const pids = await tree(sweep.child.pid);
    assert(pids.length >= 10, `the sweep's processes: ${pids}`);
    const kill = await new Deno.Command("kill", { args: ["-TERM", ...pids.map(String)] }).output();
    assert(kill.success);
    const out = await sweep.output;
    assertEquals(out.code, 143, out.stderr);
    const runs = await runsOf(data, "All");
    assertEquals(runs.map((r) => r.status), ["interrupted", "interrupted"], out.stderr);
    for (const r of runs) {
      const ini = await Deno.readTextFile(`${r.path}/config.ini`);
      assert(/^saved_on_abort = /m.test(ini), `the run saved nothing on ctx.signal: ${ini}`);
    }
    assert(!out.stderr.includes("was killed"), out.stderr);
    await within(5, "nothing of the sweep left in /proc", async () => {
      return (await processesWith(data)).length === 0;
    });
  });
});

Deno.test("SIGTERM to one slot: its run gets ctx.signal, saves and is interrupted; the sweep runs the other points", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/sim.ts`,
      SIM.replace(
        "export async function simulate(p, sm, ctx) {",
        (head) => `${head}\n  if (p.x !== 1) return { score: p.x };`,
      ),
    );
    const data = `${dir}/Data`;
    const sweep = spawnCli([
      ...["run", `${dir}/sim.ts`, "--name", "One", "--grid", "x=1,2,3", "-j", "1"],
      ...["--data", data, "--no-progress"],
    ]);
    const [running] = await untilRunning(data, "One", 1);
    Deno.kill(running.pid!, "SIGTERM");
    const out = await sweep.output;
    assertEquals(out.code, 1, out.stderr); // a run did not end done
    const runs = await runsOf(data, "One");
    const byStatus = runs.map((r) => r.status).sort();
    assertEquals(byStatus, ["done", "done", "interrupted"], out.stderr);
    const stopped = runs.find((r) => r.status === "interrupted")!;
    const ini = await Deno.readTextFile(`${stopped.path}/config.ini`);
    assert(/^saved_on_abort = the slot got SIGTERM$/m.test(ini), ini);
  });
});

Deno.test("SIGTERM to every process with --grace 20s: a run that takes 5 s to save after ctx.signal keeps all of it", async () => {
  await withTempDir(async (dir) => {
    // the slots' own grace after the sweep's death is capped at 4 s; a stop signal gets the sweep's
    await Deno.writeTextFile(
      `${dir}/sim.ts`,
      SIM.replace(
        "await sm.saveParam(",
        "await new Promise((r) => setTimeout(r, 5000));\n  await sm.saveParam(",
      ),
    );
    const data = `${dir}/Data`;
    const sweep = spawnCli([
      ...["run", `${dir}/sim.ts`, "--name", "Slow", "--grid", "x=1", "--grace", "20s"],
      ...["--data", data, "--no-progress"],
    ]);
    await untilRunning(data, "Slow", 1);
    const pids = await tree(sweep.child.pid);
    const kill = await new Deno.Command("kill", { args: ["-TERM", ...pids.map(String)] }).output();
    assert(kill.success);
    const out = await sweep.output;
    assertEquals(out.code, 143, out.stderr);
    const [run] = await runsOf(data, "Slow");
    const ini = await Deno.readTextFile(`${run.path}/config.ini`);
    assert(/^saved_on_abort = /m.test(ini), ini); // aborted by the slot's signal or the sweep's stop
    assertEquals(run.status, "interrupted");
  });
});

Deno.test("SIGTERM to one slot whose run ignores ctx.signal: given up after --grace (interrupted), the sweep goes on", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/sim.ts`,
      `export async function simulate(p) {
  if (p.x !== 1) return { score: p.x };
  setInterval(() => {}, 1000);
  await new Promise(() => {});
}
`,
    );
    const data = `${dir}/Data`;
    const sweep = spawnCli([
      ...["run", `${dir}/sim.ts`, "--name", "Deaf", "--grid", "x=1,2,3", "-j", "1"],
      ...["--grace", "1s", "--data", data, "--no-progress"],
    ]);
    const [running] = await untilRunning(data, "Deaf", 1);
    Deno.kill(running.pid!, "SIGTERM");
    const out = await sweep.output;
    assertEquals(out.code, 1, out.stderr);
    const runs = await runsOf(data, "Deaf");
    assertEquals(runs.map((r) => r.status).sort(), ["done", "done", "interrupted"], out.stderr);
    const stopped = runs.find((r) => r.status === "interrupted")!;
    assert(
      stopped.error?.startsWith("the slot got SIGTERM; the run did not return"),
      stopped.error,
    );
    await within(5, "nothing of the sweep left in /proc", async () => {
      return (await processesWith(data)).length === 0;
    });
  });
});
