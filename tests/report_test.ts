import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { python } from "./_helpers.ts";
import {
  formatNumber,
  plotSvg,
  type Table,
  toConsoleTable,
  toCSV,
  toMarkdown,
} from "../src/group/report.ts";

const TRICKY: Table = {
  columns: ["run", "score", "note, with comma"],
  rows: [
    ["R1", 0.1 + 0.2, 'has "quotes", commas'],
    ["R2", null, "multi\nline\r\nand CR\r"],
    ["R3", -5, " padded "],
    ["R4", 12345678901234567890n, true],
    ["R5", undefined, ""],
    ["Ünïcødé ✓ 漢字", 1e21, "semi;colon\ttab"],
    ["R7"], // a short row: the rest is missing
  ],
};

const PY_CSV = `import csv, io, json, sys
rows = list(csv.reader(io.StringIO(sys.argv[1], newline=''), delimiter=sys.argv[2]))
print(json.dumps(rows))`;

Deno.test("toCSV() is read back exactly by Python's csv module", async () => {
  const expected = [
    ["run", "score", "note, with comma"],
    ["R1", "0.30000000000000004", 'has "quotes", commas'],
    ["R2", "", "multi\nline\r\nand CR\r"],
    ["R3", "-5", " padded "],
    ["R4", "12345678901234567890", "true"],
    ["R5", "", ""],
    ["Ünïcødé ✓ 漢字", "1e+21", "semi;colon\ttab"],
    ["R7", "", ""],
  ];
  for (const delimiter of [",", ";", "\t"]) {
    for (const lineTerminator of ["\r\n", "\n"] as const) {
      const csv = toCSV(TRICKY, { delimiter, lineTerminator });
      assertEquals(JSON.parse(await python(PY_CSV, [csv, delimiter])), expected, csv);
    }
  }
});

Deno.test("toCSV() writes RFC 4180 CRLF lines by default and quotes only where needed", () => {
  assertEquals(
    toCSV({ columns: ["a", "b"], rows: [[1, "x"], [true, 'say "hi"']] }),
    'a,b\r\n1,x\r\ntrue,"say ""hi"""\r\n',
  );
  assertEquals(toCSV({ columns: ["a"], rows: [[1]] }, { lineTerminator: "\n" }), "a\n1\n");
  assertEquals(toCSV({ columns: [], rows: [] }), "");
  assertEquals(toCSV({ columns: ["a"], rows: [] }), "a\r\n");
});

Deno.test("toCSV() writes numbers that Python and numpy read back bit for bit", async () => {
  const values = [
    0.1 + 0.2,
    1 / 3,
    -0,
    5e-324,
    Number.MAX_VALUE,
    1e21,
    1e-7,
    2 ** 53 + 2,
    NaN,
    Infinity,
    -Infinity,
  ];
  const table: Table = { columns: ["v"], rows: values.map((v) => [v]) };
  const bits = (v: number) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v, true);
    return [...new Uint8Array(view.buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
  };
  const out = await python(
    `import csv, io, json, struct, sys, numpy as np
rows = list(csv.reader(io.StringIO(sys.argv[1], newline='')))[1:]
a = [struct.pack('<d', float(r[0])).hex() for r in rows]
b = [struct.pack('<d', v).hex() for v in np.genfromtxt(io.StringIO(sys.argv[1]), delimiter=',', skip_header=1)]
print(json.dumps([a, b]))`,
    [toCSV(table)],
  );
  const expected = values.map(bits);
  expected[8] = bits(NaN); // Python's NaN has the same bits as JavaScript's
  assertEquals(JSON.parse(out), [expected, expected]);
});

Deno.test("toCSV() keeps a single-column row with a missing cell as a row, not a blank line", async () => {
  const csv = toCSV({ columns: ["score"], rows: [[1], [null], [2]] });
  assertEquals(csv, 'score\r\n1\r\n""\r\n2\r\n');
  assertEquals(JSON.parse(await python(PY_CSV, [csv, ","])), [["score"], ["1"], [""], ["2"]]);
});

Deno.test("toCSV() rejects a bad delimiter and rows longer than the columns", () => {
  assertThrows(() => toCSV(TRICKY, { delimiter: '"' }), TypeError, "delimiter");
  assertThrows(() => toCSV(TRICKY, { delimiter: ",," }), TypeError, "delimiter");
  assertThrows(() => toCSV({ columns: ["a"], rows: [[1, 2]] }), TypeError, "row 0 has 2 cells");
});

