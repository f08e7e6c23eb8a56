// The HTML report without a browser: the vendored ECharts is the published file (sha256 pin), the page's
// bundled script is what `deno task report-assets` makes from the sources today, hostile values cannot end
// a script element, and `sweepstore report --html [-o]` writes the file with links relative to it.
import { dirname, join } from "node:path";
import { assert, assertEquals } from "./_assert.ts";
import { cli, withTempDir } from "./_helpers.ts";
import { StorageManager, StorageManagerGroup } from "../mod.ts";
import { ECHARTS_JS } from "../src/report_html/vendor/echarts.ts";
import { ECHARTS_SHA256, ECHARTS_VERSION } from "../src/report_html/vendor/pin.ts";
import { PAGE_SCRIPT } from "../src/report_html/_page_script.ts";
import { bundlePageScript, sha256Hex } from "../src/report_html/_build.ts";
import { embedJson, embedScript, SPECIAL_TAG } from "../src/report_html/_embed.ts";
import { htmlReport } from "../src/report_html/html_report.ts";

const HOSTILE = `</script><script>document.title="pwned"</script><!--<SCRIPT>\u2028`;

Deno.test("the vendored ECharts is the published dist/echarts.min.js (sha256 pin) with its license", async () => {
  assertEquals(
    await sha256Hex(ECHARTS_JS),
    ECHARTS_SHA256,
    `echarts@${ECHARTS_VERSION} was changed`,
  );
  const license = await Deno.readTextFile(
    new URL("../src/report_html/vendor/LICENSE", import.meta.url),
  );
  assert(license.includes("Apache License") && license.includes("Version 2.0"), "Apache-2.0 text");
  assert(
    !/<\/script/i.test(ECHARTS_JS),
    "no </script in the library (embedScript would escape it)",
  );
});

Deno.test("the page script is fresh: deno bundle of _browser/main.ts gives _page_script.ts", async () => {
  assertEquals(
    await bundlePageScript() === PAGE_SCRIPT,
    true,
    "src/report_html/_page_script.ts is stale: run `deno task report-assets`",
  );
});

Deno.test("embedded data and scripts cannot end their element; special numbers are tagged", () => {
  const json = embedJson({ s: HOSTILE, n: [NaN, Infinity, -Infinity, -0, 2n ** 70n, 1.5] });
  assert(!/[<>&\u2028\u2029]/.test(json), json);
  const back = JSON.parse(json);
  assertEquals(back.s, HOSTILE);
  assertEquals(back.n, [
    { [SPECIAL_TAG]: "NaN" },
    { [SPECIAL_TAG]: "Infinity" },
    { [SPECIAL_TAG]: "-Infinity" },
    { [SPECIAL_TAG]: "-0" },
    { [SPECIAL_TAG]: "big", v: (2n ** 70n).toString() },
    1.5,
  ]);
  const js = embedScript(`const a = "</script>"; const b = '<!--'; const c = "</SCRIPT >";`);
  assert(!/<\/script/i.test(js) && !js.includes("<!--"), js);
});

Deno.test("a report with hostile values has exactly its own three script elements", async () => {
  await withTempDir(async (dataFolder) => {
    await StorageManager.create("H", {
      dataFolder,
      params: {
        Parameters: { [`x`]: HOSTILE, score: 1 },
        Run: { status: "failed", error: HOSTILE },
      },
    });
    await StorageManager.create("H", { dataFolder, params: { Parameters: { x: "b", score: 2 } } });
    const html = await htmlReport(await StorageManagerGroup.load("H", { dataFolder }));
    assertEquals(html.match(/<script/gi)?.length, 3);
    assertEquals(html.match(/<\/script/gi)?.length, 3);
    assert(!html.includes("<script>document"), "no hostile script element");
    assert(html.includes("Content-Security-Policy") && html.includes("default-src 'none'"));
  });
});

Deno.test("sweepstore report --html writes report.html (or -o FILE) with links relative to it", async () => {
  await withTempDir(async (dir) => {
    const data = join(dir, "Data");
    for (const n of [1, 2, 3]) {
      const sm = await StorageManager.create("R", {
        dataFolder: data,
        params: { Parameters: { n, score: n / 2 } },
      });
      await sm.saveNp("trace", new Float64Array([n]));
    }
    const args = ["report", "R", "--data", data, "--html"];
    const out = await cli(args);
    assertEquals(out.code, 0, out.stderr);
    const file = out.stdout.trim();
    assertEquals(file, join(data, "StorageManager", "R", "report.html"));
    const html = await Deno.readTextFile(file);
    assert(html.includes('"href":["R1","R2","R3"]'), "run folders beside the report");
    const other = join(dir, "elsewhere", "r.html");
    await Deno.mkdir(dirname(other)); // -o into a missing folder is refused, as for every -o
    const moved = await cli([...args, "-o", other, "--where", "n >= 2"]);
    assertEquals(moved.code, 0, moved.stderr);
    const text = await Deno.readTextFile(other);
    assert(
      text.includes('"href":["../Data/StorageManager/R/R2","../Data/StorageManager/R/R3"]'),
      "relative",
    );
    await Deno.stat(join(dirname(other), "../Data/StorageManager/R/R2/trace.npy"));
    const both = await cli([...args, "--csv"]);
    assertEquals(both.code, 2, both.stderr);
    assert(both.stderr.includes("--html"), both.stderr);
  });
});

Deno.test("the vendored ECharts (4.5 MB of V8's heap) is imported only when a page is made, and the page embeds it whole", async () => {
  // `deno info --json` of every entry point: no module imports vendor/echarts.ts statically, so a sweep, a
  // slot or `sweepstore ls` never holds it until a report is written.
  for (
    const entry of ["../runner/mod.ts", "../runner/cli/cli.ts", "../src/report_html/html_report.ts"]
  ) {
    const path = new URL(entry, import.meta.url);
    const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json", path.pathname] })
      .output();
    assert(out.success, new TextDecoder().decode(out.stderr));
    const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      modules: { specifier: string; dependencies?: { specifier: string; isDynamic?: boolean }[] }[];
    };
    const imports = graph.modules.flatMap((m) =>
      (m.dependencies ?? []).filter((d) => d.specifier.endsWith("vendor/echarts.ts")).map((d) => ({
        from: m.specifier,
        ...d,
      }))
    );
    assert(imports.length > 0, `${entry}: the report's ECharts is reachable`);
    for (const d of imports) {
      assert(d.isDynamic === true, `${d.from} imports vendor/echarts.ts statically`);
    }
  }
  await withTempDir(async (dataFolder) => {
    await StorageManager.create("E", { dataFolder, params: { Parameters: { n: 1, score: 0.5 } } });
    const html = await htmlReport(await StorageManagerGroup.load("E", { dataFolder }));
    assert(html.includes(embedScript(ECHARTS_JS)), "the page embeds the vendored ECharts");
  });
});
