/**
 * The run table's `numbers` form (src/group/_column.ts) holds the texts `formatParam` writes for floats
 * (Python's `repr()`: `1.5e-05`, `-0.0`, `1.0e+21`) beside JavaScript's own (`950`, `0.5`), and an index's
 * parsed cells (`Column.of`) become numbers when all fit: a random sweep's log-scale decimals kept ~20 MB of
 * strings per column read (bench/README.md, session 22). Every text still reads back as set.
 */
import { assert, assertEquals } from "./_assert.ts";
import { Column } from "../src/group/_column.ts";
import { formatParam, parseParam } from "../src/formats/params.ts";

/** Floats whose `formatParam` text is not `String()`'s, and some whose is. */
const PY_FLOATS = [
  1.5e-5,
  -2.5e-7,
  5e-324,
  1e21,
  2 ** 53 + 2,
  -0,
  1e-5,
  1.9301543943583965e-5,
  0.5,
  38.5,
];

function column(cells: (string | null)[]): Column {
  const c = new Column(cells.length);
  cells.forEach((t, i) => c.set(i, t));
  return c;
}

/** Whether every non-null cell is held as a number (`numberAt` gives one only in the numbers form). */
function asNumbers(c: Column, cells: (string | null)[]): boolean {
  return cells.every((t, i) => t === null || c.numberAt(i) !== undefined);
}

Deno.test("Python-repr float texts stay numbers past 255 distinct texts and read back exactly", () => {
  const texts = PY_FLOATS.map(formatParam);
  assert(
    texts.includes("1.5e-05") && texts.includes("-0.0") && texts.includes("1.0e+21"),
    texts.join(),
  );
  const cells = Array.from(
    { length: 1200 },
    (_, i) => i % 9 === 4 ? null : i % 3 ? texts[i % texts.length] : formatParam(i * 1.25e-6),
  );
  const c = column(cells);
  assertEquals(c.slice(), cells);
  assert(asNumbers(c, cells), "a column of formatParam's float texts left the numbers form");
  cells.forEach((t, i) => {
    if (t !== null) assert(Object.is(c.numberAt(i), parseParam(t)), `${t}: ${c.numberAt(i)}`);
  });
  // a row set again with the other text of its number keeps its own text
  c.set(1, "0.5");
  c.set(2, formatParam(-0));
  assertEquals([c.get(1), c.get(2)], ["0.5", "-0.0"]);
  const keep = cells.map((_, i) => i % 4 !== 0);
  c.keep(keep);
  const kept = cells.map((t, i) => (i === 1 ? "0.5" : i === 2 ? "-0.0" : t)).filter((_, i) =>
    keep[i]
  );
  assertEquals(c.slice(), kept);
  // texts of neither form: strings, every earlier text intact
  for (const odd of ["1e-05", "1.0", "-0", "1.50", "nan"]) {
    const more = [...cells, odd, texts[0]];
    const d = column(more);
    assertEquals(d.slice(), more, odd);
  }
});

Deno.test("an index's cells become numbers when every text fits, else stay as they are", () => {
  const numbers = Array.from(
    { length: 500 },
    (_, i) => i % 50 === 7 ? null : formatParam(10 ** (-5 + (i % 40) / 8) * (1 + i / 997)),
  );
  const wrapped = Column.of(numbers.slice());
  assertEquals(wrapped.slice(), numbers);
  assert(asNumbers(wrapped, numbers), "an index column of numbers was kept as strings");
  const times = Array.from({ length: 300 }, (_, i) => new Date(1.7e12 + i * 991).toISOString());
  assertEquals(Column.of(times.slice()).slice(), times);
  const mixed = [...numbers, "text"];
  const strings = Column.of(mixed);
  assertEquals(strings.slice(), mixed);
  assertEquals(strings.numberAt(0), undefined);
  assertEquals(Column.of([null, null]).slice(), [null, null]);
  // set after a wrap: a text of the other form moves the column on, intact
  wrapped.set(0, "2026-11-30T21:06:05.745Z");
  assertEquals(wrapped.slice(), ["2026-11-30T21:06:05.745Z", ...numbers.slice(1)]);
});
