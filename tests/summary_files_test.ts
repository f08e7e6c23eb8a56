/**
 * The summary files made compactly (session 22: repeats decided without a text per run, plot panels made
 * when written, the per-point table streamed) are byte for byte those of the tree before (`git archive
 * 594cb88`): summary.csv, runs.csv, summary.json (but its `written` instant) and plot.svg, the printed
 * table and `SweepSummary.points` (but CSV numbers, now Python's repr: `csvNumbersAsNow`), for small odd groups — NaN, -0, ±Infinity, bigints past 2⁵³, missing
 * values, strings, lists, failed runs, parameters named runs, n, n_runs, constructor, __proto__, no score,
 * an objective minimized, an x that repeats in a plot. And the repeat rule against the plain one (a `Set`
 * of `pythonJson` texts) on random tricky values.
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import type { ParamValue } from "../src/formats/params.ts";
import { hasRepeats } from "../runner/_summary_keys.ts";
import { writeSummary } from "../runner/mod.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { pythonJson } from "../src/formats/_python_json.ts";
import { formatInnerNumber } from "../src/formats/_param_format.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const BASE = "594cb88";
const HAS_BASE = (await new Deno.Command("git", {
  args: ["-C", root, "cat-file", "-e", `${BASE}^{commit}`],
  stdout: "null",
  stderr: "null",
}).output().catch(() => ({ success: false }))).success;
if (!HAS_BASE) {
  console.warn(`summary_files: commit ${BASE} is not in this clone; its comparison is skipped`);
}

type Run = { params: Record<string, ParamValue>; status: string };
interface Case {
  name: string;
  runs: Run[];
  options: Record<string, unknown>;
}

const BIG = 2n ** 60n + 1n; // past 2⁵³: kept as a bigint
const proto = (extra: Record<string, ParamValue>) =>
  Object.assign(JSON.parse(`{"__proto__": 3, "constructor": 4}`), extra);

/** The odd groups compared (each written by both trees). */
function cases(): Case[] {
  const odd: ParamValue[] = [NaN, -0, 0, Infinity, -Infinity, BIG, Number(BIG), "x", [1, 2], 1.5];
  const oddRuns: Run[] = [];
  for (const [k, a] of odd.entries()) {
    for (let repeat = 0; repeat < 3; repeat++) {
      const params: Record<string, ParamValue> = { a, b: k % 3 };
      if (!(k === 2 && repeat === 1)) params.score = k * 0.1 + repeat * 0.01;
      params.runs = repeat;
      params.n = k;
      params.n_runs = 2;
      oddRuns.push({ params: proto(params), status: repeat === 2 && k % 2 ? "failed" : "done" });
    }
  }
  oddRuns.push({ params: { b: 1, score: 0.7 }, status: "done" }); // a missing swept value
  oddRuns.push({ params: { b: 1, score: 0.9 }, status: "done" });
  const named: Run[] = [];
  for (const runs of [1, 2, 2, 3, 3, 3]) {
    named.push({ params: { runs, n: runs % 2, loss: runs * 0.25 - 1, tag: "t" }, status: "done" });
  }
  const perRun: Run[] = [NaN, -0, 0, 2.5, Infinity, "s"].map((x, i) => ({
    params: { x, y: i, score: i % 2 ? -i : i * 1e-7 },
    status: i === 3 ? "failed" : "done",
  }));
  // two runs per x on average (8 runs, 4 distinct x): plot.svg draws the mean ± std per x
  const xRepeats: Run[] = [0.1, 0.2, 0.1, 0.3, -0, 0, 0.2, 0.3].map((x, i) => ({
    params: { x, z: i, score: i * 0.5 },
    status: "done",
  }));
  // points that compare equal by their values (lists, dicts, a missing one): listed by their first run
  const ties: Run[] = [[2], { k: 1 }, [1], [2], { k: 1 }, [1]].map((a, i) => ({
    params: { a, z: i % 3 === 0 ? 1 : 2 },
    status: "done",
  }));
  ties.push({ params: { z: 5 }, status: "done" }, { params: { z: 6 }, status: "done" });
  return [
    { name: "Ties", runs: ties, options: { swept: ["a"], score: "absent" } },
    { name: "Odd", runs: oddRuns, options: { swept: ["a", "b"] } },
    {
      name: "OddMin",
      runs: oddRuns,
      options: { swept: ["a", "b"], objective: { key: "score", goal: "minimize" } },
    },
    { name: "NoScore", runs: oddRuns, options: { swept: ["a", "b"], score: "absent" } },
    { name: "Named", runs: named, options: { swept: ["runs", "n"], score: "loss" } },
    {
      name: "NamedMin",
      runs: named,
      options: { swept: ["runs"], objective: { key: "loss", goal: "minimize" } },
    },
    { name: "PerRun", runs: perRun, options: { swept: ["x", "y"] } },
    { name: "XRepeats", runs: xRepeats, options: { swept: ["x", "z"] } },
  ];
}

