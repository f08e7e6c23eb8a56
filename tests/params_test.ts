import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { formatParam, type ParamValue, parseParam } from "../src/formats/params.ts";
import { parseIni, stringifyIni } from "../src/formats/ini.ts";
import { randomValues, same, SCALARS, show } from "./_params_cases.ts";

Deno.test("parseParam(formatParam(v)) is v, with its type, for numbers, strings, booleans, null, arrays and objects", () => {
  const values: ParamValue[] = [
    ...SCALARS,
    [],
    [1, 2.5, "a", true, null, [-0, [1e-7, NaN, -Infinity]]],
    {},
    { x: 1, "y z": ["q'\"", { nested: false }], "": null, __proto__key: 1 },
    JSON.parse('{"__proto__": [1]}'),
    Object.assign(Object.create(null), { a: 1 }),
    [[[[[]]]]],
    2n ** 64n,
    -(2n ** 80n),
    [2n ** 53n, 9007199254740993n],
  ];
  for (const v of values) {
    const text = formatParam(v);
    const back = parseParam(text);
    const expected = v !== null && typeof v === "object" && Object.getPrototypeOf(v) === null
      ? { ...v }
      : v;
    assert(same(back, expected), `${show(v)} → ${JSON.stringify(text)} → ${show(back)}`);
  }
});

