/**
 * Tables of runs as CSV (for Python, pandas and spreadsheets), GitHub Markdown and aligned console text.
 * Pure functions: no file access.
 *
 * @module
 */

import { displayWidth, exponential, oneLine, pad, truncate } from "./_text.ts";
import { formatInnerNumber } from "../formats/_param_format.ts";
import { pythonJson } from "../formats/_python_json.ts";
import type { ParamValue } from "../formats/_param_value.ts";

/** One table cell. */
export type Cell = string | number | bigint | boolean | null | undefined;

/**
 * A parameter's value as a table cell (`toTable`, `aggregateTable`, runs.csv, summary.csv, `report`): a list
 * or object as JSON in Python's dialect, as summary.json writes it — NaN, Infinity, -0.0 and integers past
 * 2**53 inside it kept (`JSON.stringify` wrote `null`, `0`, or threw on a big integer).
 *
 * @param v The value, or null / undefined where the run has none.
 * @returns The cell.
 */
export function paramCell(v: ParamValue | null | undefined): Cell {
  return v === undefined || v === null || typeof v !== "object" ? v : pythonJson(v, 0);
}

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

/**
 * A number as Python reads it back, the same text as inside a `config.ini` list: integers below 2**53 as
 * digits, every other number as Python's `repr()` (`0.5`, `1e-05`, `-0.0`, `nan`, `inf`,
 * `1.2345678901234567e+19`). JavaScript's own text of a float at or beyond 2**53 is the digits of an
 * integer (`12345678901234567000`) that pandas and Python's `int()` read as another value, and `-0` read
 * as an integer loses its sign.
 */
const csvNumber = formatInnerNumber;

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
 * surrounding spaces; quotes doubled), numbers as in a `config.ini` list (integers below 2**53 as digits,
 * other numbers as Python's `repr()`: `1e-05`, `-0.0`, `nan`, `inf`), missing cells empty, booleans
 * `true`/`false`. Python's `csv` module, pandas and spreadsheets read it back unchanged.
 *
 * @example
 * ```ts
 * import { toCSV } from "@sweepstore/sweepstore/report";
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
 * import { formatNumber } from "@sweepstore/sweepstore/report";
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
 * import { toMarkdown } from "@sweepstore/sweepstore/report";
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
 * import { toConsoleTable } from "@sweepstore/sweepstore/report";
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
