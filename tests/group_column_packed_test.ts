/**
 * The run table's packed form (src/group/_column_packed.ts): long distinct texts that differ only in their
 * numbers (the runner's `[Run] point`) are kept as a template + numbers, and every text read back is the
 * text set, including digits that are not a number's own text and texts that move the column to strings.
 */
import { assert, assertEquals } from "./_assert.ts";
import { Column } from "../src/group/_column.ts";
import { PackedTexts } from "../src/group/_column_packed.ts";

/** Canonical JSON points of three random decimals, as the runner writes `[Run] point`. */
function points(n: number): string[] {
  let s = 7;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from(
    { length: n },
    () =>
      JSON.stringify({
        lr: Math.round(rnd() * 1e6) / 1e9,
        x: Math.round(rnd() * 1000) / 1000,
        y: rnd(),
      }),
  );
}

function roundTrip(cells: (string | null)[]): Column {
  const column = new Column(cells.length);
  cells.forEach((c, i) => column.set(i, c));
  assertEquals(column.slice(), cells);
  assertEquals(cells.map((_, i) => column.get(i)), cells);
  return column;
}

Deno.test("points past 255 distinct texts are packed: one template, the numbers apart, read back exactly", () => {
  const cells = points(2000).map((t, i) => (i % 9 === 4 ? null : t));
  roundTrip(cells);
  const packed = PackedTexts.of(cells)!;
  assert(packed, "every point fits");
  assertEquals(packed.templates, 1);
  assertEquals(Array.from({ length: cells.length }, (_, i) => packed.get(i)), cells);
  // from an index's parsed line too
  assertEquals(Column.of(cells).slice(), cells);
});

Deno.test("digits that are not a number's own text stay in the template, exactly", () => {
  const tricky = [
    '{"a":1.50,"b":-0,"c":1e5,"d":007}',
    '{"a":1e+21,"b":1e-7,"c":-12.5,"d":9007199254740993}',
    '{"a":0.1,"b":"x1-2","c":[1,2,3]}',
    "run-12-of-0013",
    "1-2-3",
    "",
    "no digits",
    "123456789012345678901234567",
  ];
  const cells = [...points(300), ...tricky, ...points(3)];
  roundTrip(cells);
  const packed = PackedTexts.of(tricky)!;
  assertEquals(tricky.map((_, i) => packed.get(i)), tricky);
  assertEquals(PackedTexts.of(["1.50", "1.5", "x1.50"])!.templates, 3); // "1.50" is no number's own text
  assertEquals(Column.of(cells).slice(), cells);
});

Deno.test("a packed column keeps chosen rows, and moves to strings when a text does not fit", () => {
  const cells = points(500);
  const column = roundTrip(cells);
  const keep = cells.map((_, i) => i % 4 !== 1);
  column.keep(keep);
  const kept = cells.filter((_, i) => keep[i]);
  assertEquals(column.slice(), kept);
  // more than 16 numbers in one text: strings from then on, earlier texts intact
  const many = JSON.stringify(Array.from({ length: 17 }, (_, i) => i + 0.5));
  column.set(3, many);
  kept[3] = many;
  assertEquals(column.slice(), kept);
  // more than 1,024 templates (texts without numbers): strings
  roundTrip([
    ...points(300),
    ...Array.from({ length: 1100 }, (_, i) => "word".repeat(1 + (i % 50)) + "x".repeat(i)),
  ]);
  // a text with more numbers than the ones before it: the rows' numbers move, still exact
  roundTrip([
    ...points(300).map((t) => t.replace(/,"y":[^}]*/, "")),
    ...points(5),
    "[1,2,3,4,5,6]",
  ]);
});
