/**
 * report.html with more runs than it lists (`MAX_REPORT_RUNS`; here a small `maxRuns`): the per-run rows
 * are the best by the objective, the header's facts and the point statistics still cover every run, and
 * the page says how many it lists — in the data and in a real chromium.
 */
import { join } from "node:path";
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { hasChromium, NO_CHROMIUM, openReport, withBrowser } from "./_browser.ts";
import { StorageManager, StorageManagerGroup } from "../mod.ts";
import { readRunSection } from "../runner/run_record.ts";
import { collectReport, MAX_REPORT_RUNS } from "../src/report_html/_report_data.ts";
import { MAX_REPORT_POINTS } from "../src/report_html/_points.ts";
import { echartsScript, pageHtml } from "../src/report_html/_page.ts";

const browserTest = { sanitizeOps: false, sanitizeResources: false, ignore: !hasChromium() };
if (!hasChromium()) console.warn(NO_CHROMIUM);

/** 10 runs: n = 1..5 twice, score = n + repeat / 10; run 10 failed without a score. */
async function makeGroup(dataFolder: string): Promise<StorageManagerGroup> {
  for (let k = 0; k < 10; k++) {
    const n = (k % 5) + 1, repeat = Math.floor(k / 5);
    const failed = k === 9;
    await StorageManager.create("Bound", {
      dataFolder,
      params: {
        Parameters: failed ? { n, repeat } : { n, repeat, score: n + repeat / 10 },
        Run: {
          status: failed ? "failed" : "done",
          point: JSON.stringify({ n }),
          started: `2026-01-01T00:00:${String(10 + k).padStart(2, "0")}Z`,
          finished: `2026-01-01T00:01:${String(10 + k).padStart(2, "0")}Z`,
        },
      },
    });
  }
  return await StorageManagerGroup.load("Bound", { dataFolder });
}

const options = (dir: string, maxRuns?: number) => ({
  reportDir: dir,
  objective: "score",
  goal: "maximize" as const,
  runRecord: readRunSection,
  maxRuns,
});

Deno.test("report data: at most maxRuns runs, the best by the objective; facts and points over all", async () => {
  assert(MAX_REPORT_RUNS >= 1000, "the default bound keeps every run of ordinary sweeps");
  await withTempDir(async (dir) => {
    const group = await makeGroup(join(dir, "Data"));
    const all = await collectReport(group, options(dir));
    assertEquals(all.runs.name.length, 10, "under the bound: every run");
    const data = await collectReport(group, options(dir, 4));
    assertEquals(data.facts.runs, 10);
    assertEquals(data.facts.counts, { done: 9, failed: 1 });
    assertEquals([data.facts.from, data.facts.to], [
      "2026-01-01T00:00:10Z",
      "2026-01-01T00:01:19Z",
    ]);
    assertEquals(data.facts, all.facts, "the facts do not depend on the bound");
    // the best 4 scores (5, 4.1, 4, 3.1; run 10 failed without one) in the group's (folder) order
    assertEquals(data.runs.name, ["Bound4", "Bound5", "Bound8", "Bound9"]);
    const score = data.runs.values[data.params.indexOf("score")];
    assertEquals(score, [4, 5, 3.1, 4.1]);
    for (const column of [data.runs.href, data.runs.status, data.runs.files, data.runs.record]) {
      assertEquals(column.length, 4);
    }
    assertEquals(data.points, all.points, "the point statistics cover every run");
  });
});

Deno.test(
  "report.html in chromium with fewer rows than runs: counts of all runs and a note",
  browserTest,
  async () => {
    await withTempDir(async (dir) => {
      const group = await makeGroup(join(dir, "Data"));
      const file = join(dir, "bound.html");
      await Deno.writeTextFile(
        file,
        pageHtml(await collectReport(group, options(dir, 4)), await echartsScript()),
      );
      const full = join(dir, "full.html");
      await Deno.writeTextFile(
        full,
        pageHtml(await collectReport(group, options(dir)), await echartsScript()),
      );
      await withBrowser(async (browser) => {
        const { page, errors } = await openReport(browser, file);
        const facts = await page.$$eval("#facts span", (s) => s.map((e) => e.textContent));
        assert(facts.includes("runs 10"), `facts: ${facts}`);
        assert(facts.includes("done 9") && facts.includes("failed 1"), `facts: ${facts}`);
        const note = await page.$eval("#listed-note", (e) => ({
          hidden: (e as unknown as { hidden: boolean }).hidden,
          text: e.textContent,
        }));
        assertEquals(note.hidden, false);
        assert(note.text!.includes("lists 4 of the 10 runs"), note.text!);
        assertEquals(await page.$$eval("#runs tbody tr", (r) => r.length), 4);
        assertEquals(errors, []);
        const second = await openReport(browser, full);
        assertEquals(
          await second.page.$eval(
            "#listed-note",
            (e) => (e as unknown as { hidden: boolean }).hidden,
          ),
          true,
        );
        assertEquals(await second.page.$$eval("#runs tbody tr", (r) => r.length), 10);
      });
    });
  },
);

