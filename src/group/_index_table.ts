/**
 * The runs of a group in memory (internal), compact: one array per `(section, key)` holding each run's
 * value text (`null` where the run lacks the key), and per run the id of its *shape* — its sections and
 * keys in file order, shared by every run with the same ones. A run costs a few pointers and its value
 * strings instead of a `StorageManager` with two `Map`s (about 1.9 KB); `StorageManager` objects are
 * made from a row on demand ({@linkcode RunTable.configText}). The same arrays are what the group index
 * file stores (`_index_file.ts`).
 *
 * @module
 */

import type { IniData } from "../formats/ini.ts";

/** One run's value of a key: its text as in `config.ini`, or `null` when the run lacks the key. */
export type Cell = string | null;

/** The sections of a run and their keys, in file order. */
export type Shape = readonly (readonly [string, readonly string[]])[];

/** The compact rows of a group; row `i` is run folder `names[i]`. */
export class RunTable {
  /** The run folder names, one per row. */
  readonly names: string[] = [];
  /** Per row: the index of its shape in {@linkcode RunTable.shapes}. */
  readonly shapeIds: number[] = [];
  /** The distinct shapes. */
  readonly shapes: Shape[] = [];
  /** section → key → one cell per row. */
  readonly columns = new Map<string, Map<string, Cell[]>>();
  #shapeIndex = new Map<string, number>();
  #lastShape = -1;

  /** The number of rows. */
  get length(): number {
    return this.names.length;
  }

  /** The column of `key` in `section` (key as stored: lowercased by the ini codec), if any run has it. */
  column(section: string, key: string): Cell[] | undefined {
    return this.columns.get(section)?.get(key);
  }

  /** One run's value text, or `null`. */
  cell(row: number, section: string, key: string): Cell {
    return this.columns.get(section)?.get(key)?.[row] ?? null;
  }

