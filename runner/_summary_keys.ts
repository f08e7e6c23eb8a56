/**
 * Whether two runs of a sweep share their swept values (internal, used by `summary.ts`: with repeats the
 * summary has one row per point). Two runs share them when the `pythonJson` texts of their values are
 * equal — NaN equals NaN, -0 differs from 0 (`-0.0`), a bigint equals the number written with the same
 * digits, `1` differs from `"1"`, a missing value is `null`, lists and dicts compare by their text — but
 * decided without a text per run: each column's numbers are kept in a `Float64Array` (a text only for a
 * value that is no number), the run indices sorted on them in an `Int32Array` and neighbours compared. A
 * `Set` of 100,000 key texts promoted ~10 MB of strings that V8 kept until its next full GC, which then
 * came at ~4× that size (bench/README.md, "Session 22: the summary files").
 *
 * @module
 */

import type { ValueOf } from "../src/group/_index_rows.ts";
import { pythonJson } from "./_summary_rows.ts";

/** One column's keys: numbers in a typed array, the `pythonJson` text of any other value where a run has one. */
interface ColumnKeys {
  numbers: Float64Array;
  texts: (string | undefined)[] | undefined;
}

/**
 * The key of one value: the number whose `pythonJson` text is the value's (a number itself, a bigint whose
 * digits are a number's text), else the value's text.
 */
function keyOf(v: unknown): number | string {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") {
    const n = Number(v);
    if (String(n) === v.toString()) return n; // the same digits as the number's JSON text
  }
  return pythonJson(v ?? null, 0);
}

function columnKeys(read: ValueOf, n: number): ColumnKeys {
  const numbers = new Float64Array(n);
  let texts: (string | undefined)[] | undefined;
  for (let i = 0; i < n; i++) {
    const k = keyOf(read(i));
    if (typeof k === "number") numbers[i] = k;
    else (texts ??= new Array(n))[i] = k;
  }
  return { numbers, texts };
}

/** Orders two numbers as distinct texts: -0 before 0, NaN last, NaN equal to NaN. */
function compareNumbers(x: number, y: number): number {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return x === 0 && !Object.is(x, y) ? (Object.is(x, -0) ? -1 : 1) : 0;
  if (x !== x) return y !== y ? 0 : 1; // NaN
  return -1;
}

/** Orders two runs' keys of one column: numbers first, then texts; 0 exactly when their texts are equal. */
function compareKeys(c: ColumnKeys, a: number, b: number): number {
  const ta = c.texts?.[a], tb = c.texts?.[b];
  if (ta !== undefined || tb !== undefined) {
    if (ta === undefined) return -1;
    if (tb === undefined) return 1;
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  }
  return compareNumbers(c.numbers[a], c.numbers[b]);
}

/**
 * Whether two of `n` runs have equal `pythonJson` texts of their values of every column (`reads`, one
 * reader per swept parameter; a reader that throws, as for a corrupt value, throws here too).
 */
export function hasRepeats(reads: readonly ValueOf[], n: number): boolean {
  if (n < 2) return false;
  if (reads.length === 0) return true; // every run's key is "[]"
  const keys = reads.map((read) => columnKeys(read, n));
  const compare = (a: number, b: number) => {
    for (const c of keys) {
      const d = compareKeys(c, a, b);
      if (d !== 0) return d;
    }
    return 0;
  };
  const sorted = new Int32Array(n);
  for (let i = 0; i < n; i++) sorted[i] = i;
  sorted.sort(compare);
  for (let k = 1; k < n; k++) if (compare(sorted[k - 1], sorted[k]) === 0) return true;
  return false;
}
