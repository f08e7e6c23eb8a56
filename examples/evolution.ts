/**
 * An adaptive search instead of a grid: PymoNNto's `Evolution`, run by sweepstore. It tunes the LIF
 * network's input rate and coupling weight (examples/sim_lif.ts) so that its population rate hits the
 * target (the run's `score`): 8 individuals per generation, 5 generations (40 runs), each an ordinary run
 * folder in Data/StorageManager/EvoLIF/ with `[Run] generation`, `individual` and `parents`. Prints a line
 * per generation and the best run; writes summary.csv and search.svg (best and mean score per generation).
 * Ctrl-C stops it; running it again with `resume: true` would go on where it stopped.
 *
 *   deno run --allow-read=. --allow-write=./Data --allow-run examples/evolution.ts
 */
import { runSweep } from "../mod.ts";

const stop = new AbortController();
Deno.addSignalListener("SIGINT", () => stop.abort());

const result = await runSweep({
  name: "EvoLIF",
  simulation: new URL("./sim_lif.ts", import.meta.url),
  search: {
    method: "evolution",
    start: [{ input_rate: 14, w: 0.4 }], // PymoNNto's start_genomes
    population: 8,
    generations: 5, // 8 × 5 = 40 evaluations
    mutation: 0.1, // σ of a child's gene = |gene| × 0.1
    deathRate: 0.5, // the worse half of each generation does not survive
    bounds: { input_rate: { min: 5, max: 30 }, w: { min: 0.05, max: 1.5 } },
    constraints: ["input_rate >= 8 or w >= 0.2"], // the query language, never eval
    seed: 1,
  },
  objective: { key: "score", goal: "maximize" },
  permissions: { run: ["ffmpeg"] }, // each generation's first run renders its raster frames to a video
  signal: stop.signal,
  onEvent: (e) => {
    if (e.type !== "generation") return;
    console.log(
      `generation ${e.generation + 1}/${e.generations}: best score ${e.best}, mean ${
        e.mean?.toFixed(4)
      }`,
    );
  },
});
const best = result.best;
if (best) {
  console.log(
    `best: score ${best.score} with input_rate=${best.params.input_rate} w=${best.params.w}`,
  );
  console.log(`  ${best.path} (generation ${best.generation})`);
}
console.log(`plot: ${result.search?.plot}`);
Deno.exit(result.interrupted ? 130 : 0);
