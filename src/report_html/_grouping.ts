/**
 * Runs grouped by the values of some columns (internal, for the report's statistics tables): the same
 * value is `valueKey`'s identity, as `smg.aggregate` groups (numbers by value, -0 as 0, NaN one value, safe
 * bigints as numbers), groups numbered in order of first appearance.
 *
 * Grouped by sorting run indices on per-column keys held in typed arrays, not through a `Map` of keys: for
 * a random sweep of 100,000 runs over three decimal parameters each table has ~100,000 groups, and the
 * maps (a heap number or a joined text per run, and the maps' growing tables) promoted ~110 MB that V8
 * collected only at its next full GC (`pointStats` took a fresh process from 158 to 409 MiB).
 *
 * @module
 */

import type { ParamValue } from "../formats/params.ts";
import { valueKey } from "../group/_value_key.ts";

/** A value of a column, as read. */
export type Value = ParamValue | null | undefined;
/** Reads run i's value of a column. */
export type Read = (i: number) => Value;

/** The runs grouped by the values of some columns: a group id per run, ids in order of first appearance. */
export interface Grouping {
  /** The first run of each group (its key's values are that run's). */
  first: Int32Array;
  /** The runs of group g are `order[start[g]] … order[start[g + 1] - 1]`, in run order. */
  start: Int32Array;
  order: Int32Array;
}

/** A value's identity for grouping: numbers (and safe bigints) themselves, else `valueKey`. */
export function oneKey(v: Value): number | string {
  if (typeof v === "number") return v === 0 ? 0 : v; // NaN is one value; -0 is 0, as valueKey
  if (typeof v === "bigint" && Number.isSafeInteger(Number(v))) return Number(v);
  return valueKey(v ?? null);
}

/** One column's keys: numbers in a typed array, the other keys (texts) only where a run has one. */
interface ColumnKeys {
  numbers: Float64Array;
  texts: (string | undefined)[] | undefined;
}

function columnKeys(read: Read, n: number): ColumnKeys {
  const numbers = new Float64Array(n);
  let texts: (string | undefined)[] | undefined;
  for (let i = 0; i < n; i++) {
    const k = oneKey(read(i));
    if (typeof k === "number") numbers[i] = k;
    else (texts ??= new Array(n))[i] = k;
  }
  return { numbers, texts };
}

/** Orders two runs' keys of one column: numbers first (NaN last of them), then texts; 0 when the same. */
function compareKeys(c: ColumnKeys, a: number, b: number): number {
  const ta = c.texts?.[a], tb = c.texts?.[b];
  if (ta !== undefined || tb !== undefined) {
    if (ta === undefined) return -1;
    if (tb === undefined) return 1;
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  }
  const x = c.numbers[a], y = c.numbers[b];
  if (x !== x) return y !== y ? 0 : 1;
  if (y !== y) return -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Groups `n` runs by the values `cols` read; see the module documentation. */
export function groupBy(cols: Read[], n: number): Grouping {
  const keys = cols.map((read) => columnKeys(read, n));
  const same = (a: number, b: number) => {
    for (const c of keys) if (compareKeys(c, a, b) !== 0) return false;
    return true;
  };
  const sorted = new Int32Array(n);
  for (let i = 0; i < n; i++) sorted[i] = i;
  sorted.sort((a, b) => {
    for (const c of keys) {
      const d = compareKeys(c, a, b);
      if (d !== 0) return d;
    }
    return a - b; // within a group, in run order: its first run leads
  });
  // the groups in key order (each one's first run leads it), then numbered by their first run
  const leads = new Int32Array(n);
  let groups = 0;
  for (let k = 0; k < n; k++) if (k === 0 || !same(sorted[k - 1], sorted[k])) leads[groups++] = k;
  const byFirst = new Int32Array(groups);
  for (let g = 0; g < groups; g++) byFirst[g] = g;
  byFirst.sort((g, h) => sorted[leads[g]] - sorted[leads[h]]);
  const first = new Int32Array(groups);
  const start = new Int32Array(groups + 1);
  const order = new Int32Array(n);
  for (let g = 0, at = 0; g < groups; g++) {
    const from = leads[byFirst[g]];
    const to = byFirst[g] + 1 < groups ? leads[byFirst[g] + 1] : n;
    first[g] = sorted[from];
    start[g] = at;
    for (let k = from; k < to; k++) order[at++] = sorted[k];
  }
  start[groups] = n;
  return { first, start, order };
}