Deno.test("formatNumber() gives significant digits without float noise", () => {
  assertEquals(formatNumber(0.1 + 0.2), "0.3");
  assertEquals(formatNumber(1234567.891, 4), "1.235e6");
  assertEquals(formatNumber(0.000012345, 3), "1.23e-5");
  assertEquals(formatNumber(999999.9, 4), "1e6");
  assertEquals(formatNumber(123456789), "123456789");
  assertEquals(formatNumber(2.5, 4), "2.5");
  assertEquals(formatNumber(-0), "0");
  assertEquals([formatNumber(NaN), formatNumber(Infinity), formatNumber(-Infinity)], [
    "NaN",
    "inf",
    "-inf",
  ]);
  assertThrows(() => formatNumber(1, 0), TypeError, "digits");
});

Deno.test("toMarkdown() pads columns, right-aligns numbers, escapes | and shows missing values as –", () => {
  const md = toMarkdown({
    columns: ["run", "score", "n"],
    rows: [["A|1", 0.123456, 10], ["B\nmulti", null, 2000n], ["C", 1234567.891, undefined]],
  });
  assertEquals(
    md,
    [
      "| run     |   score |    n |",
      "| ------- | ------: | ---: |",
      "| A\\|1    |  0.1235 |   10 |",
      "| B multi |       – | 2000 |",
      "| C       | 1.235e6 |    – |",
      "",
    ].join("\n"),
  );
  assertEquals(
    toMarkdown({ columns: ["x"], rows: [[1 / 3]] }, { digits: 2 }).split("\n")[2],
    "| 0.33 |",
  );
  // A column with text and numbers stays left-aligned.
  assertEquals(toMarkdown({ columns: ["v"], rows: [[1], ["a"]] }).split("\n")[1], "| --- |");
});

Deno.test("toConsoleTable() aligns columns under a rule, without ANSI codes unless asked", () => {
  const table: Table = {
    columns: ["run", "score", "tag"],
    rows: [["A1", 0.5, "漢字"], ["A10", 12.25, null], ["A2", null, "x\x1b[31my"]],
  };
  assertEquals(
    toConsoleTable(table),
    [
      "run  score  tag",
      "───  ─────  ──────",
      "A1     0.5  漢字",
      "A10  12.25  –",
      "A2       –  x[31my",
      "",
    ].join("\n"),
  );
  assert(!toConsoleTable(table).includes("\x1b"));
  const colored = toConsoleTable(table, { color: true });
  assert(colored.includes("\x1b[1mrun"), colored);
  const long = toConsoleTable({ columns: ["e"], rows: [["x".repeat(100)]] }, { maxCellWidth: 10 });
  assertEquals(long.split("\n")[2], "xxxxxxxxx…");
});

// ---------------------------------------------------------------------------------------------------

interface SvgInfo {
  tag: string;
  attrib: Record<string, string>;
  firstRect: Record<string, string>;
  forbidden: string[];
  hrefs: number;
  circles: number;
  errorbars: number;
  errorbarLines: number[];
  polyline: number;
  xticks: string[];
  xtickPos: number[];
  minorTicks: number;
  yticks: string[];
  ytickPos: number[];
  labels: Record<string, string>;
  texts: string[];
}

/** Parses the SVGs with Python's ElementTree and reports their structure. */
async function parseSvgs(svgs: string[]): Promise<SvgInfo[]> {
  const out = await python(
    `import json, sys, xml.etree.ElementTree as ET
ns = '{http://www.w3.org/2000/svg}'
def info(svg):
    root = ET.fromstring(svg)
    def group(cls):
        return [g for g in root.iter(ns + 'g') if g.get('class') == cls]
    def ticks(cls):
        g = group(cls)
        return [t.text for t in g[0].iter(ns + 'text')] if g else []
    def pos(cls, attr):
        g = group(cls)
        return [float(t.get(attr)) for t in g[0].iter(ns + 'text')] if g else []
    bars = group('errorbar')
    return {
        'tag': root.tag, 'attrib': root.attrib,
        'firstRect': root.find(ns + 'rect').attrib,
        'forbidden': [e.tag for e in root.iter() if e.tag.replace(ns, '') in ('script', 'style', 'image', 'foreignObject', 'use', 'a')],
        'hrefs': sum(1 for e in root.iter() for k in e.attrib if k.endswith('href')),
        'circles': sum(len(list(g.iter(ns + 'circle'))) for g in group('points')),
        'errorbars': len(bars),
        'errorbarLines': [len(list(g.iter(ns + 'line'))) for g in bars],
        'polyline': sum(len(p.get('points').split()) for g in group('summary') for p in g.iter(ns + 'polyline')),
        'xticks': ticks('x-ticks'), 'xtickPos': pos('x-ticks', 'x'),
        'minorTicks': len(list(group('x-ticks')[0].iter(ns + 'line'))) - len(ticks('x-ticks')) if group('x-ticks') else 0,
        'yticks': ticks('y-ticks'), 'ytickPos': pos('y-ticks', 'y'),
        'labels': {t.get('class'): t.text for t in root.iter(ns + 'text') if t.get('class')},
        'texts': [t.text or '' for t in root.iter(ns + 'text')],
    }
print(json.dumps([info(s) for s in json.loads(sys.argv[1])]))`,
    [JSON.stringify(svgs)],
  );
  return JSON.parse(out);
}

