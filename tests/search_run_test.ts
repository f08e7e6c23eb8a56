// Searches as real sweeps (slot processes, run folders): the 2-D quadratic's optimum within a bounded
// number of evaluations, a user optimizer through ask/tell with failures and NaN, and resume after a real
// kill -9 of the driver mid-generation giving the uninterrupted result without repeating an evaluation.
import { assert, assertEquals } from "./_assert.ts";
import { fixture } from "./_helpers.ts";
import { processesWith, runsOf, within } from "./_engine.ts";
import { type Evaluation, type Optimizer, runSweep, type RunSweepOptions } from "../runner/mod.ts";
import { searchInProcess } from "../bench/search/_inprocess.ts";
import { simulate as quadratic } from "./fixtures/sims/search_sims.ts";
import { StorageManagerGroup } from "../src/group/group.ts";

const SIM = new URL("./fixtures/sims/search_sims.ts", import.meta.url);
const MIN_LOSS = { key: "loss", goal: "minimize" } as const;
const BOUNDS = { x: { min: -0.8, max: 0.8 }, y: { min: -0.8, max: 0.8 } };

Deno.test("evolution finds the 2-D quadratic's optimum within 0.05 in 160 evaluations", async () => {
  const dataFolder = await Deno.makeTempDir();
  try {
    const search = { population: 16, generations: 10, mutation: 0.2, seed: 3, bounds: BOUNDS };
    const generations: number[] = [];
    const result = await runSweep({
      name: "Quad",
      simulation: SIM,
      dataFolder,
      concurrency: 2,
      search,
      objective: MIN_LOSS,
      onEvent: (e) => e.type === "generation" && generations.push(e.evaluations),
    });
    assertEquals(generations, [16, 32, 48, 64, 80, 96, 112, 128, 144, 160]);
    assertEquals(
      (await runsOf(dataFolder, "Quad")).length,
      160,
      "population × generations run folders",
    );
    const { x, y } = result.best!.params as { x: number; y: number };
    assert(
      Math.hypot(x - 0.3, y + 0.2) < 0.05,
      `best ${x}, ${y} is not within 0.05 of (0.3, -0.2)`,
    );
    assert(result.best!.score < 0.0025);
    // The in-process driver of the benchmark makes the same search (same seeds, same ranking).
    const inProcess = await searchInProcess(
      search,
      MIN_LOSS,
      (p) => quadratic(p as { x: number }).loss,
    );
    assertEquals(inProcess.best, result.best!.score);
    // The plot of best and mean per generation lies next to summary.csv.
    const svg = await Deno.readTextFile(result.search!.plot!);
    assert(svg.includes("loss per generation") && svg.includes("mean ± std"));
    assertEquals(result.search!.plot, `${result.group.path}/search.svg`);
    // PymoNNto's group reads the generation like any parameter of the [Run] section.
    const group = await StorageManagerGroup.load("Quad", { dataFolder });
    const gens = group.runs.map((sm) => sm.param("generation", { section: "Run" }));
    assertEquals(new Set(gens).size, 10);
  } finally {
    await Deno.remove(dataFolder, { recursive: true });
  }
});

Deno.test("reevaluate: false carries the survivors: population + (generations − 1) × (population − survivors) runs", async () => {
  const dataFolder = await Deno.makeTempDir();
  try {
    const search = {
      population: 8,
      generations: 3,
      deathRate: 0.5,
      reevaluate: false,
      mutation: 0.3,
      seed: 2,
      bounds: BOUNDS,
    };
    let planned = 0;
    const result = await runSweep({
      name: "Keep",
      simulation: SIM,
      dataFolder,
      concurrency: 2,
      search,
      objective: MIN_LOSS,
      onEvent: (e) => e.type === "planned" && (planned = e.total),
    });
    assertEquals(planned, 16);
    assertEquals(result.runs.length, 16);
    assertEquals((await runsOf(dataFolder, "Keep")).length, 16);
    assertEquals(result.search!.evaluations.length, 24, "3 generations of 8, 8 of them carried");
    const carried = result.search!.evaluations.filter((e) => e.generation > 0 && e.individual < 4);
    assert(
      carried.every((e) =>
        result.search!.evaluations.some((o) => o.generation < e.generation && o.path === e.path)
      ),
    );
    const inProcess = await searchInProcess(
      search,
      MIN_LOSS,
      (p) => quadratic(p as { x: number }).loss,
    );
    assertEquals(inProcess, { best: result.best!.score, runs: 16 });
  } finally {
    await Deno.remove(dataFolder, { recursive: true });
  }
});

