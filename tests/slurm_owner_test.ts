/**
 * A SLURM array task that cannot create its owner lock (a run without an owner could never be told from a
 * live one after its node died), or, with `resume`, cannot use the point claims folder (before: it crashed
 * on an uncaught rejection, its runs `failed`/`exit`), runs nothing: the sweep's runs fail with reason
 * `storage`, their error naming the folder and the task's log, and no run folder is made. One real
 * cluster for both; run under `flock /tmp/sweepstore-slurm.lock` (~40 s).
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { type Cluster, slurmInstalled, startCluster } from "./_slurm.ts";
import { runSweep } from "../runner/mod.ts";
import { isBookkeepingFolder } from "../src/layout.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url);

/** A SLURM sweep of two points whose `.sweepstore/<blocked>` is a file; checks that nothing ran. */
async function blockedSweep(dir: string, name: string, blocked: string, resume: boolean) {
  const data = `${dir}/Data`;
  const folder = `${data}/StorageManager/${name}/.sweepstore/${blocked}`;
  await Deno.mkdir(`${data}/StorageManager/${name}/.sweepstore`, { recursive: true });
  await Deno.writeTextFile(folder, "in the way\n");
  const result = await runSweep({
    name,
    simulation: SIM,
    points: [{ mode: "return" }, { mode: "return", i: 2 }],
    dataFolder: data,
    backend: "slurm",
    resume,
    summary: false,
  });
  assertEquals(result.runs.map((r) => [r.status, r.reason]), [
    ["failed", "storage"],
    ["failed", "storage"],
  ]);
  for (const r of result.runs) {
    assert(r.error?.includes(folder), r.error);
    assert(r.error?.includes(".out"), `the error names the task's log: ${r.error}`);
  }
  // nothing started: no run folder, so none can stay `running`
  const folders = [...Deno.readDirSync(`${data}/StorageManager/${name}`)]
    .filter((e) => e.isDirectory && !isBookkeepingFolder(e.name));
  assertEquals(folders, []);
}

Deno.test("SLURM: an array task without its owner lock, or (resume) its point claims, runs nothing; the runs fail `storage`", async (t) => {
  if (!(await slurmInstalled())) throw new Error("SLURM is not installed (.ci/run installs it)");
  const cluster: Cluster = await startCluster(2);
  Deno.env.set("SLURM_CONF", cluster.env.SLURM_CONF);
  try {
    await withTempDir(async (dir) => {
      await t.step("owner lock", () => blockedSweep(dir, "SlOwner", "owners", false));
      await t.step("point claims (resume)", () => blockedSweep(dir, "SlClaims", "claims", true));
    });
  } finally {
    await cluster.stop();
    Deno.env.delete("SLURM_CONF");
  }
});
