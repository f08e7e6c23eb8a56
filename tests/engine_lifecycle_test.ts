// Every process of a run dies with its run: kill -9 of the sweep's process, timeouts, stops. Checked in /proc.
import { assert, assertEquals } from "./_assert.ts";
import { alive, withTempDir } from "./_helpers.ts";
import { processesWith, runsOf, startSweep, untilRunning, within } from "./_engine.ts";
import { runSweep, SimulationLoadError } from "../runner/mod.ts";

const SIMS = new URL("./fixtures/sims/engine_sims.ts", import.meta.url);

Deno.test("kill -9 of the sweep's process: spinning slots die within 5 s, their runs are marked interrupted", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const child = startSweep({
      name: "Orphans",
      simulation: "engine_sims.ts",
      points: [{ mode: "spin", i: 1 }, { mode: "spin", i: 2 }, { mode: "spin", i: 3 }],
      concurrency: 2,
      graceMs: 1000,
      dataFolder: data,
    });
    const running = await untilRunning(data, "Orphans", 2);
    const pids = running.map((r) => r.pid!);
    assert(pids.every((p) => p !== child.pid));
    Deno.kill(child.pid, "SIGKILL");
    await child.output();
    await within(5, "no process of the sweep left in /proc", async () => {
      const left = await processesWith(data);
      return left.length === 0 && !(await Promise.all(pids.map(alive))).some(Boolean);
    });
    const statuses = (await runsOf(data, "Orphans")).map((r) => `${r.status}:${r.reason}`);
    assertEquals(statuses, ["interrupted:interrupted", "interrupted:interrupted"]);
  });
});

Deno.test("ctx.signal is aborted when the sweep's process dies, and the run saves and ends itself", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const child = startSweep({
      name: "Death",
      simulation: "engine_sims.ts",
      points: [{ mode: "abortable" }],
      dataFolder: data,
      graceMs: 3000,
    });
    const [run] = await untilRunning(data, "Death", 1);
    Deno.kill(child.pid, "SIGKILL");
    await child.output();
    await within(5, "the slot to end", async () => !(await alive(run.pid!)));
    const [after] = await runsOf(data, "Death");
    assert(!(await alive(run.pid!)), await Deno.readTextFile(`${after.path}/config.ini`));
    assertEquals(await Deno.readTextFile(`${after.path}/aborted.txt`), "AbortError");
    assertEquals([after.status, after.reason], ["interrupted", "interrupted"]);
  });
});

Deno.test("a timed-out simulation that started `sleep 1000`: after the grace period nothing of it is left", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "Grand",
      simulation: SIMS,
      points: [{ mode: "spawn_sleep" }],
      permissions: { run: ["sleep"] },
      timeoutMs: 500,
      graceMs: 300,
      dataFolder: `${dir}/Data`,
      summary: false,
    });
    const [r] = result.runs;
    assertEquals([r.status, r.reason], ["timeout", "timeout"]);
    const [run] = await runsOf(`${dir}/Data`, "Grand");
    const childPid = Number(
      (await Deno.readTextFile(`${run.path}/config.ini`)).match(/child_pid = (\d+)/)![1],
    );
    assertEquals(await alive(childPid), false, `sleep ${childPid} outlived its run`);
    assertEquals(await alive(run.pid!), false);
    assertEquals(await processesWith(`${dir}/Data`), []);
  });
});

Deno.test("ctx.signal is aborted on timeout, before the kill: the run returns in its grace period", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "SigTimeout",
      simulation: SIMS,
      points: [{ mode: "abortable" }, { mode: "sleep", ms: 10 }],
      concurrency: 1,
      timeoutMs: 300,
      graceMs: 5000,
      dataFolder: `${dir}/Data`,
      summary: false,
    });
    const [aborted, next] = result.runs;
    assertEquals([aborted.status, aborted.reason], ["timeout", "timeout"]);
    assertEquals(await Deno.readTextFile(`${aborted.path}/aborted.txt`), "TimeoutError");
    assert(
      aborted.durationMs < 4000,
      `returned in the grace period, took ${aborted.durationMs} ms`,
    );
    assertEquals(next.status, "done", "the slot lived on: it was not killed");
  });
});

Deno.test("stop through `signal`: ctx.signal aborted, runs marked interrupted, spinning ones killed, summary written", async () => {
  await withTempDir(async (dir) => {
    const stop = new AbortController();
    let started = 0;
    const result = await runSweep({
      name: "Stop",
      simulation: SIMS,
      points: [{ mode: "abortable" }, { mode: "spin" }, { mode: "sleep", ms: 10 }],
      concurrency: 2,
      graceMs: 500,
      dataFolder: `${dir}/Data`,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === "started" && ++started === 2) stop.abort();
      },
    });
    assertEquals(result.interrupted, true);
    const by = Object.fromEntries(result.runs.map((r) => [r.params.mode, r]));
    assertEquals(Object.keys(by).sort(), ["abortable", "spin"], "the third point never started");
    assertEquals(await Deno.readTextFile(`${by.abortable.path}/aborted.txt`), "AbortError");
    for (const r of result.runs) assertEquals([r.status, r.reason], ["interrupted", "interrupted"]);
    const runs = await runsOf(`${dir}/Data`, "Stop");
    assertEquals(runs.map((r) => r.status), ["interrupted", "interrupted"]);
    for (const r of runs) assertEquals(await alive(r.pid!), false);
    assertEquals(result.summary!.counts, { interrupted: 2 });
  });
});

