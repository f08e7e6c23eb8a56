/**
 * The sweep summary with repeats: one row per point (mean ± std, n) best first in the printed table and
 * summary.csv, every run in runs.csv, points in summary.json; the objective's direction; failures counted
 * per point; bookkeeping out of the tables; without repeats the per-run summary as before; and the CLI's
 * printed table after a real sweep.
 */
import { assert, assertEquals } from "./_assert.ts";
import { cli, withTempDir } from "./_helpers.ts";
import { aggregateRuns } from "../src/group/aggregate.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { runSweep, writeSummary } from "../runner/mod.ts";

const SIM = new URL("./fixtures/sims/repeat_sim.ts", import.meta.url);

function csvRows(text: string): string[][] {
  return text.trim().split("\r\n").map((line) => line.split(","));
}

Deno.test("with repeats, the table and summary.csv hold one row per point, best first; runs.csv every run", async () => {
  await withTempDir(async (dir) => {
    const dataFolder = `${dir}/Data`;
    const result = await runSweep({
      name: "Pts",
      simulation: SIM,
      grid: { n: [1, 3, 4], lr: [0.1, 0.2] },
      repeats: 3,
      concurrency: 2,
      dataFolder,
    });
    const summary = result.summary!;
    assertEquals(summary.counts, { done: 16, failed: 2 });
    // summary.csv: one row per point, every statistic of every result
    const csv = csvRows(await Deno.readTextFile(summary.files.csv));
    const stats = ["count", "mean", "std", "sem", "ci_low", "ci_high", "min", "max"];
    assertEquals(csv[0], [
      "n",
      "lr",
      "runs",
      "failed",
      ...stats.map((s) => `score_${s}`),
      ...stats.map((s) => `loss_${s}`),
    ]);
    assertEquals(csv.length, 7);
    // best first by the mean score: n = 4 (two finished repeats, one failed), then n = 1; n = 3 has a NaN
    // score in one repeat, so its mean is NaN and it comes last
    // (ties, such as the two NaN means, keep the order of the swept values)
    assertEquals(csv.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[4]]), [
      ["4", "0.2", "3", "1", "2"],
      ["4", "0.1", "3", "1", "2"],
      ["1", "0.2", "3", "0", "3"],
      ["1", "0.1", "3", "0", "3"],
      ["3", "0.1", "3", "0", "3"],
      ["3", "0.2", "3", "0", "3"],
    ]);
    assertEquals(csv.slice(5).map((r) => r[5]), ["nan", "nan"]); // as pandas reads it
    // the numbers are aggregate()'s over the finished runs of each point
    const smg = await StorageManagerGroup.load("Pts", { dataFolder });
    const done = smg.runs.filter((sm) => sm.param("status", { section: "Run" }) === "done");
    const agg = aggregateRuns(done);
    for (const row of csv.slice(1)) {
      const point = agg.rows.find((r) =>
        String(r.key.n) === row[0] && String(r.key.lr) === row[1]
      )!;
      assertEquals(Number(row[5]), point.values.score.mean);
      assertEquals(Number(row[6]), point.values.score.std);
      assertEquals(Number(row[13]), point.values.loss.mean);
    }
    // runs.csv keeps every run, without the time stamp
    const runs = csvRows(await Deno.readTextFile(summary.files.runs!));
    assertEquals(runs[0], ["run", "status", "n", "lr", "score", "loss", "duration_s", "error"]);
    assertEquals(runs.length, 19);
    // the printed table: the points, mean ± std and n, failures; no time or seed
    const lines = summary.table.trim().split("\n");
    assertEquals(lines[0].split(/\s{2,}/), [
      "n",
      "lr",
      "score (mean ± std)",
      "loss (mean ± std)",
      "n_runs",
      "failed",
    ]);
    assertEquals(lines.length, 8);
    assert(/^4\s+0\.2\s+0\.\d+ ± 0\.\d+\s+\S+ ± \S+\s+2\s+1$/.test(lines[2]), lines[2]);
    assert(/^3\s+0\.[12]\s+NaN\s/.test(lines[7]), lines[7]);
    assert(!summary.table.includes("time") && !summary.table.includes("seed"), summary.table);
    // summary.json: the points with their statistics, the objective
    const json = JSON.parse(
      (await Deno.readTextFile(summary.files.json)).replace(/\bNaN\b/g, "null"),
    );
    assertEquals(json.objective, { key: "score", goal: "maximize" });
    assertEquals(json.points.length, 6);
    assertEquals(json.points[0].key, { n: 4, lr: 0.2 });
    assertEquals([json.points[0].runs, json.points[0].failed], [3, 1]);
    assertEquals(json.points[0].values.score.count, 2);
    assertEquals(json.runs.length, 18);
  });
});

