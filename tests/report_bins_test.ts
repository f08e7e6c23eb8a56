/**
 * The report's statistics per parameter and per pair bin a continuous parameter (more than MAX_LEVELS
 * distinct numbers, src/report_html/_bins.ts): each bin's statistics are valueStats over exactly the runs
 * whose value lies in it (checked against the plain rule, not the module's own lookup), log bins over a
 * range of 100× or more, other values (NaN, missing) keep their own row, the point table is never binned;
 * and in a real chromium the heatmap's axes are the bins' ranges, the parameter plot says "mean per bin".
 */
import { join } from "node:path";
import { assert, assertAlmostEquals, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { hasChromium, NO_CHROMIUM, openReport, withBrowser } from "./_browser.ts";
import { StorageManager, StorageManagerGroup } from "../mod.ts";
import { BIN_COUNT, binsOf, MAX_LEVELS } from "../src/report_html/_bins.ts";
import { pointStats } from "../src/report_html/_points.ts";
import { valueStats } from "../src/group/aggregate.ts";
import { writeHtmlReport } from "../src/report_html/html_report.ts";

const browserTest = { sanitizeOps: false, sanitizeResources: false, ignore: !hasChromium() };
if (!hasChromium()) console.warn(NO_CHROMIUM);

/** 240 runs: lr log-spaced over 1e-5..1e-1 (distinct), k of 4 levels, wd linear (distinct), a NaN lr and a run without lr. */
async function makeGroup(dataFolder: string): Promise<StorageManagerGroup> {
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < 240; i++) {
    const lr = 10 ** (-5 + (4 * ((i * 37) % 240)) / 239);
    runs.push({
      lr,
      k: i % 4,
      wd: ((i * 53) % 240) / 2400,
      score: Math.log10(lr) + (i % 4) + (i % 7) / 10,
    });
  }
  runs.push({ lr: NaN, k: 1, wd: 0.05, score: 2 }, { k: 2, wd: 0.06, score: 3 });
  for (const p of runs) {
    const point = Object.fromEntries(["lr", "k", "wd"].filter((k) => k in p).map((k) => [k, p[k]]));
    await StorageManager.create("Bins", {
      dataFolder,
      params: { Parameters: p, Run: { status: "done", point: JSON.stringify(point) } },
    });
  }
  return await StorageManagerGroup.load("Bins", { dataFolder });
}

Deno.test("a continuous parameter is binned in the tables per parameter and per pair, exactly", async () => {
  await withTempDir(async (dir) => {
    const group = await makeGroup(join(dir, "Data"));
    const stats = pointStats(group, ["lr", "k", "wd"], "score");
    const [byLr, byK, byWd] = stats.perParam;
    assertEquals(byK.bins, undefined, "4 levels: one row per value");
    assertEquals(byK.rows.length, 4);
    const lrBins = byLr.bins![0]!, wdBins = byWd.bins![0]!;
    assertEquals(
      [lrBins.log, wdBins.log],
      [true, false],
      "log bins over 1e-5..1e-1, linear over 0..0.1",
    );
    assertEquals(lrBins.edges.length, BIN_COUNT + 1);
    assertAlmostEquals(lrBins.edges[1] / lrBins.edges[0], 10 ** (4 / BIN_COUNT), 1e-9);
    const lr = group.getParamList("lr"), score = group.getParamList("score");
    // the plain rule: bin i holds edges[i] <= v < edges[i + 1], the last bin also its upper edge
    const inBin = (v: unknown, e: number[], i: number) =>
      typeof v === "number" && v >= e[i] &&
      (v < e[i + 1] || (i === e.length - 2 && v === e[i + 1]));
    let binnedRuns = 0;
    for (const row of byLr.rows) {
      const v = row.key[0];
      if (typeof v !== "number" || !Number.isFinite(v)) continue; // NaN's and missing's own rows
      const i = lrBins.edges.findIndex((_, j) => j < BIN_COUNT && inBin(v, lrBins.edges, j));
      assert(i >= 0, `the key ${v} lies in no bin`);
      assertAlmostEquals(v, Math.sqrt(lrBins.edges[i] * lrBins.edges[i + 1]), 1e-15);
      const ys = score.filter((_, r) => inBin(lr[r], lrBins.edges, i)) as number[];
      const s = valueStats(ys, 0.95, "omit");
      assertEquals([row.runs, row.n], [ys.length, ys.length]);
      assertAlmostEquals(row.mean!, s.mean, 1e-12);
      assertAlmostEquals(row.std!, s.std, 1e-12);
      binnedRuns += row.runs;
    }
    assertEquals(binnedRuns, 240, "every finite value in one bin");
    const others = byLr.rows.filter((r) =>
      typeof r.key[0] !== "number" || !Number.isFinite(r.key[0])
    );
    assertEquals(others.map((r) => [r.key[0], r.runs]).sort(), [[NaN, 1], [null, 1]].sort());
    assertEquals(byLr.total, byLr.rows.length);
    assert(byLr.rows.length <= BIN_COUNT + 2);
    // pairs: lr × k binned on lr only; lr × wd on both
    const [lrK, lrWd, kWd] = stats.pairs;
    assertEquals([lrK.by, lrK.bins!.map(Boolean)], [["lr", "k"], [true, false]]);
    assertEquals(lrWd.bins!.map(Boolean), [true, true]);
    assertEquals(kWd.bins!.map(Boolean), [false, true]);
    assertEquals(lrK.rows.reduce((a, r) => a + r.runs, 0), 242);
    assert(lrWd.rows.length <= (BIN_COUNT + 2) * BIN_COUNT);
    // the point table: every distinct point, never binned
    assertEquals(stats.points!.bins, undefined);
    assertEquals(stats.points!.total, 242);
  });
});

