/**
 * Reports on runs: tables as CSV, Markdown or aligned console text, and standalone SVG plots (scatter,
 * and mean ± std per x). Pure functions: no file access.
 *
 * @module
 */

/** One table cell. */
export type Cell = string | number | bigint | boolean | null | undefined;

/** A table: column names and rows of cells. */
export interface Table {
  /** Column names. */
  columns: string[];
  /** Rows, each with one cell per column (a shorter row is padded with missing cells). */
  rows: Cell[][];
}

/** Options for {@linkcode toCSV}. */
export interface CsvOptions {
  /**
   * The field separator: one character, not `"`, CR or LF (e.g. `";"` or `"\t"`).
   * @default {","}
   */
  delimiter?: string;
  /**
   * The line ending. RFC 4180 and Python's `csv.writer` use CRLF; `"\n"` suits shell tools.
   * @default {"\r\n"}
   */
  lineTerminator?: "\r\n" | "\n";
}

/** The cell count of each row, checked against the columns. */
function checkRows(table: Table, fn: string): void {
  const n = table.columns.length;
  for (let i = 0; i < table.rows.length; i++) {
    if (table.rows[i].length > n) {
      throw new TypeError(
        `${fn}(): row ${i} has ${
          table.rows[i].length
        } cells but the table has ${n} columns; add column names or drop the extra cells`,
      );
    }
  }
}

/** A number as Python reads it back: the shortest exact form, `nan`, `inf`, `-inf`, `-0`. */
function csvNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  if (Object.is(n, -0)) return "-0";
  return String(n);
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return csvNumber(cell);
  if (typeof cell === "object") return JSON.stringify(cell); // not a Cell, but keep the data
  return String(cell);
}

