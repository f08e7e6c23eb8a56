// A two-generation search on a real single-node SLURM cluster: one job array per generation, the driver
// follows each, and the result equals the same search on the local backend (deterministic given the seed
// and the scores). Run it under `flock /tmp/sweepstore-slurm.lock …` (one test cluster at a time).
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { type Cluster, slurmInstalled, startCluster } from "./_slurm.ts";
import { runSweep, type RunSweepOptions } from "../runner/mod.ts";
import { readRunSection, type RunSection } from "../runner/run_record.ts";
import { StorageManagerGroup } from "../src/group/group.ts";

/** The `[Run]` sections of a group's run folders (not its `slurm/` logs or `sweeps/` folders). */
async function runsOf(dataFolder: string, name: string): Promise<RunSection[]> {
  const group = await StorageManagerGroup.load(name, { dataFolder });
  return group.runs.map((sm) => readRunSection(sm));
}

const SIM = new URL("../bench/search/quadratic.ts", import.meta.url);

function evo(name: string, dataFolder: string): RunSweepOptions {
  return {
    name,
    simulation: SIM,
    dataFolder,
    search: {
      population: 3,
      generations: 2,
      seed: 5,
      mutation: 0.2,
      bounds: { x0: { min: -1, max: 1 }, x1: { min: -1, max: 1 } },
    },
    objective: { key: "loss", goal: "minimize" },
  };
}

Deno.test("a two-generation search runs as one SLURM job array per generation", async () => {
  if (!(await slurmInstalled())) {
    throw new Error("SLURM is not installed: .ci/run installs slurmctld slurmd slurm-client munge");
  }
  const cluster: Cluster = await startCluster();
  Deno.env.set("SLURM_CONF", cluster.env.SLURM_CONF);
  const dir = await Deno.makeTempDir({ prefix: "sweepstore-slurm-search-" });
  try {
    const submitted: string[] = [];
    const slurm = await runSweep({
      ...evo("SlEvo", `${dir}/Data`),
      backend: "slurm",
      slurm: { pollMs: 300 },
      onEvent: (e) => e.type === "submitted" && submitted.push(...e.jobIds),
    });
    assertEquals(slurm.interrupted, false);
    assertEquals(submitted.length, 2, "one job array per generation");
    assert(submitted[0] !== submitted[1]);
    const runs = await runsOf(`${dir}/Data`, "SlEvo");
    assertEquals(runs.length, 6);
    assert(
      runs.every((r) => r.status === "done" && r.slurm_job),
      "every evaluation ran as an array task",
    );
    for (const g of [0, 1]) {
      const jobs = new Set(
        runs.filter((r) => r.generation === g).map((r) => r.slurm_job!.split("_")[0]),
      );
      assertEquals(jobs, new Set([submitted[g]]));
    }
    assert(runs.filter((r) => r.generation === 1).every((r) => r.parents!.length >= 1));
    // The same search on the local backend gives the same evaluations.
    const local = await runSweep({ ...evo("LoEvo", `${dir}/Data`), concurrency: 2 });
    assertEquals(slurm.best!.params, local.best!.params);
    assertEquals(slurm.best!.score, local.best!.score);
    const points = (r: typeof slurm) =>
      r.search!.evaluations.map((e) =>
        `${e.generation}:${e.individual}:${JSON.stringify(e.params)}:${e.value}`
      );
    assertEquals(points(slurm), points(local));
    // --no-wait cannot drive a search: refused before anything is submitted.
    await assertRejects(
      () =>
        runSweep({ ...evo("SlNoWait", `${dir}/Data`), backend: "slurm", slurm: { wait: false } }),
      RangeError,
      "slurm.wait: false cannot drive a search",
    );
  } finally {
    Deno.env.delete("SLURM_CONF");
    await cluster.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
