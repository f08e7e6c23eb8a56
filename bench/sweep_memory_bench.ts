/**
 * Issue 8 point 10: the parent of a sweep of N tiny points (pool of 2), with the summary and `result.group`,
 * stays under 300 MB. Prints the peak RSS (VmHWM of /proc/self/status) after the runs and after everything.
 *
 *   deno run -A bench/sweep_memory_bench.ts [--points 100000] [--no-summary]
 *
 * (-A: Deno asks for all access to read /proc/self/status.)
 */
import { runSweep } from "../runner/mod.ts";

const args = Deno.args;
const n = args.includes("--points") ? Number(args[args.indexOf("--points") + 1]) : 100_000;
const peakMiB = () =>
  Number(/VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"))![1]) / 1024;
const dataFolder = await Deno.makeTempDir({ prefix: "sweepstore-memory-bench-" });
try {
  const t0 = performance.now();
  let runsPeak = 0;
  const result = await runSweep({
    name: "Scale",
    simulation: new URL("./sims/tiny.ts", import.meta.url),
    points: Array.from({ length: n }, (_, k) => ({ k })),
    concurrency: 2,
    dataFolder,
    summary: !args.includes("--no-summary"),
    onEvent: (e) => {
      if (e.type === "ended" && e.counts.done + e.counts.failed === n) runsPeak = peakMiB();
    },
  });
  const done = result.runs.filter((r) => r.status === "done").length;
  console.log(JSON.stringify({
    points: n,
    done,
    group: result.group.length,
    summaryRows: Object.values(result.summary?.counts ?? {}).reduce((a, b) => a + b, 0),
    seconds: (performance.now() - t0) / 1000,
    peak_after_runs_mib: runsPeak,
    peak_total_mib: peakMiB(),
  }));
} finally {
  await Deno.remove(dataFolder, { recursive: true });
}
