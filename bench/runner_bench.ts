/**
 * The sweep runner: 1,000 tiny runs with a pool of 2 against Python's multiprocessing.Pool(2) doing the same
 * with configparser run folders (side by side); CPU-bound runs with 2 slots against 1; the runner's own cost
 * per run.
 *
 *   deno run --allow-read --allow-write --allow-run bench/runner_bench.ts [--runs 1000] [--reps 3]
 *
 * With `--scale N`, only: one sweep of N tiny points with a pool of 2, and the peak RSS of this process
 * (the sweep's parent) from getrusage.
 *
 *   deno run --allow-read --allow-write --allow-run bench/runner_bench.ts --scale 100000
 */
import process from "node:process";
import { runSweep } from "../runner/mod.ts";

const args = Deno.args;
const opt = (
  name: string,
  def: number,
) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : def);
const runs = opt("--runs", 1000);
const reps = opt("--reps", 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const here = new URL(".", import.meta.url);

async function sweep(
  sim: string,
  points: number,
  concurrency: number,
  extra: Record<string, number> = {},
) {
  const dataFolder = await Deno.makeTempDir({ prefix: "sweepstore-runner-bench-" });
  try {
    const t0 = performance.now();
    const result = await runSweep({
      name: "Bench",
      simulation: new URL(`./sims/${sim}.ts`, here),
      points: Array.from({ length: points }, (_, k) => ({ k, ...extra })),
      concurrency,
      dataFolder,
      summary: false,
    });
    const seconds = (performance.now() - t0) / 1000;
    if (result.runs.some((r) => r.status !== "done")) throw new Error("a benchmark run failed");
    return seconds;
  } finally {
    await Deno.remove(dataFolder, { recursive: true });
  }
}

async function python(points: number, procs: number) {
  const dataFolder = await Deno.makeTempDir({ prefix: "sweepstore-runner-bench-py-" });
  try {
    const out = await new Deno.Command("python3", {
      args: [
        new URL("./runner_baseline.py", here).pathname,
        dataFolder,
        String(points),
        String(procs),
      ],
      stdout: "piped",
    }).output();
    return JSON.parse(new TextDecoder().decode(out.stdout)).seconds as number;
  } finally {
    await Deno.remove(dataFolder, { recursive: true });
  }
}

if (args.includes("--scale")) {
  const n = opt("--scale", 100_000);
  const dataFolder = await Deno.makeTempDir({ prefix: "sweepstore-runner-scale-" });
  try {
    const t0 = performance.now();
    let runsPeak = 0;
    let runsEnd = 0;
    const result = await runSweep({
      name: "Scale",
      simulation: new URL("./sims/tiny.ts", here),
      points: Array.from({ length: n }, (_, k) => ({ k })),
      concurrency: 2,
      dataFolder,
      summary: false,
      onEvent: (e) => {
        if (e.type === "ended" && e.counts.done + e.counts.failed === n) {
          runsPeak = process.resourceUsage().maxRSS / 1024; // before result.group is loaded
          runsEnd = performance.now();
        }
      },
    });
    const s = (runsEnd - t0) / 1000;
    const done = result.runs.filter((r) => r.status === "done").length;
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    console.log(
      `| ${n.toLocaleString("en")} tiny points, pool of 2 | ${done} done in ${s.toFixed(0)} s ` +
        `(${(n / s).toFixed(0)} runs/s) | parent peak RSS while running: ${
          runsPeak.toFixed(0)
        } MiB; ` +
        `after loading result.group (${result.group.length} runs): ${peakMiB.toFixed(0)} MiB |`,
    );
  } finally {
    await Deno.remove(dataFolder, { recursive: true });
  }
  Deno.exit(0);
}

// 1. Tiny runs, side by side.
const deno: number[] = [], py: number[] = [];
for (let r = 0; r < reps; r++) {
  deno.push(await sweep("tiny", runs, 2));
  py.push(await python(runs, 2));
}
const d = median(deno), p = median(py);

// 2. CPU-bound runs: 2 slots against 1.
const cpuRuns = 24;
const one = median([await sweep("cpu", cpuRuns, 1), await sweep("cpu", cpuRuns, 1)]);
const two = median([await sweep("cpu", cpuRuns, 2), await sweep("cpu", cpuRuns, 2)]);

// Control: the same kind of CPU-bound work in Python with 1 and 2 processes, run alongside, shows how much
// of a second core this (virtual) machine really gives at the moment.
const pyCpu = `
import json, multiprocessing as mp, time
def f(k):
    x = k + 1
    for i in range(3_000_000): x = (x * 1103515245 + 12345) % 2147483648
    return x
if __name__ == '__main__':
    res = {}
    for p in (1, 2):
        t = time.perf_counter()
        with mp.Pool(p) as pool: pool.map(f, range(8))
        res[p] = time.perf_counter() - t
    print(json.dumps(res))
`;
const control = JSON.parse(
  new TextDecoder().decode(
    (await new Deno.Command("python3", { args: ["-c", pyCpu], stdout: "piped" }).output()).stdout,
  ),
);

// 3. The runner's own cost per run: wall time per tiny run per slot (spawning the 2 slots included).
const startup = median([
  await sweep("tiny", 2, 2),
  await sweep("tiny", 2, 2),
  await sweep("tiny", 2, 2),
]);

console.log(`median of ${reps} repetitions; ${navigator.hardwareConcurrency} CPUs\n`);
console.log("| what | sweepstore | Python multiprocessing.Pool(2) | ratio |");
console.log("|---|---|---|---|");
console.log(
  `| ${runs} tiny runs, pool of 2 | ${d.toFixed(2)} s = ${(runs / d).toFixed(0)} runs/s | ${
    p.toFixed(2)
  } s = ${(runs / p).toFixed(0)} runs/s | ${(p / d).toFixed(2)}× faster |`,
);
console.log(`\n| what | figure |\n|---|---|`);
console.log(
  `| ${cpuRuns} CPU-bound runs (~${(one / cpuRuns * 1000).toFixed(0)} ms each), 1 slot | ${
    one.toFixed(2)
  } s |`,
);
console.log(`| the same, 2 slots | ${two.toFixed(2)} s |`);
console.log(`| speed-up 2 slots / 1 | ${(one / two).toFixed(2)}× |`);
console.log(
  `| control: Python multiprocessing speed-up 2 processes / 1, same moment | ${
    (control["1"] / control["2"]).toFixed(2)
  }× |`,
);
console.log(
  `| runner cost per tiny run, per slot (wall time × 2 / runs) | ${
    ((d * 2) / runs * 1000).toFixed(2)
  } ms |`,
);
console.log(
  `| starting a sweep of 2 tiny runs (2 slots spawned, modules loaded) | ${
    (startup * 1000).toFixed(0)
  } ms |`,
);
