// A slot process that ends under the pool — Deno.exit right after a run's start (often sent together with
// the previous run's end), during a run, from a timer left behind between two runs, or a signal — while the
// other slot finishes runs: each run gets its own record, no folder stays `running`, and the sweep ends.
// Real sweeps in their own process (a hang fails the test after its limit instead of hanging it), with two
// busy-looping processes loading the cores, as on the shared machine where the hang was seen.
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { processesWith, runsOf, startSweep, within } from "./_engine.ts";

/** How long one sweep of 24 tiny runs may take on a loaded machine before it counts as hung. */
const SWEEP_LIMIT_MS = 90_000;

/** Runs `fn` with a busy loop on each core (real CPU load: slot processes get preempted mid-message). */
async function underLoad<T>(fn: () => Promise<T>): Promise<T> {
  const burners = Array.from(
    { length: navigator.hardwareConcurrency },
    () =>
      new Deno.Command("/bin/sh", { args: ["-c", "while :; do :; done"], stdin: "null" }).spawn(),
  );
  try {
    return await fn();
  } finally {
    for (const b of burners) b.kill("SIGKILL");
    await Promise.all(burners.map((b) => b.status));
  }
}

/** Runs a sweep of `points` (sim `exits.ts`, concurrency 2) in its own process; fails if it hangs. */
async function sweepOf(data: string, name: string, points: Record<string, unknown>[]) {
  const child = startSweep({
    name,
    simulation: "exits.ts",
    points,
    concurrency: 2,
    dataFolder: data,
    summary: false,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((r) => (timer = setTimeout(() => r("hung"), SWEEP_LIMIT_MS)));
  const output = child.output();
  const first = await Promise.race([output, hung]);
  clearTimeout(timer);
  if (first === "hung") {
    child.kill("SIGKILL"); // its slots' guards end them
    await output;
    const running = (await runsOf(data, name)).filter((r) => r.status === "running");
    throw new Error(
      `the sweep ${name} hung: not done within ${SWEEP_LIMIT_MS} ms; ` +
        `folders still running: ${running.map((r) => `index ${r.index}`).join(", ")}`,
    );
  }
  const text = new TextDecoder().decode(first.stdout).trim().split("\n").at(-1)!;
  assertEquals(first.code, 0, new TextDecoder().decode(first.stderr));
  const result = JSON.parse(text) as { statuses: string[]; interrupted: boolean };
  // Nothing of the sweep is left: its slots' command lines hold the Data folder.
  await within(
    5,
    `no process of ${name} left`,
    async () => (await processesWith(data)).length === 0,
  );
  return { statuses: result.statuses, runs: await runsOf(data, name) };
}

/** The points: quick runs mixed with runs whose process exits (code 10 + index) or is killed. */
function mixed(length: number): Record<string, unknown>[] {
  return Array.from({ length }, (_, i) => {
    if (i % 3 === 2) return { mode: "exit", code: 10 + i };
    if (i % 8 === 4) return { mode: "exit_later", code: 10 + i, ms: 2 };
    if (i % 8 === 7) return { mode: "signal", i };
    return { mode: "quick", i };
  });
}

Deno.test("a slot process that exits or is killed while the other slot finishes runs: each run keeps its own record, none stays running, the sweep ends", async () => {
  await withTempDir(async (dir) => {
    await underLoad(async () => {
      // Several sweeps: before the fix, about 3 in 4 such sweeps on a loaded machine had a record blamed
      // on the wrong run (an exit recorded `done`, its folder left `running`).
      for (let round = 0; round < 4; round++) {
        const points = mixed(24);
        const data = `${dir}/Data${round}`;
        const { statuses, runs } = await sweepOf(data, "Exits", points);
        const expected = points.map((p) => p.mode === "quick" ? "done" : "failed");
        assertEquals(statuses, expected, `round ${round}: the records' statuses`);
        assertEquals(runs.length, points.length, `round ${round}: one folder per point`);
        for (const run of runs) {
          const p = points[run.index!];
          const what = `round ${round}, index ${run.index} (${p.mode}): ${run.error ?? ""}`;
          if (p.mode === "quick") assertEquals(run.status, "done", what);
          else if (p.mode === "signal") {
            assertEquals(
              [run.status, run.reason, run.signal],
              ["failed", "signal", "SIGKILL"],
              what,
            );
          } else {
            assertEquals([run.status, run.reason, run.exit_code], ["failed", "exit", p.code], what);
          }
        }
      }
    });
  });
});

Deno.test("a process ended by a timer its last run left behind: each run is done or failed by that exit, records match folders, none stays running, the sweep ends", async () => {
  await withTempDir(async (dir) => {
    await underLoad(async () => {
      for (let round = 0; round < 3; round++) {
        const points = Array.from(
          { length: 24 },
          (_, i) => i % 4 === 1 ? { mode: "exit_soon", code: 10 + i } : { mode: "quick", i },
        );
        const codes = points.flatMap((p) => p.mode === "exit_soon" ? [p.code] : []);
        const data = `${dir}/Data${round}`;
        const { statuses, runs } = await sweepOf(data, "Soon", points);
        assertEquals(statuses.length, points.length, `round ${round}: a record per point`);
        // A task the process died before (no folder, no start) is given again, not failed without one.
        assertEquals(runs.length, points.length, `round ${round}: one folder per point`);
        for (const run of runs) {
          // The timer fires while its run writes its end (then that run failed), between two runs, or
          // while the next run is created (then the next one failed): never elsewhere.
          const what = `round ${round}: ${run.path}: ${run.error ?? ""}`;
          assert(run.status === "done" || run.status === "failed", what);
          if (run.status === "failed") {
            assertEquals(run.reason, "exit", what);
            assert(codes.includes(run.exit_code!), what);
          }
        }
        // A finished run's `end` sent together with the next `start` is not lost with the process: the
        // records say what the folders say.
        const byIndex = (s: string) =>
          runs.filter((r) => r.status === s).map((r) => r.index!).sort((a, b) => a - b);
        const records = (s: string) => statuses.flatMap((t, i) => t === s ? [i] : []);
        assertEquals(
          byIndex("done"),
          records("done"),
          `round ${round}: done folders, done records`,
        );
        const failedFolders = byIndex("failed");
        for (const i of failedFolders) assertEquals(statuses[i], "failed", `round ${round}: ${i}`);
      }
    });
  });
});
