/**
 * One column of a group's run table (internal): a cell per run, each the value's text as in `config.ini`
 * or `null` where the run lacks the key, kept in the cheapest form that gives every text back exactly:
 *
 * - `codes`: up to 255 distinct texts, one byte per run (a sweep's `status`, `sweep`, `host`, `owner`, `pid`,
 *   `repeat`, `attempt`);
 * - `numbers`: texts that are a number's own JavaScript text (`String(Number(t)) === t`: `950`, `38.5`,
 *   `1796072765.745`, `1e-7`) or the text `formatParam` writes for it (Python's `repr()`: `1.5e-05`,
 *   `-0.0`, `1.0e+21`; a bit per run says which), 8 bytes per run in a `Float64Array` (a `NaN` slot is a
 *   missing value, so the text `NaN` is not kept this way);
 * - `times`: texts that are an instant's own `toISOString()` (`2026-11-30T21:06:05.745Z`: the runner's
 *   `started` and `finished`), 8 bytes per run;
 * - `packed`: texts that differ in their numbers only (the runner's `[Run] point`, one per run), a template
 *   per distinct shape and the numbers in a `Float64Array` (`_column_packed.ts`);
 * - `strings`: anything else, a string per run.
 *
 * As strings, a tiny run's sixteen values cost ~420 bytes on V8's heap (a pointer per cell, a string per
 * distinct value); compact, ~110 bytes, most of it outside the heap (bench/README.md, "Sweep memory"). A
 * column starts as codes and moves to another form when a cell does not fit (numbers, times or packed when
 * its 256th distinct text comes and all fit, else strings); the texts read back are always the texts set.
 *
 * @module
 */

import { formatParam } from "../formats/params.ts";
import { numberText } from "../formats/_param_format.ts";
import { ownText, PackedTexts } from "./_column_packed.ts";

/** One run's value of a key: its text as in `config.ini`, or `null` when the run lacks the key. */
export type Cell = string | null;

