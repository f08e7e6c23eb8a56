/**
 * A SLURM array task that cannot create its owner lock runs nothing (a run without an owner could never be
 * told from a live one after its node died): the sweep's runs fail, blamed on storage with the owners
 * folder named, none left `running`. Run under `flock /tmp/sweepstore-slurm.lock` (~40 s).
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { type Cluster, slurmInstalled, startCluster } from "./_slurm.ts";
import { runSweep } from "../runner/mod.ts";
import { isBookkeepingFolder } from "../src/layout.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url);

Deno.test("SLURM: an array task without its owner lock runs nothing; the runs fail naming the owners folder", async () => {
  if (!(await slurmInstalled())) throw new Error("SLURM is not installed (.ci/run installs it)");
  const cluster: Cluster = await startCluster(2);
  Deno.env.set("SLURM_CONF", cluster.env.SLURM_CONF);
  try {
    await withTempDir(async (dir) => {
      const data = `${dir}/Data`;
      const owners = `${data}/StorageManager/SlOwner/.sweepstore/owners`;
      await Deno.mkdir(`${data}/StorageManager/SlOwner/.sweepstore`, { recursive: true });
      await Deno.writeTextFile(owners, "in the way\n");
      const result = await runSweep({
        name: "SlOwner",
        simulation: SIM,
        points: [{ mode: "return" }, { mode: "return", i: 2 }],
        dataFolder: data,
        backend: "slurm",
        summary: false,
      });
      assertEquals(result.runs.map((r) => [r.status, r.reason]), [
        ["failed", "storage"],
        ["failed", "storage"],
      ]);
      for (const r of result.runs) {
        assert(r.error?.includes(owners), r.error);
        assert(r.error?.includes(".out"), `the error names the task's log: ${r.error}`);
      }
      // nothing started: no run folder, so none can stay `running`
      const folders = [...Deno.readDirSync(`${data}/StorageManager/SlOwner`)]
        .filter((e) => e.isDirectory && !isBookkeepingFolder(e.name));
      assertEquals(folders, []);
    });
  } finally {
    await cluster.stop();
    Deno.env.delete("SLURM_CONF");
  }
});
