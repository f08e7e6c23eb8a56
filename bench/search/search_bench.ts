/**
 * Search quality: evolution against random search at the same budget (evaluations), on a shifted quadratic
 * and Rosenbrock's function in 2, 4 and 6 dimensions (bench/search/quadratic.ts, rosenbrock.ts), over 10
 * seeds each. Prints, per function, how many seeds evolution's best beat random's, and the median best loss
 * of each. The methods run through the in-process driver (the same strategies, seeds and ranking as
 * `runSweep({ search })`, which makes identical evaluations: tests/search_run_test.ts checks it); one search
 * per method also runs end to end through runSweep (slot processes and run folders) to show it agrees.
 *
 *   deno run --allow-read --allow-write --allow-run bench/search/search_bench.ts [--budget 400] [--mutation 0.2]
 */
import { runSweep } from "../../runner/mod.ts";
import type { SearchOptions } from "../../runner/search/options.ts";
import { searchInProcess } from "./_inprocess.ts";
import { simulate as quadratic } from "./quadratic.ts";
import { simulate as rosenbrock } from "./rosenbrock.ts";

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}
const budget = flag("--budget", 400);
const mutation = flag("--mutation", 0.2);
const population = 16;
const seeds = 10;
const LOSS = { key: "loss", goal: "minimize" } as const;
const functions = { quadratic, rosenbrock };

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
}

console.log(
  `evolution (population ${population}, mutation ${mutation}, deathRate 0.5) against random search, ` +
    `${budget} evaluations each, ${seeds} seeds, bounds [-2, 2] per dimension; median best loss\n`,
);
console.log(
  "| function | dims | evolution wins | evolution median | evolution, reevaluate: false, wins | its median | random median |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const [name, f] of Object.entries(functions)) {
  for (const dims of [2, 4, 6]) {
    const bounds = Object.fromEntries(
      Array.from({ length: dims }, (_, i) => [`x${i}`, { min: -2, max: 2 }]),
    );
    const evo: number[] = [], elite: number[] = [], rnd: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const common: SearchOptions = { bounds, population, budget, seed };
      evo.push((await searchInProcess({ ...common, mutation }, LOSS, (p) => f(p).loss)).best);
      const kept = { ...common, mutation, reevaluate: false };
      elite.push((await searchInProcess(kept, LOSS, (p) => f(p).loss)).best);
      rnd.push(
        (await searchInProcess({ ...common, method: "random" }, LOSS, (p) => f(p).loss)).best,
      );
    }
    const wins = (a: number[]) => `${a.filter((e, i) => e < rnd[i]).length}/${seeds}`;
    const m = (a: number[]) => median(a).toExponential(2);
    console.log(
      `| ${name} | ${dims} | ${wins(evo)} | ${m(evo)} | ${wins(elite)} | ${m(elite)} | ${m(rnd)} |`,
    );
  }
}

// End to end: the same 2-D quadratic search through runSweep (slot processes, run folders).
const dataFolder = await Deno.makeTempDir({ prefix: "sweepstore-search-bench-" });
try {
  const bounds = { x0: { min: -2, max: 2 }, x1: { min: -2, max: 2 } };
  const n = 160;
  console.log(`\nend to end, 2-D quadratic, ${n} evaluations, seed 1, concurrency 2:\n`);
  console.log("| method | best loss (runSweep) | best loss (in process) | runs/s |");
  console.log("| --- | --- | --- | --- |");
  for (const method of ["evolution", "random"] as const) {
    const search: SearchOptions = { method, bounds, population, budget: n, seed: 1, mutation };
    const t0 = performance.now();
    const result = await runSweep({
      name: `Bench_${method}`,
      simulation: new URL("./quadratic.ts", import.meta.url),
      dataFolder,
      concurrency: 2,
      search,
      objective: LOSS,
      summary: false,
    });
    const seconds = (performance.now() - t0) / 1000;
    const inProcess = await searchInProcess(search, LOSS, (p) => quadratic(p).loss);
    console.log(
      `| ${method} | ${result.best!.score.toExponential(3)} | ${
        inProcess.best.toExponential(3)
      } | ${(n / seconds).toFixed(0)} |`,
    );
  }
} finally {
  await Deno.remove(dataFolder, { recursive: true });
}