/** The forms of a column. */
const Kind = { Codes: 0, Numbers: 1, Times: 2, Strings: 3, Packed: 4 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

/** Distinct texts a `codes` column holds (code 0 is `null`). */
const MAX_CODES = 255;

/** Distinct texts a `strings` column made from parsed files looks up, to keep repeated ones once. */
const MAX_SHARED = 4096;

/** A column of `length` cells; see the module documentation for its forms. */
export class Column {
  #kind: Kind = Kind.Codes;
  #length: number;
  #codes: Uint8Array | undefined;
  #texts: string[] = [];
  #ids: Map<string, number> | undefined = new Map();
  /** A `strings` column made here: its distinct texts so far (see `#own`). */
  #shared: Map<string, string> | undefined;
  #numbers: Float64Array | undefined;
  /** A `numbers` column: 1 where the text is `formatParam`'s, not `String`'s (made at the first such text). */
  #alt: Uint8Array | undefined;
  #strings: Cell[] | undefined;
  #packed: PackedTexts | undefined;

  /** A column of `length` missing cells. */
  constructor(length: number) {
    this.#length = length;
    this.#codes = new Uint8Array(length);
  }

  /**
   * A column over `cells` (an index's parsed line): numbers, times or packed when every text fits (the
   * parsed strings then die young), else the cells as they are (no copy). An index of 100,000 random decimals
   * kept ~20 MB of strings per column read, the texts of values used as numbers.
   */
  static of(cells: Cell[]): Column {
    const column = new Column(0);
    for (const [kind, valueOf] of [[Kind.Numbers, numberOf], [Kind.Times, timeOf]] as const) {
      const numbers = valuesOf(cells, valueOf);
      if (!numbers) continue;
      column.#kind = kind;
      column.#numbers = numbers;
      column.#length = cells.length;
      column.#codes = column.#ids = undefined;
      if (kind === Kind.Numbers) {
        for (let i = 0; i < cells.length; i++) column.#markAlt(i, cells[i], numbers[i]);
      }
      return column;
    }
    const packed = PackedTexts.of(cells);
    if (packed) column.#toPacked(packed);
    else column.#toStrings(cells);
    return column;
  }

  /** The number of cells. */
  get length(): number {
    return this.#length;
  }

  /** The text of row `row`, or `null`. */
  get(row: number): Cell {
    switch (this.#kind) {
      case Kind.Codes: {
        const code = this.#codes![row];
        return code === 0 ? null : this.#texts[code - 1];
      }
      case Kind.Numbers: {
        const v = this.#numbers![row];
        return v !== v ? null : this.#alt?.[row] ? formatParam(v) : numberText(v);
      }
      case Kind.Times: {
        const v = this.#numbers![row];
        return v === v ? timeText(v) : null;
      }
      case Kind.Packed:
        return this.#packed!.get(row);
      default:
        return this.#strings![row] ?? null;
    }
  }

  /**
   * The number row `row` holds as a number (a `numbers` column), without making its text; `undefined` for
   * a missing value and in the other forms.
   */
  numberAt(row: number): number | undefined {
    if (this.#kind !== Kind.Numbers) return undefined;
    const v = this.#numbers![row];
    return v === v ? v : undefined;
  }

  /** Sets row `row` to `cell` (copied out of a longer text, so that no file's text is kept alive). */
  set(row: number, cell: Cell): void {
    switch (this.#kind) {
      case Kind.Codes:
        return this.#setCode(row, cell);
      case Kind.Numbers:
      case Kind.Times:
        if (cell === null) return void (this.#numbers![row] = NaN);
        else {
          const v = this.#kind === Kind.Numbers ? numberOf(cell) : timeOf(cell);
          if (v === v) {
            if (this.#kind === Kind.Numbers) this.#markAlt(row, cell, v);
            return void (this.#numbers![row] = v);
          }
        }
        this.#toStrings(this.#cells());
        this.#shared = new Map();
        return this.set(row, cell);
      case Kind.Packed:
        if (this.#packed!.set(row, cell)) return;
        this.#toStrings(this.#cells());
        this.#shared = new Map();
        return this.set(row, cell);
      default:
        this.#strings![row] = cell === null ? null : this.#own(cell);
    }
  }

  /**
   * `cell` as the string an earlier row holds (a value many runs repeat, such as each SLURM task's `owner`,
   * kept once) while fewer than {@linkcode MAX_SHARED} distinct texts came, else as a string of its own.
   */
  #own(cell: string): string {
    const shared = this.#shared;
    const known = shared?.get(cell);
    if (known !== undefined) return known;
    const own = ownText(cell);
    if (shared && shared.size < MAX_SHARED) shared.set(own, own);
    else this.#shared = undefined; // texts that seldom repeat: no more look-ups
    return own;
  }

  /** Marks whether row `row`'s text `cell` of number `v` is `formatParam`'s rather than `String`'s. */
  #markAlt(row: number, cell: Cell, v: number): void {
    if (cell !== null && v === v && numberText(v) !== cell) {
      (this.#alt ??= new Uint8Array(this.#length))[row] = 1;
    } else if (this.#alt) this.#alt[row] = 0;
  }

  #setCode(row: number, cell: Cell): void {
    if (cell === null) return void (this.#codes![row] = 0);
    let id = this.#ids!.get(cell);
    if (id === undefined) {
      if (this.#texts.length === MAX_CODES) return this.#widen(row, cell);
      const own = ownText(cell);
      id = this.#texts.push(own);
      this.#ids!.set(own, id);
    }
    this.#codes![row] = id;
  }

  /** A 256th distinct text: numbers, times or packed when every text fits, else strings. */
  #widen(row: number, cell: string): void {
    const all = [...this.#texts, cell];
    const fit = (valueOf: (t: string) => number) => all.every((t) => !Number.isNaN(valueOf(t)));
    const kind = fit(numberOf) ? Kind.Numbers : fit(timeOf) ? Kind.Times : Kind.Strings;
    const packed = kind === Kind.Strings ? PackedTexts.of(this.#cells()) : undefined;
    if (packed) this.#toPacked(packed);
    else if (kind === Kind.Strings) {
      this.#toStrings(this.#cells());
      this.#shared = new Map(all.slice(0, -1).map((t) => [t, t])); // the codes' texts, shared
    } else {
      const codes = this.#codes!;
      const values = this.#texts.map((t) => kind === Kind.Numbers ? numberOf(t) : timeOf(t));
      const numbers = new Float64Array(this.#length);
      for (let i = 0; i < numbers.length; i++) {
        numbers[i] = codes[i] === 0 ? NaN : values[codes[i] - 1];
      }
      this.#kind = kind;
      this.#numbers = numbers;
      if (kind === Kind.Numbers) {
        for (let i = 0; i < numbers.length; i++) {
          if (codes[i] !== 0) this.#markAlt(i, this.#texts[codes[i] - 1], numbers[i]);
        }
      }
      this.#codes = undefined;
      this.#ids = undefined;
      this.#texts = [];
    }
    this.set(row, cell);
  }

  /** Every cell as an array (the texts of a `codes` column shared, not copied). */
  #cells(): Cell[] {
    const cells = new Array<Cell>(this.#length);
    for (let i = 0; i < cells.length; i++) cells[i] = this.get(i);
    return cells;
  }

  #toStrings(cells: Cell[]): void {
    this.#kind = Kind.Strings;
    this.#strings = cells;
    this.#length = cells.length;
    this.#codes =
      this.#numbers =
      this.#alt =
      this.#ids =
      this.#shared =
      this.#packed =
        undefined;
    this.#texts = [];
  }

  #toPacked(packed: PackedTexts): void {
    this.#toStrings([]);
    this.#kind = Kind.Packed;
    this.#strings = undefined;
    this.#packed = packed;
    this.#length = packed.length;
  }

  /** The cells `start` to `end` (exclusive) as a new array. */
  slice(start = 0, end = this.#length): Cell[] {
    if (this.#kind === Kind.Strings) return this.#strings!.slice(start, end);
    const out = new Array<Cell>(Math.max(0, Math.min(end, this.#length) - start));
    for (let i = 0; i < out.length; i++) out[i] = this.get(start + i);
    return out;
  }

  /** Keeps the rows whose `keep` entry is true, in order (the others removed). */
  keep(keep: readonly boolean[]): void {
    const rows: number[] = [];
    keep.forEach((k, i) => k && rows.push(i));
    if (this.#kind === Kind.Strings) {
      return this.#toStrings(rows.map((i) => this.#strings![i] ?? null));
    }
    if (this.#kind === Kind.Packed) this.#packed!.keep(rows);
    else if (this.#kind === Kind.Codes) this.#codes = Uint8Array.from(rows, (i) => this.#codes![i]);
    else {
      this.#numbers = Float64Array.from(rows, (i) => this.#numbers![i]);
      if (this.#alt) this.#alt = Uint8Array.from(rows, (i) => this.#alt![i]);
    }
    this.#length = rows.length;
  }
}

/** Every cell's value by `valueOf` (`NaN` for `null`), or `undefined` when a text does not fit (or none has one). */
function valuesOf(cells: Cell[], valueOf: (t: string) => number): Float64Array | undefined {
  const values = new Float64Array(cells.length);
  let any = false;
  for (let i = 0; i < cells.length; i++) {
    const t = cells[i];
    if (t === null) values[i] = NaN;
    else {
      const v = valueOf(t);
      if (v !== v) return undefined;
      values[i] = v;
      any = true;
    }
  }
  return any ? values : undefined;
}

/**
 * The number whose own JavaScript text `t` is, or whose `formatParam` text (Python's `repr()`), else `NaN`
 * (so the text `NaN`, the mark of a missing value).
 */
function numberOf(t: string): number {
  const c = t.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 45) || t.length > 25) return NaN; // a digit or "-"
  const v = Number(t);
  return v === v && (numberText(v) === t || formatParam(v) === t) ? v : NaN;
}

/**
 * The instant (ms since 1970, UTC) of a text that is its own `toISOString()` (`YYYY-MM-DDTHH:mm:ss.sssZ`,
 * years 0100–9999 and a real calendar date), else `NaN`: read digit by digit (`Date.parse` and a
 * `toISOString()` to compare took ~1 µs a value, most of a 100,000-run load's added time).
 */
function timeOf(t: string): number {
  if (
    t.length !== 24 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 ||
    t.charCodeAt(10) !== 84 ||
    t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58 || t.charCodeAt(19) !== 46 ||
    t.charCodeAt(23) !== 90
  ) return NaN; // "-", "-", "T", ":", ":", ".", "Z"
  const y = digits(t, 0, 4), mo = digits(t, 5, 2), d = digits(t, 8, 2);
  const h = digits(t, 11, 2), mi = digits(t, 14, 2), s = digits(t, 17, 2), ms = digits(t, 20, 3);
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return NaN; // (Date.UTC: 0–99 → 19xx)
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 || ms < 0) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

/**
 * `new Date(ms).toISOString()` for an instant {@linkcode timeOf} gave (years 0100–9999), made from its
 * digits without a `Date` (half the time: every time cell is made when the index is written).
 */
function timeText(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  // the civil date of a day number (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms")
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const s = Math.floor(rest / 1000);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${
    pad(rest - s * 1000, 3)
  }Z`;
}

function pad(v: number, width: number): string {
  return numberText(v).padStart(width, "0");
}

/** The number written with the `n` decimal digits of `t` from `from`, or -1 when one is no digit. */
function digits(t: string, from: number, n: number): number {
  let v = 0;
  for (let k = from; k < from + n; k++) {
    const c = t.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = 10 * v + c;
  }
  return v;
}

function daysIn(y: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
}