Deno.test("formatParam() writes numbers with a '.' unless they are integers below 2**53", () => {
  const cases: [number | bigint, string][] = [
    [0, "0"],
    [-0, "-0.0"],
    [42, "42"],
    [2 ** 53 - 1, "9007199254740991"],
    [2 ** 53, "9007199254740992.0"],
    [1e16, "1.0e+16"],
    [1e21, "1.0e+21"],
    [1e-7, "1.0e-07"],
    [1.5e-7, "1.5e-07"],
    [5e-324, "5.0e-324"],
    [0.1 + 0.2, "0.30000000000000004"],
    [1e-4, "0.0001"],
    [123456.789, "123456.789"],
    [NaN, "nan"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [5n, "5"],
    [2n ** 64n, "18446744073709551616"],
  ];
  for (const [value, text] of cases) assertEquals(formatParam(value), text, String(value));
  assertEquals(formatParam([1e-7, 1e16, -0, 2, 0.5]), "[1e-07, 1e+16, -0.0, 2, 0.5]");
  // bigints come back as numbers when they are safe integers
  assertEquals(parseParam(formatParam(5n)), 5);
  assertEquals(parseParam(formatParam(2n ** 53n)), 2n ** 53n);
});

Deno.test("formatParam() round-trips 5000 random values through the ini codec (property test)", () => {
  const values = randomValues(12345, 5000);
  const section = new Map(values.map((v, i) => [`p${i}`, formatParam(v)]));
  const back = parseIni(stringifyIni(new Map([["Parameters", section]]))).get("Parameters")!;
  values.forEach((v, i) => {
    const text = back.get(`p${i}`)!;
    assertEquals(text, section.get(`p${i}`), `the ini keeps the text of ${show(v)}`);
    const got = parseParam(text);
    assert(same(got, v), `${show(v)} → ${JSON.stringify(text)} → ${show(got)}`);
  });
});

// Reads config.ini with configparser and prints, per key, PymoNNto's load_param result with its type and
// configparser's getfloat() where it reads the text.
Deno.test("strings are written bare when configparser gives them back and nothing reads them as another value", () => {
  for (
    const s of ["alpha", "50% done", "50percent done", "text with = and ; # chars", "a\nb", "true"]
  ) {
    assertEquals(formatParam(s), s);
  }
  for (
    const s of [
      "1",
      "True",
      "None",
      "nan",
      "١٢",
      "[1]",
      "[unclosed",
      "(x",
      "{",
      "'quoted'",
      '"',
      " lead",
      "trail ",
      "a\n b",
      "a\n#b",
      "a\n",
      "nbsp\u00a0",
      "cr\r",
      "nul\x00",
      "\ud800",
    ]
  ) {
    assert(/^['"]/.test(formatParam(s)), `${show(s)} is quoted: ${formatParam(s)}`);
  }
});

Deno.test("parseParam() reads the PymoNNto config.ini example", () => {
  const text =
    "[Parameters]\ntime = 1795556792.7312794\na = 1\nb = True\nc = [1, 2, 3]\nd = None\n" +
    "e = 50percent done\nf = 1.5e-07\ng = {'x': 1}\ncamelkey = 3\ns = text with = and ; # chars\n" +
    "n = multi\n\tline\n\n";
  const p = Object.fromEntries(
    [...parseIni(text).get("Parameters")!].map(([k, v]) => [k, parseParam(v)]),
  );
  assertEquals(p, {
    time: 1795556792.7312794,
    a: 1,
    b: true,
    c: [1, 2, 3],
    d: null,
    e: "50percent done",
    f: 1.5e-7,
    g: { x: 1 },
    camelkey: 3,
    s: "text with = and ; # chars",
    n: "multi\nline",
  });
});

Deno.test("parseParam() reads Python literals and numpy's str() of arrays, and keeps other text as it is", () => {
  const cases: [string, ParamValue][] = [
    ["True", true],
    ["None", null],
    ["1e-07", 1e-7],
    ["007", 7],
    ["-0", 0],
    ["1_000", 1000],
    ["1_0.5e1_0", 10.5e10],
    ["12345678901234567890", 12345678901234567890n],
    ["Infinity", Infinity],
    ["-nan", NaN],
    ["[1, 2, 3]", [1, 2, 3]],
    ["[1, 2, 3,]", [1, 2, 3]],
    ["{'x': 1}", { x: 1 }],
    ["{1: 'a', True: 'b', None: 'c', 1.5: 'd'}", { 1: "a", True: "b", None: "c", "1.5": "d" }],
    ["{'__proto__': 1}", JSON.parse('{"__proto__": 1}')],
    ["(1, 'a')", [1, "a"]],
    ["(1,)", [1]],
    ["()", []],
    ["(1)", 1],
    ["[(1), ((2, 3))]", [1, [2, 3]]],
    ["١٢", 12],
    ["𝟙.𝟝", 1.5],
    [" 5", 5],
    ["5\u3000", 5],
    ["[0x1F, 0o17, 0b11, -0x10, 1_000]", [31, 15, 3, -16, 1000]],
    ["[1e999, -1e999]", [Infinity, -Infinity]],
    ["[1.5 2.5]", [1.5, 2.5]],
    ["[[1 2]\n[3 4]]", [[1, 2], [3, 4]]],
    ["[ 1.  -2.5]", [1, -2.5]],
    ["[1.e-07 2.e+00]", [1e-7, 2]],
    ["['a' 'b']", ["a", "b"]],
    ["[ True False]", [true, false]],
    ["[nan inf -inf]", [NaN, Infinity, -Infinity]],
    ["'tab\\there \\x41\\u00e9\\U0001F600 \\101 \\q'", "tab\there Aé😀 A \\q"],
    ['"it\'s"', "it's"],
    ["50percent done", "50percent done"],
    ["[unclosed", "[unclosed"],
    ["{'k': v}", "{'k': v}"],
    ["[1, 2, ..., 9]", "[1, 2, ..., 9]"],
    ["[0 1 2 ... 7 8 9]", "[0 1 2 ... 7 8 9]"],
    ["{1, 2}", "{1, 2}"],
    ["'a' 'b'", "'a' 'b'"],
    ["[1.+2.j]", "[1.+2.j]"],
    ["'\\U00110000'", "'\\U00110000'"],
    ["'\\N{DASH}'", "'\\N{DASH}'"],
    ["[,]", "[,]"],
    ["1.5.3", "1.5.3"],
    ["0x10", "0x10"],
    ["5\x1c", "5\x1c"],
    ["", ""],
    ["[".repeat(5000) + "]".repeat(5000), "[".repeat(5000) + "]".repeat(5000)],
  ];
  for (const [text, value] of cases) {
    const got = parseParam(text);
    assert(same(got, value), `${JSON.stringify(text.slice(0, 80))} → ${show(got)}`);
  }
});

Deno.test("formatParam() refuses what config.ini cannot hold, naming where it is and suggesting saveObj", () => {
  class Point {
    x = 1;
  }
  const cases: [unknown, string][] = [
    [undefined, "undefined cannot be stored"],
    [() => 1, "a function"],
    [Symbol("s"), "a symbol"],
    [new Map(), "a Map"],
    [new Set(), "a Set"],
    [new Date(), "a Date"],
    [new Float32Array(2), "a Float32Array (save arrays with saveNp())"],
    [new Point(), "a Point"],
    [new Number(1), "a Number"],
    [[1, undefined], "undefined (at [1])"],
    // deno-lint-ignore no-sparse-arrays
    [[1, , 3], "undefined (at [1])"],
    [{ a: [{ b: new Map() }] }, "a Map (at .a[0].b)"],
    [{ "odd key": undefined }, 'undefined (at ["odd key"])'],
    [{ [Symbol("k")]: 1 }, "symbol keys"],
  ];
  for (const [value, message] of cases) {
    const err = assertThrows(() => formatParam(value), TypeError, message);
    assert(err.message.includes("saveObj()"), err.message);
  }
  const cyclic: unknown[] = [1];
  cyclic.push({ back: cyclic });
  assertThrows(() => formatParam(cyclic), TypeError, "cyclic structure (at [1].back)");
  let deep: unknown = [];
  for (let i = 0; i < 150; i++) deep = [deep];
  assertThrows(() => formatParam(deep), TypeError, "nested deeper than 100 levels");
  // Shared (not cyclic) references are fine.
  const shared = { s: 1 };
  assertEquals(formatParam([shared, shared]), "[{'s': 1}, {'s': 1}]");
});
