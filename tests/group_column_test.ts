/**
 * The run table's columns (src/group/_column.ts): every text set is the text read back, in each form a
 * column takes (codes, numbers, times, strings) and across the moves between them; and a group whose runs
 * hold such texts reads them back through load, the index and runs.csv-style lists.
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { Column } from "../src/group/_column.ts";
import { loadRunTable } from "../src/group/_index_load.ts";
import { RACY_MARGIN_MS } from "../src/group/_index_file.ts";
import { groupFolder, groupIndexFile } from "../src/layout.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { parseParam } from "../src/formats/params.ts";

/** Texts that look like numbers or times but are not their own canonical text, and some that are. */
const TRICKY = [
  "-0",
  "0",
  "1e21",
  "1e+21",
  "NaN",
  "nan",
  "0.1",
  "1.0",
  "01",
  "Infinity",
  "-Infinity",
  "+1",
  " 1",
  "1 ",
  "0x10",
  "1_000",
  "9007199254740993",
  "123456789012345678901234567",
  "-5",
  "1e-7",
  "0.000001",
  "2026-11-30T21:06:05.745Z",
  "2026-11-30T21:06:05Z",
  "2026-11-30T21:06:05.745+00:00",
  "+012026-11-30T21:06:05.745Z",
  "2026-13-30T21:06:05.745Z",
  "",
  "text",
  "'quoted'",
];

function roundTrip(cells: (string | null)[]): void {
  const column = new Column(cells.length);
  cells.forEach((c, i) => column.set(i, c));
  assertEquals(column.slice(), cells);
  assertEquals(cells.map((_, i) => column.get(i)), cells);
}

Deno.test("a column gives back each text as set: few distinct texts (codes), tricky texts, nulls", () => {
  roundTrip([]);
  roundTrip([null, null]);
  roundTrip(["done", "done", null, "failed", "done"]);
  roundTrip(TRICKY);
  roundTrip([...TRICKY, ...TRICKY].map((t, i) => (i % 7 === 3 ? null : t)));
});

Deno.test("a column moves to numbers, times or strings past 255 distinct texts, exactly", () => {
  const numbers = Array.from({ length: 1000 }, (_, i) => String(i * 0.5 - 100));
  roundTrip(numbers); // each its own canonical text
  roundTrip(numbers.map((t, i) => (i % 10 === 0 ? null : t)));
  // numbers, then a text that is not one's own: strings from then on, earlier texts intact
  roundTrip([...numbers, "-0", "1.50", ...numbers.slice(0, 10)]);
  roundTrip([...numbers, "NaN", ...numbers.slice(0, 10)]);
  const times = Array.from({ length: 600 }, (_, i) => new Date(1.7e12 + i * 997).toISOString());
  roundTrip(times);
  roundTrip([...times, "2026-11-30T21:06:05Z", null, times[0]]);
  roundTrip([...times, "12.5", ...times.slice(0, 3)]);
  // 255 texts that are words, then numbers: strings (a code column's words kept)
  const words = Array.from({ length: 255 }, (_, i) => `w${i}`);
  roundTrip([...words, "1", "2", "w0", null]);
  // 255 numbers then a word at the 256th distinct text: strings
  roundTrip([...numbers.slice(0, 255), "word", "3"]);
});

Deno.test("a column keeps chosen rows in each form, and wraps an index's cells as they are", () => {
  for (
    const cells of [
      ["a", null, "b", "a"],
      Array.from({ length: 300 }, (_, i) => (i % 5 ? String(i) : null)),
      Array.from({ length: 300 }, (_, i) => new Date(i * 1000).toISOString()),
      Array.from({ length: 300 }, (_, i) => `s${i}`),
    ]
  ) {
    const column = new Column(cells.length);
    cells.forEach((c, i) => column.set(i, c));
    const keep = cells.map((_, i) => i % 3 !== 1);
    column.keep(keep);
    assertEquals(column.slice(), cells.filter((_, i) => keep[i]));
    assertEquals(column.length, keep.filter(Boolean).length);
  }
  const cells = ["x", null, "1"];
  const wrapped = Column.of(cells);
  assertEquals([wrapped.get(0), wrapped.get(1), wrapped.get(2)], cells);
  wrapped.set(1, "y");
  assertEquals(wrapped.slice(1, 3), ["y", "1"]);
});

