import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import {
  formatParam,
  type ParamValue,
  parseParam,
  parsePymonntoParam,
} from "../src/formats/params.ts";
import { parseIni, stringifyIni } from "../src/formats/ini.ts";

/** A deterministic random number generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deep equality with the same JS types: -0 is not 0, NaN is NaN, bigint is not number. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a === "number") return Object.is(a, b);
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a && typeof a === "object") {
    if (!b || Array.isArray(b) || Object.getPrototypeOf(b) !== Object.prototype) return false;
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length &&
      ka.every((k, i) =>
        k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
      );
  }
  return a === b;
}

function show(v: unknown): string {
  return JSON.stringify(
    v,
    (_, x) =>
      typeof x === "bigint"
        ? `${x}n`
        : typeof x === "number" && !Number.isFinite(x)
        ? String(x)
        : Object.is(x, -0)
        ? "-0"
        : x,
  );
}

/** A double from 64 random bits: every exponent and mantissa, subnormals, NaN and infinities included. */
function randomDouble(rand: () => number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, Math.floor(rand() * 2 ** 32));
  view.setUint32(4, Math.floor(rand() * 2 ** 32));
  return view.getFloat64(0);
}

const NUMBERS = [
  0,
  -0,
  1,
  -3,
  42,
  2 ** 31,
  2 ** 53 - 1,
  -(2 ** 53) + 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 60),
  1e15,
  1e16,
  1e21,
  1e22,
  1e-4,
  1e-5,
  1e-7,
  1.5e-300,
  5e-324,
  2.2250738585072014e-308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  0.1 + 0.2,
  123456.789,
  -2.5,
  1e300,
  1 / 3,
  1795556792.7312794,
  9007199254740993.5,
  0.5,
];

