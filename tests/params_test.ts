import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { formatParam, type ParamValue, parseParam, parsePymonntoParam } from "../src/params.ts";
import { parseIni, stringifyIni } from "../src/ini.ts";

function same(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a === "number") return Object.is(a, b);
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a && typeof a === "object") {
    const ka = Object.keys(a), kb = Object.keys(b as object);
    return ka.length === kb.length &&
      ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

const NUMBERS = [
  0,
  -0,
  1,
  -3,
  42,
  2 ** 53 - 1,
  -(2 ** 53) + 1,
  2 ** 53 + 2,
  1e21,
  1e-7,
  1.5e-300,
  5e-324,
  0.1 + 0.2,
  123456.789,
  -2.5,
  1e300,
  1 / 3,
];
const STRINGS = [
  "alpha",
  "50percent done",
  "50% done",
  "text with = and ; # chars",
  "1",
  "1.5",
  "1e-07",
  "True",
  "False",
  "None",
  "nan",
  "inf",
  "[1, 2]",
  "{'x': 1}",
  "'quoted'",
  '"double"',
  " lead",
  "trail ",
  "",
  "multi\nline",
  "multi\n#comment-like",
  "tab\there",
  "back\\slash",
  "µ ✓ 😀",
  "a\n\nb",
  "ends with newline\n",
  "(1, 2)",
];

Deno.test("parseParam(formatParam(v)) is v, with its type, for numbers, strings, booleans, null, arrays and objects", () => {
  const values: ParamValue[] = [
    ...NUMBERS,
    NaN,
    Infinity,
    -Infinity,
    ...STRINGS,
    true,
    false,
    null,
    [],
    [1, 2.5, "a", true, null, [-0, [1e-7]]],
    {},
    { x: 1, "y z": ["q'\"", { nested: false }], "": null },
    12345678901234567890n,
  ];
  for (const v of values) {
    const text = formatParam(v);
    const back = parseParam(text);
    assert(
      same(back, v) || (Number.isNaN(v) && Number.isNaN(back)),
      `${String(v)} → ${text} → ${String(back)}`,
    );
  }
});

Deno.test("formatParam() round-trips random values through the ini codec (property test)", () => {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const chars = "ab =:;#[]'\"\\\n\t%é1.-";
  const randomValue = (depth: number): ParamValue => {
    const r = rand();
    if (r < 0.25) return (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
    if (r < 0.35) return Math.floor((rand() - 0.5) * 1e6);
    if (r < 0.6) {
      return Array.from(
        { length: Math.floor(rand() * 8) },
        () => chars[Math.floor(rand() * chars.length)],
      ).join("");
    }
    if (r < 0.7) return rand() < 0.5;
    if (r < 0.75) return null;
    if (depth > 2) return "leaf";
    if (r < 0.88) {
      return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(depth + 1));
    }
    return Object.fromEntries(
      Array.from({ length: Math.floor(rand() * 4) }, (_, i) => [`k${i}`, randomValue(depth + 1)]),
    );
  };
  const values = Array.from({ length: 2000 }, () => randomValue(0));
  const section = new Map(values.map((v, i) => [`p${i}`, formatParam(v)]));
  const back = parseIni(stringifyIni(new Map([["Parameters", section]]))).get("Parameters")!;
  values.forEach((v, i) => {
    const got = parseParam(back.get(`p${i}`)!);
    assert(same(got, v), `${JSON.stringify(v)} came back as ${JSON.stringify(got)}`);
  });
});

Deno.test("PymoNNto's load_param gets every number and boolean back with its type; configparser and ast read the rest", async () => {
  await withTempDir(async (dir) => {
    const values: Record<string, ParamValue> = {};
    NUMBERS.forEach((n, i) => (values[`n${i}`] = n));
    values.t = true;
    values.f = false;
    const lists: Record<string, ParamValue> = {
      list: [1, 2.5, "a", true, null],
      dict: { x: 1, y: ["z", false] },
      quoted: "1",
      s: "50% done",
    };
    const ini = new Map([[
      "Parameters",
      new Map(Object.entries({ ...values, ...lists }).map(([k, v]) => [k, formatParam(v)])),
    ]]);
    await Deno.writeTextFile(`${dir}/config.ini`, stringifyIni(ini));
    const out = await python(
      `import ast, configparser, json, sys
c = configparser.ConfigParser(); c.read(sys.argv[1], encoding='utf-8'); p = c['Parameters']
def load_param(v):
    if v in ('True', 'False'): return v == 'True'
    if '.' in v: return float(v)
    try: return int(v)
    except ValueError: return v
res = {k: [repr(load_param(p[k])), type(load_param(p[k])).__name__] for k in p if k[0] in 'ntf' and k not in ('list',)}
res['list'] = ast.literal_eval(p['list']); res['dict'] = ast.literal_eval(p['dict'])
res['quoted'] = ast.literal_eval(p['quoted']); res['s'] = p['s']
print(json.dumps(res))`,
      [`${dir}/config.ini`],
    );
    const res = JSON.parse(out);
    for (const [k, v] of Object.entries(values)) {
      const [repr, type] = res[k];
      if (typeof v === "boolean") assertEquals([repr, type], [v ? "True" : "False", "bool"], k);
      else if (Number.isInteger(v) && Math.abs(v as number) < 2 ** 53 && !Object.is(v, -0)) {
        assertEquals([Number(repr), type], [v, "int"], k);
      } else {
        assertEquals(type, "float", `${k} = ${String(v)}`);
        assert(
          Object.is(Number(repr), v) || Number(repr) === v,
          `${k}: Python read ${repr} for ${String(v)}`,
        );
      }
    }
    assertEquals(res.list, [1, 2.5, "a", true, null]);
    assertEquals(res.dict, { x: 1, y: ["z", false] });
    assertEquals(res.quoted, "1");
    assertEquals(res.s, "50% done");
  });
});

Deno.test("parseParam() reads what configparser and PymoNNto write", () => {
  const cases: [string, ParamValue][] = [
    ["True", true],
    ["None", null],
    ["1e-07", 1e-7],
    ["1795556792.7312794", 1795556792.7312794],
    ["007", 7],
    ["1_000", 1000],
    ["[1, 2, 3]", [1, 2, 3]],
    ["{'x': 1}", { x: 1 }],
    ["(1, 'a')", [1, "a"]],
    ["[1.5 2.5]", [1.5, 2.5]],
    ["[[1 2]\n [3 4]]", [[1, 2], [3, 4]]],
    ["[1. 2.]", [1, 2]],
    ["50percent done", "50percent done"],
    ["[unclosed", "[unclosed"],
    ["{'k': v}", "{'k': v}"],
    ["[1, 2, ..., 9]", "[1, 2, ..., 9]"],
  ];
  for (const [text, value] of cases) {
    assert(same(parseParam(text), value), `${text} → ${JSON.stringify(parseParam(text))}`);
  }
});

Deno.test("parsePymonntoParam() is PymoNNto's load_param rule", () => {
  assertEquals(parsePymonntoParam("True"), true);
  assertEquals(parsePymonntoParam("2.5"), 2.5);
  assertEquals(parsePymonntoParam("1e-07"), "1e-07");
  assertEquals(parsePymonntoParam("007"), 7);
  assertEquals(parsePymonntoParam("None"), "None");
  assertEquals(parsePymonntoParam("[1, 2]"), "[1, 2]");
});

Deno.test("formatParam() refuses what config.ini cannot hold, and says to use saveObj", () => {
  for (
    const bad of [
      undefined,
      () => 1,
      Symbol("s"),
      new Map(),
      new Set(),
      new Date(),
      new Float32Array(2),
      [undefined],
    ]
  ) {
    assertThrows(() => formatParam(bad), TypeError);
  }
  assertThrows(() => formatParam(new Map()), TypeError, "saveObj");
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  assertThrows(() => formatParam(cyclic), TypeError, "cyclic");
});
