// SLURM's accounting through sacct on a real single-node cluster with slurmdbd (a private MariaDB): the
// task's final state, exit code, elapsed time and MaxRSS land in each run's [Run] section. Run under
// `flock /tmp/sweepstore-slurm.lock`.
import { assert, assertEquals } from "./_assert.ts";
import { type Cluster, slurmInstalled, startCluster } from "./_slurm.ts";
import { clusterLimits, collectSweep, runSweep } from "../runner/mod.ts";
import { StorageManager } from "../src/run/storage_manager.ts";

const SIM = new URL("./fixtures/sims/slurm_sim.ts", import.meta.url);

Deno.test("with slurmdbd, sacct's account of each task is recorded in its runs", async () => {
  if (!(await slurmInstalled())) throw new Error("SLURM is not installed (.ci/run installs it)");
  const cluster: Cluster = await startCluster({ accounting: true });
  Deno.env.set("SLURM_CONF", cluster.env.SLURM_CONF);
  const dir = await Deno.makeTempDir({ prefix: "sweepstore-slurm-sacct-" });
  try {
    assertEquals((await clusterLimits()).sacct, true);
    const result = await runSweep({
      name: "Acct",
      simulation: SIM,
      points: [{ mode: "ok", k: 1 }, { mode: "alloc" }, { mode: "exit" }],
      dataFolder: `${dir}/Data`,
      backend: "slurm",
      slurm: { pollMs: 300 },
      summary: false,
    });
    assertEquals(
      result.runs.map((r) => r.status),
      ["done", "done", "failed"],
      result.runs.map((r) => r.error).join("\n"),
    );
    // sacct may list the batch step's MaxRSS a moment after the task's state: collect completes it.
    let rss: unknown;
    for (let i = 0; i < 20 && typeof rss !== "number"; i++) {
      await collectSweep(result.slurm!.sweepFile, { summary: false });
      const sm = await StorageManager.open(result.runs[1].path);
      rss = await sm.loadParam("slurm_max_rss_mb", { section: "Run" });
      if (typeof rss !== "number") await new Promise((r) => setTimeout(r, 500));
    }
    const run = async (i: number, key: string) =>
      await (await StorageManager.open(result.runs[i].path)).loadParam(key, { section: "Run" });
    // The allocating run held 800 MiB: sacct's MaxRSS (only sacct has it) says so.
    assert(typeof rss === "number" && rss > 700 && rss < 2000, `MaxRSS ${rss}`);
    assertEquals(await run(0, "slurm_exit_code"), "0:0");
    assertEquals(await run(2, "slurm_exit_code"), "5:0"); // Deno.exit(5) ended the task
    assertEquals(await run(2, "slurm_state"), "FAILED");
    const elapsed = await run(1, "slurm_elapsed_s");
    assert(typeof elapsed === "number" && elapsed >= 8, `elapsed ${elapsed}`); // it slept 8 s
  } finally {
    await cluster.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
