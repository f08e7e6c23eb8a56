/**
 * The runs of a group in memory (internal), compact: one {@linkcode Column} per `(section, key)` holding
 * each run's value text (`null` where the run lacks the key) in its cheapest exact form, and per run the id
 * of its *shape* — its sections and keys in file order, shared by every run with the same ones. A tiny
 * sweep's run costs ~250 bytes (its folder name, shape id and values, most of them in typed arrays)
 * instead of a `StorageManager` with two `Map`s (about 1.9 KB); `StorageManager` objects are made from a
 * row on demand ({@linkcode RunTable.ini}). The same cells are what the group index file stores
 * (`_index_file.ts`); a column parsed from the index is kept as its strings.
 *
 * @module
 */

import type { IniData } from "../formats/ini.ts";
import { type Cell, Column } from "./_column.ts";

export { type Cell, Column };

/** The sections of a run and their keys, in file order. */
export type Shape = readonly (readonly [string, readonly string[]])[];

/** A column of an index not parsed yet: its parse gives the cells (checked when used). */
type LazyColumn = () => unknown;

/** The compact rows of a group; row `i` is run folder `names[i]`. */
export class RunTable {
  /** The run folder names, one per row. */
  readonly names: string[];
  /** Per row: the index of its shape in {@linkcode RunTable.shapes}. */
  readonly shapeIds: number[];
  /** The distinct shapes. */
  readonly shapes: Shape[] = [];
  /** section → key → its column, or a column of the index parsed on first use. */
  #columns = new Map<string, Map<string, Column | LazyColumn>>();
  #shapeIndex = new Map<string, number>();
  #lastShape = -1;
  #repair?: () => (IniData | null)[];

  /**
   * A table of the rows `names` (taken as they are: the caller gives a copy) with shape ids `shapeIds`.
   * Arrays of their final size: 100,000 pushes left their old copies behind (MBs of large objects).
   */
  constructor(names: string[] = [], shapeIds: number[] = []) {
    this.names = names;
    this.shapeIds = shapeIds;
  }

  /** The number of rows. */
  get length(): number {
    return this.names.length;
  }

  /** The column of `key` in `section` (key as stored: lowercased by the ini codec), if any run has it. */
  column(section: string, key: string): Column | undefined {
    const keys = this.#columns.get(section);
    const col = keys?.get(key);
    if (typeof col !== "function") return col;
    let cells: Cell[] | undefined;
    try {
      cells = this.#check(section, key, col());
    } catch { /* corrupt JSON */ }
    if (cells) {
      const column = Column.of(cells);
      keys!.set(key, column);
      return column;
    }
    this.#rebuild();
    return this.column(section, key);
  }

  /** One run's value text, or `null`. */
  cell(row: number, section: string, key: string): Cell {
    return this.column(section, key)?.get(row) ?? null;
  }

