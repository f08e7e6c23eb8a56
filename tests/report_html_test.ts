// The HTML report of a real sweep in a real browser (Debian's chromium, headless, puppeteer-core over a
// pipe): it loads from file:// with no console error and no request, hostile values stay text, sorting and
// the query filter change the rows as the library's own query does, brushing an axis filters the table, a
// failed run shows its reason and stderr tail, its links point at its files, and every view is
// photographed (under the test's temp folder; also copied to $SWEEPSTORE_SHOTS when set).
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { hasChromium, NO_CHROMIUM, openReport, withBrowser } from "./_browser.ts";
import { runSweep } from "../runner/mod.ts";
import { StorageManager, StorageManagerGroup } from "../mod.ts";
import { HOSTILE } from "./fixtures/sims/report_html_sim.ts";
import { writeHtmlReport } from "../src/report_html/html_report.ts";
import { readRunSection } from "../runner/run_record.ts";

const SIM = new URL("./fixtures/sims/report_html_sim.ts", import.meta.url);
const browserTest = { sanitizeOps: false, sanitizeResources: false, ignore: !hasChromium() };
if (!hasChromium()) console.warn(NO_CHROMIUM);

/** The run names the table shows, in order. */
function shownRuns(page: Page): Promise<string[]> {
  return page.$$eval("#runs tbody tr", (rows) => rows.map((r) => r.children[0].textContent ?? ""));
}

/** The texts of column `label` of the shown rows. */
function shownColumn(page: Page, label: string): Promise<string[]> {
  return page.$$eval("#runs tr", (rows, label) => {
    const cells = rows.map((r) => [...r.children].map((c) => c.textContent ?? ""));
    const j = cells[0].indexOf(label);
    return cells.slice(1).map((r) => r[j]);
  }, label);
}

async function typeQuery(page: Page, query: string): Promise<void> {
  await page.$eval("#query", (e) => {
    (e as unknown as { value: string }).value = "";
    e.dispatchEvent(new Event("input"));
  });
  await page.type("#query", query);
  // The filter runs 150 ms after the last key; wait until the page applied exactly this text.
  await page.waitForFunction(
    (q) => {
      const s =
        (globalThis as unknown as { sweepstoreReport: { lastQuery: string } }).sweepstoreReport;
      return s.lastQuery === q;
    },
    { timeout: 10_000 },
    query,
  );
}

async function shot(page: Page, dir: string, name: string): Promise<void> {
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  const out = Deno.env.get("SWEEPSTORE_SHOTS");
  if (out) {
    await Deno.mkdir(out, { recursive: true });
    await Deno.copyFile(file, join(out, `${name}.png`));
  }
  assert((await Deno.stat(file)).size > 5000, `${file} is a real picture`);
}

async function showView(page: Page, view: string): Promise<void> {
  await page.click(`nav button[data-view="${view}"]`);
  await page.waitForFunction(`!document.getElementById("view-${view}").hidden`);
  await new Promise((r) => setTimeout(r, 300)); // a frame for the canvas
}

/** A real sweep with a failing point and (alone, see the sim) one run whose process exits. */
async function realSweep(dataFolder: string): Promise<string> {
  await runSweep({
    name: "Rep",
    simulation: SIM,
    grid: { a: [1, 2, 3, 4], b: ["x", HOSTILE] },
    repeats: 3,
    dataFolder,
    concurrency: 2,
  });
  const result = await runSweep({
    name: "Rep",
    simulation: SIM,
    points: [{ a: 5, b: HOSTILE }],
    dataFolder,
    concurrency: 1,
  });
  const file = result.summary?.files.html;
  assert(file && file.endsWith("/Rep/report.html"), `the sweep wrote report.html: ${file}`);
  return file;
}

/** Hostile values stay text; the header counts; sorting by the objective, then by a column both ways. */
async function checkLoadAndSort(page: Page, dir: string): Promise<void> {
  assertEquals(
    await page.title(),
    "Rep — sweepstore report",
    "the hostile values ran no script",
  );
  assertEquals(await page.$$eval("img", (l) => l.length), 0, "no element made from a value");
  const facts = await page.$eval("#facts", (e) => e.textContent ?? "");
  assert(/runs 25/.test(facts) && /done 21/.test(facts) && /failed 4/.test(facts), facts);
  const cells = await shownColumn(page, "b");
  assertEquals(
    cells.filter((c) => c === HOSTILE).length,
    13,
    "hostile strings shown as text",
  );
  await shot(page, dir, "1-table");

  // Sorting: the objective first (largest first), then a click on `a` sorts by a descending, again ascending.
  const scores = (await shownColumn(page, "score")).filter((s) => s !== "").map(Number);
  assertEquals(scores, [...scores].sort((p, q) => q - p));
  await page.click('#runs th[data-key="p:a"]');
  const aDown = (await shownColumn(page, "a")).map(Number);
  assertEquals(aDown, [...aDown].sort((p, q) => q - p));
  assert(aDown[0] === 5 && aDown.at(-1) === 1, String(aDown));
  await page.click('#runs th[data-key="p:a"]');
  const aUp = (await shownColumn(page, "a")).map(Number);
  assertEquals(aUp, [...aUp].sort((p, q) => p - q));
}