function assertStandalone(s: SvgInfo): void {
  assertEquals(s.tag, "{http://www.w3.org/2000/svg}svg");
  assertEquals(s.attrib.viewBox, `0 0 ${s.attrib.width} ${s.attrib.height}`);
  assertEquals(s.attrib["font-family"], "sans-serif");
  assertEquals(s.firstRect.fill, "white");
  assertEquals(s.forbidden, []);
  assertEquals(s.hrefs, 0);
}

Deno.test("plotSvg() draws a standalone scatter plot with nice ticks, axis labels and a note for skipped points", async () => {
  const svg = plotSvg({
    points: { x: [0.1, 0.2, 0.3, 0.4, null, NaN, 0.5], y: [1, 3, 2, 5, 7, 1, "x"] },
    xLabel: "lr",
    yLabel: "score <%>",
    title: "score & lr\u0001",
  });
  assert(
    svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" '),
    "runner/summary.ts nests plots",
  );
  const [s] = await parseSvgs([svg]);
  assertStandalone(s);
  assertEquals([s.attrib.width, s.attrib.height], ["640", "420"]);
  assertEquals(s.circles, 4);
  assertEquals(s.xticks, ["0.1", "0.15", "0.2", "0.25", "0.3", "0.35", "0.4"]);
  assertEquals(s.yticks, ["1", "2", "3", "4", "5"]);
  assertEquals(s.labels["x-label"], "lr");
  assertEquals(s.labels["y-label"], "score <%>");
  assertEquals(s.labels.title, "score & lr");
  assertEquals(s.labels.note, "3 points not shown: missing or not finite");
  // Ticks run left to right and bottom to top, inside the picture.
  assert(s.xtickPos.every((v, i) => i === 0 || v > s.xtickPos[i - 1]) && s.xtickPos.at(-1)! < 640);
  assert(s.ytickPos.every((v, i) => i === 0 || v < s.ytickPos[i - 1]) && s.ytickPos[0] < 420);
});

