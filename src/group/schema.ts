/**
 * The schema of a group: for each parameter of its runs, the types of its values, how many distinct values
 * it takes, their range, how many runs lack it, and its role — swept (an axis of the sweep), varying,
 * constant, or bookkeeping (`time`, seeds, repeats and the runner's `[Run]` fields).
 *
 * @module
 */

import type { ParamValue } from "../formats/params.ts";
import { DEFAULT_SECTION, type StorageManager } from "../run/storage_manager.ts";
import { BOOKKEEPING_PARAMS, RUNNER_SECTION, sweptParams } from "./_sweep_record.ts";
import { valueKey } from "./_value_key.ts";
import { lenientValues, managerRows, type RunRows } from "./_index_rows.ts";

/** The type of one parameter value, as `config.ini`'s typing reads it (`parseParam`). */
export type ValueType = "number" | "bigint" | "boolean" | "string" | "null" | "list" | "dict";

/**
 * What a parameter is to the analysis:
 * - `swept`: an axis of the sweep (a key of the runs' `[Run] point`);
 * - `bookkeeping`: describes the run, not its point or result (`time`, `seed`, `repeat`, every `[Run]`
 *   field);
 * - `varying`: takes more than one value across runs (a result such as `score`, or for runs without a
 *   sweep record — e.g. PymoNNto's — a parameter that may be an axis);
 * - `constant`: one value in every run that has it.
 */
export type ParamRole = "swept" | "bookkeeping" | "varying" | "constant";

/** One parameter of a {@linkcode GroupSchema}. */
export interface ParamSchema {
  /** The parameter's name, lowercased as configparser stores it. */
  name: string;
  /** Its `config.ini` section: `"Parameters"`, or `"Run"` for the runner's fields. */
  section: string;
  /** The types its values take, in the order of {@linkcode ValueType}. */
  types: ValueType[];
  /** How many distinct values it takes (NaN is one value; `0` and `-0` are one; lists compare by content). */
  distinct: number;
  /** The smallest and largest of its numeric values (bigints as numbers, NaN left out); absent when none. */
  range?: [number, number];
  /** How many runs lack it. */
  missing: number;
  /** What it is to the analysis. */
  role: ParamRole;
}

/** What {@linkcode groupSchema} returns. */
export interface GroupSchema {
  /** The number of runs. */
  runs: number;
  /**
   * Whether any run carries a sweep record (`[Run] point`); then `swept` comes from the records, else
   * `swept` is empty and an axis must be named (`aggregate({ by })`).
   */
  fromSweep: boolean;
  /** The parameters of `[Parameters]` (first-seen order), then the fields of `[Run]`. */
  params: ParamSchema[];
  /** The swept parameters (from the sweep records), in the sweep's order. */
  swept: string[];
  /** The `[Parameters]` parameters that take more than one value and are neither swept nor bookkeeping. */
  varying: string[];
  /** The `[Parameters]` parameters that are bookkeeping (`time`, `seed`, `repeat`). */
  bookkeeping: string[];
  /** The `[Parameters]` parameters with numeric values that are neither swept nor bookkeeping: results. */
  numeric: string[];
}

/** The type of one value. */
export function valueType(v: ParamValue): ValueType {
  if (v === null) return "null";
  if (Array.isArray(v)) return "list";
  const t = typeof v;
  return t === "object" ? "dict" : t as ValueType;
}

/**
 * A value's identity in a `Set` (SameValueZero: NaN is one value, 0 and -0 are one): scalars as they are
 * (safe bigints as numbers), lists and dicts by their content (`_value_key.ts`, marked apart from strings).
 */