Deno.test("a user optimizer through ask/tell: params, objective value and status; failures and NaN rank last", async () => {
  const dataFolder = await Deno.makeTempDir();
  try {
    const told: Evaluation[][] = [];
    const asked: number[] = [];
    // A tiny optimizer: a line of points, then one point at the best x found, then done.
    const optimizer: Optimizer = {
      ask(n) {
        asked.push(n);
        if (told.length === 0) return [{ x: -0.95 }, { x: 0 }, { x: 0.25 }, { x: 0.95 }];
        if (told.length === 1) {
          const best = [...told[0]].sort((a, b) => b.fitness - a.fitness)[0];
          return [{ x: Number(best.params.x) + 0.05 }];
        }
        return [];
      },
      tell(results) {
        told.push(results);
      },
    };
    const result = await runSweep({
      name: "Ask",
      simulation: SIM,
      dataFolder,
      concurrency: 2,
      retries: 1,
      search: { optimizer, population: 4 },
      objective: MIN_LOSS,
    });
    assertEquals(asked, [4, 4, 4]);
    assertEquals(told.length, 2);
    const [g0, g1] = told;
    assertEquals(g0.map((e) => e.status), ["done", "done", "done", "failed"]);
    assert(Number.isNaN(g0[0].value), "NaN is told as NaN");
    assertEquals(g0.map((e) => e.fitness), [
      -Infinity,
      -((0 - 0.3) ** 2),
      -((0.25 - 0.3) ** 2),
      -Infinity,
    ]);
    assertEquals(g1[0].params, { x: 0.25 + 0.05 });
    assertEquals(result.best!.params, { x: 0.25 + 0.05 });
    const runs = await runsOf(dataFolder, "Ask");
    // The failed point was tried twice (retries: 1), each attempt a folder of generation 0, individual 3.
    assertEquals(
      runs.filter((r) => r.generation === 0 && r.individual === 3).map((r) => r.status),
      [
        "failed",
        "failed",
      ],
    );
    assertEquals(runs.length, 6);
    assert(runs.every((r) => Array.isArray(r.parents)));
  } finally {
    await Deno.remove(dataFolder, { recursive: true });
  }
});

function driver(options: Partial<RunSweepOptions> & { simulation: string }) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", fixture("search_driver.ts"), JSON.stringify(options)],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  return child;
}

Deno.test("resume after kill -9 mid-generation completes the cut generation and equals the uninterrupted search", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const options = {
      name: "Cut",
      simulation: "search_slow.ts",
      concurrency: 2,
      search: { population: 4, generations: 3, seed: 11, mutation: 0.3, bounds: BOUNDS },
      objective: MIN_LOSS,
    };
    const reference = await driver({ ...options, dataFolder: `${dir}/Ref` });
    const killed = await driver({ ...options, dataFolder: `${dir}/Cut` });
    // Kill the driver once generation 1 has started (two of its runs are in progress).
    await within(
      60,
      "generation 1 to start",
      async () =>
        (await runsOf(`${dir}/Cut`, "Cut")).some((r) =>
          r.generation === 1 && r.status === "running"
        ),
    );
    Deno.kill(killed.pid, "SIGKILL");
    await killed.output();
    await within(
      10,
      "the killed search's slots to die",
      async () => (await processesWith(`${dir}/Cut`)).length === 0,
    );
    const before = await runsOf(`${dir}/Cut`, "Cut");
    const finishedBefore = before.filter((r) => r.status === "done").map((r) => r.path);
    assert(before.some((r) => r.generation === 1), "the kill came mid-generation 1");
    const resumed = await driver({ ...options, dataFolder: `${dir}/Cut`, resume: true });
    const [ref, res] = [await reference.output(), await resumed.output()];
    assertEquals(ref.code, 0, new TextDecoder().decode(ref.stderr));
    assertEquals(res.code, 0, new TextDecoder().decode(res.stderr));
    const a = JSON.parse(new TextDecoder().decode(ref.stdout));
    const b = JSON.parse(new TextDecoder().decode(res.stdout));
    assertEquals(
      b.evaluations,
      a.evaluations,
      "the resumed search made the uninterrupted one's evaluations",
    );
    assertEquals(b.best.params, a.best.params);
    assertEquals(b.best.score, a.best.score);
    assertEquals(b.reused, finishedBefore.length, "every finished evaluation was reused");
    const after = await runsOf(`${dir}/Cut`, "Cut");
    const done = after.filter((r) => r.status === "done");
    assertEquals(done.length, 12, "population × generations done runs: none repeated");
    assertEquals(new Set(done.map((r) => `${r.generation}:${r.individual}`)).size, 12);
    assert(
      finishedBefore.every((p) => done.some((r) => r.path === p)),
      "the finished runs are kept",
    );
    const cut = after.filter((r) => r.status !== "done");
    assert(
      cut.length > 0 && cut.every((r) => r.status === "interrupted"),
      "the cut runs are marked",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
