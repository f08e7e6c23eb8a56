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
  /** Rows, each with one cell per column. */
  rows: Cell[][];
}

/** Options for {@linkcode toCSV}. */
export interface CsvOptions {
  /**
   * The field separator.
   * @default {","}
   */
  delimiter?: string;
}

function csvCell(cell: Cell, delimiter: string): string {
  if (cell === null || cell === undefined) return "";
  const text = typeof cell === "number" ? String(cell) : String(cell);
  return text.includes(delimiter) || /["\r\n]/.test(text) || text !== text.trim()
    ? `"${text.replaceAll('"', '""')}"`
    : text;
}

/**
 * A table as CSV (RFC 4180): a header row, fields quoted where needed, numbers in their shortest exact
 * form, missing cells empty, booleans `true`/`false`.
 *
 * @example
 * ```ts
 * import { toCSV } from "@sweepstore/sweepstore";
 * console.log(toCSV({ columns: ["run", "score"], rows: [["A1", 0.5], ["A2", null]] }));
 * // run,score\nA1,0.5\nA2,\n
 * ```
 */
export function toCSV(table: Table, options: CsvOptions = {}): string {
  const d = options.delimiter ?? ",";
  const lines = [table.columns.map((c) => csvCell(c, d)).join(d)];
  for (const row of table.rows) lines.push(row.map((c) => csvCell(c, d)).join(d));
  return lines.join("\n") + "\n";
}

/** Options for {@linkcode toMarkdown} and {@linkcode toConsoleTable}. */
export interface TextTableOptions {
  /**
   * Significant digits of non-integer numbers.
   * @default {4}
   */
  digits?: number;
}

function formatCell(cell: Cell, digits: number): string {
  if (cell === null || cell === undefined) return "–";
  if (typeof cell === "number") {
    if (Number.isInteger(cell) || !Number.isFinite(cell)) return String(cell);
    return formatNumber(cell, digits);
  }
  return String(cell);
}

function isNumberCell(cell: Cell): boolean {
  return typeof cell === "number" || typeof cell === "bigint";
}

/**
 * A number with `digits` significant digits, without trailing zeros or float noise.
 *
 * @example
 * ```ts
 * import { formatNumber } from "@sweepstore/sweepstore";
 * console.log(formatNumber(0.1 + 0.2), formatNumber(1234567.891, 4)); // "0.3" "1.235e6"
 * ```
 */
export function formatNumber(n: number, digits = 6): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return "0";
  const abs = Math.abs(n);
  if (abs >= 1e6 || abs < 1e-4) {
    return n.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, "e").replace("e+", "e");
  }
  return String(Number(n.toPrecision(digits)));
}

/**
 * A table in GitHub Markdown, numbers right-aligned, `|` escaped, missing cells as `–`.
 *
 * @example
 * ```ts
 * import { toMarkdown } from "@sweepstore/sweepstore";
 * console.log(toMarkdown({ columns: ["run", "score"], rows: [["A1", 0.123456]] }));
 * ```
 */
export function toMarkdown(table: Table, options: TextTableOptions = {}): string {
  const digits = options.digits ?? 4;
  const numeric = table.columns.map((_, j) => table.rows.some((r) => isNumberCell(r[j])));
  const esc = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");
  const lines = [
    `| ${table.columns.map(esc).join(" | ")} |`,
    `|${numeric.map((n) => (n ? " ---: " : " --- ")).join("|")}|`,
  ];
  for (const row of table.rows) {
    lines.push(`| ${table.columns.map((_, j) => esc(formatCell(row[j], digits))).join(" | ")} |`);
  }
  return lines.join("\n") + "\n";
}

/**
 * A table as aligned plain text for terminals: a header, a rule, numbers right-aligned.
 *
 * @example
 * ```ts
 * import { toConsoleTable } from "@sweepstore/sweepstore";
 * console.log(toConsoleTable({ columns: ["run", "score"], rows: [["A1", 0.5], ["A10", 0.75]] }));
 * ```
 */
export function toConsoleTable(table: Table, options: TextTableOptions = {}): string {
  const digits = options.digits ?? 4;
  const text = table.rows.map((r) =>
    table.columns.map((_, j) => formatCell(r[j], digits).replaceAll("\n", " "))
  );
  const numeric = table.columns.map((_, j) => table.rows.some((r) => isNumberCell(r[j])));
  const widths = table.columns.map((c, j) => Math.max(c.length, ...text.map((r) => r[j].length)));
  const pad = (s: string, j: number) => (numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]));
  const lines = [
    table.columns.map(pad).join("  ").trimEnd(),
    widths.map((w) => "─".repeat(w)).join("  "),
    ...text.map((r) => r.map(pad).join("  ").trimEnd()),
  ];
  return lines.join("\n") + "\n";
}

