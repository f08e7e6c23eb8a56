/**
 * Repeat-aware analysis on a sweep-shaped group (2,000 points × 5 repeats = 10,000 runs, each with a
 * `[Run] point` record, two results and a 100-element `trace.npy`), side by side with the Python way
 * (python/sweepstore_reader/'s load_group into pandas, groupby, scipy's t interval; np.load per run).
 *
 *   deno run --allow-read --allow-write --allow-run bench/aggregate_bench.ts [--runs 10000] [--no-python]
 *
 * Each side runs in a fresh process, median of 3: load, schema() + aggregate() (default axes from the
 * records), aggregateNp("trace") against load_group + groupby().agg + t.interval, np.load + groupby.
 */
import { StorageManagerGroup } from "../mod.ts";
import { stringifyIni } from "../src/formats/ini.ts";
import { formatParam } from "../src/formats/params.ts";
import { writeNpy } from "../src/formats/npy.ts";
import { child } from "./_child.ts";

const args = Deno.args;
const runs = Number(args[args.indexOf("--runs") + 1] || 0) || 10_000;
const here = new URL(".", import.meta.url).pathname;
const dataFolder = `${here}out/aggregate_${runs}/Data`;
const group = `${dataFolder}/StorageManager/Agg`;
const REPEATS = 5;

if (args.includes("--child")) {
  const t0 = performance.now();
  const smg = await StorageManagerGroup.load("Agg", { dataFolder, readMode: "sequential" });
  const t1 = performance.now();
  const schema = smg.schema();
  const agg = smg.aggregate();
  const t2 = performance.now();
  const traces = await smg.aggregateNp("trace");
  const t3 = performance.now();
  console.log(JSON.stringify({
    load_s: (t1 - t0) / 1000,
    aggregate_s: (t2 - t1) / 1000,
    np_s: (t3 - t2) / 1000,
    points: agg.rows.length,
    swept: schema.swept,
    traces: traces.length,
  }));
  Deno.exit(0);
}

const PYTHON = `
import json, sys, time
import numpy as np, pandas as pd
from scipy import stats
sys.path.insert(0, sys.argv[2])
from sweepstore_reader import load_group, load_np
t0 = time.perf_counter()
df = load_group(sys.argv[1], as_frame=True)
t1 = time.perf_counter()
g = df.groupby(["a", "b"])[["score", "loss"]]
agg = g.agg(["count", "mean", "std", "sem", "min", "max"])
for v in ("score", "loss"):
    n, m, sem = agg[(v, "count")], agg[(v, "mean")], agg[(v, "sem")]
    agg[(v, "ci_low")], agg[(v, "ci_high")] = stats.t.interval(0.95, n - 1, loc=m, scale=sem)
t2 = time.perf_counter()
df["trace"] = [load_np(p + "/trace.npy") for p in df["path"]]
traces = {k: (np.mean(np.stack(s), axis=0), np.std(np.stack(s), axis=0, ddof=1))
          for k, s in df.groupby(["a", "b"])["trace"]}
t3 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "aggregate_s": t2 - t1, "np_s": t3 - t2, "points": len(agg),
                  "traces": len(traces)}))
`;

async function generate() {
  try {
    if (Number(await Deno.readTextFile(`${group}/../.complete`)) === runs) return;
  } catch { /* not generated yet */ }
  await Deno.remove(`${here}out/aggregate_${runs}`, { recursive: true }).catch(() => {});
  await Deno.mkdir(group, { recursive: true });
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const bs = Math.ceil(Math.sqrt(runs / REPEATS));
  for (let i = 0; i < runs; i++) {
    const point = Math.floor(i / REPEATS);
    const a = point % bs, b = Math.floor(point / bs) / 10;
    const params = new Map<string, string>([
      ["time", formatParam(1.7e9 + i)],
      ["a", formatParam(a)],
      ["b", formatParam(b)],
      ["score", formatParam(a + b + rand())],
      ["loss", formatParam(rand())],
    ]);
    const record = new Map<string, string>([
      ["status", "done"],
      ["point", formatParam(JSON.stringify({ a, b }))],
      ["repeat", formatParam(i % REPEATS)],
      ["seed", formatParam(Math.floor(rand() * 2 ** 32))],
    ]);
    const folder = `${group}/Agg${i + 1}`;
    await Deno.mkdir(folder);
    await Deno.writeTextFile(
      `${folder}/config.ini`,
      stringifyIni(new Map([["Parameters", params], ["Run", record]])),
    );
    const trace = new Float64Array(100).map(() => rand());
    await writeNpy(`${folder}/trace.npy`, trace);
  }
  await Deno.writeTextFile(`${group}/../.complete`, String(runs));
}

await generate();
const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
type Figures = { load_s: number; aggregate_s: number; np_s: number; points: number };
const sides: [string, () => Promise<Figures>][] = [
  ["sweepstore: load, schema() + aggregate(), aggregateNp()", () =>
    child(Deno.execPath(), [
      "run",
      "--allow-read",
      new URL(import.meta.url).pathname,
      "--child",
      "--runs",
      String(runs),
    ])],
];
if (!args.includes("--no-python")) {
  sides.push([
    "Python: load_group → pandas groupby + scipy t.interval, np.load + groupby",
    () => child("/usr/bin/python3", ["-c", PYTHON, group, `${here}../python`]),
  ]);
}
const results: Record<string, Figures[]> = {};
for (let round = 0; round < 3; round++) {
  for (const [label, run] of sides) (results[label] ??= []).push(await run());
}
console.log(`${runs} runs, ${runs / REPEATS} points × ${REPEATS} repeats, median of 3\n`);
console.log("| side | load (s) | aggregate (s) | arrays (s) | points |");
console.log("| --- | --- | --- | --- | --- |");
for (const [label, figures] of Object.entries(results)) {
  const m = (k: keyof Figures) => median(figures.map((f) => f[k])).toFixed(3);
  console.log(
    `| ${label} | ${m("load_s")} | ${m("aggregate_s")} | ${m("np_s")} | ${figures[0].points} |`,
  );
}