function csvField(text: string, delimiter: string): string {
  return text.includes(delimiter) || /["\r\n]/.test(text) || text !== text.trim()
    ? `"${text.replaceAll('"', '""')}"`
    : text;
}

/**
 * A table as CSV (RFC 4180): a header row, fields quoted where needed (delimiter, `"`, CR, LF, or
 * surrounding spaces; quotes doubled), numbers in their shortest exact form (`nan`, `inf` and `-inf` as
 * Python writes them), missing cells empty, booleans `true`/`false`. Python's `csv` module, pandas and
 * spreadsheets read it back unchanged.
 *
 * @example
 * ```ts
 * import { toCSV } from "@sweepstore/sweepstore";
 * const csv = toCSV({ columns: ["run", "score"], rows: [["A1", 0.1 + 0.2], ["A2", null]] });
 * console.log(JSON.stringify(csv)); // "run,score\r\nA1,0.30000000000000004\r\nA2,\r\n"
 * ```
 */
export function toCSV(table: Table, options: CsvOptions = {}): string {
  const d = options.delimiter ?? ",";
  if (d.length !== 1 || d === '"' || d === "\r" || d === "\n") {
    throw new TypeError(
      `toCSV(): delimiter ${JSON.stringify(d)} must be one character other than '"', CR and LF`,
    );
  }
  const eol = options.lineTerminator ?? "\r\n";
  if (eol !== "\r\n" && eol !== "\n") {
    throw new TypeError(`toCSV(): lineTerminator must be "\\r\\n" or "\\n"`);
  }
  checkRows(table, "toCSV");
  const n = table.columns.length;
  if (n === 0) return "";
  const line = (cells: readonly Cell[]): string => {
    // A lone empty field would be an empty line, which csv readers skip: quote it.
    if (n === 1 && cellText(cells[0]) === "") return '""';
    const out: string[] = [];
    for (let j = 0; j < n; j++) out.push(csvField(cellText(cells[j]), d));
    return out.join(d);
  };
  let text = line(table.columns) + eol;
  for (const row of table.rows) text += line(row) + eol;
  return text;
}

/** Options for {@linkcode toMarkdown} and {@linkcode toConsoleTable}. */
export interface TextTableOptions {
  /**
   * Significant digits of non-integer numbers.
   * @default {4}
   */
  digits?: number;
}

/** Options for {@linkcode toConsoleTable}. */
export interface ConsoleTableOptions extends TextTableOptions {
  /**
   * Cut longer cells to this many characters, ending in `…`.
   * @default {40}
   */
  maxCellWidth?: number;
  /**
   * Bold header and dimmed rule and missing cells, with ANSI escape codes (for a terminal that shows them).
   * @default {false}
   */
  color?: boolean;
}

/** The text shown for a missing cell. */
const MISSING = "–";

/**
 * A number for people to read: `digits` significant digits without trailing zeros or float noise,
 * exponent notation (`1.5e6`, `2e-5`) when very large or small; integers below 1e15 in full.
 *
 * @example
 * ```ts
 * import { formatNumber } from "@sweepstore/sweepstore";
 * console.log(formatNumber(0.1 + 0.2), formatNumber(1234567.891, 4), formatNumber(42)); // 0.3 1.235e6 42
 * ```
 */
export function formatNumber(n: number, digits = 6): string {
  if (!Number.isInteger(digits) || digits < 1 || digits > 17) {
    throw new TypeError(`formatNumber(): digits must be an integer from 1 to 17, not ${digits}`);
  }
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  if (n === 0) return "0";
  const abs = Math.abs(n);
  if (Number.isInteger(n) && abs < 1e15) return String(n);
  // Round first: 999999.9 with 4 digits is 1e6 and so takes the exponent form.
  const rounded = Number(n.toPrecision(digits));
  const r = Math.abs(rounded);
  if (r >= 1e6 || r < 1e-4) return exponential(rounded, digits - 1);
  return String(rounded);
}

/** `n` in exponent notation with at most `decimals` mantissa decimals, trailing zeros dropped: `1.5e6`. */
function exponential(n: number, decimals: number): string {
  return n.toExponential(Math.max(0, Math.min(20, decimals)))
    .replace(/\.?0+e/, "e")
    .replace("e+", "e");
}

function isNumberCell(cell: Cell): boolean {
  return typeof cell === "number" || typeof cell === "bigint";
}

/** Columns whose present cells are all numbers (and at least one is). */
function numericColumns(table: Table): boolean[] {
  return table.columns.map((_, j) => {
    let any = false;
    for (const row of table.rows) {
      const c = row[j];
      if (c === null || c === undefined) continue;
      if (!isNumberCell(c)) return false;
      any = true;
    }
    return any;
  });
}

function displayCell(cell: Cell, digits: number): string {
  if (cell === null || cell === undefined) return MISSING;
  if (typeof cell === "number") return formatNumber(cell, digits);
  return cellText(cell);
}

/** Control characters (and so ANSI escape sequences) become spaces or disappear. */
function oneLine(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/[\t\n\r\v\f]+/g, " ").replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
}

/** Wide (East Asian, emoji) code points take two terminal columns, combining marks none. */
function charWidth(cp: number): number {
  if (
    (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)
  ) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) return 2;
  return 1;
}

function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0)!);
  return w;
}

function truncate(s: string, max: number): string {
  if (displayWidth(s) <= max) return s;
  let out = "", w = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return out + "…";
}

function pad(s: string, width: number, right: boolean): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(s)));
  return right ? fill + s : s + fill;
}

function checkDigits(digits: number, fn: string): void {
  if (!Number.isInteger(digits) || digits < 1 || digits > 17) {
    throw new TypeError(`${fn}(): digits must be an integer from 1 to 17, not ${digits}`);
  }
}

/**
 * A table in GitHub Markdown: columns padded so the source lines up, numeric columns right-aligned,
 * numbers with `digits` significant digits, `|` escaped, line breaks as spaces, missing cells as `–`.
 *
 * @example
 * ```ts
 * import { toMarkdown } from "@sweepstore/sweepstore";
 * console.log(toMarkdown({ columns: ["run", "score"], rows: [["A1", 0.123456], ["A2", null]] }));
 * // | run |  score |
 * // | --- | -----: |
 * // | A1  | 0.1235 |
 * // | A2  |      – |
 * ```
 */