function distinctKey(v: ParamValue): unknown {
  if (typeof v === "bigint") {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  return v !== null && typeof v === "object" ? `\u0000${valueKey(v)}` : v;
}

/**
 * Counts distinct keys as a `Set` would (SameValueZero: NaN is one value, -0 is 0), numbers in a growing
 * `Float64Array` sorted at the end rather than a set entry and a heap number each (a set of 100,000
 * decimals per column made `schema()` of a 100,000-run random sweep take +150 MiB).
 */
class DistinctCount {
  #numbers = new Float64Array(1024);
  #count = 0;
  #others = new Set<unknown>();

  add(key: unknown): void {
    if (typeof key !== "number") return void this.#others.add(key);
    if (this.#count === this.#numbers.length) {
      const more = new Float64Array(this.#numbers.length * 2);
      more.set(this.#numbers);
      this.#numbers = more;
    }
    this.#numbers[this.#count++] = key === 0 ? 0 : key;
  }

  size(): number {
    const xs = this.#numbers.subarray(0, this.#count).sort(); // NaN last
    let n = 0;
    for (let i = 0; i < xs.length; i++) {
      if (i === 0 || (xs[i] !== xs[i - 1] && (xs[i] === xs[i] || xs[i - 1] === xs[i - 1]))) n++;
    }
    return n + this.#others.size;
  }
}

const TYPE_ORDER: ValueType[] = ["number", "bigint", "boolean", "string", "null", "list", "dict"];

/** The order of first appearance of the keys of `section` across the runs. */
function keysOf(rows: RunRows, section: string): string[] {
  const seen = new Set<string>();
  let last: readonly string[] | undefined;
  for (let i = 0; i < rows.length; i++) {
    const keys = rows.keys(i, section);
    if (keys === last) continue; // the group's rows share one key list per distinct set of keys
    last = keys;
    for (const k of keys) seen.add(k);
  }
  return [...seen];
}

function describe(
  rows: RunRows,
  name: string,
  section: string,
  roleOf: (distinct: number) => ParamRole,
): ParamSchema {
  const types = new Set<ValueType>();
  const distinct = new DistinctCount();
  const read = lenientValues(rows, name, section); // an unreadable value counts as missing
  let missing = 0, lo = Infinity, hi = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const v = read(i);
    if (v === undefined) {
      missing++;
      continue;
    }
    types.add(valueType(v));
    distinct.add(distinctKey(v));
    const x = typeof v === "bigint" ? Number(v) : v;
    if (typeof x === "number" && x === x) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  const out: ParamSchema = {
    name,
    section,
    types: TYPE_ORDER.filter((t) => types.has(t)),
    distinct: distinct.size(),
    missing,
    role: roleOf(distinct.size()),
  };
  if (lo <= hi) out.range = [lo, hi];
  return out;
}

/**
 * The schema of a set of runs (see {@linkcode GroupSchema}); `StorageManagerGroup.schema()` calls it.
 *
 * @param runs The runs, e.g. a group's `runs` or the result of a query.
 * @returns Each parameter's types, distinct count, range, missing count and role, and the lists of
 *   swept, varying, bookkeeping and numeric parameters.
 *
 * @example
 * ```ts
 * import { groupSchema, StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * const dataFolder = await Deno.makeTempDir();
 * for (const [n, score] of [[1, 0.5], [2, 0.7]]) {
 *   await StorageManager.create("Sch", { dataFolder, params: { Parameters: { n, score } } });
 * }
 * const schema = groupSchema((await StorageManagerGroup.load("Sch", { dataFolder })).runs);
 * console.log(schema.varying, schema.bookkeeping); // ["n", "score"] ["time"]
 * console.log(schema.params.find((p) => p.name === "n")); // { name: "n", …, range: [1, 2], role: "varying" }
 * ```
 */
export function groupSchema(runs: readonly StorageManager[]): GroupSchema {
  return schemaOfRows(managerRows(runs));
}

/**
 * {@linkcode groupSchema} of a group's rows (internal: `StorageManagerGroup.schema()` and the summary read
 * the group's columns, without a `StorageManager` per run).
 */
export function schemaOfRows(rows: RunRows): GroupSchema {
  const swept = sweptParams(rows);
  const sweptSet = new Set(swept ?? []);
  const params = keysOf(rows, DEFAULT_SECTION).map((name) =>
    describe(
      rows,
      name,
      DEFAULT_SECTION,
      (distinct) =>
        sweptSet.has(name)
          ? "swept"
          : BOOKKEEPING_PARAMS.has(name)
          ? "bookkeeping"
          : distinct > 1
          ? "varying"
          : "constant",
    )
  );
  const runFields = keysOf(rows, RUNNER_SECTION).map((name) =>
    describe(rows, name, RUNNER_SECTION, () => "bookkeeping")
  );
  const numeric = params.filter((p) =>
    (p.role === "varying" || p.role === "constant") &&
    (p.types.includes("number") || p.types.includes("bigint"))
  );
  return {
    runs: rows.length,
    fromSweep: swept !== undefined,
    params: [...params, ...runFields],
    swept: swept ?? [],
    varying: params.filter((p) => p.role === "varying").map((p) => p.name),
    bookkeeping: params.filter((p) => p.role === "bookkeeping").map((p) => p.name),
    numeric: numeric.map((p) => p.name),
  };
}

/** The roles a sweep's summary needs of a schema (see {@linkcode schemaRolesOfRows}). */
export type SchemaRoles = Pick<GroupSchema, "fromSweep" | "swept" | "bookkeeping" | "numeric">;

/**
 * What `schemaOfRows(rows)` says of the roles (`fromSweep`, `swept`, `bookkeeping`, `numeric`), the same
 * lists, without the rest (internal: the summary of a sweep). It counts no distinct values and reads no
 * `[Run]` field (each run's `started`, `finished`, `path`… are distinct: counting them took 15 MiB for
 * 100,000 runs), and it reads a parameter's values only until one is numeric. With `known` (the swept
 * parameters a caller knows, lowercased: the summary of a sweep it just ran), those are the swept ones and
 * `fromSweep` is `true`, without reading every run's `[Run] point` (a JSON text per run: parsing 100,000
 * distinct ones took a random sweep's summary +80 MiB for names it was given).
 */
export function schemaRolesOfRows(rows: RunRows, known?: readonly string[]): SchemaRoles {
  const swept = known ? [...known] : sweptParams(rows);
  const sweptSet = new Set(swept ?? []);
  const bookkeeping: string[] = [];
  const numeric: string[] = [];
  for (const name of keysOf(rows, DEFAULT_SECTION)) {
    if (sweptSet.has(name)) continue;
    if (BOOKKEEPING_PARAMS.has(name)) {
      bookkeeping.push(name);
      continue;
    }
    const read = lenientValues(rows, name, DEFAULT_SECTION);
    for (let i = 0; i < rows.length; i++) {
      const t = typeof read(i);
      if (t === "number" || t === "bigint") {
        numeric.push(name);
        break;
      }
    }
  }
  return { fromSweep: swept !== undefined, swept: swept ?? [], bookkeeping, numeric };
}

/**
 * `schemaOfRows(rows)`'s `swept` when runs carry sweep records, else its `varying` (internal: what the HTML
 * report plots): the same lists without counting distinct values (a parameter varies at its first value
 * unlike the first, `Set`'s SameValueZero as `distinct` counts) and without reading a `[Run]` field but
 * `point`. The whole schema of a 100,000-run random sweep took the report +150 MiB.
 */
export function sweptOrVaryingOfRows(rows: RunRows): { fromSweep: boolean; params: string[] } {
  const swept = sweptParams(rows);
  if (swept !== undefined) return { fromSweep: true, params: swept };
  const varying = keysOf(rows, DEFAULT_SECTION).filter((name) => {
    if (BOOKKEEPING_PARAMS.has(name)) return false;
    const read = lenientValues(rows, name, DEFAULT_SECTION);
    let first: unknown, seen = false;
    for (let i = 0; i < rows.length; i++) {
      const v = read(i);
      if (v === undefined) continue;
      const key = distinctKey(v);
      if (!seen) [first, seen] = [key, true];
      else if (key !== first && (key === key || first === first)) return true;
    }
    return false;
  });
  return { fromSweep: false, params: varying };
}
