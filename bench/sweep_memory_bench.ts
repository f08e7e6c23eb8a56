/**
 * Issue 8 point 10: the parent of a sweep of N tiny points (pool of 2), with the summary and `result.group`,
 * stays under 300 MB. Prints the peak RSS (VmHWM of /proc/self/status) after the runs, before `result.runs` is
 * first read (its records are made then) and after everything (the summary, `result.group`, `result.runs`).
 *
 *   deno run -A bench/sweep_memory_bench.ts [--points 100000] [--shape k|grid2|random3|repeats5]
 *     [--no-summary] [--keep DIR]
 *   deno run -A bench/sweep_memory_bench.ts --summary-of DIR [--html-only | --no-html]
 *
 * `--keep DIR` runs the sweep in DIR (a data folder) and keeps it; `--summary-of DIR` then loads the group
 * of that sweep in a fresh process and writes its summary, printing VmHWM after each step (where the peak
 * of the summary comes from, without running the sweep again); with `--html-only`, only report.html, step
 * by step; with `--no-html`, the summary's own files only (summary.csv, runs.csv, summary.json,
 * plot.svg: `writeSummary` without report.html).
 *
 * `--shape` (default `k`): `k`, points `{ k }` of one integer and one result (bench/sims/tiny.ts); `grid2`, a
 * grid of two parameters (N/1000 integers × 1000 decimals) and three results (bench/sims/tiny_results.ts);
 * `random3`, N random samples of three decimal parameters (one on a log scale) and three results;
 * `repeats5`, N/5 points `{ k }` × 5 repeats. (Session 23, 100,000 points: `k` 213, `repeats5` 206,
 * `random3` 252–288 MiB; main beside it 239, 231, 289–314: see bench/README.md, "Session 23: random3";
 * session 23b, the point texts packed: `random3` 224–240 MiB, main beside it 248–281, "Session 23b".)
 *
 * (-A: Deno asks for all access to read /proc/self/status.)
 */
import { StorageManagerGroup } from "../mod.ts";
import {
  readRunSection,
  runSectionsOf,
  runSweep,
  type RunSweepOptions,
  writeSummary,
} from "../runner/mod.ts";
import { summaryWithoutHtml } from "../runner/summary.ts";
import { writeHtmlReport } from "../src/report_html/html_report.ts";
import { collectReport } from "../src/report_html/_report_data.ts";
import { pointStats } from "../src/report_html/_points.ts";
import { echartsScript, pagePieces } from "../src/report_html/_page.ts";
import { sweptOrVaryingOfRows } from "../src/group/schema.ts";
import { rowsOf } from "../src/group/group_views.ts";