/** The query filter gives the library's answer; a bad query shows its error. */
async function checkQueries(page: Page, dir: string, group: StorageManagerGroup): Promise<void> {
  // Filtering with the query language gives the library's answer.
  for (
    const q of [
      "a >= 3",
      `a == 2 || b == "x"`,
      `!(a < 2) && b != "x"`,
      "score > 2.5",
      "a == nan",
    ]
  ) {
    await typeQuery(page, q);
    const expected = group.query(q).map((sm) => sm.name).sort();
    assertEquals((await shownRuns(page)).sort(), expected, `query ${q}`);
  }
  await typeQuery(page, "a >");
  const err = await page.$eval("#query-error", (e) => e.textContent ?? "");
  assert(err.includes("Expected a value"), err);
  await typeQuery(page, `status != "done"`);
  const failedRows = await page.$$eval("#runs tbody tr.failed", (l) => l.length);
  assertEquals([(await shownRuns(page)).length, failedRows], [4, 4]);
  await shot(page, dir, "2-table-filtered");
}

/** A failed run's detail: reason, error and stderr tail as text; links to its files resolve. */
async function checkFailures(page: Page, dir: string): Promise<void> {
  // A failed run's detail: reason, error and stderr tail as text; links to its files resolve.
  const failures = async (query: string) => {
    const texts: string[] = [];
    for (let row = 1;; row++) {
      await showView(page, "table");
      await typeQuery(page, query);
      const tr = await page.$(`#runs tbody tr.failed:nth-child(${row})`);
      if (!tr) return texts;
      await tr.click();
      await page.waitForFunction(`!document.getElementById("view-detail").hidden`);
      texts.push(await page.$eval("#detail", (e) => e.textContent ?? ""));
      if (texts.at(-1)!.includes("stderr tail")) await shot(page, dir, "3-detail-failed");
    }
  };
  const thrown = await failures(`a == 3 && status != "done"`);
  assertEquals(thrown.length, 3);
  for (const t of thrown) {
    assert(t.includes("exception") && t.includes(`failed on purpose: ${HOSTILE}`), t);
  }
  const [exited] = await failures(`a == 5`);
  assert(
    exited.includes("exit") && exited.includes(`stderr tail: ${HOSTILE} <script>`),
    exited,
  );
  assertEquals(await page.title(), "Rep — sweepstore report");
  await showView(page, "table");
  await typeQuery(page, "a == 1");
  await page.click("#runs tbody tr");
  const links = await page.$$eval(
    "#detail a",
    (l) => l.map((a) => (a as unknown as { href: string }).href),
  );
  const npy = links.filter((h) => h.endsWith("/trace.npy"));
  const frame = links.filter((h) => h.endsWith("/frame1.png"));
  assertEquals([npy.length, frame.length], [1, 1], links.join("\n"));
  for (const h of [...npy, ...frame]) await Deno.stat(new URL(h)); // the files exist there
  await shot(page, dir, "4-detail");
  await showView(page, "table");
  await typeQuery(page, "");
}

