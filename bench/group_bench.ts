/**
 * StorageManagerGroup on many runs, side by side with a Python baseline doing what PymoNNto's group does.
 *
 *   deno run --allow-read --allow-write --allow-run bench/group_bench.ts [--runs 10000] [--no-python]
 *     [--reps 3] [--against <tree>]
 *
 * Generates <runs> run folders with 21 params each (once, cached under bench/out/), then measures in a
 * fresh subprocess each: load + sortBy("score") + getParamList("score") + query("p1>0.5"), with peak RSS
 * and the child's CPU time (user + system, whole process). `--against <tree>` (e.g. main's files:
 * `git -C <main> archive HEAD | tar -x -C /tmp/base`) adds that tree's code, sequential with its index, on
 * its own copy of the runs (an index of another format would be rewritten at each turn), alternating.
 */
import { stringifyIni } from "../src/formats/ini.ts";
import { formatParam } from "../src/formats/params.ts";
import process from "node:process";
import { child } from "./_child.ts";

const args = Deno.args;
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(arg("--runs") ?? 0) || 10_000;
const here = new URL(".", import.meta.url).pathname;
const dataFolder = arg("--data") ?? `${here}out/group_${runs}/Data`;
const name = "Bench";

function peakRssMb(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

if (args.includes("--child")) {
  const { StorageManagerGroup } = await import(`${arg("--root") ?? `${here}..`}/mod.ts`);
  const t0 = performance.now();
  const readMode = args.includes("--sequential") ? "sequential" : "concurrent"; // explicit, not "auto"
  const index = !args.includes("--no-index"); // with the index: the first child of a run writes it
  const smg = await StorageManagerGroup.load(name, { dataFolder, readMode, index });
  const t1 = performance.now();
  smg.sortBy("score");
  const scores = smg.getParamList("score");
  const matched = smg.query("p1>0.5");
  const t2 = performance.now();
  console.log(JSON.stringify({
    runs: smg.length,
    load_s: (t1 - t0) / 1000,
    analyse_s: (t2 - t1) / 1000,
    total_s: (t2 - t0) / 1000,
    matched: matched.length,
    scores: scores.length,
    peak_rss_mb: peakRssMb(),
    cpu_s: ((u) => (u.user + u.system) / 1e6)(process.cpuUsage()),
  }));
  Deno.exit(0);
}

async function generate() {
  const group = `${dataFolder}/StorageManager/${name}`;
  try {
    const marker = await Deno.readTextFile(`${group}/../.complete`);
    if (Number(marker) === runs) return;
  } catch { /* not generated yet */ }
  await Deno.remove(`${here}out/group_${runs}`, { recursive: true }).catch(() => {});
  await Deno.mkdir(group, { recursive: true });
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const t0 = performance.now();
  for (let i = 1; i <= runs; i++) {
    const values = new Map<string, string>([["time", formatParam(1.7e9 + i)]]);
    for (let p = 1; p <= 18; p++) values.set(`p${p}`, formatParam(rand()));
    values.set("n", formatParam(Math.floor(rand() * 5000)));
    if (i % 10 !== 0) values.set("score", formatParam(rand())); // 10% of runs have no score
    else values.set("tag", formatParam("unfinished"));
    await Deno.mkdir(`${group}/${name}${i}`);
    await Deno.writeTextFile(
      `${group}/${name}${i}/config.ini`,
      stringifyIni(new Map([["Parameters", values]])),
    );
  }
  await Deno.writeTextFile(`${group}/../.complete`, String(runs));
  console.error(`generated ${runs} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

await generate();
if (args.includes("--generate-only")) Deno.exit(0);
const reps = Number(arg("--reps") ?? (runs > 20_000 ? 1 : 3));
const against = arg("--against");
const againstData = `${dataFolder}_against`;
if (against) {
  try {
    Deno.statSync(`${againstData}/StorageManager/${name}`);
  } catch {
    await new Deno.Command("cp", { args: ["-a", dataFolder, againstData] }).output();
  }
}
// The index: written by a first load, trusted once the files are older than its racy margin (~3 s).
const measure = (...flags: string[]) =>
  child(Deno.execPath(), [
    "run",
    "-A",
    `${here}group_bench.ts`,
    "--child",
    ...flags,
    "--runs",
    String(runs),
  ]);
const base = (...flags: string[]) =>
  child(Deno.execPath(), [
    "run",
    "-A",
    `--config=${against}/deno.json`,
    `${here}group_bench.ts`,
    "--child",
    ...flags,
    "--runs",
    String(runs),
    "--root",
    against!,
    "--data",
    againstData,
  ]);
await measure("--sequential");
if (against) await base("--sequential");
await new Promise((r) => setTimeout(r, 3500));
await measure("--sequential");
if (against) await base("--sequential");
const deno = [], denoSeq = [], denoPlain = [], py = [], denoBase = [];
for (let r = 0; r < reps; r++) {
  if (against) denoBase.push(await base("--sequential"));
  denoPlain.push(await measure("--sequential", "--no-index"));
  denoSeq.push(await measure("--sequential"));
  // -A only so the child may read its peak RSS in /proc/self/status (Deno asks for all access there).
  deno.push(await measure());
  if (!args.includes("--no-python")) {
    py.push(await child("python3", [`${here}group_baseline.py`, dataFolder, name]));
  }
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (label: string, rs: Record<string, number>[]) =>
  rs.length
    ? `| ${label} | ${median(rs.map((r) => r.load_s)).toFixed(3)} | ${
      median(rs.map((r) => r.analyse_s)).toFixed(3)
    } | ${median(rs.map((r) => r.total_s)).toFixed(3)} | ${
      median(rs.map((r) => r.peak_rss_mb)).toFixed(0)
    } | ${rs[0].cpu_s === undefined ? "–" : median(rs.map((r) => r.cpu_s)).toFixed(3)} | ${
      rs[0].matched
    } |`
    : "";
console.log(
  `\n${runs} runs, 21 params each; load + sortBy("score") + getParamList("score") + query("p1>0.5")`,
);
console.log(`median of ${reps} fresh processes\n`);
console.log(
  "| | load (s) | sort+list+query (s) | total (s) | peak RSS (MB) | process CPU (s) | matched |",
);
console.log("|---|---|---|---|---|---|---|");
console.log(
  row("sweepstore (Deno), readMode concurrent (the default on network file systems)", deno),
);
console.log(row("sweepstore (Deno), readMode sequential (the default on local disks)", denoSeq));
console.log(row("sweepstore (Deno), sequential, without the index (`index: false`)", denoPlain));
if (against) console.log(row(`${against}, sequential, with its index`, denoBase));
if (py.length) {
  console.log(row("PymoNNto-style (Python configparser)", py));
  const pyTotal = median(py.map((r) => r.total_s));
  console.log(
    `\nspeed-up: ${(pyTotal / median(denoSeq.map((r) => r.total_s))).toFixed(1)}× sequential, ${
      (pyTotal / median(deno.map((r) => r.total_s))).toFixed(1)
    }× concurrent, ${
      (pyTotal / median(denoPlain.map((r) => r.total_s))).toFixed(1)
    }× without the index${
      against
        ? `, ${(pyTotal / median(denoBase.map((r) => r.total_s))).toFixed(1)}× ${against}`
        : ""
    }`,
  );
}
