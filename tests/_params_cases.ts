/** Values and helpers shared by the parameter tests (params_test.ts, params_python_test.ts). */
import type { ParamValue } from "../src/formats/params.ts";

/** A deterministic random number generator (mulberry32). */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deep equality with the same JS types: -0 is not 0, NaN is NaN, bigint is not number. */
export function same(a: unknown, b: unknown): boolean {
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

export function show(v: unknown): string {
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
export function randomDouble(rand: () => number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, Math.floor(rand() * 2 ** 32));
  view.setUint32(4, Math.floor(rand() * 2 ** 32));
  return view.getFloat64(0);
}

export const NUMBERS = [
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

export const STRINGS = [
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

/**
 * Random parameter values: numbers from random bits and of every magnitude, integers, bigints, nasty
 * strings, booleans, null, nested arrays and objects. `finiteInside`: no NaN or ±Infinity inside arrays
 * and objects (Python's ast.literal_eval cannot read them).
 */
export function randomValues(seed: number, count: number, finiteInside = false): ParamValue[] {
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

/** Every scalar kind at once: the numbers, NaN and ±Infinity, the strings, booleans and null. */
export const SCALARS: readonly ParamValue[] = [
  ...NUMBERS,
  NaN,
  Infinity,
  -Infinity,
  ...STRINGS,
  true,
  false,
  null,
];
