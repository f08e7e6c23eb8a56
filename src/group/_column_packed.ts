/**
 * The `packed` form of a run-table column (internal, used by `_column.ts`): long distinct texts that differ
 * only in their numbers, such as the runner's `[Run] point` (`{"lr":0.00123,"x":0.5,"y":0.731}`, one per
 * run), kept as a template (the text's pieces between its numbers, once per distinct shape) and the numbers
 * in a `Float64Array`. A text's number is a maximal `-?digits[.digits][e[+-]digits]` whose own JavaScript
 * text it is (`numberText(Number(t)) === t`); any other digits stay in the template, so each text read back
 * is exactly the text set. 100,000 random3 points: ~10 MB of strings on V8's heap → ~2.6 MB outside it
 * (bench/README.md, "Session 23b").
 *
 * @module
 */

import { numberText } from "../formats/_param_format.ts";

/** Distinct templates a packed column holds; a text past them does not fit (the column becomes strings). */
const MAX_TEMPLATES = 1024;

/** Numbers one text may hold in a packed column. */
const MAX_NUMBERS = 16;

/** V8's shortest sliced string (`SlicedString::kMinLength`); shorter substrings are copied. */
const SLICE_MIN = 13;

/** The number texts a text's template leaves out (maximal; each kept only when it is its number's own text). */
const NUMBER = /-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g;

/** A text split: its template's pieces (one more than its numbers) and its numbers. */
interface Split {
  pieces: string[];
  numbers: number[];
}

/** `text` split into the pieces between its own-text numbers, and those numbers. */
function split(text: string): Split {
  const pieces: string[] = [];
  const numbers: number[] = [];
  let from = 0;
  NUMBER.lastIndex = 0;
  for (let m = NUMBER.exec(text); m !== null; m = NUMBER.exec(text)) {
    const v = Number(m[0]);
    if (numberText(v) !== m[0]) continue; // "1.50", "-0", "1e5": part of the template
    pieces.push(text.slice(from, m.index));
    numbers.push(v);
    from = m.index + m[0].length;
  }
  pieces.push(text.slice(from));
  return { pieces, numbers };
}

/** Cells of texts as templates + numbers (see the module documentation); row ids 0 are `null`. */
export class PackedTexts {
  #length: number;
  /** Per row: 0 for `null`, else 1 + its template's index. */
  #ids: Uint16Array;
  #stride = 0;
  #numbers: Float64Array;
  #templates: string[][] = [];
  #templateIds = new Map<string, number>();
  /** The template id last set (most texts have the same shape as the one before: no look-up then). */
  #last = 0;

  /** `length` missing cells. */
  constructor(length: number) {
    this.#length = length;
    this.#ids = new Uint16Array(length);
    this.#numbers = new Float64Array(0);
  }

  /** Cells `cells` packed, or `undefined` when one does not fit (see {@linkcode PackedTexts.set}). */
  static of(cells: readonly (string | null)[]): PackedTexts | undefined {
    const packed = new PackedTexts(cells.length);
    for (let i = 0; i < cells.length; i++) if (!packed.set(i, cells[i])) return undefined;
    return packed;
  }

  /** The number of cells. */
  get length(): number {
    return this.#length;
  }

  /** The number of distinct templates (shapes of text) held. */
  get templates(): number {
    return this.#templates.length;
  }

  /** The text of row `row` (flat: made by `join`), or `null`. */
  get(row: number): string | null {
    const id = this.#ids[row];
    if (id === 0) return null;
    const pieces = this.#templates[id - 1];
    if (pieces.length === 1) return pieces[0];
    const parts = new Array<string>(2 * pieces.length - 1);
    const base = row * this.#stride;
    for (let k = 0; k < pieces.length; k++) {
      parts[2 * k] = pieces[k];
      if (k > 0) parts[2 * k - 1] = numberText(this.#numbers[base + k - 1]);
    }
    return parts.join("");
  }

  /**
   * Sets row `row` to `cell`; false (the row unchanged) when it does not fit: more than
   * {@linkcode MAX_NUMBERS} numbers, or a template past {@linkcode MAX_TEMPLATES}.
   */
  set(row: number, cell: string | null): boolean {
    if (cell === null) return void (this.#ids[row] = 0), true;
    const { pieces, numbers } = split(cell);
    if (numbers.length > MAX_NUMBERS) return false;
    let id = this.#last !== 0 && samePieces(pieces, this.#templates[this.#last - 1])
      ? this.#last
      : undefined;
    const key = id === undefined ? JSON.stringify(pieces) : "";
    id ??= this.#templateIds.get(key);
    if (id === undefined) {
      if (this.#templates.length === MAX_TEMPLATES) return false;
      id = this.#templates.push(pieces.map(ownText));
      this.#templateIds.set(key, id);
    }
    if (numbers.length > this.#stride) this.#restride(numbers.length);
    this.#ids[row] = this.#last = id;
    this.#numbers.set(numbers, row * this.#stride);
    return true;
  }

  /** Room for `stride` numbers per row (the rows' numbers moved). */
  #restride(stride: number): void {
    const numbers = new Float64Array(this.#length * stride);
    for (let i = 0; i < this.#length; i++) {
      for (let k = 0; k < this.#stride; k++) {
        numbers[i * stride + k] = this.#numbers[i * this.#stride + k];
      }
    }
    this.#numbers = numbers;
    this.#stride = stride;
  }

  /** Keeps the rows `rows` (ascending row numbers), in order. */
  keep(rows: readonly number[]): void {
    const stride = this.#stride;
    const numbers = new Float64Array(rows.length * stride);
    rows.forEach((from, to) => {
      for (let k = 0; k < stride; k++) numbers[to * stride + k] = this.#numbers[from * stride + k];
    });
    this.#ids = Uint16Array.from(rows, (i) => this.#ids[i]);
    this.#numbers = numbers;
    this.#length = rows.length;
  }
}

function samePieces(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * `value` as a string of its own. The ini codec's values are slices of the file's text, and V8 keeps a
 * slice of 13 or more characters as a view into its parent: one such value (a timestamp) kept each run's
 * whole `config.ini` text alive (~330 bytes per run, 33 MB for 100,000 runs). `JSON.parse` makes a new
 * flat string; shorter values are already copies.
 */
export function ownText(value: string): string {
  return value.length < SLICE_MIN ? value : JSON.parse(JSON.stringify(value));
}
