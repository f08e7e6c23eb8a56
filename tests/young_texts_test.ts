// Session 23 (issue 8 point 10, random3): texts made so that they die young, byte for byte the texts made
// before. numberText is String's text (without V8's number-to-string cache, whose texts live in the old
// generation); the CSV pieces, the report's data pieces and its script slices join to the whole text, each
// piece below V8's large-object size (128 KB) and well-formed (each piece is UTF-8 encoded on its own).
import { assert, assertEquals } from "./_assert.ts";
import { numberText } from "../src/formats/_param_format.ts";
import { toCSV } from "../src/group/report.ts";
import { csvPieces } from "../runner/_summary_rows.ts";
import { embedJson, embedPieces } from "../src/report_html/_embed.ts";
import { pageHtml, pagePieces } from "../src/report_html/_page.ts";
import type { ReportData } from "../src/report_html/_report_data.ts";

/** Doubles of every kind: random bit patterns (finite ones), integers, tiny, huge, -0. */
function doubles(n: number): number[] {
  const bits = new DataView(new ArrayBuffer(8));
  const out = [
    0,
    -0,
    1,
    -1,
    0.1,
    1e21,
    1e-7,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 31),
    5e-324,
    1.7976931348623157e308,
  ];
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  while (out.length < n) {
    bits.setUint32(0, next());
    bits.setUint32(4, next());
    const v = bits.getFloat64(0);
    if (Number.isFinite(v)) out.push(v, Math.round(v) % 1e6, v / 1e300);
  }
  return out;
}

Deno.test("numberText is String's text of every number", () => {
  for (const v of [...doubles(30_000), NaN, Infinity, -Infinity]) {
    assertEquals(numberText(v), String(v));
  }
});

Deno.test("csvPieces join to toCSV's text, in pieces below 128 KB whatever the rows' length", () => {
  const values = doubles(3000);
  for (const width of [1, 7, 400]) { // short rows, a random sweep's rows, rows of ~8,000 characters
    const columns = Array.from({ length: width }, (_, j) => `c${j}`);
    const rows = Array.from(
      { length: 700 },
      (_, i) =>
        columns.map((_, j) =>
          (i + j) % 11 === 0
            ? `a "text", ${i}`
            : (i + j) % 13 === 0
            ? null
            : values[(i * width + j) % values.length]
        ),
    );
    const pieces = [...csvPieces(columns, rows.length, (i) => rows[i])];
    assertEquals(pieces.join(""), toCSV({ columns, rows }));
    assert(pieces.length > 2);
    for (const piece of pieces) {
      assert(piece.length < 64_000, `a piece of ${piece.length} characters`);
    }
  }
});

Deno.test("embedPieces join to embedJson's text, long arrays in pieces below 128 KB", () => {
  const record = (i: number) => ({
    status: i % 3 ? "done" : "failed",
    point: `{"lr":${i / 7}}`,
    error: i % 5 ? undefined : "</script><!-- \u2028 & <b>",
    f: () => 1,
    nan: NaN,
    neg: -0,
    big: 10n ** 20n,
    list: [1, undefined, Infinity, "x"],
  });
  const values: unknown[] = [
    Array.from({ length: 10_000 }, (_, i) => record(i)),
    Array.from({ length: 5_000 }, (_, i) => (i % 7 ? i / 3 : i % 2 ? NaN : null)),
    [undefined, () => 1, Symbol("s"), ...Array.from({ length: 40 }, (_, i) => `é${i}\u{1F600}`)],
    {
      points: {
        by: ["a"],
        rows: Array.from({ length: 3_000 }, (_, i) => ({ key: [i], mean: -0 })),
      },
      perParam: [],
      skipped: undefined,
      fn: () => 2,
      pairs: [{ by: ["a", "b"], rows: [], total: 0 }],
    },
    { facts: { counts: { done: 3 } }, empty: {} },
    "a <text>",
    null,
  ];
  for (const value of values) {
    for (const depth of [0, 1, 2]) {
      const pieces = [...embedPieces(value, depth)];
      assertEquals(pieces.join(""), embedJson(value));
      if (depth < 2 && !Array.isArray(value)) continue; // (an object is one piece below `depth`)
      for (const piece of pieces) {
        assert(piece.length < 64_000, `a piece of ${piece.length} characters`);
      }
    }
  }
});

Deno.test("the page's pieces join to its text; the script's slices never split a surrogate pair", () => {
  const data: ReportData = {
    name: "P",
    facts: { runs: 0, counts: {}, from: null, to: null, commits: [] },
    written: "2026-12-01T00:00:00.000Z",
    objective: null,
    goal: "maximize",
    swept: [],
    params: [],
    runs: {
      name: [],
      href: [],
      status: [],
      reason: [],
      error: [],
      stderr: [],
      started: [],
      finished: [],
      duration_s: [],
      generation: [],
      record: [],
      files: [],
      values: [],
    },
    points: { points: null, perParam: [], pairs: [] },
  };
  // astral characters (two UTF-16 units) across every slice boundary of 32,768 units
  const script = `var s = "${"a\u{1F600}".repeat(60_000)}"; // </script> <!-- done`;
  const pieces = [...pagePieces(data, script)];
  assertEquals(pieces.join(""), pageHtml(data, script));
  for (const piece of pieces) assert(piece.isWellFormed(), "a piece holds half a surrogate pair");
  const bytes = new TextEncoder().encode(pieces.join(""));
  const joined = pieces.map((p) => new TextEncoder().encode(p));
  assertEquals(joined.reduce((n, b) => n + b.length, 0), bytes.length);
  assert(pageHtml(data, script).includes("<\\/script> <\\!-- done"));
});
