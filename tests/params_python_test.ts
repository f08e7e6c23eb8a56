/** The parameter codec with Python as the judge: configparser, PymoNNto's load_param, read_param(). */
import { assert, assertEquals } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import {
  formatParam,
  type ParamValue,
  parseParam,
  parsePymonntoParam,
} from "../src/formats/params.ts";
import { parseIni, stringifyIni } from "../src/formats/ini.ts";
import {
  NUMBERS,
  random,
  randomDouble,
  randomValues,
  same,
  SCALARS,
  show,
  STRINGS,
} from "./_params_cases.ts";

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
    ...SCALARS,
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
