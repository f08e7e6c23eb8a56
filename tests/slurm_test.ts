import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { run } from "./_helpers.ts";
import { within } from "./_engine.ts";
import { type Cluster, slurmInstalled, startCluster } from "./_slurm.ts";
import { collectSweep, runSweep, sweepStatus } from "../runner/mod.ts";
import { StorageManager } from "../src/run/storage_manager.ts";

const SIM = new URL("./fixtures/sims/slurm_sim.ts", import.meta.url);
const CLI = new URL("../runner/cli/cli.ts", import.meta.url).pathname;

const until = (what: string, check: () => Promise<boolean>, seconds: number) =>
  within(seconds, what, check, 500);

Deno.test("sweeps run as SLURM job arrays on a real single-node cluster", async (t) => {
  if (!(await slurmInstalled())) {
    throw new Error(
      "SLURM is not installed: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge " +
        "(.ci/run does this)",
    );
  }
  const cluster: Cluster = await startCluster();
  Deno.env.set("SLURM_CONF", cluster.env.SLURM_CONF);
  const dir = await Deno.makeTempDir({ prefix: "sweepstore-slurm-data-" });
  const data = `${dir}/Data`;
  try {
    // Submitted first, checked last: SLURM enforces a 1-minute limit 60–90 s after the start.
    const timeout = await runSweep({
      name: "SlTimeout",
      simulation: SIM,
      points: [{ mode: "sleep" }],
      dataFolder: data,
      backend: "slurm",
      slurm: { time: 1, wait: false },
    });

    await t.step(
      "runSweep({ backend: 'slurm' }) runs every point as an array task and collects the group",
      async () => {
        const result = await runSweep({
          name: "Sl",
          simulation: SIM,
          points: [
            { mode: "ok", k: 1 },
            { mode: "ok", k: 2 },
            { mode: "throw" },
            { mode: "exit" },
            { mode: "ok", k: 3 },
          ],
          dataFolder: data,
          backend: "slurm",
          slurm: { chunk: 2, pollMs: 300 },
        });
        assertEquals(result.slurm!.arrayTasks, 3);
        assertEquals(result.runs.map((r) => `${r.params.mode}:${r.status}`), [
          "ok:done",
          "ok:done",
          "throw:failed",
          "exit:failed",
          "ok:done",
        ]);
        assert(result.runs[2].error!.includes("boom on the cluster"));
        // what each simulation returned, read back from its folder: the same records as a local sweep's
        assertEquals(result.runs.map((r) => r.result), [
          { score: 0.1 },
          { score: 0.2 },
          undefined,
          undefined,
          { score: 0.3 },
        ]);
        assert(
          result.runs[3].error!.includes("SLURM array task") &&
            result.runs[3].error!.includes("failed"),
        );
        const ok = await StorageManager.open(result.runs[0].path);
        assertEquals(await ok.loadParam("score"), 0.1);
        assertEquals(
          await ok.loadParam("slurm_job", { section: "Run" }),
          `${result.slurm!.jobId}_0`,
        );
        assertEquals(await ok.loadParam("slurm_state", { section: "Run" }), undefined);
        const exited = await StorageManager.open(result.runs[3].path);
        assertEquals(await exited.loadParam("status", { section: "Run" }), "failed");
        assertEquals(await exited.loadParam("slurm_state", { section: "Run" }), "FAILED");
        const csv = await Deno.readTextFile(`${data}/StorageManager/Sl/summary.csv`);
        assertEquals(csv.trim().split("\n").length, 6);
        assert((await Deno.readTextFile(result.slurm!.script)).includes("--array=0-2"));
      },
    );

    await t.step("resume submits only the points without a finished run", async () => {
      const result = await runSweep({
        name: "Sl",
        simulation: SIM,
        points: [{ mode: "ok", k: 1 }, { mode: "ok", k: 2 }, { mode: "throw" }, { mode: "exit" }, {
          mode: "ok",
          k: 3,
        }],
        dataFolder: data,
        backend: "slurm",
        resume: true,
        slurm: { chunk: 1, pollMs: 300 }, // chunk 1: measured run times would pack both in one task
        summary: false,
      });
      assertEquals(result.skipped, 3);
      assertEquals(result.runs.map((r) => r.params.mode), ["throw", "exit"]);
      assertEquals(result.slurm!.arrayTasks, 2);
    });

    await t.step(
      "the CLI submits without waiting; status reports, and an afterany collect job writes the summary",
      async () => {
        const sub = await run(Deno.execPath(), [
          "run",
          "-A",
          CLI,
          "run",
          SIM.pathname,
          "--name",
          "SlCli",
          "--grid",
          "mode=ok,throw",
          "--grid",
          "k=1,2",
          "--backend",
          "slurm",
          "--no-wait",
          "--collect-job",
          "-j",
          "2",
          "--data",
          data,
          "--no-progress",
        ]);
        assertEquals(sub.code, 0, sub.stderr);
        const jobId = sub.stdout.trim();
        assert(/^\d+$/.test(jobId), sub.stdout);
        assert(sub.stderr.includes("collect job"), sub.stderr);
        const summary = `${data}/StorageManager/SlCli/summary.json`;
        await until(
          "the collect job's summary",
          () => Deno.stat(summary).then(() => true, () => false),
          60,
        );
        assertEquals(JSON.parse(await Deno.readTextFile(summary)).counts, { done: 2, failed: 2 });
        const status = await run(Deno.execPath(), [
          "run",
          "-A",
          CLI,
          "status",
          "SlCli",
          "--data",
          data,
        ]);
        assertEquals(status.code, 0, status.stderr);
        assert(
          status.stdout.includes("ended") && status.stdout.includes("2 done, 2 failed"),
          status.stdout,
        );
        const collect = await run(Deno.execPath(), [
          "run",
          "-A",
          CLI,
          "collect",
          "SlCli",
          "--data",
          data,
        ]);
        assertEquals(collect.code, 1, "a failed run makes collect exit 1");
        assert(collect.stdout.includes("2 done, 2 failed"), collect.stdout);
      },
    );

    await t.step("cancelled array tasks are marked in their runs' folders", async () => {
      const result = await runSweep({
        name: "SlCancel",
        simulation: SIM,
        points: [{ mode: "sleep" }],
        dataFolder: data,
        backend: "slurm",
        slurm: { wait: false },
      });
      const sweepFile = result.slurm!.sweepFile;
      await until(
        "the run to start",
        async () => (await sweepStatus(sweepFile)).runs[0].status === "running",
        30,
      );
      const scancel = await run("scancel", [result.slurm!.jobId]);
      assertEquals(scancel.code, 0, scancel.stderr);
      await until("SLURM to end the job", async () => (await sweepStatus(sweepFile)).finished, 30);
      const { records } = await collectSweep(sweepFile, { summary: false });
      assertEquals(records[0].status, "interrupted");
      assert(records[0].error!.includes("cancelled"), records[0].error);
      const sm = await StorageManager.open(records[0].path);
      assertEquals(await sm.loadParam("slurm_state", { section: "Run" }), "CANCELLED");
      // scancel sent SIGTERM: the task aborted ctx.signal, the run returned and was marked by its task.
      assertEquals(await sm.loadParam("aborted", { section: "Run" }), "AbortError");
      assertEquals(records[0].reason, "interrupted");
    });

    await t.step(
      "the sweep file carries NaN, ±Infinity and -0 to the nodes unchanged",
      async () => {
        const result = await runSweep({
          name: "SlValues",
          simulation: SIM,
          grid: { mode: ["values"], k: [NaN, Infinity, -Infinity, -0] },
          dataFolder: data,
          backend: "slurm",
          slurm: { chunk: 4, pollMs: 300 },
          summary: false,
        });
        assertEquals(result.runs.map((r) => r.status), ["done", "done", "done", "done"]);
        const got = [];
        for (const r of result.runs) {
          got.push(await (await StorageManager.open(r.path)).loadParam("got"));
        }
        assertEquals(got, ["NaN", "Infinity", "-Infinity", "-0"]);
      },
    );

    await t.step(
      "sbatch missing or refusing the job gives a clear error with its message",
      async () => {
        const base = {
          name: "SlErr",
          simulation: SIM,
          points: [{ mode: "ok" }],
          dataFolder: data,
        };
        await assertRejects(
          () => runSweep({ ...base, backend: "slurm", slurm: { binDir: `${dir}/no-bin` } }),
          Error,
          "sbatch was not found",
        );
        await assertRejects(
          () => runSweep({ ...base, backend: "slurm", slurm: { partition: "nope" } }),
          Error,
          "invalid partition",
        );
      },
    );

    await t.step("a task that hits SLURM's time limit is marked timeout", async () => {
      const sweepFile = timeout.slurm!.sweepFile;
      await until(
        "SLURM's TIMEOUT (60–90 s after the start)",
        async () => (await sweepStatus(sweepFile)).finished,
        150,
      );
      const { records, summary, status } = await collectSweep(sweepFile);
      assertEquals(
        records.map((r) => r.status),
        ["timeout"],
        JSON.stringify({ records, slurm: [...status.slurm] }),
      );
      const sm = await StorageManager.open(records[0].path);
      assertEquals(await sm.loadParam("slurm_state", { section: "Run" }), "TIMEOUT");
      assertEquals(summary!.counts, { timeout: 1 });
    });
  } finally {
    await cluster.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
