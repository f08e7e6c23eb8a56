/**
 * Review 22: the report's bins under hostile values — a range past ±1.8e308 (its width overflows), ±inf,
 * NaN and missing beside them, exactly 50 vs 51 distinct numbers, negative and zero values, strings and
 * bigints mixed in — checked against the plain rule (edges[i] <= v < edges[i + 1], the last bin closed) and
 * in a real chromium with two binned parameters in the heatmap.
 */
import { join } from "node:path";
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { hasChromium, NO_CHROMIUM, openReport, withBrowser } from "./_browser.ts";
import { checkBinnedTable, groupOf } from "./_review22.ts";
import { pointStats } from "../src/report_html/_points.ts";
import { BIN_COUNT, binsOf, MAX_LEVELS } from "../src/report_html/_bins.ts";
import { writeHtmlReport } from "../src/report_html/html_report.ts";

const browserTest = { sanitizeOps: false, sanitizeResources: false, ignore: !hasChromium() };
if (!hasChromium()) console.warn(NO_CHROMIUM);

/** 51 finite values from -1.7e308 to 1.7e308 (max - min overflows to Infinity), then ±inf, NaN, missing. */
const HUGE = [
  ...Array.from({ length: 51 }, (_, i) => (i - 25) * 6.8e306),
  Infinity,
  -Infinity,
  NaN,
  undefined,
];

Deno.test("bins over a range wider than the largest double: ascending edges, exact statistics, inf its own row", async () => {
  await withTempDir(async (dir) => {
    const runs = HUGE.map((x, i) => ({ x, y: i * 0.37 - 5, score: (i * 7) % 11 }));
    const group = await groupOf(join(dir, "Data"), runs);
    const xs = group.getParamList("x"), ys = group.getParamList("score") as number[];
    const stats = pointStats(group, ["x", "y"], "score");
    const table = stats.perParam[0];
    assert(table.bins?.[0], "51 distinct finite numbers: binned");
    assert(table.bins[0].edges.every(Number.isFinite), `finite edges: ${table.bins[0].edges}`);
    checkBinnedTable(table, xs, ys);
    const inf = table.rows.find((r) => r.key[0] === Infinity);
    assertEquals(inf?.runs, 1, "the one run of x = inf: its own row, no bin merged into it");
    assertEquals(
      table.rows.filter((r) => r.key[0] === null).map((r) => r.runs),
      [1],
      "the missing run",
    );
    // the pair table's rows hold every run once
    assertEquals(stats.pairs[0].rows.reduce((a, r) => a + r.runs, 0), HUGE.length);
  });
});

Deno.test("bins: 50 distinct numbers are not binned, 51 are; negative and zero linear; strings or bigints: none", () => {
  const col = (vs: unknown[]) => (i: number) => vs[i] as number;
  const fifty = [...Array.from({ length: 50 }, (_, i) => i - 20), -0, NaN, Infinity, undefined];
  assertEquals(binsOf(col(fifty), fifty.length), null, "-0 is 0: 50 distinct");
  const more = [...fifty, 0.5];
  const bins = binsOf(col(more), more.length)!;
  assertEquals([bins.log, bins.edges[0], bins.edges[BIN_COUNT]], [false, -20, 29]);
  assertEquals(binsOf(col([...more, "a"]), more.length + 1), null);
  assertEquals(binsOf(col([...more, 2n ** 70n]), more.length + 1), null);
  const positive = Array.from({ length: MAX_LEVELS + 1 }, (_, i) => 2 ** i);
  assertEquals(binsOf(col(positive), positive.length)!.log, true);
});

Deno.test(
  "report.html in chromium: two binned parameters of a huge range in one heatmap, labelled by finite bin ranges",
  browserTest,
  async () => {
    await withTempDir(async (dir) => {
      const runs = HUGE.map((x, i) => ({
        x,
        y: 10 ** (-200 + ((i * 13) % 55) * 7),
        score: (i * 7) % 11,
      }));
      const group = await groupOf(join(dir, "Data"), runs);
      const file = await writeHtmlReport(group, { objective: "score" });
      await withBrowser(async (browser) => {
        const { page, errors } = await openReport(browser, file);
        const note = await page.$eval("#listed-note", (e) => e.textContent ?? "");
        assert(note.includes(`x, y have more than ${MAX_LEVELS} distinct values`), note);
        await page.click(`nav button[data-view="heatmap"]`);
        await page.waitForFunction(`!document.getElementById("view-heatmap").hidden`);
        const axes = await page.evaluate(`(() => {
          const o = echarts.getInstanceByDom(document.getElementById("heatmap")).getOption();
          return { x: o.xAxis[0].data, y: o.yAxis[0].data, cells: o.series[0].data.length };
        })()`) as { x: string[]; y: string[]; cells: number };
        const range = /^-?[\d.e+-]+–-?[\d.e+-]+$/;
        const xBins = axes.x.filter((l) => range.test(l));
        assert(xBins.length >= 10 && xBins.length <= BIN_COUNT, axes.x.join(" | "));
        assert(
          !axes.x.some((l) => /inf.*–|–.*inf|nan.*–/i.test(l)),
          `no bin of inf: ${axes.x.join(" | ")}`,
        );
        assertEquals(
          axes.x.filter((l) => !range.test(l)).sort(),
          ["", "-inf", "inf", "nan"].sort(),
        );
        assert(axes.y.every((l) => range.test(l)), axes.y.join(" | "));
        assertEquals(errors, []);
      });
    });
  },
);