export function toMarkdown(table: Table, options: TextTableOptions = {}): string {
  const digits = options.digits ?? 4;
  checkDigits(digits, "toMarkdown");
  checkRows(table, "toMarkdown");
  if (table.columns.length === 0) return "";
  const numeric = numericColumns(table);
  const esc = (s: string) => oneLine(s).replaceAll("|", "\\|");
  const head = table.columns.map(esc);
  const body = table.rows.map((r) => table.columns.map((_, j) => esc(displayCell(r[j], digits))));
  const widths = head.map((h, j) =>
    Math.max(3, displayWidth(h), ...body.map((r) => displayWidth(r[j])))
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, j) => pad(c, widths[j], numeric[j])).join(" | ")} |`;
  const rule = `| ${
    widths.map((w, j) => numeric[j] ? "-".repeat(w - 1) + ":" : "-".repeat(w)).join(" | ")
  } |`;
  return [line(head), rule, ...body.map(line)].join("\n") + "\n";
}

/**
 * A table as aligned plain text for terminals: a header, a rule, numeric columns right-aligned, missing
 * cells as `–`, long cells cut with `…`. No ANSI colors unless `color` is set.
 *
 * @example
 * ```ts
 * import { toConsoleTable } from "@sweepstore/sweepstore";
 * console.log(toConsoleTable({ columns: ["run", "score"], rows: [["A1", 0.5], ["A10", 12.25]] }));
 * // run  score
 * // ───  ─────
 * // A1     0.5
 * // A10  12.25
 * ```
 */
export function toConsoleTable(table: Table, options: ConsoleTableOptions = {}): string {
  const digits = options.digits ?? 4;
  checkDigits(digits, "toConsoleTable");
  const max = options.maxCellWidth ?? 40;
  if (!Number.isInteger(max) || max < 2) {
    throw new TypeError(`toConsoleTable(): maxCellWidth must be an integer ≥ 2, not ${max}`);
  }
  checkRows(table, "toConsoleTable");
  if (table.columns.length === 0) return "";
  const color = options.color ?? false;
  const numeric = numericColumns(table);
  const head = table.columns.map((c) => truncate(oneLine(c), max));
  const body = table.rows.map((r) =>
    table.columns.map((_, j) => truncate(oneLine(displayCell(r[j], digits)), max))
  );
  const widths = head.map((h, j) =>
    Math.max(displayWidth(h), ...body.map((r) => displayWidth(r[j])))
  );
  const style = (s: string, code: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const line = (cells: string[], header: boolean) =>
    cells.map((c, j) => {
      const text = pad(c, widths[j], numeric[j]);
      if (header) return style(text, "1");
      return c === MISSING && !header ? style(text, "2") : text;
    }).join("  ").trimEnd();
  const lines = [
    line(head, true),
    style(widths.map((w) => "─".repeat(w)).join("  "), "2"),
    ...body.map((r) => line(r, false)),
  ];
  return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------------
// SVG plots

/** Points of a scatter plot (one per run). */
export interface ScatterSeries {
  /** x values; a point whose x or y is not a finite number (null, NaN, a string…) is skipped and counted. */
  x: readonly unknown[];
  /** y values, one per x. */
  y: readonly unknown[];
  /**
   * The legend entry (shown when there is a summary too).
   * @default {"runs"}
   */
  label?: string;
}

/** Aggregated values: a center (e.g. the mean) ± a spread (e.g. the standard deviation) of y at each x. */
export interface SummarySeries {
  /** The unique x values. */
  x: readonly number[];
  /** The center of y at each x (drawn as points joined by a line). */
  mean: readonly number[];
  /** The spread of y at each x, drawn as error bars mean ± std; NaN or 0 draws none. */
  std: readonly number[];
  /**
   * The legend entry.
   * @default {"mean ± std"}
   */
  label?: string;
}

/** What {@linkcode plotSvg} draws. */
export interface PlotSpec {
  /** Individual runs, as points. */
  points?: ScatterSeries;
  /** Aggregated values, as a line with error bars. */
  summary?: SummarySeries;
  /** The x axis label. */
  xLabel?: string;
  /** The y axis label. */
  yLabel?: string;
  /** The title above the plot. */
  title?: string;
}

/** Options for {@linkcode plotSvg}. */
export interface PlotOptions {
  /**
   * Width of the SVG in pixels.
   * @default {640}
   */
  width?: number;
  /**
   * Height of the SVG in pixels.
   * @default {420}
   */
  height?: number;
  /**
   * A logarithmic x axis (for parameters such as learning rates), ticks at powers of ten; points with
   * x ≤ 0 are skipped and counted.
   * @default {false}
   */
  xLog?: boolean;
}

const SVG_NS = "http://www.w3.org/2000/svg";
const POINT_COLOR = "#3b6ea8";
const SUMMARY_COLOR = "#d0602a";
const TEXT_COLOR = "#222";
const TICK_FONT = 11;
const LABEL_FONT = 13;
const TITLE_FONT = 15;
/** Space between the axes and the outermost data, in pixels. */
const INSET = 10;

/** Text for XML: markup characters escaped, characters XML 1.0 forbids dropped. */
function escapeXml(s: string): string {
  return s
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
    .replace(
      /[&<>"']/g,
      (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
    );
}

/** About how wide `text` is in a sans-serif font of `size` pixels. */
function textWidth(text: string, size: number): number {
  return displayWidth(text) * size * 0.58;
}

/** `text` cut with `…` to fit `px` pixels at font `size`, on one line. */
function fit(text: string, px: number, size: number): string {
  return truncate(oneLine(text), Math.max(2, Math.floor(px / (size * 0.58))));
}

/** A coordinate with one decimal, no trailing `.0`. */
function px(v: number): string {
  return String(Math.round(v * 10) / 10);
}

interface Axis {
  /** The domain, in data units. */
  lo: number;
  hi: number;
  /** Labelled ticks and their labels. */
  ticks: number[];
  labels: string[];
  /** Unlabelled ticks (log axes: 2…9 × 10^k). */
  minor: number[];
  log: boolean;
}

/**
 * d3's tick increment: a step of 1, 2 or 5 × 10^k for about `count` ticks. Positive: the step itself;
 * negative: minus its inverse (so 0.05 is -20), which keeps tick values free of float noise.
 */
function tickIncrement(lo: number, hi: number, count: number): number {
  const step = (hi - lo) / Math.max(1, count);
  const power = Math.floor(Math.log10(step));
  const error = step / 10 ** power;
  const factor = error >= Math.sqrt(50)
    ? 10
    : error >= Math.sqrt(10)
    ? 5
    : error >= Math.sqrt(2)
    ? 2
    : 1;
  return power >= 0 ? factor * 10 ** power : -(10 ** -power) / factor;
}

/** A linear axis over [min, max]: d3's "nice" domain (extended to whole steps) and its ticks. */
function linearAxis(min: number, max: number, count: number): Axis {
  let lo = min, hi = max;
  const scale = Math.max(Math.abs(lo), Math.abs(hi));
  if (hi - lo <= scale * 1e-12) { // all equal (or equal up to float noise): a range around the value
    const half = scale === 0 ? 1 : scale * 0.1;
    lo -= half;
    hi += half;
  }
  let inc = NaN;
  for (let i = 0; i < 10; i++) { // d3's scale.nice(): repeat until the step no longer changes
    const next = tickIncrement(lo, hi, count);
    if (!Number.isFinite(next) || next === 0 || next === inc) break;
    inc = next;
    if (inc > 0) {
      lo = Math.floor(lo / inc) * inc;
      hi = Math.ceil(hi / inc) * inc;
    } else {
      lo = Math.ceil(lo * inc) / inc;
      hi = Math.floor(hi * inc) / inc;
    }
  }
  let ticks: number[] = [];
  if (Number.isFinite(inc) && inc !== 0) {
    const [a, b] = inc > 0 ? [Math.ceil(lo / inc), Math.floor(hi / inc)] : [
      Math.ceil(lo * -inc),
      Math.floor(hi * -inc),
    ];
    if (b - a < 1000) {
      for (let k = a; k <= b; k++) ticks.push(inc > 0 ? k * inc : k / -inc);
    }
  }
  if (ticks.length === 0 || !Number.isFinite(lo) || !Number.isFinite(hi)) { // beyond float range
    lo = min;
    hi = max;
    ticks = [lo, hi];
    inc = hi - lo;
  }
  const step = inc > 0 ? inc : 1 / -inc;
  return { lo, hi, ticks, labels: linearLabels(ticks, step), minor: [], log: false };
}

/** Tick labels with just the decimals the step needs: `0.1 0.15 0.2`, `1e6 1.5e6`, `2e-5 4e-5`. */
function linearLabels(ticks: number[], step: number): string[] {
  const big = Math.max(...ticks.map(Math.abs));
  const stepPower = Math.floor(Math.log10(step) + 1e-9);
  if (big >= 1e6 || big < 1e-3) {
    return ticks.map((t) =>
      t === 0 ? "0" : exponential(t, Math.floor(Math.log10(Math.abs(t)) + 1e-9) - stepPower)
    );
  }
  const decimals = Math.max(0, Math.min(20, -stepPower)); // steps are 1, 2 or 5 × 10^stepPower
  return ticks.map((t) => {
    let s = t.toFixed(decimals);
    if (s.includes(".")) s = s.replace(/\.?0+$/, "");
    return s === "-0" ? "0" : s;
  });
}

/** A log axis over [min, max] (both > 0): whole decades, labels at powers of ten, 2…9 × 10^k between. */
function logAxis(min: number, max: number, maxTicks: number): Axis {
  let lo = Math.floor(Math.log10(min) + 1e-12);
  let hi = Math.ceil(Math.log10(max) - 1e-12);
  if (hi <= lo) { // one value, a power of ten: a decade either side
    lo -= 1;
    hi += 1;
  }
  const every = Math.max(1, Math.ceil((hi - lo) / Math.max(1, maxTicks - 1)));
  lo = Math.floor(lo / every) * every;
  hi = Math.ceil(hi / every) * every;
  const plain = lo >= -3 && hi <= 4;
  const ticks: number[] = [], labels: string[] = [], minor: number[] = [];
  // Within one decade, 2 × and 5 × 10^k are labelled too; otherwise only the powers of ten.
  const labelled = hi - lo === 1 ? [1, 2, 5] : [1];
  for (let k = lo; k <= hi; k += every) {
    for (const m of k === hi ? [1] : labelled) {
      ticks.push(Number(`${m}e${k}`));
      labels.push(plain ? String(Number(`${m}e${k}`)) : `${m}e${k}`);
    }
    if (every === 1 && k < hi && hi - lo <= 8) {
      for (let m = 2; m <= 9; m++) if (!labelled.includes(m)) minor.push(Number(`${m}e${k}`));
    }
  }
  return { lo: Number(`1e${lo}`), hi: Number(`1e${hi}`), ticks, labels, minor, log: true };
}

/** A map from data values to pixels between `from` and `to` (inset from the axes). */
function scaler(axis: Axis, from: number, to: number): (v: number) => number {
  const f = axis.log ? Math.log10 : (v: number) => v;
  const a = f(axis.lo), b = f(axis.hi);
  return (v) => from + ((f(v) - a) / (b - a)) * (to - from);
}

/** Finite numbers (bigints converted); anything else is NaN. */
function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return NaN;
}

function minMax(values: Iterable<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * A standalone SVG plot: runs as points and/or mean ± std per x as a line with error bars, with axes,
 * "nice" ticks (1-2-5 steps, or powers of ten with `xLog`), axis labels, a title and a legend. It has no
 * scripts, styles or external resources and a white background, so any viewer shows it. Points whose x or
 * y is not a finite number (or x ≤ 0 on a log axis) are skipped and counted in a note; without any point
 * the SVG says "no data".
 *
 * @example
 * ```ts
 * import { plotSvg } from "@sweepstore/sweepstore";
 * const svg = plotSvg({
 *   points: { x: [1, 1, 2, 2, 3], y: [0.2, 0.3, 0.5, 0.6, 0.4] },
 *   summary: { x: [1, 2, 3], mean: [0.25, 0.55, 0.4], std: [0.05, 0.05, NaN] },
 *   xLabel: "n",
 *   yLabel: "score",
 *   title: "score against n",
 * });
 * console.log(svg.startsWith("<svg"), svg.includes("mean ± std")); // true true
 * ```
 */
export function plotSvg(spec: PlotSpec, options: PlotOptions = {}): string {
  const width = options.width ?? 640, height = options.height ?? 420;
  for (const [name, v] of [["width", width], ["height", height]] as const) {
    if (!Number.isFinite(v) || v < 160) {
      throw new TypeError(`plotSvg(): ${name} must be a number of pixels ≥ 160, not ${v}`);
    }
  }
  const xLog = options.xLog ?? false;

  // The data, with what cannot be drawn counted.
  let missing = 0, nonPositive = 0;
  const px_: number[] = [], py: number[] = [];
  if (spec.points) {
    const { x, y } = spec.points;
    if (x.length !== y.length) {
      throw new TypeError(
        `plotSvg(): points.x has ${x.length} values but points.y has ${y.length}; give one y per x`,
      );
    }
    for (let i = 0; i < x.length; i++) {
      const a = num(x[i]), b = num(y[i]);
      if (!Number.isFinite(a) || !Number.isFinite(b)) missing++;
      else if (xLog && a <= 0) nonPositive++;
      else {
        px_.push(a);
        py.push(b);
      }
    }
  }
  const sum: { x: number; m: number; s: number }[] = [];
  let sumSkipped = 0;
  if (spec.summary) {
    const { x, mean, std } = spec.summary;
    if (mean.length !== x.length || std.length !== x.length) {
      throw new TypeError(
        `plotSvg(): summary.x, summary.mean and summary.std must have the same length (${x.length}, ${mean.length}, ${std.length})`,
      );
    }
    for (let i = 0; i < x.length; i++) {
      const a = num(x[i]), m = num(mean[i]), s = Math.abs(num(std[i]));
      if (!Number.isFinite(a) || !Number.isFinite(m) || (xLog && a <= 0)) sumSkipped++;
      else sum.push({ x: a, m, s: Number.isFinite(s) ? s : 0 });
    }
    sum.sort((a, b) => a.x - b.x);
  }
  const notes: string[] = [];
  const skipped = missing + nonPositive;
  if (skipped) {
    const points = `${skipped} point${skipped === 1 ? "" : "s"} not shown`;
    notes.push(
      missing && nonPositive
        ? `${points} (${missing} missing or not finite, ${nonPositive} with x ≤ 0 on the log axis)`
        : missing
        ? `${points}: missing or not finite`
        : `${points}: x ≤ 0 on the log axis`,
    );
  }
  if (sumSkipped) {
    notes.push(`${sumSkipped} summary value${sumSkipped === 1 ? "" : "s"} not shown`);
  }

  // Layout: title row, legend/note row, plot area, tick labels and x label below.
  const hasData = px_.length > 0 || sum.length > 0;
  const showLegend = sum.length > 0;
  const titleH = spec.title ? 30 : 0;
  const infoH = showLegend || notes.length ? 20 : 0;
  const top = 12 + titleH + infoH;
  const description = spec.title ??
    ([spec.yLabel, spec.xLabel].filter(Boolean).join(" against ") || "plot");
  const out: string[] = [
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="${TICK_FONT}" fill="${TEXT_COLOR}" role="img">`,
    `<title>${escapeXml(oneLine(description))}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
  ];
  if (spec.title) {
    out.push(
      `<text class="title" x="${px(width / 2)}" y="${
        12 + 17
      }" text-anchor="middle" font-size="${TITLE_FONT}" font-weight="bold">${
        escapeXml(fit(spec.title, width - 24, TITLE_FONT))
      }</text>`,
    );
  }
  if (notes.length) {
    out.push(
      `<text class="note" x="12" y="${12 + titleH + 12}" font-size="10" fill="#777">${
        escapeXml(notes.join("; "))
      }</text>`,
    );
  }
  if (!hasData) {
    out.push(
      `<text class="no-data" x="${px(width / 2)}" y="${
        px((top + height) / 2)
      }" text-anchor="middle" font-size="${LABEL_FONT}" fill="#777">no data</text>`,
      "</svg>",
    );
    return out.join("\n") + "\n";
  }

  // Axes. The tick count follows the space; labels are estimated so they neither overlap nor clip.
  const allX = [...px_, ...sum.map((s) => s.x)];
  const [xMin, xMax] = minMax(allX);
  const [yMin, yMax] = minMax([...py, ...sum.map((s) => s.m - s.s), ...sum.map((s) => s.m + s.s)]);
  const bottom = 14 + (spec.xLabel ? 30 : 14) + 12;
  const yAxis = linearAxis(yMin, yMax, Math.max(2, Math.floor((height - top - bottom) / 55)));
  const yLabelW = Math.max(...yAxis.labels.map((l) => textWidth(l, TICK_FONT)));
  const left = Math.ceil(8 + yLabelW + 8 + (spec.yLabel ? LABEL_FONT + 12 : 4));
  let xAxis: Axis;
  let right = 16;
  for (let count = Math.max(2, Math.floor((width - left - right) / 70));; count--) {
    xAxis = xLog ? logAxis(xMin, xMax, count + 1) : linearAxis(xMin, xMax, count);
    const widest = Math.max(...xAxis.labels.map((l) => textWidth(l, TICK_FONT)));
    right = Math.max(16, Math.ceil(textWidth(xAxis.labels.at(-1)!, TICK_FONT) / 2 - INSET + 4));
    const room = (width - left - right - 2 * INSET) / Math.max(1, xAxis.ticks.length - 1);
    if (widest + 10 <= room || count <= 2) break;
  }
  const x0 = left, x1 = width - right, y0 = height - bottom, y1 = top;
  const X = scaler(xAxis, x0 + INSET, x1 - INSET), Y = scaler(yAxis, y0 - INSET, y1 + INSET);

  out.push(`<g class="grid" stroke-width="1" fill="none">`);
  for (const t of xAxis.ticks) {
    out.push(`<line x1="${px(X(t))}" y1="${y0}" x2="${px(X(t))}" y2="${y1}" stroke="#e2e2e2"/>`);
  }
  for (const t of yAxis.ticks) {
    out.push(`<line x1="${x0}" y1="${px(Y(t))}" x2="${x1}" y2="${px(Y(t))}" stroke="#e2e2e2"/>`);
  }
  out.push(`</g>`);
  out.push(
    `<g class="axes" stroke="#444" stroke-width="1" fill="none"><line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}"/><line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}"/></g>`,
  );
  out.push(`<g class="x-ticks" text-anchor="middle">`);
  for (const t of xAxis.minor) {
    out.push(`<line x1="${px(X(t))}" y1="${y0}" x2="${px(X(t))}" y2="${y0 + 3}" stroke="#444"/>`);
  }
  xAxis.ticks.forEach((t, i) => {
    out.push(
      `<line x1="${px(X(t))}" y1="${y0}" x2="${px(X(t))}" y2="${y0 + 5}" stroke="#444"/><text x="${
        px(X(t))
      }" y="${y0 + 18}">${escapeXml(xAxis.labels[i])}</text>`,
    );
  });
  out.push(`</g>`, `<g class="y-ticks" text-anchor="end">`);
  yAxis.ticks.forEach((t, i) => {
    out.push(
      `<line x1="${x0 - 5}" y1="${px(Y(t))}" x2="${x0}" y2="${px(Y(t))}" stroke="#444"/><text x="${
        x0 - 8
      }" y="${px(Y(t) + 4)}">${escapeXml(yAxis.labels[i])}</text>`,
    );
  });
  out.push(`</g>`);
  if (spec.xLabel) {
    out.push(
      `<text class="x-label" x="${px((x0 + x1) / 2)}" y="${
        y0 + 42
      }" text-anchor="middle" font-size="${LABEL_FONT}">${
        escapeXml(fit(spec.xLabel, x1 - x0, LABEL_FONT))
      }</text>`,
    );
  }
  if (spec.yLabel) {
    out.push(
      `<text class="y-label" transform="translate(${8 + LABEL_FONT} ${
        px((y0 + y1) / 2)
      }) rotate(-90)" text-anchor="middle" font-size="${LABEL_FONT}">${
        escapeXml(fit(spec.yLabel, y0 - y1, LABEL_FONT))
      }</text>`,
    );
  }

  // Data: points under the summary.
  const n = px_.length;
  const r = n <= 200 ? 3.5 : n <= 2000 ? 2.5 : n <= 20000 ? 1.5 : 1;
  const opacity = sum.length ? 0.3 : n <= 200 ? 0.75 : n <= 20000 ? 0.45 : 0.3;
  if (n) {
    out.push(`<g class="points" fill="${POINT_COLOR}" fill-opacity="${opacity}">`);
    for (let i = 0; i < n; i++) {
      out.push(`<circle cx="${px(X(px_[i]))}" cy="${px(Y(py[i]))}" r="${r}"/>`);
    }
    out.push(`</g>`);
  }
  if (sum.length) {
    out.push(
      `<g class="summary" stroke="${SUMMARY_COLOR}" fill="${SUMMARY_COLOR}" stroke-width="1.6">`,
    );
    if (sum.length > 1) {
      out.push(
        `<polyline fill="none" points="${
          sum.map((s) => `${px(X(s.x))},${px(Y(s.m))}`).join(" ")
        }"/>`,
      );
    }
    for (const s of sum) {
      const cx = px(X(s.x)), lo = px(Y(s.m - s.s)), hi = px(Y(s.m + s.s));
      const bar = s.s > 0
        ? `<line x1="${cx}" y1="${lo}" x2="${cx}" y2="${hi}"/>` +
          `<line x1="${px(X(s.x) - 4)}" y1="${lo}" x2="${px(X(s.x) + 4)}" y2="${lo}"/>` +
          `<line x1="${px(X(s.x) - 4)}" y1="${hi}" x2="${px(X(s.x) + 4)}" y2="${hi}"/>`
        : "";
      out.push(
        `<g class="errorbar">${bar}<circle cx="${cx}" cy="${
          px(Y(s.m))
        }" r="4" stroke="white" stroke-width="1"/></g>`,
      );
    }
    out.push(`</g>`);
  }
  if (showLegend) {
    const sumLabel = oneLine(spec.summary?.label ?? "mean ± std");
    const runLabel = oneLine(spec.points?.label ?? "runs");
    const y = 12 + titleH + 12;
    let x = x1;
    const items: string[] = [];
    const add = (label: string, mark: (cx: number) => string) => {
      x -= textWidth(label, TICK_FONT);
      items.push(`${mark(x - 10)}<text x="${px(x)}" y="${y}">${escapeXml(label)}</text>`);
      x -= 26;
    };
    add(
      sumLabel,
      (cx) =>
        `<line x1="${px(cx - 7)}" y1="${y - 4}" x2="${px(cx + 5)}" y2="${
          y - 4
        }" stroke="${SUMMARY_COLOR}" stroke-width="1.6"/><circle cx="${px(cx - 1)}" cy="${
          y - 4
        }" r="4" fill="${SUMMARY_COLOR}" stroke="white"/>`,
    );
    if (n) {
      add(
        runLabel,
        (cx) =>
          `<circle cx="${px(cx)}" cy="${y - 4}" r="3.5" fill="${POINT_COLOR}" fill-opacity="0.6"/>`,
      );
    }
    out.push(`<g class="legend">${items.join("")}</g>`);
  }
  out.push("</svg>");
  return out.join("\n") + "\n";
}
