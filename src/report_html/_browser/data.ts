/// <reference lib="dom" />
/**
 * The page's data (internal, runs in the browser): the embedded JSON decoded (tagged special numbers back
 * to NaN, ±Infinity, -0 and bigints) and the helpers every view shares.
 *
 * @module
 */

import type { ReportData } from "../_report_data.ts";
import { SPECIAL_TAG } from "../_embed.ts";

export type { ReportData };

function untag(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(untag);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const tag = o[SPECIAL_TAG];
  if (typeof tag === "string" && Object.keys(o).length <= 2) {
    if (tag === "big") return BigInt(o.v as string);
    if (tag === "-0") return -0;
    return Number(tag);
  }
  for (const k of Object.keys(o)) o[k] = untag(o[k]);
  return o;
}

/** Reads the data embedded in `<script id="report-data">`. */
export function readData(): ReportData {
  const text = document.getElementById("report-data")!.textContent ?? "{}";
  return untag(JSON.parse(text)) as ReportData;
}

/** A value in full (the run detail): numbers exactly as JavaScript prints them; nan, inf, -0.0 as `show`. */
export function showExact(v: unknown): string {
  return typeof v === "number" && Number.isFinite(v) && !Object.is(v, -0) ? String(v) : show(v);
}

/** A value as the table shows it (Python-like spellings for the special numbers). */
export function show(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "nan";
    if (v === Infinity) return "inf";
    if (v === -Infinity) return "-inf";
    if (Object.is(v, -0)) return "-0.0";
    if (Number.isInteger(v)) return String(v);
    // 6 significant digits, but never fewer than the integer part's (+1): 123456789.5, not 123457000.
    const whole = Math.abs(v) >= 1 ? Math.floor(Math.log10(Math.abs(v))) + 1 : 0;
    return String(Number(v.toPrecision(Math.min(21, Math.max(6, whole + 1)))));
  }
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return v;
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
}

/** A finite number, or null. */
export function num(v: unknown): number | null {
  if (typeof v === "bigint") return Number(v);
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** Creates an element with text (never HTML) and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attrs: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** HTML-escaped text, for ECharts tooltips (which render HTML). */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Whether a run's status is a failure (not done, not still running). */
export function isFailure(status: string): boolean {
  return status !== "done" && status !== "running" && status !== "unknown";
}

/** The value of column `param` of run `i`. */
export function valueOf(data: ReportData, param: string, i: number): unknown {
  const j = data.params.indexOf(param);
  return j < 0 ? undefined : data.runs.values[j][i];
}

/** An axis label cut to 24 characters (the full value is in the table and the tooltips). */
export function shorten(label: string | number): string {
  // A number at most 6 significant digits (an axis's min and max are raw data: 2.4000000000000004).
  const t = typeof label === "number" ? show(label) : String(label);
  return t.length > 24 ? `${t.slice(0, 23)}…` : t;
}
