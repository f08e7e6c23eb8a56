// SLURM's verdict survives a `sweepstore status` in between (issue 8 review): an array task killed while its
// simulation blocked the event loop (it could not mark its run on SIGTERM) leaves the run `running`; `status`
// marks it `interrupted` (its process is gone); `collect` must still record why SLURM ended it (TIMEOUT →
// timeout, CANCELLED), not keep the guess. Run under `flock /tmp/sweepstore-slurm.lock` (~100 s).
import { assert, assertEquals } from "./_assert.ts";
import { alive, cli, withTempDir } from "./_helpers.ts";
import { within } from "./_engine.ts";
import { type Cluster, slurmInstalled, startCluster } from "./_slurm.ts";
import { runSweep, sweepStatus } from "../runner/mod.ts";
import { readRunSection } from "../runner/run_record.ts";
import { StorageManager } from "../src/run/storage_manager.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url);

Deno.test("SLURM: `status` before `collect` does not lose SLURM's verdict on a spinning run (TIMEOUT, CANCELLED)", async () => {
  if (!(await slurmInstalled())) throw new Error("SLURM is not installed (.ci/run installs it)");
  const cluster: Cluster = await startCluster(2);
  Deno.env.set("SLURM_CONF", cluster.env.SLURM_CONF);
  try {
    await withTempDir(async (dir) => {
      const data = `${dir}/Data`;
      const submit = (name: string, time?: number) =>
        runSweep({
          name,
          simulation: SIM,
          points: [{ mode: "spin" }],
          dataFolder: data,
          backend: "slurm",
          graceMs: 500,
          slurm: { wait: false, ...(time ? { time } : {}) },
        });
      const timeLimit = await submit("RvTimeout", 1); // SLURM's smallest limit: 1 minute
      const cancelled = await submit("RvCancel");
      /** The sweep's one run, read fresh. */
      const runOf = async (file: string) => {
        const path = (await sweepStatus(file)).runs[0].path;
        return path ? readRunSection(await StorageManager.open(path)) : undefined;
      };
      const started = async (file: string) => (await runOf(file))?.pid !== undefined;
      await within(
        60,
        "the spinning runs to start",
        async () =>
          await started(timeLimit.slurm!.sweepFile) && await started(cancelled.slurm!.sweepFile),
        500,
      );
      const scancel = await new Deno.Command("scancel", { args: [cancelled.slurm!.jobId] })
        .output();
      assert(scancel.success);
      for (
        const [name, file, seconds] of [
          ["RvCancel", cancelled.slurm!.sweepFile, 30],
          ["RvTimeout", timeLimit.slurm!.sweepFile, 150],
        ] as const
      ) {
        await within(
          seconds,
          `${name}'s job to end`,
          async () => (await sweepStatus(file)).finished,
          500,
        );
        const status = await cli(["status", name, "--data", data]);
        assert(status.stdout.includes("marked interrupted"), status.stdout + status.stderr);
        assert(
          !/^ +0 +running/m.test(status.stdout),
          `status lists it as marked: ${status.stdout}`,
        );
        await cli(["collect", name, "--data", data]);
        const run = (await runOf(file))!;
        const want = name === "RvCancel"
          ? ["interrupted", "interrupted", "CANCELLED"]
          : ["timeout", "timeout", "TIMEOUT"];
        assertEquals([run.status, run.reason, run.slurm_state], want, run.error);
      }
    });
  } finally {
    await cluster.stop();
  }
});

Deno.test("SLURM test clusters: stopping one ends the array tasks still running (a failed test left them spinning)", async () => {
  const cluster: Cluster = await startCluster(1);
  Deno.env.set("SLURM_CONF", cluster.env.SLURM_CONF);
  let pid: number | undefined;
  try {
    await withTempDir(async (dir) => {
      const data = `${dir}/Data`;
      const sweep = await runSweep({
        name: "RvLeft",
        simulation: SIM,
        points: [{ mode: "spin" }],
        dataFolder: data,
        backend: "slurm",
        slurm: { wait: false },
      });
      await within(60, "the spinning run to start", async () => {
        const path = (await sweepStatus(sweep.slurm!.sweepFile)).runs[0].path;
        pid = path ? readRunSection(await StorageManager.open(path)).pid : undefined;
        return pid !== undefined;
      }, 500);
      await cluster.stop();
      await within(10, "the array task to end", async () => !(await alive(pid!)), 200);
    });
  } finally {
    await cluster.stop();
    if (pid !== undefined && (await alive(pid))) Deno.kill(pid, "SIGKILL");
  }
});