/** Brushing the objective's axis filters the table to the runs inside the range; clearing restores. */
async function checkBrush(page: Page, dir: string, group: StorageManagerGroup): Promise<void> {
  // Brushing the objective's axis filters the table to the runs inside the range.
  await showView(page, "parallel");
  const box = await page.$eval("#parallel", (e) => {
    const r = e.getBoundingClientRect();
    return { x: r.left, y: r.top, w: r.width, h: r.height };
  });
  const geo = await page.evaluate(() => {
    const v = (globalThis as unknown as {
      sweepstoreReport: { parallel(): { axes: { min: number; max: number }[] } };
    }).sweepstoreReport.parallel();
    return v.axes.map((a) => [a.min, a.max]);
  });
  const m = { left: 70, right: 90, top: 70, bottom: 40 }; // PARALLEL_MARGIN
  const k = geo.length - 1; // the objective's axis, the last
  const x = box.x + m.left + (k * (box.w - m.left - m.right)) / (geo.length - 1);
  const yOf = (v: number) =>
    box.y + m.top +
    (1 - (v - geo[k][0]) / (geo[k][1] - geo[k][0])) * (box.h - m.top - m.bottom);
  const mid = (geo[k][0] + geo[k][1]) / 2;
  await page.mouse.move(x, yOf(geo[k][1]) - 4);
  await page.mouse.down();
  await page.mouse.move(x, yOf(mid), { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(`!document.getElementById("clear-brush").hidden`, {
    timeout: 5000,
  });
  await shot(page, dir, "5-parallel-brushed");
  await showView(page, "table");
  const brushed = (await shownColumn(page, "score")).map(Number);
  assert(brushed.length > 0 && brushed.length < 21, `brushing kept ${brushed.length} runs`);
  const all = group.getParamList("score").filter((s): s is number => typeof s === "number");
  const lowest = Math.min(...brushed);
  assert(lowest >= mid - 0.1 * (geo[k][1] - geo[k][0]), `${lowest} is in the upper half`);
  assertEquals(
    brushed.length,
    all.filter((s) => s >= lowest).length,
    "every run above the cut is shown",
  );
  await page.click("#clear-brush");
  await page.waitForFunction(`document.getElementById("clear-brush").hidden`, {
    timeout: 5000,
  });
  assertEquals((await shownRuns(page)).length, 25);
}

Deno.test(
  "HTML report of a real sweep in chromium: loads offline, sorts, filters as the library, brushes, shows failures",
  browserTest,
  async () => {
    await withTempDir(async (dir) => {
      const dataFolder = join(dir, "Data");
      const file = await realSweep(dataFolder);
      const group = await StorageManagerGroup.load("Rep", { dataFolder });
      await withBrowser(async (browser) => {
        const { page, errors, requests } = await openReport(browser, file);
        await checkLoadAndSort(page, dir);
        await checkQueries(page, dir, group);
        await checkFailures(page, dir);
        await checkBrush(page, dir, group);
        await showView(page, "params");
        await shot(page, dir, "6-score-by-parameter");
        await showView(page, "heatmap");
        await shot(page, dir, "7-heatmap");
        await showView(page, "table");
        await page.click("#points");
        assertEquals((await shownRuns(page)).length, 9, "one row per point");
        await shot(page, dir, "8-points");
        assertEquals(errors, [], "no console errors");
        assertEquals(requests, [], "no network or file requests");
      });
    });
  },
);

Deno.test(
  "HTML report of an adaptive search shows the best and mean objective per generation",
  browserTest,
  async () => {
    await withTempDir(async (dir) => {
      const dataFolder = join(dir, "Data");
      for (let g = 0; g < 4; g++) {
        for (let i = 0; i < 5; i++) {
          await StorageManager.create("Search", {
            dataFolder,
            params: {
              Parameters: { lr: 10 ** -(i + 1), width: 8 * (i + 1), score: g + i / 10 },
              Run: { status: "done", generation: g },
            },
          });
        }
      }
      const group = await StorageManagerGroup.load("Search", { dataFolder });
      // (readRunSection gets `generation` with the adaptive search; read here until then.)
      const runRecord = (sm: StorageManager) => ({
        ...readRunSection(sm),
        generation: sm.param("generation", { section: "Run" }) as number,
      });
      const file = await writeHtmlReport(group, { runRecord });
      await withBrowser(async (browser) => {
        const { page, errors, requests } = await openReport(browser, file);
        await showView(page, "generations");
        const series = await page.evaluate(() => {
          const s = (globalThis as unknown as {
            sweepstoreReport: { generations(): Record<string, number[][]> };
          }).sweepstoreReport.generations();
          const round = (l: number[][]) => l.map(([g, v]) => [g, Math.round(v * 1e9) / 1e9]);
          return { best: round(s.best), mean: round(s.mean) };
        });
        assertEquals(series, {
          best: [[0, 0.4], [1, 1.4], [2, 2.4], [3, 3.4]],
          mean: [[0, 0.2], [1, 1.2], [2, 2.2], [3, 3.2]],
        });
        await shot(page, dir, "9-generations");
        assertEquals([errors, requests], [[], []]);
      });
      // With a loss to minimize, the best of a generation is its smallest value; the table starts there.
      await writeHtmlReport(group, { goal: "minimize", runRecord });
      await withBrowser(async (browser) => {
        const { page } = await openReport(browser, file);
        assertEquals(await page.evaluate(`sweepstoreReport.generations().best`), [
          [0, 0],
          [1, 1],
          [2, 2],
          [3, 3],
        ]);
        assertEquals(await shownColumn(page, "score").then((s) => s[0]), "0");
      });
    });
  },
);
