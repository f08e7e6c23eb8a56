import { assert, assertEquals } from "./_assert.ts";
import { python } from "./_helpers.ts";
import { plotSvg, toConsoleTable, toCSV, toMarkdown } from "../src/report.ts";

const TABLE = {
  columns: ["run", "score", "note"],
  rows: [
    ["R1", 0.1 + 0.2, 'has "quotes", commas'],
    ["R2", null, "multi\nline"],
    ["R3", -5, " padded "],
    ["R4", 12345678901234567890n, true],
  ],
};

Deno.test("toCSV() is read back exactly by Python's csv module", async () => {
  const csv = toCSV(TABLE);
  const out = await python(
    `import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.argv[1], newline='')))))`,
    [csv],
  );
  assertEquals(JSON.parse(out), [
    ["run", "score", "note"],
    ["R1", "0.30000000000000004", 'has "quotes", commas'],
    ["R2", "", "multi\nline"],
    ["R3", "-5", " padded "],
    ["R4", "12345678901234567890", "true"],
  ]);
  assertEquals(toCSV({ columns: ["a"], rows: [[1]] }, { delimiter: ";" }), "a\n1\n");
});

Deno.test("toMarkdown() and toConsoleTable() align numbers right and show missing values as –", () => {
  const md = toMarkdown({ columns: ["run", "score"], rows: [["A|1", 0.123456], ["B", null]] });
  assertEquals(md, "| run | score |\n| --- | ---: |\n| A\\|1 | 0.1235 |\n| B | – |\n");
  const text = toConsoleTable({ columns: ["run", "score"], rows: [["A1", 0.5], ["A10", 12.25]] });
  assertEquals(text, "run  score\n───  ─────\nA1     0.5\nA10  12.25\n");
});

async function parseSvg(svg: string) {
  const out = await python(
    `import json, sys, xml.etree.ElementTree as ET
ns = '{http://www.w3.org/2000/svg}'
root = ET.fromstring(sys.argv[1])
def texts(cls):
    g = [e for e in root.iter(ns + 'g') if e.get('class') == cls]
    return [t.text for t in g[0].iter(ns + 'text')] if g else []
print(json.dumps({
  'tag': root.tag, 'viewBox': root.get('viewBox'),
  'circles': len([c for g in root.iter(ns + 'g') if g.get('class') == 'points' for c in g.iter(ns + 'circle')]),
  'errorbars': len([g for g in root.iter(ns + 'g') if g.get('class') == 'errorbar']),
  'xticks': texts('x-ticks'), 'yticks': texts('y-ticks'),
  'labels': [t.text for t in root.iter(ns + 'text') if t.get('class') in ('x-label', 'y-label')],
  'scripts': len(list(root.iter(ns + 'script'))),
  'all_text': ' '.join(t.text or '' for t in root.iter(ns + 'text')),
}))`,
    [svg],
  );
  return JSON.parse(out);
}

Deno.test("plotSvg() draws a standalone scatter plot with nice ticks and axis labels", async () => {
  const svg = plotSvg({
    points: { x: [0.1, 0.2, 0.3, 0.4, null], y: [1, 3, 2, 5, 7] },
    xLabel: "lr",
    yLabel: "score <%>",
    title: "score & lr",
  });
  const s = await parseSvg(svg);
  assertEquals(s.tag, "{http://www.w3.org/2000/svg}svg");
  assertEquals(s.viewBox, "0 0 640 420");
  assertEquals(s.circles, 4);
  assertEquals(s.scripts, 0);
  assertEquals(s.xticks, ["0.1", "0.15", "0.2", "0.25", "0.3", "0.35", "0.4"]);
  assertEquals(s.yticks, ["1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "5"]);
  assertEquals(s.labels, ["lr", "score <%>"]);
  assert(
    s.all_text.includes("score & lr") && s.all_text.includes("1 run without values"),
    s.all_text,
  );
});

Deno.test("plotSvg() draws mean ± std error bars, log-x ticks at powers of ten, and says when there is no data", async () => {
  const s = await parseSvg(plotSvg(
    {
      points: { x: [1e-4, 1e-4, 1e-2, 1e-2], y: [1, 2, 3, 5] },
      summary: { x: [1e-4, 1e-2], mean: [1.5, 4], std: [0.5, 1] },
    },
    { xLog: true },
  ));
  assertEquals(s.errorbars, 2);
  assertEquals(s.circles, 4);
  assertEquals(s.xticks, ["0.0001", "0.001", "0.01"]);
  const empty = await parseSvg(plotSvg({ points: { x: [], y: [] } }));
  assert(empty.all_text.includes("no data"));
  const single = await parseSvg(plotSvg({ points: { x: [5], y: [5] } }));
  assertEquals(single.circles, 1);
});
