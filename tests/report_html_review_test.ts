// Faults found by reviewing the HTML report in a real browser (Debian's chromium through puppeteer-core):
// each test builds a group on disk, writes its report and checks what the page draws.
import { join } from "node:path";
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { hasChromium, NO_CHROMIUM, openReport, withBrowser } from "./_browser.ts";
import { StorageManager, StorageManagerGroup } from "../mod.ts";
import { writeHtmlReport } from "../src/report_html/html_report.ts";

const browserTest = { sanitizeOps: false, sanitizeResources: false, ignore: !hasChromium() };
if (!hasChromium()) console.warn(NO_CHROMIUM);

Deno.test(
  "objective-by-parameter charts: the y axis holds every 95% CI bar (a wide CI is not drawn over the title)",
  browserTest,
  async () => {
    await withTempDir(async (dir) => {
      const dataFolder = join(dir, "Data");
      // Two repeats per point, far apart: the CI (t with 1 degree of freedom) is about ±13 × the spread.
      for (const [a, score] of [[1, 1], [1, 4], [2, 2], [2, 2.5], [3, 5], [3, 6]]) {
        await StorageManager.create("Wide", { dataFolder, params: { Parameters: { a, score } } });
      }
      const group = await StorageManagerGroup.load("Wide", { dataFolder });
      const file = await writeHtmlReport(group, { objective: "score", swept: ["a"] });
      await withBrowser(async (browser) => {
        const { page, errors } = await openReport(browser, file);
        await page.click(`nav button[data-view="params"]`);
        await page.waitForFunction(`!document.getElementById("view-params").hidden`);
        // The first chart's error bars [x, lo, hi] and its y axis as ECharts laid it out.
        const found = await page.evaluate(`(() => {
          const chart = echarts.getInstanceByDom(document.querySelector("#params .chart"));
          return {
            bars: chart.getOption().series[2].data,
            extent: chart.getModel().getComponent("yAxis", 0).axis.scale.getExtent(),
          };
        })()`) as { bars: number[][]; extent: number[] };
        assertEquals(found.bars.length, 3);
        for (const [, lo, hi] of found.bars) {
          assert(
            lo >= found.extent[0] && hi <= found.extent[1],
            `CI [${lo}, ${hi}] lies outside the y axis [${found.extent}]`,
          );
        }
        assertEquals(errors, []);
      });
    });
  },
);

Deno.test(
  "a parameter named like a run column (status, run, reason, duration_s) gets its own column label",
  browserTest,
  async () => {
    await withTempDir(async (dir) => {
      const dataFolder = join(dir, "Data");
      for (const [i, status] of ["x", "y"].entries()) {
        await StorageManager.create("Clash", {
          dataFolder,
          params: { Parameters: { status, run: i, reason: "r", duration_s: 5, score: i } },
        });
      }
      const group = await StorageManagerGroup.load("Clash", { dataFolder });
      const file = await writeHtmlReport(group, { objective: "score" });
      await withBrowser(async (browser) => {
        const { page, errors } = await openReport(browser, file);
        const labels = await page.$$eval(
          "#runs thead th",
          (t) => t.map((h) => h.textContent ?? ""),
        );
        assertEquals(labels.length, new Set(labels).size, `duplicate column labels: ${labels}`);
        for (const p of ["status", "run", "reason", "duration_s"]) {
          assert(labels.includes(p) && labels.includes(`${p} (parameter)`), `${p}: ${labels}`);
        }
        assertEquals(errors, []);
      });
    });
  },
);