Deno.test("the objective's goal orders the points; a point whose runs all failed is listed with its failures", async () => {
  await withTempDir(async (dataFolder) => {
    const runs: [number, number | undefined, string][] = [
      [1, 0.5, "done"],
      [1, 0.3, "done"],
      [2, 0.1, "done"],
      [2, 0.2, "done"],
      [3, undefined, "failed"],
      [3, undefined, "timeout"],
    ];
    for (const [n, loss, status] of runs) {
      const params: Record<string, number> = { n };
      if (loss !== undefined) params.loss = loss;
      await StorageManager.create("Obj", {
        dataFolder,
        params: { Parameters: params, Run: { status, point: JSON.stringify({ n }) } },
      });
    }
    const smg = await StorageManagerGroup.load("Obj", { dataFolder });
    const summary = await writeSummary(smg, { objective: { key: "loss", goal: "minimize" } });
    assertEquals(
      summary.points!.map((p) => [p.key.n, p.runs, p.failed, p.values.loss?.mean ?? null]),
      [
        [2, 2, 0, 0.15000000000000002],
        [1, 2, 0, 0.4],
        [3, 2, 2, null],
      ],
    );
    const lines = summary.table.trim().split("\n");
    assertEquals(lines[0].split(/\s{2,}/), ["n", "loss (mean ± std)", "n_runs", "failed"]);
    assert(/^3\s+0\s+2$/.test(lines[4]), lines[4]);
    const csv = csvRows(await Deno.readTextFile(summary.files.csv));
    assertEquals(csv[3].slice(0, 5), ["3", "2", "2", "", ""]);
    // maximizing instead puts n = 1 first
    const max = await writeSummary(smg, { score: "loss" });
    assertEquals(max.points!.map((p) => p.key.n), [1, 2, 3]);
  });
});

Deno.test("without repeats the summary stays per run (summary.csv = runs.csv), best first", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "One",
      simulation: SIM,
      grid: { n: [1, 2], lr: [0.1] },
      dataFolder: `${dir}/Data`,
    });
    const { files, table, points } = result.summary!;
    assertEquals(points, undefined);
    const csv = await Deno.readTextFile(files.csv);
    assertEquals(csv, await Deno.readTextFile(files.runs!));
    const rows = csvRows(csv);
    assertEquals(rows[0], ["run", "status", "n", "lr", "score", "loss", "duration_s", "error"]);
    assertEquals(rows.slice(1).map((r) => r[2]), ["2", "1"]);
    assert(table.split("\n")[0].startsWith("run "), table);
  });
});

Deno.test("the CLI prints the per-point table after a sweep with repeats and names runs.csv", async () => {
  await withTempDir(async (dir) => {
    const out = await cli([
      ...["run", SIM.pathname, "--name", "Cp", "--grid", "n=1,2", "--grid", "lr=0.1"],
      ...["--repeats", "3", "--data", `${dir}/Data`, "--no-progress"],
    ]);
    assertEquals(out.code, 0, out.stderr);
    const lines = out.stdout.split("\n");
    const header = lines.findIndex((l) => l.startsWith("n "));
    assert(header > 0, out.stdout);
    assertEquals(lines[header].split(/\s{2,}/), [
      "n",
      "lr",
      "score (mean ± std)",
      "loss (mean ± std)",
      "n_runs",
    ]);
    assert(/^2\s+0\.1\s+0\.\d+ ± 0\.\d+\s+\S+ ± \S+\s+3$/.test(lines[header + 2]), out.stdout);
    assert(/^1\s+0\.1\s/.test(lines[header + 3]), out.stdout);
    assert(out.stdout.includes(`${dir}/Data/StorageManager/Cp/runs.csv`), out.stdout);
    assert(!/\btime\b/.test(out.stdout), out.stdout);
  });
});

