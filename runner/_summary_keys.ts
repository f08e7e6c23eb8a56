/**
 * Whether two runs of a sweep share their swept values (internal, used by `summary.ts`: with repeats the
 * summary has one row per point). Two runs share them when the `pythonJson` texts of their values are
 * equal — NaN equals NaN, -0 differs from 0 (`-0.0`), a bigint equals the number written with the same
 * digits, `1` differs from `"1"`, a missing value is `null`, lists and dicts compare by their text — but
 * decided without a text per run: each column's numbers are kept in a `Float64Array` (a text, numbered,
 * only for a value that is no number) and the runs put in an open-addressing hash table of run indices
 * (an `Int32Array`) hashed on their numbers' bits. A `Set` of 100,000 key texts (one `pythonJson` text and
 * an array per run) lived through the whole loop and was promoted (bench/README.md, "Session 22: the
 * summary files").
 *
 * @module
 */

import type { ValueOf } from "../src/group/_index_rows.ts";
import { pythonJson } from "../src/formats/_python_json.ts";

/** One column's keys: a number per run; where `text` is set, that number numbers a text. */
interface ColumnKeys {
  numbers: Float64Array;
  text: Uint8Array | undefined;
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

/** A column's keys as `pythonJson` texts tell them apart (texts numbered in order of first appearance). */
function columnKeys(read: ValueOf, n: number): ColumnKeys {
  const numbers = new Float64Array(n);
  let text: Uint8Array | undefined;
  let ids: Map<string, number> | undefined; // only for values that are no number
  for (let i = 0; i < n; i++) {
    const k = keyOf(read(i));
    if (typeof k === "number") {
      numbers[i] = k;
      continue;
    }
    ids ??= new Map();
    let id = ids.get(k);
    if (id === undefined) ids.set(k, id = ids.size);
    numbers[i] = id;
    (text ??= new Uint8Array(n))[i] = 1;
  }
  return { numbers, text };
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** A hash of a number's bits (NaN one value: its payload left out). */
function hashNumber(x: number, h: number): number {
  if (x !== x) return Math.imul(h ^ 0x7ff80000, 0x01000193);
  bits[0] = x;
  h = Math.imul(h ^ words[0], 0x01000193);
  return Math.imul(h ^ words[1], 0x01000193);
}

/**
 * Whether two of `n` runs have the same key in every column: numbers the same by `Object.is` (NaN equals
 * NaN, -0 differs from 0), texts the same text. Expected O(n), no object per run.
 */
function anyEqualKeys(columns: readonly ColumnKeys[], n: number): boolean {
  if (n < 2) return false;
  if (columns.length === 0) return true;
  let size = 1;
  while (size < 2 * n) size *= 2;
  const slots = new Int32Array(size).fill(-1);
  const same = (a: number, b: number) => {
    for (const c of columns) {
      if (!Object.is(c.numbers[a], c.numbers[b])) return false;
      if (c.text && c.text[a] !== c.text[b]) return false;
    }
    return true;
  };
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5;
    for (const c of columns) h = hashNumber(c.numbers[i], c.text?.[i] ? h ^ 0x5bd1e995 : h);
    for (let s = (h >>> 0) & (size - 1);; s = (s + 1) & (size - 1)) {
      const j = slots[s];
      if (j < 0) {
        slots[s] = i;
        break;
      }
      if (same(i, j)) return true;
    }
  }
  return false;
}

/**
 * Whether two of `n` runs have equal `pythonJson` texts of their values of every column (`reads`, one
 * reader per swept parameter; a reader that throws, as for a corrupt value, throws here too).
 */
export function hasRepeats(reads: readonly ValueOf[], n: number): boolean {
  if (n < 2) return false;
  return anyEqualKeys(reads.map((read) => columnKeys(read, n)), n);
}
