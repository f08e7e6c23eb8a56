// A user's SLURM flags on a real single-node cluster (MaxArraySize=11, memory limits enforced): the
// arrays of a sweep share --concurrency as SLURM sees it (throttles, waiting in turn); bad flags give
// one-line errors (--time/--mem refused with exit 2 before anything is written; sbatch's refusal in one
// line); a chunk's point that its task never reached after a memory kill is interrupted, not oom; the
// points of a job SLURM forgot are unstarted, not pending.
// Run under `flock /tmp/sweepstore-slurm.lock`.
import { assert, assertEquals } from "./_assert.ts";
import { run } from "./_helpers.ts";
import { type Cluster, slurmInstalled, startCluster } from "./_slurm.ts";

const SIM = new URL("./fixtures/sims/slurm_sim.ts", import.meta.url).pathname;
const CLI = new URL("../runner/cli/cli.ts", import.meta.url).pathname;

function assertStringIncludes(text: string, part: string) {
  assert(text.includes(part), `expected ${JSON.stringify(part)} in:\n${text}`);
}

/** `ArrayTaskThrottle` and `Dependency` of a job array, as slurmctld keeps them. */
async function throttleAndDependency(job: string): Promise<[string, string]> {
  const out = await run("scontrol", ["show", "job", job]);
  assertEquals(out.code, 0, out.stderr);
  const field = (name: string) => new RegExp(`${name}=(\\S+)`).exec(out.stdout)?.[1] ?? "";
  return [field("ArrayTaskThrottle"), field("Dependency")];
}

Deno.test("SLURM flags: arrays share --concurrency; bad --time, --mem, --partition; a chunk's oom", async (t) => {
  if (!(await slurmInstalled())) throw new Error("SLURM is not installed (.ci/run installs it)");
  const cluster: Cluster = await startCluster({ maxArraySize: 11, memoryMb: 4000 });
  const dir = await Deno.makeTempDir({ prefix: "sweepstore-slurm-flags-" });
  const data = `${dir}/Data`;
  Deno.env.set("SLURM_CONF", cluster.env.SLURM_CONF);
  const cli = (...args: string[]) =>
    run(Deno.execPath(), ["run", "-A", CLI, ...args, "--data", data]);
  const sweep = (name: string, n: number, ...flags: string[]) =>
    cli(
      "run",
      SIM,
      "--name",
      name,
      "--point",
      ...[...Array(n).keys()].flatMap((k, i) => [
        ...(i ? ["--point"] : []),
        `mode=ok,k=${k}`,
      ]),
      "--backend",
      "slurm",
      "--no-wait",
      ...flags,
    );
  try {
    await t.step(
      "-j 2 over 5 arrays: one task of each at a time, arrays 3-5 wait in turn",
      async () => {
        const out = await sweep("Two", 50, "-j", "2", "--chunk", "1", "--sbatch-arg=--hold");
        assertEquals(out.code, 0, out.stderr);
        const jobs = /submitted SLURM jobs ([\d, ]+):/.exec(out.stdout + out.stderr)![1].split(
          ", ",
        );
        assertEquals(jobs.length, 5);
        const seen = [];
        for (const job of jobs) seen.push(await throttleAndDependency(job));
        assertEquals(seen.map(([throttle]) => throttle), ["1", "1", "1", "1", "1"]);
        assertEquals(seen.map(([, dep]) => dep.replace(/\(.*\)$/, "") || "none"), [
          "none",
          "none",
          `afterany:${jobs[0]}_*`,
          `afterany:${jobs[1]}_*`,
          `afterany:${jobs[2]}_*`,
        ]);
        await run("scancel", jobs);
      },
    );

    await t.step("-j 3 over 2 arrays: 2 + 1 at once, no slot lost to rounding", async () => {
      const out = await sweep("Three", 12, "-j", "3", "--chunk", "1", "--sbatch-arg=--hold");
      assertEquals(out.code, 0, out.stderr);
      const jobs = /submitted SLURM jobs ([\d, ]+):/.exec(out.stdout + out.stderr)![1].split(", ");
      const seen = [];
      for (const job of jobs) seen.push((await throttleAndDependency(job))[0]);
      assertEquals(seen, ["2", "1"]);
      await run("scancel", jobs);
    });

    await t.step("--time abc and --mem 1.5G: exit 2, one line, no folder made", async () => {
      for (const flags of [["--time", "abc"], ["--mem", "1.5G"]]) {
        const out = await sweep("BadFlag", 2, ...flags);
        assertEquals(out.code, 2, out.stderr);
        assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
        assertStringIncludes(out.stderr, flags[0]);
      }
      const written = await Deno.stat(`${data}/StorageManager/BadFlag`).then(
        () => true,
        () => false,
      );
      assertEquals(written, false);
    });

    await t.step(
      "--partition nope: sbatch's refusal in one line; status: never accepted",
      async () => {
        const out = await sweep("NoPart", 2, "--partition", "nope");
        assertEquals(out.code, 2, "bad input: exit 2, not 1");
        assertStringIncludes(out.stderr, "fix --partition");
        assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
        assertStringIncludes(out.stderr, "invalid partition specified: nope");
        const status = await cli("status", "NoPart");
        assertStringIncludes(status.stdout + status.stderr, "was never accepted by SLURM");
      },
    );
    await t.step(
      "a memory kill in a chunk: that run oom, the point after it interrupted",
      async () => {
        const out = await cli(
          "run",
          SIM,
          "--name",
          "Chunk",
          ...["--point", "mode=ok,k=1", "--point", "mode=alloc,k=2", "--point", "mode=ok,k=3"],
          ...["--backend", "slurm", "--chunk", "3", "--mem", "600M", "--no-progress"],
        );
        assertStringIncludes(out.stderr, "failed: 1 oom");
        assertStringIncludes(out.stderr, "interrupted: 1 interrupted");
        const status = await cli("status", "Chunk");
        assertStringIncludes(status.stdout, "runs: 1 done, 1 failed (oom), 1 unstarted");
      },
    );
    // Last: it makes the cluster forget ended jobs within seconds.
    await t.step(
      "a job SLURM forgot (MinJobAge, no slurmdbd): its points unstarted, not pending",
      async () => {
        const out = await sweep("Gone", 3, "--sbatch-arg=--hold");
        const job = /submitted SLURM job (\d+):/.exec(out.stdout + out.stderr)![1];
        assertEquals((await run("scancel", [job])).code, 0);
        const conf = cluster.env.SLURM_CONF;
        await Deno.writeTextFile(
          conf,
          (await Deno.readTextFile(conf)).replace("MinJobAge=3600", "MinJobAge=2"),
        );
        assertEquals((await run("scontrol", ["reconfigure"])).code, 0);
        const end = Date.now() + 60_000;
        while ((await run("scontrol", ["show", "job", job])).code === 0) {
          assert(Date.now() < end, `slurmctld did not forget job ${job} within 60 s`);
          await new Promise((r) => setTimeout(r, 500));
        }
        const status = await cli("status", "Gone");
        assertStringIncludes(status.stdout, "ended");
        assertStringIncludes(status.stdout, "runs: 3 unstarted");
      },
    );
  } finally {
    await cluster.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