const STRINGS = [
  "alpha",
  "50percent done",
  "50% done",
  "100%% escaped",
  "text with = and ; # chars",
  "1",
  "-1",
  "1.5",
  "1e-07",
  "007",
  "1_000",
  "True",
  "False",
  "None",
  "true",
  "nan",
  "inf",
  "-Infinity",
  "[1, 2]",
  "[1.5 2.5]",
  "{'x': 1}",
  "(1, 2)",
  "'quoted'",
  '"double"',
  "it's",
  "[unclosed",
  " lead",
  "trail ",
  "",
  "multi\nline",
  "multi\n#comment-like",
  "multi\n  indented",
  "a\n\nb",
  "ends with newline\n",
  "\nstarts with newline",
  "tab\there",
  "back\\slash",
  "cr\rlf",
  "µ ✓ 😀",
  "nbsp\u00a0inside",
  "\u00a0nbsp at start",
  "nel\x85",
  "ls\u2028ps\u2029",
  "bom\ufeff",
  "nul\x00",
  "lone \ud800 surrogate",
  "%(name)s",
  "0x10",
  "1j",
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

/**
 * Random parameter values: numbers from random bits and of every magnitude, integers, bigints, nasty
 * strings, booleans, null, nested arrays and objects. `finiteInside`: no NaN or ±Infinity inside arrays
 * and objects (Python's ast.literal_eval cannot read them).
 */
function randomValues(seed: number, count: number, finiteInside = false): ParamValue[] {
  const rand = random(seed);
  const chars = [
    ..."ab =:;#[]{}()'\"\\\n\n\t%é1.-e_,",
    "\r",
    "\u00a0",
    "\x85",
    "\u2028",
    "\x0c",
    "\x1c",
  ];
  chars.push(
    "\ud83d\ude00",
    "\ud800",
    "\udc00",
    "\x00",
    "True",
    "None",
    "nan",
    "inf",
    "0",
    "1e5",
    "١",
  );
  const randomString = () => {
    let s = "";
    for (let n = Math.floor(rand() * 9); n > 0; n--) s += chars[Math.floor(rand() * chars.length)];
    return s;
  };
  const randomValue = (depth: number): ParamValue => {
    const r = rand();
    if (r < 0.15) {
      const d = randomDouble(rand);
      return finiteInside && depth > 0 && !Number.isFinite(d) ? 0.5 : d;
    }
    if (r < 0.25) return (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
    if (r < 0.35) return Math.floor((rand() - 0.5) * 2 ** Math.floor(rand() * 54));
    if (r < 0.38) {
      return (rand() < 0.5 ? -1n : 1n) * (2n ** 53n + BigInt(Math.floor(rand() * 1e15)));
    }
    if (r < 0.6) return randomString();
    if (r < 0.68) return rand() < 0.5;
    if (r < 0.72) return null;
    if (depth > 3) return "leaf";
    if (r < 0.86) {
      return Array.from({ length: Math.floor(rand() * 5) }, () => randomValue(depth + 1));
    }
    return Object.fromEntries(
      Array.from(
        { length: Math.floor(rand() * 4) },
        () => [randomString(), randomValue(depth + 1)],
      ),
    );
  };
  return Array.from({ length: count }, () => randomValue(0));
}

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
const LOAD_PARAM_SCRIPT = `
import configparser, json, sys
c = configparser.ConfigParser()
c.read(sys.argv[1], encoding='utf-8')
p = c['Parameters']
def load_param(v):
    if v in ('True', 'False'): return v == 'True'
    elif '.' in v: return float(v)
    else:
        try: return int(v)
        except ValueError: return v
out = {}
for k in p:
    v = load_param(p[k])
    try: g = repr(p.getfloat(k))
    except ValueError: g = None
    out[k] = [type(v).__name__, repr(v) if not isinstance(v, str) else v, g]
print(json.dumps(out))
`;

Deno.test("PymoNNto's load_param reads every number and boolean we write as the same value and type", async () => {
  const rand = random(99);
  const numbers = [...NUMBERS, NaN, Infinity, -Infinity];
  for (let i = 0; i < 1500; i++) {
    const d = randomDouble(rand);
    numbers.push(Number.isNaN(d) ? 1 / (i + 1) : d);
  }
  for (let i = 0; i < 300; i++) numbers.push(Math.round((rand() - 0.5) * 2 ** (rand() * 60)));
  for (let e = -330; e <= 310; e += 7) numbers.push(10 ** e, -1.5 * 10 ** e);
  const values: Record<string, number | boolean> = { t: true, f: false };
  numbers.forEach((n, i) => (values[`n${i}`] = n));
  const ini = new Map([[
    "Parameters",
    new Map(Object.entries(values).map(([k, v]) => [k, formatParam(v)])),
  ]]);
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/config.ini`, stringifyIni(ini));
    const res: Record<string, [string, string, string | null]> = JSON.parse(
      await python(LOAD_PARAM_SCRIPT, [`${dir}/config.ini`]),
    );
    assertEquals(res.t, ["bool", "True", null]);
    assertEquals(res.f, ["bool", "False", null]);
    numbers.forEach((n, i) => {
      const [type, repr, getfloat] = res[`n${i}`];
      const where = `${show(n)} written as ${formatParam(n)}`;
      if (!Number.isFinite(n)) {
        // PymoNNto gives the text; configparser's getfloat() the float.
        assertEquals(type, "str", where);
        assertEquals(repr, formatParam(n), where);
        assertEquals(getfloat, Number.isNaN(n) ? "nan" : n > 0 ? "inf" : "-inf", where);
      } else if (Number.isInteger(n) && Math.abs(n) < 2 ** 53 && !Object.is(n, -0)) {
        assertEquals([type, repr], ["int", String(n)], where);
      } else {
        assertEquals(type, "float", where);
        assert(Object.is(Number(repr), n), `${where}: Python read ${repr}`);
      }
    });
  });
});

// Reads config.ini with configparser and each value with the read_param() recipe of params.ts's module
// documentation, and prints the values with explicit types; also Python's repr() of each string and of
// each float in a list.
const READ_PARAM_SCRIPT = `
import ast, configparser, json, struct, sys
def read_param(text):
    if text in ('True', 'False'): return text == 'True'
    if text == 'None': return None
    for number in (int, float):
        try: return number(text)
        except ValueError: pass
    if text[:1] in ('[', '(', '{', "'", '"'):
        try: return ast.literal_eval(text)
        except (ValueError, SyntaxError): pass
    return text
def enc(v):
    if isinstance(v, bool): return ['b', v]
    if isinstance(v, int): return ['i', str(v)]
    if isinstance(v, float): return ['f', repr(v)]
    if isinstance(v, str): return ['s', v]
    if v is None: return ['n']
    if isinstance(v, (list, tuple)): return ['l', [enc(x) for x in v]]
    if isinstance(v, dict): return ['d', [[k, enc(x)] for k, x in v.items()]]
    raise TypeError(type(v))
c = configparser.ConfigParser()
c.read(sys.argv[1], encoding='utf-8')
cases = json.load(open(sys.argv[2]))
print(json.dumps({
    'values': {k: enc(read_param(v)) for k, v in c['Parameters'].items()},
    'strings': [repr(s) for s in cases['strings']],
    'floats': [repr([struct.unpack('>d', bytes.fromhex(h))[0]]) for h in cases['floats']],
}))
`;

type Typed = [string, ...unknown[]];

/** What Python's read_param() must rebuild from formatParam(v), in READ_PARAM_SCRIPT's encoding. */
function typed(v: ParamValue): Typed {
  if (typeof v === "boolean") return ["b", v];
  if (typeof v === "bigint") return ["i", String(v)];
  if (typeof v === "number") {
    return Number.isInteger(v) && Math.abs(v) < 2 ** 53 && !Object.is(v, -0)
      ? ["i", String(v)]
      : ["f", v];
  }
  if (typeof v === "string") return ["s", v];
  if (v === null) return ["n"];
  if (Array.isArray(v)) return ["l", v.map(typed)];
  return ["d", Object.entries(v).map(([k, x]) => [k, typed(x)])];
}

function sameTyped(ours: Typed, theirs: Typed): boolean {
  if (ours[0] !== theirs[0]) return false;
  switch (ours[0]) {
    case "f": {
      const repr = theirs[1] as string;
      const n = repr === "inf" ? Infinity : repr === "-inf" ? -Infinity : Number(repr);
      return Object.is(ours[1], n);
    }
    case "l": {
      const a = ours[1] as Typed[], b = theirs[1] as Typed[];
      return a.length === b.length && a.every((x, i) => sameTyped(x, b[i]));
    }
    case "d": {
      const a = ours[1] as [string, Typed][], b = theirs[1] as [string, Typed][];
      return a.length === b.length &&
        a.every(([k, x], i) => k === b[i][0] && sameTyped(x, b[i][1]));
    }
    default:
      return JSON.stringify(ours) === JSON.stringify(theirs);
  }
}

function hexOf(d: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  return [...new Uint8Array(view.buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("Python reads every value we write back exactly with the documented read_param() recipe; lists and strings are Python's repr()", async () => {
  const rand = random(7);
  const values: ParamValue[] = [
    ...NUMBERS,
    NaN,
    Infinity,
    -Infinity,
    ...STRINGS,
    true,
    false,
    null,
    [1, 2, 3],
    [],
    {},
    [1, 2.5, "a", true, null, -0, 1e-7, 1e16, 2 ** 53 + 2, Number.MAX_VALUE, 5e-324],
    { x: 1, y: [true, null, "a"] },
    { "it's": 'say "hi"', "": [[], {}], "a\nb": "\ttab", 3: "number key" },
    [2n ** 70n, -(2n ** 64n)],
    STRINGS,
    ...randomValues(8, 3000, true),
  ];
  // Python's repr() of strings: ASCII, Latin-1, some of the rest of Unicode (ones that Python 3.11 and
  // this V8 classify alike), lone surrogates.
  const strings = [...STRINGS];
  for (let cp = 0; cp < 0x250; cp++) strings.push(String.fromCodePoint(cp));
  strings.push(
    "\u200b",
    "\u2028",
    "\ue000",
    "\ufeff",
    "\u0378",
    "😀",
    "\u{e0001}",
    "\ud800",
    "\udfff",
  );
  const floats: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const d = randomDouble(rand);
    if (!Number.isInteger(d) || Math.abs(d) >= 2 ** 53) floats.push(d);
  }
  for (let i = 0; i < 1000; i++) {
    const d = (rand() - 0.5) * 10 ** Math.floor(rand() * 24 - 6);
    if (!Number.isInteger(d) || Math.abs(d) >= 2 ** 53) floats.push(d);
  }
  floats.push(1e16, 1e15 + 0.5, 1e-4, 1e-5, 0.1, 123456789012345680, 5e-324, 2 ** 53 + 2);
  const section = new Map(values.map((v, i) => [`v${i}`, formatParam(v)]));
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/config.ini`, stringifyIni(new Map([["Parameters", section]])));
    await Deno.writeTextFile(
      `${dir}/cases.json`,
      JSON.stringify({ strings, floats: floats.map(hexOf) }),
    );
    const res = JSON.parse(
      await python(READ_PARAM_SCRIPT, [`${dir}/config.ini`, `${dir}/cases.json`]),
    );
    values.forEach((v, i) => {
      const theirs = res.values[`v${i}`];
      assert(
        sameTyped(typed(v), theirs),
        `${show(v)} written as ${section.get(`v${i}`)}, Python read ${JSON.stringify(theirs)}`,
      );
    });
    strings.forEach((s, i) => {
      assertEquals(formatParam([s]), `[${res.strings[i]}]`, `repr of ${show(s)}`);
    });
    floats.forEach((d, i) => assertEquals(formatParam([d]), res.floats[i], `repr of ${d}`));
  });
});

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

