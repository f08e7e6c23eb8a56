/**
 * The main job: a sweep of the LIF network (examples/sim_lif.ts) over input rate and coupling weight,
 * 3 × 3 points, 2 repeats each, on local workers, stored in the project's Data folder. Shows progress,
 * prints the summary table and writes Data/StorageManager/LIF/summary.csv, summary.json and plot.svg.
 * Ctrl-C stops it cleanly (running runs get 3 s to return, then are marked interrupted).
 *
 *   deno task example
 *   (= deno run --allow-read=. --allow-write=./Data --allow-run examples/sweep.ts)
 */
import { runSweep } from "../mod.ts";
import { terminalView } from "../runner/cli/cli.ts";

// runSweep never prints or traps signals: this script does, as the sweepstore CLI does.
const stop = new AbortController();
Deno.addSignalListener("SIGINT", () => stop.abort());
const view = terminalView();

const result = await runSweep({
  name: "LIF",
  simulation: new URL("./sim_lif.ts", import.meta.url),
  grid: { input_rate: [12, 14, 16], w: [0.1, 0.4, 0.8] },
  repeats: 2,
  timeoutMs: 60_000,
  permissions: { run: ["ffmpeg"] }, // the first run renders its raster frames to a video
  signal: stop.signal,
  onEvent: view.onEvent,
});
view.stop();
if (result.summary) console.log(view.summary("LIF", result.summary));

const best = result.group.sortBy("score", { descending: true }).runs[0];
console.log(`best run: ${best.path}`);
console.log(
  `  input_rate=${best.param("input_rate")} w=${best.param("w")} rate=${
    best.param("rate_hz")
  } Hz score=${best.param("score")}`,
);
Deno.exit(result.interrupted ? 130 : 0);
