/**
 * Review of session 23 (b), SLURM: with `resume`, an array task that cannot use the point claims folder (a
 * file in its place) crashed with an uncaught rejection (the runs: `failed`/`exit`, "see the log"). Now
 * it runs nothing, as without its owner lock: the runs fail `storage` naming the claims folder and the
 * task's log. Run under `flock /tmp/sweepstore-slurm.lock` (~40 s).
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { type Cluster, slurmInstalled, startCluster } from "./_slurm.ts";
import { runSweep } from "../runner/mod.ts";
import { isBookkeepingFolder } from "../src/layout.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url);

Deno.test("SLURM resume: an array task that cannot take point claims runs nothing; the runs fail `storage`", async () => {
  if (!(await slurmInstalled())) throw new Error("SLURM is not installed (.ci/run installs it)");
  const cluster: Cluster = await startCluster(2);
  Deno.env.set("SLURM_CONF", cluster.env.SLURM_CONF);
  try {
    await withTempDir(async (dir) => {
      const data = `${dir}/Data`;
      const claims = `${data}/StorageManager/SlClaims/.sweepstore/claims`;
      await Deno.mkdir(`${data}/StorageManager/SlClaims/.sweepstore`, { recursive: true });
      await Deno.writeTextFile(claims, "in the way\n");
      const result = await runSweep({
        name: "SlClaims",
        simulation: SIM,
        points: [{ mode: "return" }, { mode: "return", i: 2 }],
        dataFolder: data,
        backend: "slurm",
        resume: true,
        summary: false,
      });
      assertEquals(result.runs.map((r) => [r.status, r.reason]), [
        ["failed", "storage"],
        ["failed", "storage"],
      ]);
      for (const r of result.runs) {
        assert(r.error?.includes(claims), r.error);
        assert(r.error?.includes(".out"), `the error names the task's log: ${r.error}`);
      }
      const folders = [...Deno.readDirSync(`${data}/StorageManager/SlClaims`)]
        .filter((e) => e.isDirectory && !isBookkeepingFolder(e.name));
      assertEquals(folders, []);
    });
  } finally {
    await cluster.stop();
    Deno.env.delete("SLURM_CONF");
  }
});