Deno.test("parseParam() reads config.ini files that configparser and PymoNNto write", async () => {
  await withTempDir(async (dir) => {
    // What PymoNNto's save_param stores: str(value), % made configparser-safe, then comments by hand.
    await python(
      `import configparser, sys
import numpy as np
values = {
    'time': 1795556792.7312794, 'a': 1, 'b': True, 'c': [1, 2, 3], 'd': None, 'e': '50% done',
    'f': 1.5e-07, 'g': {'x': 1}, 'CamelKey': 3, 's': 'text with = and ; # chars', 'n': 'multi\\nline',
    'arr': np.array([1.5, 2.5]), 'arr2': np.array([[1, 2], [3, 4]]), 'arrs': np.array(['a', 'b']),
    'arrb': np.array([True, False]), 'arrf': np.array([1e-07, 2.0]), 'arrn': np.array([np.nan, -np.inf]),
    'tup': (1, 'a'), 'nan': float('nan'), 'big': 2**70, 'neg': -0.0, 'flt': 1e16, 'pct': '50percent done',
    'nested': {'k': [1, {'z': None}], 2: 'int key'}, 'quote': "it's", 'uni': 'µ ✓', 'empty': '',
    'np64': np.float64(0.1), 'npint': np.int64(7), 'lst': [0.1, 'x', [None]],
}
c = configparser.ConfigParser()
c['Parameters'] = {}
for k, v in values.items():
    c.set('Parameters', k, str(v).replace('%', '%%'))
with open(sys.argv[1], 'w') as f:
    f.write('# written by PymoNNto\\n; and configparser\\n')
    c.write(f)
    f.write('[Other]\\n# comment\\nhand = 50% done, by hand\\n')`,
      [`${dir}/config.ini`],
    );
    const ini = parseIni(await Deno.readTextFile(`${dir}/config.ini`), `${dir}/config.ini`);
    const p = Object.fromEntries(
      [...ini.get("Parameters")!].map(([k, v]) => [k, parseParam(v)]),
    );
    const expected: Record<string, ParamValue> = {
      time: 1795556792.7312794,
      a: 1,
      b: true,
      c: [1, 2, 3],
      d: null,
      e: "50% done",
      f: 1.5e-7,
      g: { x: 1 },
      camelkey: 3,
      s: "text with = and ; # chars",
      n: "multi\nline",
      arr: [1.5, 2.5],
      arr2: [[1, 2], [3, 4]],
      arrs: ["a", "b"],
      arrb: [true, false],
      arrf: [1e-7, 2],
      arrn: [NaN, -Infinity],
      tup: [1, "a"],
      nan: NaN,
      big: 2n ** 70n,
      neg: -0,
      flt: 1e16,
      pct: "50percent done",
      nested: { k: [1, { z: null }], 2: "int key" },
      quote: "it's",
      uni: "µ ✓",
      empty: "",
      np64: 0.1,
      npint: 7,
      lst: [0.1, "x", [null]],
    };
    for (const [k, v] of Object.entries(expected)) {
      assert(same(p[k], v), `${k}: got ${show(p[k])}, expected ${show(v)}`);
    }
    assertEquals(Object.keys(p), Object.keys(expected));
    assertEquals(parseParam(ini.get("Other")!.get("hand")!), "50% done, by hand");
  });
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

Deno.test("parsePymonntoParam() gives what PymoNNto's load_param gives in Python", async () => {
  const texts = [
    "True",
    "False",
    "true",
    "None",
    "2.5",
    "1e-07",
    "1.5e-07",
    "007",
    "1_000",
    "1__0",
    "_1",
    "-0",
    "+7",
    "0x10",
    "1e5",
    "1.e5",
    ".5",
    "5.",
    ".",
    "nan",
    "inf",
    "-inf",
    "nan.",
    "1.5.3",
    "1_0.5e1_0",
    "[1, 2]",
    "50percent done",
    "١٢",
    "١.٥",
    "𝟙𝟚.𝟛",
    " 7",
    "7\x1c",
    "7\u3000",
    "\u00a01.5",
    "7\x85",
    "12345678901234567890",
    "1".repeat(4300),
    "1".repeat(4301),
    "1".repeat(400) + ".5",
    "",
  ];
  const out = await python(
    `import json, sys
def load_param(v):
    if v in ('True', 'False'): return v == 'True'
    elif '.' in v: 
        try: return float(v)
        except ValueError: return v
    else:
        try: return int(v)
        except ValueError: return v
print(json.dumps([[type(x).__name__, repr(x) if not isinstance(x, str) else x] for x in map(load_param, json.loads(sys.argv[1]))]))`,
    [JSON.stringify(texts)],
  );
  const theirs: [string, string][] = JSON.parse(out);
  texts.forEach((text, i) => {
    const ours = parsePymonntoParam(text);
    const [type, repr] = theirs[i];
    const where = `${JSON.stringify(text.slice(0, 40))}: Python gives ${type} ${repr.slice(0, 40)}`;
    if (type === "str") assertEquals(ours, text, where);
    else if (type === "bool") assertEquals(ours, repr === "True", where);
    else {
      const value = repr === "inf" ? Infinity : repr === "-inf" ? -Infinity : Number(repr);
      assertEquals(typeof ours, "number", where);
      assert(Object.is(ours, value), `${where}, we ${String(ours)}`);
    }
  });
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