/** Writes the summary of `name` with the tree at `tree` (a child process) and returns its table and points. */
async function summarize(tree: string, dataFolder: string, name: string, options: unknown) {
  const script = `
    import { StorageManagerGroup } from "${tree}/mod.ts";
    import { writeSummary } from "${tree}/runner/mod.ts";
    const group = await StorageManagerGroup.load(${JSON.stringify(name)}, { dataFolder: ${
    JSON.stringify(dataFolder)
  } });
    const s = await writeSummary(group, ${JSON.stringify(options)});
    console.log(JSON.stringify({ table: s.table, points: s.points ?? null },
      (_k, v) => typeof v === "bigint" ? v + "n" : typeof v === "number" && !Number.isFinite(v) ? String(v) : Object.is(v, -0) ? "-0" : v));
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", "--no-lock", `--config=${tree}/deno.json`, script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  assert(out.success, `${tree} ${name}: ${err}`);
  return new TextDecoder().decode(out.stdout);
}

async function filesOf(data: string, groupPath: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const f of ["summary.csv", "runs.csv", "summary.json", "plot.svg"]) {
    const text = await Deno.readTextFile(`${groupPath}/${f}`).catch(() => "(none)");
    // summary.json: its instant, and each run's folder (in each side's own copy of the data)
    files[f] = f === "summary.json"
      ? text.replace(/"written": "[^"]*"/, "").replaceAll(data, "DATA")
      : text;
  }
  return files;
}

/**
 * The one change since 594cb88 meant (session 23): a CSV cell holding a float is Python's `repr()` of it,
 * as in `config.ini` lists (`-0` → `-0.0`, `1152921504606847000` → `1.152921504606847e+18`, `0.00001` →
 * `1e-05`); the base tree's JavaScript texts are rewritten so. A field is a float text when it is
 * JavaScript's own text of its number (a bigint's digits are not) or `-0`.
 */
function csvNumbersAsNow(csv: string): string {
  return csv.replace(/(?<=^|,)(-?\d[\d.e+-]*)(?=,|\r?$)/gm, (field) => {
    const n = Number(field);
    return field === "-0" || String(n) === field ? formatInnerNumber(n) : field;
  });
}

Deno.test({
  name: "the summary files, table and points are byte for byte those of the tree before (594cb88)",
  ignore: !HAS_BASE,
  async fn() {
    await withTempDir(async (dir) => {
      const base = `${dir}/base`;
      await Deno.mkdir(base);
      const tar = `git -C '${root}' archive ${BASE} | tar -x -C '${base}'`;
      assert((await new Deno.Command("sh", { args: ["-c", tar] }).output()).success);
      for (const c of cases()) {
        const made = `${dir}/made`;
        for (const run of c.runs) {
          await StorageManager.create(c.name, {
            dataFolder: made,
            params: { Parameters: run.params, Run: { status: run.status } },
          });
        }
        const results: string[] = [];
        const files: Record<string, string>[] = [];
        for (const [side, tree] of [["base", base], ["now", root]]) {
          const data = `${dir}/${side}-${c.name}`;
          const cp = await new Deno.Command("cp", { args: ["-r", made, data] }).output();
          assert(cp.success);
          results.push(await summarize(tree, data, c.name, c.options));
          files.push(await filesOf(data, `${data}/StorageManager/${c.name}`));
        }
        await Deno.remove(made, { recursive: true });
        assertEquals(results[1], results[0], `${c.name}: table and points`);
        for (const f of Object.keys(files[0])) {
          if (f.endsWith(".csv")) files[0][f] = csvNumbersAsNow(files[0][f]);
          if (files[1][f] !== files[0][f] && Deno.env.get("DUMP")) {
            Deno.writeTextFileSync(`/tmp/dump-base-${f}`, files[0][f]);
            Deno.writeTextFileSync(`/tmp/dump-now-${f}`, files[1][f]);
          }
          assert(files[1][f] === files[0][f], `${c.name}: ${f} differs from the tree before`);
        }
        assert(
          files[1]["summary.csv"].length > 0 && files[1]["plot.svg"] !== "(none)" ||
            c.options.score === "absent",
        );
      }
    });
  },
});

Deno.test("repeats: two runs repeat exactly when the pythonJson texts of their swept values are equal", () => {
  const pool: (ParamValue | undefined)[] = [
    NaN,
    -0,
    0,
    1,
    1.5,
    Infinity,
    -Infinity,
    2n ** 60n,
    2 ** 60,
    2n ** 53n + 1n,
    "1",
    "NaN",
    "",
    true,
    false,
    null,
    undefined,
    [1, 2],
    [1, "2"],
    { a: 1 },
    0.1 + 0.2,
    0.30000000000000004,
    -1e-300,
    1e21,
    10n ** 21n,
  ];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
  let both = 0, neither = 0;
  for (let trial = 0; trial < 400; trial++) {
    const n = 2 + Math.floor(random() * 6), width = 1 + Math.floor(random() * 3);
    const columns = Array.from(
      { length: width },
      () => Array.from({ length: n }, () => pool[Math.floor(random() * pool.length)]),
    );
    const texts = new Set<string>();
    for (let i = 0; i < n; i++) texts.add(pythonJson(columns.map((c) => c[i]), 0));
    const plain = texts.size < n;
    assertEquals(
      hasRepeats(columns.map((c) => (i: number) => c[i]), n),
      plain,
      pythonJson(columns),
    );
    if (plain) both++;
    else neither++;
  }
  assert(both > 30 && neither > 30, `${both} with repeats, ${neither} without`);
  // 100,000 distinct decimals with one repeat, placed last
  const xs = Array.from({ length: 100_000 }, (_, i) => i / 7);
  assertEquals(hasRepeats([(i) => xs[i]], xs.length), false);
  xs[99_999] = xs[12_345];
  assertEquals(hasRepeats([(i) => xs[i]], xs.length), true);
});

Deno.test("a result that only failed runs hold: the per-point summary is written, its statistics empty", async () => {
  // 594cb88 aggregated the finished runs through aggregateRows, which refused a value none of them
  // holds (RangeError "no run has the parameter"): the whole summary failed, no file written.
  await withTempDir(async (dataFolder) => {
    const make = (params: Record<string, ParamValue>, status: string) =>
      StorageManager.create("OnlyFailed", {
        dataFolder,
        params: { Parameters: params, Run: { status } },
      });
    await make({ n: 1, score: 0.5 }, "done");
    await make({ n: 1, score: 0.7, progress: 5 }, "failed");
    const group = await StorageManagerGroup.load("OnlyFailed", { dataFolder });
    const summary = await writeSummary(group, { swept: ["n"] });
    assertEquals(summary.points?.map((p) => [p.runs, p.failed, p.values.progress?.count]), [[
      2,
      1,
      0,
    ]]);
    const [header, row] = (await Deno.readTextFile(summary.files.csv)).trim().split("\r\n").map((
      l,
    ) => l.split(","));
    assertEquals(row[header.indexOf("score_mean")], "0.5");
    assertEquals(row[header.indexOf("progress_count")], "0");
  });
});

Deno.test("plot.svg draws the mean ± std per x only where x values repeat (two runs per x on average)", async () => {
  await withTempDir(async (dataFolder) => {
    const svgOf = async (name: string, xs: number[]) => {
      for (const [i, x] of xs.entries()) {
        await StorageManager.create(name, { dataFolder, params: { Parameters: { x, score: i } } });
      }
      const group = await StorageManagerGroup.load(name, { dataFolder });
      const summary = await writeSummary(group, { swept: ["x"] });
      return await Deno.readTextFile(summary.files.svg!);
    };
    // a random search's chance duplicates: 2 of 40 values repeat, no summary over the dots
    const random = Array.from(
      { length: 40 },
      (_, i) => (i === 39 ? 0.5 : i === 38 ? 0.25 : i / 41),
    );
    random[10] = 0.5;
    random[11] = 0.25;
    assert(
      !(await svgOf("Chance", random)).includes('class="summary"'),
      "a summary of single runs",
    );
    // a grid with repeats: 10 values × 2 runs
    const grid = Array.from({ length: 20 }, (_, i) => i % 10);
    const svg = await svgOf("Grid", grid);
    assert(svg.includes('class="summary"'), "no mean ± std for a grid with repeats");
    assertEquals(svg.split('class="errorbar"').length - 1, 10);
  });
});
