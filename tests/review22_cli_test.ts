/**
 * Review 22: `sweepstore run --resume`'s exit 75 with real CLI processes — a resume whose own runs failed
 * exits 1 and does not claim 75; a resume after a kill -9 whose runs have died exits 0 — the help texts name
 * 75, and a second signal's lines say what happens (the CLI exits at once; a run that ignores ctx.signal and
 * the program it started are gone from /proc min(grace, 4 s) + 0.5 s after that exit).
 */
import { assert, assertEquals } from "./_assert.ts";
import { cli, spawnCli as startCli, withTempDir } from "./_helpers.ts";
import { runsOf, untilRunning, within } from "./_engine.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url).pathname;

const base = (
  data: string,
  name: string,
) => ["run", SIM, "--name", name, "--data", data, "--no-progress", "-j", "2"];

/** Whether process `pid` is alive and not a zombie (read from /proc). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
  }
}

/** The CLI started with `args`; its output as one text. */
function spawnCli(args: string[]) {
  const { child, output } = startCli(args);
  return { child, output: output.then((o) => ({ code: o.code, text: o.stdout + o.stderr })) };
}

Deno.test("run --resume: runs of its own failed while others are held elsewhere: exit 1, no word of exit 75", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const args = [...base(data, "F"), "--grid", "ms=6000", "--grid", "i=1,2"];
    const first = spawnCli([...args, "--grid", "mode=sleep"]);
    await untilRunning(data, "F", 2);
    const resumed = await cli([...args, "--grid", "mode=sleep,exit", "--resume"]);
    const said = resumed.stdout + resumed.stderr;
    assertEquals(resumed.code, 1, said);
    assert(said.includes("2 runs are running in another sweep of this name"), said);
    assert(!said.includes("(exit 75)"), `a line promises exit 75, the CLI exits 1:\n${said}`);
    assertEquals((await first.output).code, 0);
  });
});

Deno.test("run --resume after a kill -9 whose runs have died: every point run, exit 0 (not 75)", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const args = [
      ...base(data, "K9"),
      "--grid",
      "mode=sleep",
      "--grid",
      "ms=60000",
      "--grid",
      "i=1,2",
      "--grace",
      "1s",
    ];
    const first = spawnCli(args);
    const running = await untilRunning(data, "K9", 2);
    first.child.kill("SIGKILL");
    await first.output;
    await within(
      10,
      "the runs to die",
      () => Promise.resolve(running.every((r) => !alive(r.pid!))),
    );
    const resumed = await cli([...args.map((a) => a === "ms=60000" ? "ms=10" : a), "--resume"]);
    assertEquals(resumed.code, 0, resumed.stdout + resumed.stderr);
  });
});

Deno.test("the help texts name exit 75 and what a second signal does", async () => {
  const top = await cli(["--help"]);
  const run = await cli(["run", "--help"]);
  for (const text of [top.stdout, run.stdout]) assert(/\b75\b/.test(text), text);
  assert(!run.stdout.includes("kills them at once"), run.stdout);
  assert(run.stdout.includes("second signal"), run.stdout);
});

Deno.test("a second SIGINT: the CLI exits at once; a run ignoring ctx.signal and its child are gone 1.5 s after (grace 1 s)", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const sweep = spawnCli([
      ...base(data, "S2"),
      "--grid",
      "mode=spawn_sleep",
      "--grid",
      "i=1,2",
      "--grace",
      "1s",
      "--allow-run=sleep",
    ]);
    let pids: number[] = [];
    await within(60, "two runs and their children started", async () => {
      const texts = await Promise.all(
        (await runsOf(data, "S2")).map((r) =>
          // a folder still being made (its config.ini renamed in a moment later): not yet
          Deno.readTextFile(`${r.path}/config.ini`).catch(() => "")
        ),
      );
      pids = texts.flatMap((t) =>
        [...t.matchAll(/^(?:pid|child_pid) = (\d+)$/gm)].map((m) => Number(m[1]))
      );
      return pids.length === 4;
    });
    assertEquals(pids.length, 4, String(pids));
    sweep.child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 300));
    sweep.child.kill("SIGINT");
    const out = await sweep.output;
    assertEquals(out.code, 130, out.text);
    assert(
      !out.text.includes("Ctrl-C again kills them now"),
      `the first line promised a kill now:\n${out.text}`,
    );
    assert(
      out.text.includes("SIGINT again: exiting now; the runs still going are killed"),
      out.text,
    );
    // the promise: killed min(1 s, 4 s) + 0.5 s after the CLI's exit (1 s of slack for a loaded machine)
    await within(
      2.5,
      "the runs and their children gone from /proc",
      () => Promise.resolve(!pids.some(alive)),
      10,
    );
    // The slots' watchdogs mark their runs interrupted at min(grace, 4 s) after the CLI's exit, half a
    // second before their guards kill them; on a loaded machine (the full suite beside benchmarks) a mark
    // can miss that half second and the folder stays `running`. The promise that holds whatever the load:
    // its owner is gone, so the next `status` (as `resume` and the summary) marks it interrupted.
    // (In one CI run of the full suite a folder still said `running` right after the first `status`:
    // its owner's lock was not yet free then; `status` is asked again for up to 20 s.)
    await within(20, "status to mark the runs interrupted", async () => {
      const status = await cli(["status", "S2", "--data", data]);
      assertEquals(status.code, 0, status.stdout + status.stderr);
      return (await runsOf(data, "S2")).every((r) => r.status === "interrupted");
    }, 1000).catch(async (err) => {
      throw new Error(`${(err as Error).message}\n${await ownerReport(data, "S2")}`);
    });
    for (const r of await runsOf(data, "S2")) {
      assertEquals([r.status, r.reason], ["interrupted", "interrupted"]);
    }
  });
});

/** For a failure: each run's `[Run]` section, and who holds its owner's lock (`/proc/locks`, by inode). */
async function ownerReport(data: string, name: string): Promise<string> {
  const locks = new TextDecoder().decode(
    (await new Deno.Command("cat", { args: ["/proc/locks"], stdout: "piped" }).output()).stdout,
  );
  const lines: string[] = [];
  for (const r of await runsOf(data, name)) {
    lines.push(`${r.path}: ${JSON.stringify(r)}`);
    const lock = `${data}/StorageManager/${name}/.sweepstore/owners/${r.owner}.lock`;
    try {
      const ino = Deno.statSync(lock).ino;
      const held = locks.split("\n").filter((l) => l.includes(`:${ino} `));
      lines.push(`  owner lock ${lock}: inode ${ino}, held: ${held.join(" | ") || "no"}`);
    } catch (err) {
      lines.push(`  owner lock ${lock}: ${(err as Error).message}`);
    }
  }
  return lines.join("\n");
}
