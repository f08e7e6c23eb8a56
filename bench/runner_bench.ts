/**
 * The sweep runner: 1,000 tiny runs with a pool of 2 against Python's multiprocessing.Pool(2) doing the same
 * with configparser run folders, against the raw limit (2 Deno processes doing only `mkdir` + 2 file
 * writes per run, start-up included) and against the crash-safe floor (the same with the file system calls
 * a sweepstore run makes at the least: each write a temporary file + `stat` + rename, the second under the
 * run folder's `flock`), side by side, in rotating order; CPU-bound runs with 2 slots against 1; the
 * runner's own cost per run.
 *
 *   deno run --allow-read --allow-write --allow-run bench/runner_bench.ts [--runs 1000] [--reps 3]
 *     [--dir <folder for the Data folders>] [--against <another sweepstore tree, e.g. a worktree of main>]
 *
 * Folders are deleted at the end, not between measurements: on a file system without a journal (these
 * machines), ext4 skips inodes freed in the last minutes when it allocates new ones, so deleting thousands
 * of run folders makes whoever runs next pay.
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
const text = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = opt("--runs", 1000);
const reps = opt("--reps", 3);
const dir = text("--dir");
const against = text("--against");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const here = new URL(".", import.meta.url);
const trash: string[] = [];

async function tempDir(prefix: string): Promise<string> {
  const d = await Deno.makeTempDir({ prefix, dir });
  trash.push(d);
  return d;
}

async function emptyTrash(): Promise<void> {
  for (const d of trash.splice(0)) await Deno.remove(d, { recursive: true }).catch(() => {});
}

async function sweep(
  sim: string,
  points: number,
  concurrency: number,
  run: typeof runSweep = runSweep,
) {
  const dataFolder = await tempDir("sweepstore-runner-bench-");
  const t0 = performance.now();
  const result = await run({
    name: "Bench",
    simulation: new URL(`./sims/${sim}.ts`, here),
    points: Array.from({ length: points }, (_, k) => ({ k })),
    concurrency,
    dataFolder,
    summary: false,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (result.runs.some((r) => r.status !== "done")) throw new Error("a benchmark run failed");
  return seconds;
}

async function python(points: number, procs: number) {
  const dataFolder = await tempDir("sweepstore-runner-bench-py-");
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
}

/**
 * The raw limit: `procs` Deno processes doing `mkdir` + 2 file writes per run; with `safe`, the crash-safe
 * floor (the writes as temporary file + rename, the second under the folder's lock; `_raw_runs.ts`).
 * [wall s, slowest loop s]
 */
async function raw(points: number, procs: number, safe = false): Promise<[number, number]> {
  const group = `${await tempDir("sweepstore-runner-bench-raw-")}/StorageManager/Raw`;
  const script = new URL("./_raw_runs.ts", here).pathname;
  const t0 = performance.now();
  const outs = await Promise.all(
    Array.from({ length: procs }, (_, i) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          `--allow-read=${group}`,
          `--allow-write=${group}`,
          script,
          group,
          String(Math.floor(points / procs) + (i < points % procs ? 1 : 0)),
          ...(safe ? ["--safe"] : []),
        ],
        stdout: "piped",
      }).output()),
  );
  const wall = (performance.now() - t0) / 1000;
  const loops = outs.map((o) => Number(new TextDecoder().decode(o.stdout)) / 1000);
  return [wall, Math.max(...loops)];
}

if (args.includes("--scale")) {
  const n = opt("--scale", 100_000);
  const dataFolder = await Deno.makeTempDir({ prefix: "sweepstore-runner-scale-", dir });
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

// 1. Tiny runs, side by side, in rotating order.
const before = against
  ? (await import(new URL("runner/mod.ts", `file://${against.replace(/\/?$/, "/")}`).href))
    .runSweep as typeof runSweep
  : undefined;
const deno: number[] = [], py: number[] = [], rawWall: number[] = [], rawLoop: number[] = [];
const safeWall: number[] = [], safeLoop: number[] = [];
const old: number[] = [];
const sides: (() => Promise<void>)[] = [
  async () => void deno.push(await sweep("tiny", runs, 2)),
  async () => void py.push(await python(runs, 2)),
  async () => {
    const [w, l] = await raw(runs, 2);
    rawWall.push(w);
    rawLoop.push(l);
  },
  async () => {
    const [w, l] = await raw(runs, 2, true);
    safeWall.push(w);
    safeLoop.push(l);
  },
  ...(before ? [async () => void old.push(await sweep("tiny", runs, 2, before))] : []),
];
for (let r = 0; r < reps; r++) {
  for (let i = 0; i < sides.length; i++) await sides[(i + r) % sides.length]();
}
await emptyTrash();
const d = median(deno), p = median(py), rw = median(rawWall), rl = median(rawLoop);
const sw = median(safeWall), sl = median(safeLoop);

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
const rate = (s: number) => `${s.toFixed(2)} s = ${(runs / s).toFixed(0)} runs/s`;
console.log(`| ${runs} tiny runs, pool of 2 | time | sweepstore's rate / this |`);
console.log("|---|---|---|");
console.log(`| sweepstore \`runSweep\` | ${rate(d)} | 1.00 |`);
if (before) {
  const b = median(old);
  console.log(`| sweepstore of ${against} | ${rate(b)} | ${(b / d).toFixed(2)}× |`);
}
console.log(`| Python \`multiprocessing.Pool(2)\` | ${rate(p)} | **${(p / d).toFixed(2)}×** |`);
console.log(
  `| raw limit: 2 \`deno run\` doing mkdir + 2 file writes, start-up included | ${rate(rw)} | ` +
    `**${(rw / d * 100).toFixed(0)} %** |`,
);
console.log(`| the same, their loops only | ${rate(rl)} | ${(rl / d * 100).toFixed(0)} % |`);
console.log(
  `| crash-safe floor: the same, each write a temporary file + rename, the second under the folder's ` +
    `lock, start-up included | ${rate(sw)} | ${(sw / d * 100).toFixed(0)} % |`,
);
console.log(`| the same, their loops only | ${rate(sl)} | ${(sl / d * 100).toFixed(0)} % |`);
{
  const budget = p / 3;
  const of = (s: number) => `${s.toFixed(2)} s (${(s / budget).toFixed(2)}× that)`;
  console.log(
    `\n3× Python's pool is ${budget.toFixed(2)} s for ${runs} runs. A sweep pays its processes' ` +
      `start-up: the crash-safe floor with it ${of(sw)}, the raw limit with it ${
        of(rw)
      }; their loops ` +
      `alone ${of(sl)} and ${of(rl)}.`,
  );
}
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
await emptyTrash();