Deno.test(
  "swept parameters named like the per-point statistics (runs, n, std) get their own column label",
  browserTest,
  async () => {
    await withTempDir(async (dir) => {
      const dataFolder = join(dir, "Data");
      for (const runs of [1, 2]) {
        for (const repeat of [0, 1]) {
          await StorageManager.create("PtClash", {
            dataFolder,
            params: { Parameters: { runs, n: 3, std: 4, repeat, score: runs + repeat } },
          });
        }
      }
      const group = await StorageManagerGroup.load("PtClash", { dataFolder });
      const file = await writeHtmlReport(group, {
        objective: "score",
        swept: ["runs", "n", "std"],
      });
      await withBrowser(async (browser) => {
        const { page, errors } = await openReport(browser, file);
        await page.click("#points");
        await page.waitForFunction(`document.querySelectorAll("#runs thead th").length === 9`);
        const labels = await page.$$eval(
          "#runs thead th",
          (t) => t.map((h) => (h.textContent ?? "").replace(/[▲▼]/g, "").trim()),
        );
        assertEquals(labels.length, new Set(labels).size, `duplicate column labels: ${labels}`);
        for (const p of ["runs", "n", "std"]) {
          assert(labels.includes(p) && labels.includes(`${p} (parameter)`), `${p}: ${labels}`);
        }
        assertEquals(errors, []);
      });
    });
  },
);

Deno.test(
  "parallel-coordinates axis labels show numbers to 6 significant digits (not 2.4000000000000004)",
  browserTest,
  async () => {
    await withTempDir(async (dir) => {
      const dataFolder = join(dir, "Data");
      for (let k = 0; k <= 24; k++) {
        const b = k * 0.1; // 24 * 0.1 = 2.4000000000000004
        await StorageManager.create("Floaty", {
          dataFolder,
          params: { Parameters: { b, score: Math.sin(b) / 3 } },
        });
      }
      const group = await StorageManagerGroup.load("Floaty", { dataFolder });
      const file = await writeHtmlReport(group, { objective: "score", swept: ["b"] });
      await withBrowser(async (browser) => {
        const { page, errors } = await openReport(browser, file);
        await page.click(`nav button[data-view="parallel"]`);
        await page.waitForFunction(`!document.getElementById("view-parallel").hidden`);
        // The labels ECharts lays out on each axis (its canvas text), through its own model.
        const labels = await page.evaluate(`(() => {
          const chart = sweepstoreReport.parallel().chart;
          return [0, 1].map((i) => chart.getModel().getComponent("parallelAxis", i).axis
            .getViewLabels().map((l) => l.formattedLabel));
        })()`) as string[][];
        assert(labels[0].includes("2.4"), `b axis: ${labels[0]}`);
        for (const l of labels.flat()) assert(l.length <= 9, `axis label "${l}" is too long`);
        assertEquals(errors, []);
      });
    });
  },
);

Deno.test(
  "a point whose mean is ±inf shows inf in the heatmap and the per-point table, not an empty cell",
  browserTest,
  async () => {
    await withTempDir(async (dir) => {
      const dataFolder = join(dir, "Data");
      for (const a of [1, 2]) {
        for (const b of [1, 2]) {
          for (const r of [0, 1]) {
            const score = a === 1 && b === 1
              ? Infinity
              : a === 2 && b === 2
              ? -Infinity
              : a + b + r;
            await StorageManager.create("Inf", {
              dataFolder,
              params: { Parameters: { a, b, score } },
            });
          }
        }
      }
      const group = await StorageManagerGroup.load("Inf", { dataFolder });
      const file = await writeHtmlReport(group, { objective: "score", swept: ["a", "b"] });
      await withBrowser(async (browser) => {
        const { page, errors } = await openReport(browser, file);
        await page.click("#points");
        const means = await page.$$eval("#runs tr", (rows) => {
          const cells = rows.map((r) => [...r.children].map((c) => c.textContent ?? ""));
          const j = cells[0].indexOf("mean score");
          return cells.slice(1).map((r) => r[j]);
        });
        assertEquals(means, ["inf", "3.5", "3.5", "-inf"]);
        await page.click(`nav button[data-view="heatmap"]`);
        await page.waitForFunction(`!document.getElementById("view-heatmap").hidden`);
        const heat = await page.evaluate(`(() => {
          const chart = echarts.getInstanceByDom(document.getElementById("heatmap"));
          const o = chart.getOption();
          const label = o.series[0].label.formatter;
          return {
            labels: o.series[0].data.map((d) => label({ value: d })).sort(),
            range: [o.visualMap[0].min, o.visualMap[0].max],
          };
        })()`) as { labels: string[]; range: number[] };
        assertEquals(heat.labels, ["-inf", "3.5", "3.5", "inf"]);
        assertEquals(heat.range, [3.5, 3.5]);
        await page.click(`nav button[data-view="params"]`);
        assertEquals(errors, []);
      });
    });
  },
);