Deno.test("sweepstore report leaves bookkeeping (time, seed, repeat) out of its table unless asked, as the summary", async () => {
  await withTempDir(async (dataFolder) => {
    for (const [n, seed] of [[1, 11], [2, 12]]) {
      await StorageManager.create("Bk", {
        dataFolder,
        params: { Parameters: { n, seed, repeat: 0, score: n / 10 } },
      });
    }
    const plain = await cli(["report", "Bk", "--csv", "--data", dataFolder]);
    assertEquals(plain.code, 0, plain.stderr);
    assertEquals(plain.stdout.split("\r\n")[0], "run,n,score");
    const asked = await cli([
      "report",
      "Bk",
      "--csv",
      "--columns",
      "seed,time",
      "--data",
      dataFolder,
    ]);
    assertEquals(asked.stdout.split("\r\n")[0], "run,seed,time");
  });
});

Deno.test("a search's summary is ordered by its objective, smallest first when it is minimized", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "Srch",
      simulation: SIM,
      search: {
        method: "random",
        population: 4,
        generations: 2,
        bounds: { n: { min: 1, max: 2 }, lr: { min: 0.1, max: 0.5 } },
        seed: 3,
      },
      objective: { key: "loss", goal: "minimize" },
      dataFolder: `${dir}/Data`,
    });
    const rows = csvRows(await Deno.readTextFile(result.summary!.files.runs!));
    const loss = rows[0].indexOf("loss");
    assert(loss > 0, rows[0].join(","));
    const losses = rows.slice(1).map((r) => Number(r[loss]));
    assertEquals(losses.length, 8);
    assertEquals(losses, [...losses].sort((a, b) => a - b));
    const json = JSON.parse(await Deno.readTextFile(result.summary!.files.json));
    assertEquals(json.objective, { key: "loss", goal: "minimize" });
  });
});

Deno.test("a point's identity in the summary: NaN repeats NaN, -0 is not 0, a text is not a number", async () => {
  await withTempDir(async (dataFolder) => {
    const summaryOf = async (name: string, xs: unknown[]) => {
      for (const [i, x] of xs.entries()) {
        await StorageManager.create(name, {
          dataFolder,
          params: { Parameters: { x: x as number, score: i }, Run: { status: "done" } },
        });
      }
      return await writeSummary(await StorageManagerGroup.load(name, { dataFolder }), {
        swept: ["x"],
      });
    };
    assertEquals(
      (await summaryOf("Nan", [NaN, 1, NaN])).points?.length,
      2,
      "NaN and NaN: one point",
    );
    assertEquals((await summaryOf("Zero", [0, -0, 1])).points, undefined, "0 and -0: two points");
    assertEquals((await summaryOf("Text", [1, "1", 2])).points, undefined, "1 and '1' differ");
    assertEquals((await summaryOf("Same", [2.5, 1, 2.5])).points?.length, 2);
    // without repeats summary.csv is a copy of runs.csv, byte for byte (non-ASCII text included)
    const text = await summaryOf("Copy", ["é ✓ 漢字", "b"]);
    assertEquals(await Deno.readFile(text.files.csv), await Deno.readFile(text.files.runs!));
  });
});

Deno.test("results named like Object.prototype's members (constructor, __proto__) with a point that has none: the summary is written", async () => {
  // A point without statistics (all its runs failed) had `values: {}`: its `values["constructor"]` was
  // Object itself and `values["__proto__"]` Object.prototype, so statCell read `.ci[0]` of them and the
  // whole summary failed ("Cannot read properties of undefined (reading '0')"): no summary file at all.
  await withTempDir(async (dir) => {
    const dataFolder = `${dir}/Data`;
    const make = (n: number, repeat: number, status: string, results: Record<string, number>) =>
      StorageManager.create("Proto", {
        dataFolder,
        params: { Parameters: { n, ...results }, Run: { status, repeat } },
      });
    for (const repeat of [0, 1]) {
      await make(
        1,
        repeat,
        "done",
        JSON.parse(`{"__proto__": 2, "constructor": ${repeat}, "score": 0.5}`),
      );
      await make(2, repeat, "failed", {});
    }
    const group = await StorageManagerGroup.load("Proto", { dataFolder });
    const summary = await writeSummary(group, { swept: ["n"] });
    const csv = csvRows(await Deno.readTextFile(summary.files.csv));
    const header = csv[0];
    const row = (n: string) => csv.find((r) => r[0] === n)!;
    for (const key of ["score", "__proto__", "constructor"]) {
      assert(header.includes(`${key}_mean`), `${key}_mean in ${header}`);
      assertEquals(
        row("2")[header.indexOf(`${key}_mean`)],
        "",
        "the failed point has no statistics",
      );
    }
    assertEquals(row("1")[header.indexOf("constructor_mean")], "0.5");
    assertEquals(row("1")[header.indexOf("__proto___mean")], "2");
  });
});
