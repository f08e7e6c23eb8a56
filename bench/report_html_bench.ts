/**
 * The HTML report of a 10,000-run sweep (500 points × 20 repeats, 4 swept parameters, 5 % failed): its
 * file size, the time to write it, and in headless chromium (puppeteer-core) the time until the page is
 * interactive (navigation start → table drawn and handlers wired), to draw the parallel coordinates, and
 * to apply a query to the table. Median of 3 page loads.
 *
 *   deno run --allow-read --allow-write --allow-run --allow-env --allow-sys bench/report_html_bench.ts
 */
import { stringifyIni } from "../src/formats/ini.ts";
import { formatParam } from "../src/formats/params.ts";
import { StorageManagerGroup } from "../mod.ts";
import { writeHtmlReport } from "../src/report_html/html_report.ts";
import { readRunSection } from "../runner/run_record.ts";
import { hasChromium, NO_CHROMIUM, openReport, withBrowser } from "../tests/_browser.ts";

const here = new URL(".", import.meta.url).pathname;
const dataFolder = `${here}out/report_html/Data`;
const name = "Big";

async function generate(): Promise<void> {
  const group = `${dataFolder}/StorageManager/${name}`;
  await Deno.remove(`${here}out/report_html`, { recursive: true }).catch(() => {});
  await Deno.mkdir(group, { recursive: true });
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let i = 0;
  for (const lr of [1e-4, 1e-3, 1e-2, 1e-1, 1]) {
    for (const width of [16, 32, 64, 128, 256]) {
      for (const depth of [1, 2, 3, 4]) {
        for (const opt of ["sgd", "adam", "rmsprop", "adagrad", "lion"]) {
          const point = JSON.stringify({ depth, lr, opt, width });
          for (let repeat = 0; repeat < 20; repeat++) {
            i++;
            const failed = rand() < 0.05;
            const params = new Map<string, string>([
              ["time", formatParam(1.7e9 + i)],
              ["lr", formatParam(lr)],
              ["width", formatParam(width)],
              ["depth", formatParam(depth)],
              ["opt", formatParam(opt)],
            ]);
            if (!failed) {
              const score = Math.log10(lr * 1e4) / 4 + width / 512 - depth / 10 + rand() * 0.3;
              params.set("score", formatParam(score));
            }
            const run = new Map<string, string>([
              ["status", failed ? "failed" : "done"],
              ...(failed ? [["reason", "exception"], ["error", "Error: diverged"]] : []) as [
                string,
                string,
              ][],
              ["index", String(i - 1)],
              ["point", formatParam(point)],
              ["repeat", String(repeat)],
              ["seed", String(Math.floor(rand() * 2 ** 32))],
              ["started", new Date(1.7e12 + i * 1000).toISOString()],
              ["finished", new Date(1.7e12 + i * 1000 + 900).toISOString()],
              ["duration_s", "0.9"],
            ]);
            await Deno.mkdir(`${group}/${name}${i}`);
            await Deno.writeTextFile(
              `${group}/${name}${i}/config.ini`,
              stringifyIni(new Map([["Parameters", params], ["Run", run]])),
            );
          }
        }
      }
    }
  }
}

const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];

if (!hasChromium()) {
  console.error(NO_CHROMIUM);
  Deno.exit(0);
}
await generate();
let t = performance.now();
const group = await StorageManagerGroup.load(name, { dataFolder });
const loadMs = performance.now() - t;
t = performance.now();
const file = await writeHtmlReport(group, { runRecord: readRunSection });
const writeMs = performance.now() - t;
const size = (await Deno.stat(file)).size;
const rows: Record<string, number[]> = { ready: [], parallel: [], query: [] };
await withBrowser(async (browser) => {
  for (let k = 0; k < 3; k++) {
    const { page, errors } = await openReport(browser, file);
    if (errors.length) throw new Error(errors.join("\n"));
    rows.ready.push(
      Number(
        await page.$eval(
          "body",
          (b) => (b as unknown as { dataset: { ready: string } }).dataset.ready,
        ),
      ),
    );
    rows.parallel.push(
      await page.evaluate(`new Promise((done) => {
      const t = performance.now();
      sweepstoreReport.show("parallel");
      requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t)));
    })`) as number,
    );
    rows.query.push(
      await page.evaluate(`(() => {
      sweepstoreReport.show("table");
      const q = document.getElementById("query");
      q.value = 'lr >= 0.01 && width > 32 && opt != "sgd"';
      const t = performance.now();
      q.dispatchEvent(new Event("input"));
      return new Promise((done) => {
        const poll = () => document.getElementById("count").textContent.startsWith("10000 of")
          ? requestAnimationFrame(poll) : done(performance.now() - t - 150);
        requestAnimationFrame(poll);
      });
    })()`) as number,
    );
    await page.close();
  }
});
console.log(
  `| runs | report.html | load group | write report | page interactive | parallel plot drawn | query applied |`,
);
console.log(
  `| ---- | ----------- | ---------- | ------------ | ---------------- | ------------------- | ------------- |`,
);
console.log(
  `| ${group.length} | ${(size / 2 ** 20).toFixed(2)} MiB | ${loadMs.toFixed(0)} ms | ${
    writeMs.toFixed(0)
  } ms | ` +
    `${median(rows.ready).toFixed(0)} ms | ${median(rows.parallel).toFixed(0)} ms | ${
      median(rows.query).toFixed(0)
    } ms |`,
);
console.error(JSON.stringify(rows));