Deno.test("a group of 400 runs reads back tricky texts exactly, from the folders and from its index", async () => {
  await withTempDir(async (dataFolder) => {
    const inIni = TRICKY.filter((t) => t !== "" && t.trim() === t); // (configparser strips a value)
    const texts = (i: number) => ({
      n: String(i * 0.25), // numbers
      t: new Date(1.75e12 + i * 1001).toISOString(), // times
      mixed: inIni[i % inIni.length],
      late: i < 390 ? String(i) : "-0", // numbers, then not
    });
    for (let i = 0; i < 400; i++) {
      const sm = await StorageManager.create("Col", { dataFolder });
      const ini = Object.entries(texts(i)).map(([k, v]) => `${k} = ${v}`).join("\n");
      await Deno.writeTextFile(`${sm.path}/config.ini`, `[Parameters]\n${ini}\n`);
    }
    await Deno.mkdir(`${dataFolder}/StorageManager/Col/.sweepstore`, { recursive: true });
    const want = Array.from({ length: 400 }, (_, i) => texts(i));
    for (const pass of ["folders", "index"]) {
      // from the index once the files are old enough to trust their stamps (the index's rule): a load then
      // writes it anew with every row trusted, and the next takes them all from it
      const path = groupFolder(dataFolder, "Col");
      if (pass === "index") {
        await new Promise((r) => setTimeout(r, RACY_MARGIN_MS + 1100));
        await loadRunTable(path, groupIndexFile(dataFolder, "Col"), {});
      }
      const { table, index } = await loadRunTable(path, groupIndexFile(dataFolder, "Col"), {});
      assertEquals(index.fromIndex, pass === "index" ? 400 : 0);
      if (pass === "index") table.column("Parameters", "n"); // parsed from the index now
      const got = table.names.map((_, row) =>
        Object.fromEntries(
          ["n", "t", "mixed", "late"].map((k) => [k, table.cell(row, "Parameters", k)]),
        )
      );
      const order = table.names.map((name) => Number(name.slice(3)) - 1); // Col1 … Col400
      assertEquals(got, order.map((i) => want[i]), pass);
    }
  });
});

Deno.test("values read from a column of numbers are what parseParam makes of their texts", async () => {
  await withTempDir(async (dataFolder) => {
    const special = [
      "9007199254740992", // 2⁵³: a bigint, as Python's int (every text here is its number's own: a numbers column)
      "123456789012345680000",
      "9007199254740991",
      "1e+21",
      "-Infinity",
      "5e-324",
      "1.7976931348623157e+308",
      "-1e-7",
      "0",
    ];
    const texts = [...special, ...Array.from({ length: 300 }, (_, i) => String(i / 8 - 3))];
    for (const t of texts) {
      const sm = await StorageManager.create("Num", { dataFolder });
      await Deno.writeTextFile(`${sm.path}/config.ini`, `[Parameters]\nx = ${t}\n`);
    }
    const smg = await StorageManagerGroup.load("Num", { dataFolder, index: false });
    const got = smg.getParamList("x");
    const want = [...smg].map((sm) => parseParam(texts[Number(sm.name.slice(3)) - 1]));
    assertEquals(got.length, texts.length);
    got.forEach((v, i) => assert(Object.is(v, want[i]), `${String(v)} !== ${String(want[i])}`));
  });
});

Deno.test("a column of times gives back every instant's toISOString() text, years 0100–9999", () => {
  const lo = Date.UTC(100, 0, 1), hi = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
  const texts = Array.from(
    { length: 20_000 },
    (_, i) =>
      new Date(Math.floor(lo + ((i * 2654435761) % 2 ** 32) / 2 ** 32 * (hi - lo))).toISOString(),
  );
  texts.push(
    ...[
      lo,
      hi,
      0,
      -1,
      Date.UTC(2000, 1, 29),
      Date.UTC(1900, 2, 1),
      Date.UTC(2400, 1, 29, 23, 59, 59, 999),
    ]
      .map((ms) => new Date(ms).toISOString()),
  );
  roundTrip(texts);
  // not a calendar date, or a year Date.UTC reads as 19xx: kept as texts, as they are
  for (
    const odd of [
      "1900-02-29T00:00:00.000Z",
      "2023-02-29T00:00:00.000Z",
      "2024-04-31T00:00:00.000Z",
      "2024-00-10T00:00:00.000Z",
      "2024-01-10T24:00:00.000Z",
      "0099-01-01T00:00:00.000Z",
      "2024-01-10T10:00:60.000Z",
    ]
  ) roundTrip([...texts.slice(0, 300), odd, texts[0]]);
});