  /** The cells of an index column if they fit the rows and shapes, else `undefined`. */
  #check(section: string, key: string, col: unknown): Cell[] | undefined {
    const n = this.names.length;
    if (!Array.isArray(col) || col.length !== n) return undefined;
    const has = this.shapes.map((shape) =>
      shape.some(([s, keys]) => s === section && keys.includes(key))
    );
    for (let row = 0; row < n; row++) {
      const c = col[row];
      if (c === null ? has[this.shapeIds[row]] : typeof c !== "string") return undefined;
    }
    return col as Cell[];
  }

  /**
   * A column of the index did not parse (the file was damaged after its header was checked): every row is
   * read again from its run folder, through the loader's `repair` (a run that cannot be read has no values).
   */
  #rebuild(): void {
    const repair = this.#repair;
    if (!repair) throw new Error("the group index is corrupt and cannot be read again");
    this.#repair = undefined;
    const inis = repair();
    this.#columns.clear();
    this.#shapeIndex.clear();
    this.shapes.length = 0;
    this.#lastShape = -1;
    inis.forEach((ini, row) => this.set(row, ini ?? new Map()));
  }

  /** Sets how rows are read again when a column of the index turns out corrupt (see `fromIndex`). */
  onCorrupt(repair: () => (IniData | null)[]): void {
    this.#repair = repair;
  }

  /** Parses every column of the index now; `false` when one is corrupt (and no repair is set). */
  validate(): boolean {
    try {
      this.columnList();
      return true;
    } catch {
      return false;
    }
  }

  #columnFor(section: string, key: string): Column {
    let keys = this.#columns.get(section);
    if (!keys) this.#columns.set(section, keys = new Map());
    let col = keys.has(key) ? this.column(section, key) : undefined;
    if (!col) {
      col = new Column(this.names.length);
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
    return new RunTable(names.slice(), new Array<number>(names.length).fill(-1));
  }

  /** Sets the values of an empty row from a parsed `config.ini`. */
  set(row: number, ini: IniData): void {
    const shape: [string, string[]][] = [];
    for (const [section, values] of ini) {
      shape.push([section, [...values.keys()]]);
      for (const [key, value] of values) this.#columnFor(section, key).set(row, value);
    }
    this.shapeIds[row] = this.#internShape(shape);
  }

  /** Sets the values of an empty row to those of row `from` of `other` (a run kept from the index). */
  copy(row: number, other: RunTable, from: number): void {
    const shape = other.shapes[other.shapeIds[from]];
    for (const [section, keys] of shape) {
      for (const key of keys) {
        this.#columnFor(section, key).set(row, other.column(section, key)!.get(from));
      }
    }
    this.shapeIds[row] = this.#internShape(other.shapes[other.shapeIds[from]]);
  }

  /** Drops the rows left empty (runs that could not be read after all). */
  dropEmpty(): void {
    const keep = this.shapeIds.map((id) => id >= 0);
    if (keep.every(Boolean)) return;
    const pick = <T>(xs: T[]) => {
      const kept = xs.filter((_, i) => keep[i]);
      xs.length = 0;
      append(xs, kept);
    };
    for (const [, , col] of this.columnList()) col.keep(keep);
    pick(this.names);
    pick(this.shapeIds);
  }

  /** Replaces row `row` with a newly read `config.ini` (e.g. after a run was marked). */
  replace(row: number, ini: IniData): void {
    for (const [section, keys] of this.shapes[this.shapeIds[row]]) {
      for (const key of keys) this.column(section, key)!.set(row, null);
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
      ini.set(section, new Map(keys.map((k) => [k, this.column(section, k)!.get(row) as string])));
    }
    return ini;
  }

  /** Every column as `[section, key, cells]` (the index file's lines), parsing those not parsed yet. */
  columnList(): [string, string, Column][] {
    for (const [section, keys] of [...this.#columns]) {
      for (const key of [...keys.keys()]) this.column(section, key); // (a rebuild makes them all columns)
    }
    const columns: [string, string, Column][] = [];
    for (const [section, keys] of this.#columns) {
      for (const [key, cells] of keys) columns.push([section, key, cells as Column]);
    }
    return columns;
  }

  /**
   * A table over an index's header and columns, each column parsed (and checked against the rows and
   * shapes) on first use. The header was checked by the reader (`_index_file.ts`).
   */
  static fromIndex(
    names: string[],
    shapes: Shape[],
    shapeIds: number[],
    columns: [string, string, LazyColumn][],
  ): RunTable {
    const table = new RunTable(names.slice(), shapeIds.slice());
    for (const shape of shapes) {
      const sig = signature(shape);
      if (!table.#shapeIndex.has(sig)) table.#shapeIndex.set(sig, table.shapes.length);
      table.shapes.push(shape);
    }
    for (const [section, key, parse] of columns) {
      let keys = table.#columns.get(section);
      if (!keys) table.#columns.set(section, keys = new Map());
      keys.set(key, parse);
    }
    return table;
  }
}

/** Appends `from` to `to` (not `push(...from)`: 100,000 runs are more arguments than a call may take). */
function append<T>(to: T[], from: readonly T[]): void {
  for (let i = 0; i < from.length; i++) to.push(from[i]);
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