/** Points of a scatter plot. */
export interface ScatterSeries {
  /** x values; entries that are not finite numbers are skipped with their y. */
  x: readonly unknown[];
  /** y values, one per x. */
  y: readonly unknown[];
}

/** Aggregated values: the mean ± standard deviation of y at each x. */
export interface SummarySeries {
  /** The unique x values. */
  x: readonly number[];
  /** The mean of y at each x. */
  mean: readonly number[];
  /** The standard deviation of y at each x (error bars). */
  std: readonly number[];
}

/** What {@linkcode plotSvg} draws. */
export interface PlotSpec {
  /** Individual runs, as points. */
  points?: ScatterSeries;
  /** Mean ± std per x, as a line with error bars. */
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
   * A logarithmic x axis (for parameters such as learning rates); x ≤ 0 are skipped.
   * @default {false}
   */
  xLog?: boolean;
}

function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

/** d3-style tick step: 1, 2 or 5 times a power of ten, giving about `count` ticks. */
function tickStep(min: number, max: number, count: number): number {
  const step0 = Math.abs(max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(step0));
  const error = step0 / power;
  const factor = error >= Math.sqrt(50)
    ? 10
    : error >= Math.sqrt(10)
    ? 5
    : error >= Math.sqrt(2)
    ? 2
    : 1;
  return factor * power;
}

interface Scale {
  min: number;
  max: number;
  ticks: number[];
  map: (v: number) => number;
}

function linearScale(values: number[], from: number, to: number, count: number): Scale {
  let min = Math.min(...values), max = Math.max(...values);
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const step = tickStep(min, max, count);
  min = Math.floor(min / step) * step;
  max = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let k = Math.round(min / step); k * step <= max + step * 1e-9; k++) {
    ticks.push(Number((k * step).toPrecision(12)));
  }
  return { min, max, ticks, map: (v) => from + ((v - min) / (max - min)) * (to - from) };
}

function logScale(values: number[], from: number, to: number): Scale {
  let lo = Math.floor(Math.log10(Math.min(...values)));
  let hi = Math.ceil(Math.log10(Math.max(...values)));
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const ticks: number[] = [];
  for (let k = lo; k <= hi; k++) ticks.push(Number((10 ** k).toPrecision(12)));
  return {
    min: 10 ** lo,
    max: 10 ** hi,
    ticks,
    map: (v) => from + ((Math.log10(v) - lo) / (hi - lo)) * (to - from),
  };
}