Deno.test("bins: at most MAX_LEVELS distinct numbers, or any non-number, are not binned", () => {
  const col = (vs: unknown[]) => (i: number) => vs[i] as number;
  const levels = Array.from({ length: MAX_LEVELS * 3 }, (_, i) => i % MAX_LEVELS);
  assertEquals(binsOf(col(levels), levels.length), null);
  const more = [...levels, MAX_LEVELS + 0.5];
  assertEquals(binsOf(col(more), more.length)!.log, false);
  assertEquals(binsOf(col([...more, "a"]), more.length + 1), null, "a string: categories");
  const zeros = [...more, -0, 0, NaN, Infinity]; // -0 and 0 one value; NaN and inf not counted
  assertEquals(binsOf(col(zeros), zeros.length)!.edges[0], 0);
  const few = [...levels, NaN, Infinity, -Infinity, undefined];
  assertEquals(binsOf(col(few), few.length), null);
});

Deno.test(
  "report.html in chromium: a binned parameter's plot and heatmap show bins",
  browserTest,
  async () => {
    await withTempDir(async (dir) => {
      const group = await makeGroup(join(dir, "Data"));
      const file = await writeHtmlReport(group, { objective: "score" });
      await withBrowser(async (browser) => {
        const { page, errors } = await openReport(browser, file);
        const note = await page.$eval("#listed-note", (e) => e.textContent ?? "");
        assert(note.includes(`lr, wd have more than ${MAX_LEVELS} distinct values`), note);
        await page.click(`nav button[data-view="params"]`);
        await page.waitForFunction(`!document.getElementById("view-params").hidden`);
        const lrChart = await page.evaluate(`(() => {
        const o = echarts.getInstanceByDom(document.querySelector('#params .chart[data-param="lr"]')).getOption();
        return { title: o.title[0].text, series: o.series.map((s) => s.name), means: o.series[1].data.filter((d) => d[0] !== null).length };
      })()`) as { title: string; series: string[]; means: number };
        assertEquals(lrChart.title, `score against lr (${BIN_COUNT} bins)`);
        assertEquals(lrChart.series, ["runs", "mean per bin", "95% CI"]);
        assert(lrChart.means <= BIN_COUNT, `${lrChart.means} means`);
        await page.click(`nav button[data-view="heatmap"]`);
        await page.waitForFunction(`!document.getElementById("view-heatmap").hidden`);
        const axes = await page.evaluate(`(() => {
        const o = echarts.getInstanceByDom(document.getElementById("heatmap")).getOption();
        return { x: o.xAxis[0].data, y: o.yAxis[0].data, name: o.xAxis[0].name };
      })()`) as { x: string[]; y: string[]; name: string };
        assertEquals(axes.name, "lr");
        assertEquals(axes.y, ["0", "1", "2", "3"], "k: its 4 values");
        assert(axes.x.length <= BIN_COUNT + 2 && axes.x.length > 10, `${axes.x.length} columns`);
        assertEquals(
          axes.x[0],
          "0.00001–0.0000158489",
          "the first bin's range, as the page shows numbers",
        );
        assert(
          axes.x.every((l) => l === "nan" || l === "" || /^[\d.e+-]+–[\d.e+-]+$/.test(l)),
          axes.x.join(" | "),
        );
        assertEquals(errors, []);
      });
    });
  },
);