/** 60 runs: 30 points n = 0..29 (m = n % 3) × 2 repeats, score = n + repeat / 10 (a point's mean n + 0.05). */
async function makePointsGroup(dataFolder: string): Promise<StorageManagerGroup> {
  for (let k = 0; k < 60; k++) {
    const n = k % 30, m = n % 3, repeat = Math.floor(k / 30);
    await StorageManager.create("Points", {
      dataFolder,
      params: {
        Parameters: { n, m, score: n + repeat / 10 },
        Run: { status: "done", point: JSON.stringify({ m, n }), repeat },
      },
    });
  }
  return await StorageManagerGroup.load("Points", { dataFolder });
}

Deno.test("report data: at most maxPoints rows per statistics table, the best by mean; totals and stats over all runs", async () => {
  assertEquals(MAX_REPORT_POINTS, 10_000, "the default bound keeps every point of ordinary sweeps");
  await withTempDir(async (dir) => {
    const group = await makePointsGroup(join(dir, "Data"));
    const all = await collectReport(group, options(dir));
    assertEquals([all.points.points!.rows.length, all.points.points!.total], [30, 30]);
    const data = await collectReport(group, { ...options(dir), maxPoints: 10 });
    const points = data.points.points!;
    assertEquals(points.by, ["n", "m"]);
    assertEquals(points.total, 30, "every point is counted");
    assertEquals(points.rows.length, 10, "only the best 10 points are listed");
    // the best 10 by mean (n = 20..29), ascending by their key (n, then m), as smg.aggregate orders them
    const expected = group.aggregate({ by: ["n", "m"], values: ["score"], nan: "omit" }).rows
      .filter((r) => (r.key.n as number) >= 20);
    assertEquals(points.rows.map((r) => r.key), expected.map((r) => [r.key.n, r.key.m]));
    points.rows.forEach((r, i) => {
      const s = expected[i].values.score;
      assertEquals([r.runs, r.n, r.mean, r.std, r.lo, r.hi], [
        2,
        s.count,
        s.mean,
        s.std,
        s.ci[0],
        s.ci[1],
      ]);
    });
    const [byN, byM] = data.points.perParam;
    assertEquals(
      [byM.by, byM.total, byM.rows.length],
      [["m"], 3, 3],
      "under the bound: every value",
    );
    assertEquals(
      byM.rows,
      all.points.perParam[1].rows,
      "each value's statistics over all its runs",
    );
    assertEquals([byN.by, byN.total, byN.rows.length], [["n"], 30, 10]);
    assertEquals(byN.rows.map((r) => r.key[0]).sort((a, b) => Number(a) - Number(b)), [
      20,
      21,
      22,
      23,
      24,
      25,
      26,
      27,
      28,
      29,
    ]);
    assertEquals([data.points.pairs[0].total, data.points.pairs[0].rows.length], [30, 10]);
    assertEquals(data.runs.name.length, 60, "the runs' rows have their own bound");
    assertEquals(data.facts, all.facts);
  });
});

Deno.test(
  "report.html in chromium with more points than it lists: the point count, a note, the listed points",
  browserTest,
  async () => {
    await withTempDir(async (dir) => {
      const group = await makePointsGroup(join(dir, "Data"));
      const file = join(dir, "points.html");
      const data = await collectReport(group, { ...options(dir, 8), maxPoints: 10 });
      await Deno.writeTextFile(file, pageHtml(data, await echartsScript()));
      await withBrowser(async (browser) => {
        const { page, errors } = await openReport(browser, file);
        const facts = await page.$$eval("#facts span", (s) => s.map((e) => e.textContent));
        assert(facts.includes("runs 60") && facts.includes("points 30"), `facts: ${facts}`);
        const note = await page.$eval("#listed-note", (e) => e.textContent ?? "");
        assert(note.includes("lists 8 of the 60 runs"), note);
        assert(note.includes("point table lists 10 of the 30 points"), note);
        assert(note.includes("n (10 of 30 values)") && !note.includes("m (3"), note);
        await page.click("#points");
        assertEquals(await page.$$eval("#runs tbody tr", (r) => r.length), 10);
        assertEquals(await page.$eval("#count", (e) => e.textContent), "10 of 10 points");
        assertEquals(errors, []);
      });
    });
  },
);