  #columnFor(section: string, key: string): Cell[] {
    let keys = this.columns.get(section);
    if (!keys) this.columns.set(section, keys = new Map());
    let col = keys.get(key);
    if (!col) {
      col = new Array<Cell>(this.names.length).fill(null);
      keys.set(key, col);
    }
    return col;
  }

  #internShape(shape: Shape): number {
    const last = this.#lastShape;
    if (last >= 0 && sameShape(this.shapes[last], shape)) return last; // runs of a group mostly agree
    const id = this.#internBySignature(shape);
    this.#lastShape = id;
    return id;
  }

  #internBySignature(shape: Shape): number {
    const sig = signature(shape);
    let id = this.#shapeIndex.get(sig);
    if (id === undefined) {
      id = this.shapes.length;
      this.shapes.push(shape);
      this.#shapeIndex.set(sig, id);
    }
    return id;
  }

  /** A table of `names.length` rows without values yet; fill each with `set` or `copy`. */
  static sized(names: string[]): RunTable {
    const table = new RunTable();
    table.names.push(...names);
    for (let i = 0; i < names.length; i++) table.shapeIds.push(-1);
    return table;
  }

  /** Sets the values of an empty row from a parsed `config.ini`. */
  set(row: number, ini: IniData): void {
    const shape: [string, string[]][] = [];
    for (const [section, values] of ini) {
      shape.push([section, [...values.keys()]]);
      for (const [key, value] of values) {
        const col = this.#columnFor(section, key);
        const prev = row > 0 ? col[row - 1] : null;
        col[row] = prev === value ? prev : value; // runs of a sweep share many values: keep one string
      }
    }
    this.shapeIds[row] = this.#internShape(shape);
  }

  /** Sets the values of an empty row to those of row `from` of `other` (a run kept from the index). */
  copy(row: number, other: RunTable, from: number): void {
    const shape = other.shapes[other.shapeIds[from]];
    for (const [section, keys] of shape) {
      const cols = other.columns.get(section)!;
      for (const key of keys) this.#columnFor(section, key)[row] = cols.get(key)![from];
    }
    this.shapeIds[row] = this.#internShape(shape);
  }

  /** Drops the rows left empty (runs that could not be read after all). */
  dropEmpty(): void {
    const keep = this.shapeIds.map((id) => id >= 0);
    if (keep.every(Boolean)) return;
    const pick = <T>(xs: T[]) => {
      const kept = xs.filter((_, i) => keep[i]);
      xs.length = 0;
      xs.push(...kept);
    };
    pick(this.names);
    pick(this.shapeIds);
    for (const keys of this.columns.values()) for (const col of keys.values()) pick(col);
  }

  /** Replaces row `row` with a newly read `config.ini` (e.g. after a run was marked). */
  replace(row: number, ini: IniData): void {
    for (const [section, keys] of this.shapes[this.shapeIds[row]]) {
      const cols = this.columns.get(section)!;
      for (const key of keys) cols.get(key)![row] = null;
    }
    this.set(row, ini);
  }

  /** The keys of `section` in row `row`, in file order. */
  keys(row: number, section: string): readonly string[] {
    for (const [s, keys] of this.shapes[this.shapeIds[row]]) if (s === section) return keys;
    return [];
  }

  /** Row `row` as ini data (the values of its `config.ini` when it was read). */
  ini(row: number): IniData {
    const ini: IniData = new Map();
    for (const [section, keys] of this.shapes[this.shapeIds[row]]) {
      const cols = this.columns.get(section)!;
      ini.set(section, new Map(keys.map((k) => [k, cols.get(k)![row] as string])));
    }
    return ini;
  }

  /**
   * The index file's form of the table: shapes, shape ids and the columns as `[section, key, cells]`.
   * Arrays only, so `JSON.parse` rebuilds it fast.
   */
  toJSON(): { shapes: Shape[]; shapeIds: number[]; columns: [string, string, Cell[]][] } {
    const columns: [string, string, Cell[]][] = [];
    for (const [section, keys] of this.columns) {
      for (const [key, cells] of keys) columns.push([section, key, cells]);
    }
    return { shapes: this.shapes, shapeIds: this.shapeIds, columns };
  }

  /**
   * Rebuilds a table from {@linkcode RunTable.toJSON}'s form; `undefined` when it is not well-formed (a
   * corrupt or foreign index: the caller reads the run folders instead).
   */
  static fromJSON(names: string[], data: unknown): RunTable | undefined {
    if (!isRecord(data)) return undefined;
    const { shapes, shapeIds, columns } = data;
    const n = names.length;
    if (!Array.isArray(shapes) || !shapes.every(isShape)) return undefined;
    if (!Array.isArray(shapeIds) || shapeIds.length !== n) return undefined;
    if (!shapeIds.every((id) => Number.isInteger(id) && id >= 0 && id < shapes.length)) {
      return undefined;
    }
    if (!Array.isArray(columns)) return undefined;
    const table = new RunTable();
    table.names.push(...names);
    table.shapeIds.push(...shapeIds);
    for (const shape of shapes) {
      const sig = signature(shape);
      if (!table.#shapeIndex.has(sig)) table.#shapeIndex.set(sig, table.shapes.length);
      table.shapes.push(shape);
    }
    for (const c of columns) {
      if (!Array.isArray(c) || c.length !== 3) return undefined;
      const [section, key, cells] = c;
      if (typeof section !== "string" || typeof key !== "string") return undefined;
      if (!Array.isArray(cells) || cells.length !== n) return undefined;
      if (!cells.every((v) => v === null || typeof v === "string")) return undefined;
      let keys = table.columns.get(section);
      if (!keys) table.columns.set(section, keys = new Map());
      keys.set(key, cells);
    }
    // Every key a row's shape names must have a value in that row.
    for (let row = 0; row < n; row++) {
      for (const [section, keys] of table.shapes[table.shapeIds[row]]) {
        const cols = table.columns.get(section);
        for (const key of keys) if (typeof cols?.get(key)?.[row] !== "string") return undefined;
      }
    }
    return table;
  }
}

function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const [sa, ka] = a[i];
    const [sb, kb] = b[i];
    if (sa !== sb || ka.length !== kb.length) return false;
    for (let j = 0; j < ka.length; j++) if (ka[j] !== kb[j]) return false;
  }
  return true;
}

function signature(shape: Shape): string {
  let sig = "";
  for (const [section, keys] of shape) sig += `${section}\u0001${keys.join("\u0000")}\u0002`;
  return sig;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isShape(v: unknown): v is Shape {
  return Array.isArray(v) &&
    v.every((s) =>
      Array.isArray(s) && s.length === 2 && typeof s[0] === "string" && Array.isArray(s[1]) &&
      s[1].every((k: unknown) => typeof k === "string")
    );
}