Deno.test(
  "run detail shows every parameter exactly (a time stamp was rounded to 6 digits: 1796040000)",
  browserTest,
  async () => {
    await withTempDir(async (dir) => {
      const dataFolder = join(dir, "Data");
      const params = { time: 1796038143.217, x: 0.123456789012, big: 123456789.5, z: -0, n: NaN };
      await StorageManager.create("Exact", { dataFolder, params: { Parameters: params } });
      const group = await StorageManagerGroup.load("Exact", { dataFolder });
      const file = await writeHtmlReport(group);
      await withBrowser(async (browser) => {
        const { page, errors } = await openReport(browser, file);
        // The table rounds to 6 significant digits, never into the integer part.
        const cells = await page.$$eval("#runs tr", (rows) => {
          const c = rows.map((r) => [...r.children].map((td) => td.textContent ?? ""));
          return Object.fromEntries(c[0].map((label, j) => [label, c[1][j]]));
        });
        assertEquals([cells.big, cells.x], ["123456789.5", "0.123457"]);
        await page.click("#runs tbody tr");
        await page.waitForFunction(`!document.getElementById("view-detail").hidden`);
        const shown = await page.$$eval("#detail dl", (dls) => {
          const pairs: [string, string][] = [];
          for (const dl of dls) {
            const c = [...dl.children];
            for (let i = 0; i + 1 < c.length; i += 2) {
              pairs.push([c[i].textContent ?? "", c[i + 1].textContent ?? ""]);
            }
          }
          return pairs;
        });
        for (
          const [k, text] of Object.entries({
            time: "1796038143.217",
            x: "0.123456789012",
            big: "123456789.5",
            z: "-0.0",
            n: "nan",
          })
        ) {
          assert(shown.some(([a, b]) => a === k && b === text), `${k} = ${text} in ${shown}`);
        }
        assertEquals(errors, []);
      });
    });
  },
);

Deno.test(
  "list-valued swept parameters: category labels as JSON ([1,2], []), points plotted, brushing selects them",
  browserTest,
  async () => {
    await withTempDir(async (dir) => {
      const dataFolder = join(dir, "Data");
      for (const layers of [[1, 2], [3], []]) {
        for (const flag of [true, false]) {
          await StorageManager.create("Lists", {
            dataFolder,
            params: { Parameters: { layers, flag, score: layers.length + (flag ? 1 : 0) } },
          });
        }
      }
      const group = await StorageManagerGroup.load("Lists", { dataFolder });
      const file = await writeHtmlReport(group, { objective: "score", swept: ["layers", "flag"] });
      await withBrowser(async (browser) => {
        const { page, errors } = await openReport(browser, file);
        await page.click(`nav button[data-view="params"]`);
        await page.waitForFunction(`!document.getElementById("view-params").hidden`);
        const chart = await page.evaluate(`(() => {
          const c = echarts.getInstanceByDom(document.querySelector('#params .chart[data-param="layers"]'));
          const o = c.getOption();
          return { categories: o.xAxis[0].data, runs: o.series[0].data.length, means: o.series[1].data.length };
        })()`) as { categories: string[]; runs: number; means: number };
        assertEquals(chart, { categories: ["[1,2]", "[3]", "[]"], runs: 6, means: 3 });
        await page.click(`nav button[data-view="parallel"]`);
        await page.waitForFunction(`!document.getElementById("view-parallel").hidden`);
        // Brush the layers axis around its third category, "[]": exactly the two runs with layers [].
        await page.evaluate(`sweepstoreReport.parallel().chart.dispatchAction({
          type: "axisAreaSelect", parallelAxisId: "axis-0", intervals: [[1.5, 2.5]] })`);
        await page.waitForFunction(`sweepstoreReport.visibleRuns().length === 2`, {
          timeout: 5000,
        });
        const axis = await page.evaluate(`sweepstoreReport.parallel().axes[0].categories`);
        assertEquals(axis, ["[1,2]", "[3]", "[]"]);
        assertEquals(errors, []);
      });
    });
  },
);