Deno.test("plotSvg() draws mean ± std as a line with one error bar per x over the runs", async () => {
  const [s] = await parseSvgs([plotSvg({
    points: { x: [1, 1, 2, 2, 3], y: [1, 2, 3, 5, 4] },
    summary: { x: [3, 1, 2], mean: [4, 1.5, 4], std: [NaN, 0.5, 1], label: "median ± std" },
    xLabel: "n",
    yLabel: "score",
  })]);
  assertStandalone(s);
  assertEquals(s.circles, 5);
  assertEquals(s.errorbars, 3);
  assertEquals(s.errorbarLines, [3, 3, 0]); // sorted by x; no bar where std is NaN
  assertEquals(s.polyline, 3);
  assert(s.texts.includes("median ± std") && s.texts.includes("runs"), String(s.texts));
  assertEquals(s.yticks, ["1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "5"]);
});

Deno.test("plotSvg() with xInteger ticks x only at whole numbers (generations: 0, 1, 2)", async () => {
  const spec = { points: { x: [0, 1, 2], y: [1, 3, 2] }, xLabel: "generation" };
  const [plain, whole] = await parseSvgs([plotSvg(spec), plotSvg(spec, { xInteger: true })]);
  assert(plain.xticks.includes("0.2"), String(plain.xticks)); // what the search plot had
  assertEquals(whole.xticks, ["0", "1", "2"]);
});

Deno.test("plotSvg() labels a log x axis at powers of ten with minor ticks between", async () => {
  const lrs = [1e-5, 3e-5, 1e-4, 1e-3, 1e-2, 0.1];
  const [wide, narrow, huge, decade] = await parseSvgs([
    plotSvg({
      points: { x: [...lrs, 0, -1], y: [1, 2, 3, 4, 5, 6, 7, 8] },
      summary: { x: lrs, mean: [1, 2, 3, 4, 5, 6], std: [0, 0, 0, 0, 0, 0] },
    }, { xLog: true }),
    plotSvg({ points: { x: [1e-3, 1e-2, 0.1], y: [1, 2, 3] } }, { xLog: true }),
    plotSvg({ points: { x: [1e-30, 1e30], y: [1, 2] } }, { xLog: true }),
    plotSvg({ points: { x: [0.002, 0.003, 0.008], y: [1, 2, 3] } }, { xLog: true }),
  ]);
  assertEquals(wide.xticks, ["1e-5", "1e-4", "1e-3", "1e-2", "1e-1"]);
  assertEquals(wide.minorTicks, 4 * 8);
  assertEquals(wide.labels.note, "2 points not shown: x ≤ 0 on the log axis");
  assertEquals(wide.circles, 6);
  assertEquals(narrow.xticks, ["0.001", "0.01", "0.1"]);
  for (const t of huge.xticks) assert(Number.isInteger(Math.log10(Number(t))), t);
  assert(huge.xticks.length <= 10 && huge.xticks.length >= 3, String(huge.xticks));
  assertEquals(huge.minorTicks, 0);
  // Within a single decade, 2 and 5 × 10^k are labelled too.
  assertEquals(decade.xticks, ["0.001", "0.002", "0.005", "0.01"]);
  assertEquals(decade.minorTicks, 6);
});

Deno.test("plotSvg() handles a single point, equal values, tiny and huge ranges, and no data", async () => {
  const [single, equal, tiny, big, empty, skippedOnly] = await parseSvgs([
    plotSvg({ points: { x: [5], y: [5] } }),
    plotSvg({ points: { x: [0, 0, 0], y: [2, 2, 2] } }),
    plotSvg({ points: { x: [1000.001, 1000.002], y: [1, 1 + 1e-15] } }),
    plotSvg({ points: { x: [1e6, 3e6], y: [1e-6, 2e-6] } }),
    plotSvg({ points: { x: [], y: [] } }),
    plotSvg({ points: { x: [null, NaN], y: [1, 2] }, title: "t" }),
  ]);
  for (const s of [single, equal, tiny, big, empty, skippedOnly]) assertStandalone(s);
  assertEquals(single.circles, 1);
  assert(single.xticks.includes("5") && single.yticks.includes("5"), String(single.xticks));
  assertEquals(equal.circles, 3);
  assert(equal.xticks.includes("0") && equal.yticks.includes("2"));
  assertEquals(tiny.xticks[0], "1000.001");
  assertEquals(new Set(tiny.xticks).size, tiny.xticks.length); // distinct labels despite the offset
  assertEquals(big.xticks[0], "1e6");
  assertEquals(big.yticks, ["1e-6", "1.2e-6", "1.4e-6", "1.6e-6", "1.8e-6", "2e-6"]);
  for (const s of [single, equal, tiny, big]) {
    for (const t of [...s.xticks, ...s.yticks]) assert(/^-?\d+(\.\d{1,4})?(e-?\d+)?$/.test(t), t);
  }
  assert(empty.texts.includes("no data") && empty.circles === 0);
  assertEquals(skippedOnly.texts, ["t", "2 points not shown: missing or not finite", "no data"]);
});

Deno.test("plotSvg() rejects series of different lengths and a too small size", () => {
  assertThrows(() => plotSvg({ points: { x: [1, 2], y: [1] } }), TypeError, "points.x has 2");
  assertThrows(
    () => plotSvg({ summary: { x: [1, 2], mean: [1, 2], std: [1] } }),
    TypeError,
    "same length",
  );
  assertThrows(() => plotSvg({}, { width: 10 }), TypeError, "width");
});

Deno.test("plotSvg() of 2,500 points: one circle per line, in the points' order", () => {
  const n = 2_500; // the points are joined a thousand at a time: the lines stay one circle each
  const x = Array.from({ length: n }, (_, i) => i);
  const svg = plotSvg({ points: { x, y: x.map((v) => v * 2) } });
  const lines = svg.split("\n");
  const circles = lines.filter((l) => l.startsWith("<circle"));
  assertEquals(circles.length, n);
  assert(circles.every((l) => /^<circle cx="[\d.]+" cy="[\d.]+" r="1.5"\/>$/.test(l)));
  const cx = circles.map((l) => Number(/cx="([\d.]+)"/.exec(l)![1]));
  assert(cx.every((v, i) => i === 0 || v >= cx[i - 1]), "x ascending, as given");
  const first = lines.indexOf(circles[0]);
  assertEquals(lines.slice(first, first + n), circles, "consecutive lines");
  assert(lines[first - 1].startsWith('<g class="points"') && lines[first + n] === "</g>");
});