Deno.test("a simulation that returns leaving a program behind (in its group or detached) does not hang the sweep", async () => {
  await withTempDir(async (dir) => {
    const sweep = runSweep({
      name: "Leave",
      simulation: SIMS,
      points: [{ mode: "leave_child" }, { mode: "leave_child", detached: true }],
      permissions: { run: ["sleep"] },
      concurrency: 1,
      dataFolder: `${dir}/Data`,
      summary: false,
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise<"hung">((r) => timer = setTimeout(() => r("hung"), 30_000));
    const result = await Promise.race([sweep, hung]);
    clearTimeout(timer);
    const children = (await runsOf(`${dir}/Data`, "Leave")).map((run) =>
      Deno.readTextFile(`${run.path}/config.ini`).then((t) =>
        Number(t.match(/child_pid = (\d+)/)![1])
      )
    );
    const pids = await Promise.all(children);
    try {
      assert(result !== "hung", "the sweep did not end within 30 s after its runs returned");
      assertEquals(result.runs.map((r) => r.status), ["done", "done"]);
      // The program left in the slot's process group dies with the slot.
      const byMode = await Promise.all(
        (await runsOf(`${dir}/Data`, "Leave")).map(async (run) => ({
          detached: /detached = True/.test(await Deno.readTextFile(`${run.path}/config.ini`)),
          pid: Number(
            (await Deno.readTextFile(`${run.path}/config.ini`)).match(/child_pid = (\d+)/)![1],
          ),
        })),
      );
      const inGroup = byMode.find((c) => !c.detached)!;
      assertEquals(await alive(inGroup.pid), false, `sleep ${inGroup.pid} outlived the sweep`);
    } finally {
      for (const pid of pids) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* gone */ }
      }
      if (result === "hung") await sweep.catch(() => {});
    }
  });
});

Deno.test("kill -9 of the sweep's process while it starts its slots: nothing of the sweep is left after 6 s", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    for (let i = 0; i < 4; i++) {
      const child = startSweep({
        name: "Early",
        simulation: "engine_sims.ts",
        points: [1, 2, 3, 4].map((i) => ({ mode: "spin", i })),
        concurrency: 4,
        graceMs: 500,
        dataFolder: data,
      });
      // The moment the first slot's processes exist: its guard and reader open nothing after this.
      const pools = `${data}/StorageManager/Early/.sweepstore/pools/${child.pid}-`;
      await within(30, "a slot started", async () => (await processesWith(pools)).length > 0);
      Deno.kill(child.pid, "SIGKILL");
      await child.output();
    }
    await new Promise((r) => setTimeout(r, 6000));
    const left = await processesWith(data);
    for (const pid of left) Deno.kill(pid, "SIGKILL"); // do not leave them to the next tests
    assertEquals(left, [], "processes of the sweep outlived it");
  });
});

Deno.test("a slot that dies before it is ready (Deno.exit on import, a heap limit too small): SimulationLoadError, not slots respawned for ever", async () => {
  await withTempDir(async (dir) => {
    for (
      const [simulation, memoryMb] of [
        [new URL("./fixtures/sims/exit_on_load.ts", import.meta.url), undefined],
        [SIMS, 1],
      ] as const
    ) {
      const sweep = runSweep({
        name: "Early",
        simulation,
        memoryMb,
        points: [{ mode: "sleep" }, { mode: "sleep" }],
        concurrency: 1,
        dataFolder: `${dir}/Data`,
        summary: false,
      }).then(() => "resolved", (err) => err);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hung = new Promise<string>((r) => timer = setTimeout(() => r("hung"), 30_000));
      const outcome = await Promise.race([sweep, hung]);
      clearTimeout(timer);
      assert(
        outcome instanceof SimulationLoadError,
        `${simulation} (memoryMb ${memoryMb}): ${outcome}`,
      );
      assert(/before it was ready/.test(outcome.message), outcome.message);
    }
    assertEquals(await processesWith(`${dir}/Data`), []);
  });
});

Deno.test("a module whose top-level code never finishes: with timeoutMs the sweep rejects with SimulationLoadError and its slots are killed", async () => {
  await withTempDir(async (dir) => {
    const simulation = new URL("./fixtures/sims/spin_on_load.ts", import.meta.url);
    const sweep = runSweep({
      name: "Spin",
      simulation,
      points: [{ n: 1 }, { n: 2 }],
      concurrency: 2,
      timeoutMs: 500, // the load limit is max(timeoutMs, 10 s)
      dataFolder: `${dir}/Data`,
      summary: false,
    }).then(() => "resolved", (err) => err);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise<string>((r) => timer = setTimeout(() => r("hung"), 40_000));
    const outcome = await Promise.race([sweep, hung]);
    clearTimeout(timer);
    assert(outcome instanceof SimulationLoadError, String(outcome));
    assert(
      /did not finish loading within 10000 ms/.test(outcome.message) &&
        outcome.message.includes("spin_on_load.ts"),
      outcome.message,
    );
    await within(
      5,
      "the spinning slots to be gone",
      async () => (await processesWith(`${dir}/Data`)).length === 0,
    );
  });
});
