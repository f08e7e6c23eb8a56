import { assert, assertEquals } from "./_assert.ts";
import { alive, fixture, withTempDir } from "./_helpers.ts";
import { untilRunning } from "./_engine.ts";
import { permissionFlags, runSweep } from "../runner/mod.ts";
import { StorageManager } from "../src/run/storage_manager.ts";

const SIMS = new URL("./fixtures/sims/pool_sims.ts", import.meta.url);

Deno.test("a timed-out run is retried even when its slot was the only one, and both stuck processes are gone", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "Stuck",
      simulation: SIMS,
      points: [{ mode: "loop" }],
      concurrency: 1,
      timeoutMs: 500,
      graceMs: 300,
      retries: 1,
      dataFolder: `${dir}/Data`,
      summary: false,
    });
    assertEquals(result.runs.map((r) => [r.status, r.attempts]), [["timeout", 2]]);
    assertEquals(result.group.length, 2, "each attempt has its own folder");
    for (const sm of result.group) {
      assertEquals(sm.param("status", { section: "Run" }), "timeout");
      const pid = sm.param("pid", { section: "Run" }) as number;
      assertEquals(await alive(pid), false, `the looping process ${pid} still runs`);
    }
  });
});

Deno.test("output printed without a newline, or that mimics the protocol, does not hide a run's end", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "Noisy",
      simulation: SIMS,
      points: [{ mode: "partial" }, { mode: "fake_protocol" }, { mode: "partial" }],
      concurrency: 1,
      timeoutMs: 5000,
      dataFolder: `${dir}/Data`,
      summary: false,
    });
    assertEquals(result.runs.map((r) => r.status), ["done", "done", "done"]);
    assertEquals(result.runs.map((r) => r.result), [{ score: 0 }, { score: 1 }, { score: 2 }]);
    assertEquals(result.group.length, 3, "no run was started twice");
  });
});

Deno.test("long runs go to whichever slot is free, so both slots get the same share", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "Share",
      simulation: SIMS,
      // Each run is much longer than the two slots' start-up skew, even on a busy machine.
      points: Array.from({ length: 6 }, (_, i) => ({ mode: "sleep", ms: 500, i })),
      concurrency: 2,
      dataFolder: `${dir}/Data`,
      summary: false,
    });
    assert(result.runs.every((r) => r.status === "done"));
    const perSlot = new Map<unknown, number>();
    for (const r of result.runs) {
      perSlot.set(r.result!.slot_pid, (perSlot.get(r.result!.slot_pid) ?? 0) + 1);
    }
    assertEquals([...perSlot.values()], [3, 3], "runs per slot process");
  });
});

Deno.test("Ctrl-C to the whole process group marks running runs interrupted, not crashed", async () => {
  await withTempDir(async (dir) => {
    // setsid: the sweep gets its own process group, as a command started from a terminal has.
    const child = new Deno.Command("setsid", {
      args: [
        Deno.execPath(),
        "run",
        "-A",
        fixture("sweep_sigint.ts"),
        `${dir}/Data`,
        "SigGroup",
        "./sims/pool_sims.ts",
        "30000",
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const group = `${dir}/Data/StorageManager/SigGroup`;
    await untilRunning(`${dir}/Data`, "SigGroup", 2);
    Deno.kill(-child.pid, "SIGINT"); // the group: the sweep and its slots at once
    const out = await child.output();
    assertEquals(out.code, 130, new TextDecoder().decode(out.stderr));
    const statuses = [];
    for await (const e of Deno.readDir(group)) {
      if (!e.isDirectory || e.name.startsWith(".")) continue; // .sweepstore: bookkeeping
      const sm = await StorageManager.open(`${group}/${e.name}`);
      statuses.push(sm.param("status", { section: "Run" }));
      assertEquals(await alive(sm.param("pid", { section: "Run" }) as number), false);
    }
    assertEquals(statuses, ["interrupted", "interrupted"]);
  });
});

Deno.test("permissionFlags() reads the project, the simulation and sweepstore, writes only the Data folder", () => {
  const flags = permissionFlags("/p/Data", "/p", "file:///elsewhere/sims/sim.ts");
  assertEquals(flags[0], "--no-prompt");
  const read = flags.find((f) => f.startsWith("--allow-read="))!.slice(13).split(",");
  assert(read.includes("/p") && read.includes("/elsewhere/sims"), read.join(","));
  assertEquals(flags.filter((f) => f.startsWith("--allow-write=")), ["--allow-write=/p/Data"]);
  assert(!flags.some((f) => /^--allow-(net|env|run|sys|ffi)/.test(f)), flags.join(" "));
  const more = permissionFlags("/p/Data", "/p", "file:///p/sim.ts", {
    net: ["example.com"],
    env: true,
    run: ["ffmpeg"],
  });
  assert(more.includes("--allow-net=example.com"));
  assert(more.includes("--allow-env"));
  assert(more.includes("--allow-run=ffmpeg"));
});
