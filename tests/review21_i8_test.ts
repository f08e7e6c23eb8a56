// Session 21's re-run of issue 8's examples as a new user (point 3): "each run keeps the tail of its stdout
// and stderr in its run folder, and a failed run's error says where to find it". A crashed or killed run's
// error named its log, but a run whose simulate threw (or returned after its timeout) after printing did
// not: its folder had stdout.log / stderr.log, yet neither its error nor its [Run] section said so.
// Real processes: the CLI runs the sweep in its slots; Python's configparser reads the run folders.
import { assert, assertEquals } from "./_assert.ts";
import { cli, python, withTempDir } from "./_helpers.ts";

const SIM = `
export async function simulate(params, _sm, ctx) {
  console.log("progress of " + params.mode);
  console.error("warning of " + params.mode);
  if (params.mode === "throw") throw new Error("boom after printing");
  if (params.mode === "late") {
    // returns after its timeout, within the grace period: status timeout, not killed
    await new Promise((r) => ctx.signal.addEventListener("abort", r));
    return { score: 0 };
  }
  return { score: 1 };
}
`;

const READ = `
import configparser, glob, json, os, sys
out = []
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*", "config.ini"))):
    c = configparser.ConfigParser(interpolation=None)
    c.read(f)
    run = c["Run"]
    out.append({"dir": os.path.dirname(f), "mode": c["Parameters"]["mode"], "status": run["status"],
                "error": run.get("error", ""), "stdout_log": run.get("stdout_log"),
                "stderr_log": run.get("stderr_log")})
print(json.dumps(out))
`;

Deno.test("a run that threw or returned after its timeout, after printing: its error and [Run] name its logs", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, SIM);
    const res = await cli(
      [
        "run",
        "sim.ts",
        "--name",
        "Logs",
        "--grid",
        "mode=throw,late,ok",
        "--timeout",
        "1s",
        "--grace",
        "20s",
        "-j",
        "3",
        "--no-progress",
      ],
      dir,
    );
    assertEquals(res.code, 1, res.stderr);
    const runs: {
      dir: string;
      mode: string;
      status: string;
      error: string;
      stdout_log?: string;
      stderr_log?: string;
    }[] = JSON.parse(await python(READ, [`${dir}/Data/StorageManager/Logs`]));
    assertEquals(runs.map((r) => r.mode).sort(), ["late", "ok", "throw"]);
    for (const r of runs) {
      // every run printed to both streams: both logs are in its folder
      assertEquals(await Deno.readTextFile(`${r.dir}/stdout.log`), `progress of ${r.mode}\n`);
      assertEquals(await Deno.readTextFile(`${r.dir}/stderr.log`), `warning of ${r.mode}\n`);
      if (r.mode === "ok") {
        assertEquals(r.status, "done");
        continue;
      }
      assertEquals(r.status, r.mode === "throw" ? "failed" : "timeout");
      assertEquals([r.stdout_log, r.stderr_log], ["stdout.log", "stderr.log"], r.mode);
      assert(
        r.error.includes(`(the run's output: ${r.dir}/stderr.log)`),
        `${r.mode}: the error does not say where the logs are: ${r.error}`,
      );
    }
  });
});