function finite(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/**
 * A standalone SVG plot: runs as points and/or mean ± std per x as a line with error bars, with axes,
 * "nice" ticks (1-2-5 steps, or powers of ten with `xLog`), axis labels and a title. It has no scripts,
 * no external resources and a white background, so any viewer shows it. Points whose x or y is not a finite
 * number are skipped and counted in a note.
 *
 * @example
 * ```ts
 * import { plotSvg } from "@sweepstore/sweepstore";
 * const svg = plotSvg({ points: { x: [1, 2, 3], y: [0.2, 0.5, 0.4] }, xLabel: "n", yLabel: "score" });
 * console.log(svg.startsWith("<svg"));
 * ```
 */
export function plotSvg(spec: PlotSpec, options: PlotOptions = {}): string {
  const width = options.width ?? 640, height = options.height ?? 420;
  const left = 72, right = 24, top = spec.title ? 44 : 20, bottom = 56;
  const xLog = options.xLog ?? false;
  const okX = (v: unknown): v is number => finite(v) && (!xLog || v > 0);
  const pts: [number, number][] = [];
  let skipped = 0;
  if (spec.points) {
    const { x, y } = spec.points;
    for (let i = 0; i < x.length; i++) {
      if (okX(x[i]) && finite(y[i])) pts.push([x[i] as number, y[i] as number]);
      else skipped++;
    }
  }
  const sum: { x: number; m: number; s: number }[] = [];
  if (spec.summary) {
    const { x, mean, std } = spec.summary;
    for (let i = 0; i < x.length; i++) {
      if (okX(x[i]) && finite(mean[i])) {
        sum.push({ x: x[i], m: mean[i], s: finite(std[i]) ? std[i] : 0 });
      }
    }
  }
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
  ];
  if (spec.title) {
    out.push(
      `<text x="${width / 2}" y="26" text-anchor="middle" font-size="15" font-weight="bold">${
        escapeXml(spec.title)
      }</text>`,
    );
  }
  const xs = [...pts.map((p) => p[0]), ...sum.map((s) => s.x)];
  const ys = [...pts.map((p) => p[1]), ...sum.flatMap((s) => [s.m - s.s, s.m + s.s])];
  if (xs.length === 0) {
    out.push(
      `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#666">no data</text>`,
      "</svg>",
    );
    return out.join("\n") + "\n";
  }
  const x0 = left, x1 = width - right, y0 = height - bottom, y1 = top;
  const xs_ = xLog ? logScale(xs, x0, x1) : linearScale(xs, x0, x1, 8);
  const ys_ = linearScale(ys, y0, y1, 6);
  const X = (v: number) => xs_.map(v).toFixed(1), Y = (v: number) => ys_.map(v).toFixed(1);
  out.push(`<g class="grid" stroke="#e5e5e5" stroke-width="1">`);
  for (const t of xs_.ticks) out.push(`<line x1="${X(t)}" y1="${y0}" x2="${X(t)}" y2="${y1}"/>`);
  for (const t of ys_.ticks) out.push(`<line x1="${x0}" y1="${Y(t)}" x2="${x1}" y2="${Y(t)}"/>`);
  out.push(`</g>`);
  out.push(
    `<g class="axes" stroke="#333" stroke-width="1"><line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}"/><line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}"/></g>`,
  );
  out.push(`<g class="x-ticks" text-anchor="middle" fill="#333">`);
  for (const t of xs_.ticks) {
    out.push(
      `<line x1="${X(t)}" y1="${y0}" x2="${X(t)}" y2="${y0 + 5}" stroke="#333"/><text x="${
        X(t)
      }" y="${y0 + 18}">${escapeXml(formatNumber(t))}</text>`,
    );
  }
  out.push(`</g>`, `<g class="y-ticks" text-anchor="end" fill="#333">`);
  for (const t of ys_.ticks) {
    out.push(
      `<line x1="${x0 - 5}" y1="${Y(t)}" x2="${x0}" y2="${Y(t)}" stroke="#333"/><text x="${
        x0 - 8
      }" y="${Number(Y(t)) + 4}">${escapeXml(formatNumber(t))}</text>`,
    );
  }
  out.push(`</g>`);
  if (spec.xLabel) {
    out.push(
      `<text class="x-label" x="${(x0 + x1) / 2}" y="${
        height - 14
      }" text-anchor="middle" font-size="13">${escapeXml(spec.xLabel)}${
        xLog ? " (log)" : ""
      }</text>`,
    );
  }
  if (spec.yLabel) {
    out.push(
      `<text class="y-label" transform="translate(18 ${
        (y0 + y1) / 2
      }) rotate(-90)" text-anchor="middle" font-size="13">${escapeXml(spec.yLabel)}</text>`,
    );
  }
  if (pts.length) {
    out.push(`<g class="points" fill="#4477aa" fill-opacity="${sum.length ? 0.35 : 0.7}">`);
    for (const [x, y] of pts) out.push(`<circle cx="${X(x)}" cy="${Y(y)}" r="3.5"/>`);
    out.push(`</g>`);
  }
  if (sum.length) {
    const sorted = [...sum].sort((a, b) => a.x - b.x);
    out.push(`<g class="summary" stroke="#cc6633" fill="#cc6633" stroke-width="1.5">`);
    out.push(
      `<polyline fill="none" points="${sorted.map((s) => `${X(s.x)},${Y(s.m)}`).join(" ")}"/>`,
    );
    for (const s of sorted) {
      out.push(
        `<g class="errorbar"><line x1="${X(s.x)}" y1="${Y(s.m - s.s)}" x2="${X(s.x)}" y2="${
          Y(s.m + s.s)
        }"/>` +
          `<line x1="${Number(X(s.x)) - 4}" y1="${Y(s.m - s.s)}" x2="${Number(X(s.x)) + 4}" y2="${
            Y(s.m - s.s)
          }"/>` +
          `<line x1="${Number(X(s.x)) - 4}" y1="${Y(s.m + s.s)}" x2="${Number(X(s.x)) + 4}" y2="${
            Y(s.m + s.s)
          }"/>` +
          `<rect x="${Number(X(s.x)) - 3.5}" y="${
            Number(Y(s.m)) - 3.5
          }" width="7" height="7"/></g>`,
      );
    }
    out.push(`</g>`);
    out.push(
      `<g class="legend" font-size="11"><rect x="${x1 - 120}" y="${
        y1 + 4
      }" width="7" height="7" fill="#cc6633"/><text x="${x1 - 108}" y="${
        y1 + 11
      }">mean ± std</text>` +
        (pts.length
          ? `<circle cx="${x1 - 116}" cy="${
            y1 + 22
          }" r="3.5" fill="#4477aa" fill-opacity="0.6"/><text x="${x1 - 108}" y="${
            y1 + 26
          }">runs</text>`
          : "") +
        `</g>`,
    );
  }
  if (skipped) {
    out.push(
      `<text class="note" x="${x1}" y="${
        height - 14
      }" text-anchor="end" font-size="10" fill="#888">${skipped} run${
        skipped === 1 ? "" : "s"
      } without values not shown</text>`,
    );
  }
  out.push("</svg>");
  return out.join("\n") + "\n";
}