const args = Deno.args;
const arg = (name: string) => args.includes(name) ? args[args.indexOf(name) + 1] : undefined;
const n = Number(arg("--points") ?? 100_000);
const peakMiB = () =>
  Number(/VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"))![1]) / 1024;
const rssMiB = () =>
  Number(/VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"))![1]) / 1024;

async function summaryOf(dataFolder: string): Promise<void> {
  const steps: Record<string, number> = { start: peakMiB() };
  let t = performance.now();
  const group = await StorageManagerGroup.load("Scale", { dataFolder });
  steps.load = peakMiB();
  const loadS = (performance.now() - t) / 1000;
  t = performance.now();
  if (args.includes("--html-only")) {
    // report.html alone, step by step: the per-point statistics, the page's data, the page, the file
    group.sortBy("score", { descending: true });
    // computed again in collectReport, as the writer does
    const swept = sweptOrVaryingOfRows(rowsOf(group)).params.filter((p) => p !== "score");
    pointStats(group, swept, "score");
    steps.point_stats = peakMiB();
    const data = await collectReport(group, {
      reportDir: group.path,
      objective: "score",
      goal: "maximize",
      runRecord: readRunSection,
      runRecords: runSectionsOf,
    });
    steps.report_data = peakMiB();
    let chars = 0; // the page's pieces, as writeHtmlReport writes them (never one text)
    for (const piece of pagePieces(data, await echartsScript())) chars += piece.length;
    steps.page_pieces = peakMiB();
    await writeHtmlReport(group, {
      runRecord: readRunSection,
      runRecords: runSectionsOf,
      file: `${group.path}/report.html`,
    });
    steps.html = peakMiB();
    return console.log(
      JSON.stringify({ runs: group.length, html_chars: chars, peak_mib: steps }),
    );
  }
  const summary = args.includes("--no-html")
    ? (await summaryWithoutHtml(group)).out
    : await writeSummary(group);
  steps.summary = peakMiB();
  console.log(JSON.stringify({
    runs: group.length,
    counts: summary.counts,
    load_s: loadS,
    summary_s: (performance.now() - t) / 1000,
    peak_mib: steps,
    rss_end_mib: rssMiB(),
    memory_end_mib: Object.fromEntries(
      Object.entries(Deno.memoryUsage()).map(([k, v]) => [k, Math.round(v / 2 ** 20)]),
    ),
  }));
}

/** The points and simulation of `--shape` (see the module documentation). */
function sweepShape(shape: string): Omit<RunSweepOptions, "name"> {
  const range = <T>(count: number, f: (i: number) => T) =>
    Array.from({ length: count }, (_, i) => f(i));
  const results = new URL("./sims/tiny_results.ts", import.meta.url);
  switch (shape) {
    case "k":
      return {
        simulation: new URL("./sims/tiny.ts", import.meta.url),
        points: range(n, (k) => ({ k })),
      };
    case "grid2":
      return {
        simulation: results,
        grid: { a: range(Math.ceil(n / 1000), (i) => i), b: range(1000, (i) => i * 0.001) },
      };
    case "random3":
      return {
        simulation: results,
        random: {
          lr: { min: 1e-5, max: 0.1, log: true },
          wd: { min: 0, max: 0.1 },
          mom: { min: 0.8, max: 0.999 },
        },
        samples: n,
      };
    case "repeats5":
      return {
        simulation: new URL("./sims/tiny.ts", import.meta.url),
        points: range(Math.ceil(n / 5), (k) => ({ k })),
        repeats: 5,
      };
    default:
      throw new RangeError(
        `--shape must be k, grid2, random3 or repeats5, not ${JSON.stringify(shape)}`,
      );
  }
}

async function sweep(dataFolder: string): Promise<void> {
  const t0 = performance.now();
  let runsPeak = 0;
  const result = await runSweep({
    name: "Scale",
    ...sweepShape(arg("--shape") ?? "k"),
    concurrency: 2,
    dataFolder,
    summary: !args.includes("--no-summary"),
    onEvent: (e) => {
      if (e.type === "ended" && e.counts.done + e.counts.failed === e.counts.total) {
        runsPeak = peakMiB();
      }
    },
  });
  const beforeRecords = peakMiB(); // the records are made when result.runs is first read (counted below)
  const done = result.runs.filter((r) => r.status === "done").length;
  console.log(JSON.stringify({
    points: n,
    shape: arg("--shape") ?? "k",
    done,
    group: result.group.length,
    summaryRows: Object.values(result.summary?.counts ?? {}).reduce((a, b) => a + b, 0),
    seconds: (performance.now() - t0) / 1000,
    peak_after_runs_mib: runsPeak,
    peak_before_records_mib: beforeRecords,
    peak_total_mib: peakMiB(),
  }));
}

const summaryDir = arg("--summary-of");
if (summaryDir) await summaryOf(summaryDir);
else {
  const keep = arg("--keep");
  const dataFolder = keep ?? await Deno.makeTempDir({ prefix: "sweepstore-memory-bench-" });
  if (keep) await Deno.mkdir(keep, { recursive: true });
  try {
    await sweep(dataFolder);
  } finally {
    if (!keep) await Deno.remove(dataFolder, { recursive: true });
  }
}
