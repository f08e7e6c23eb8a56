/**
 * The plots' look, in one place: colors, font sizes, the inset, and how wide a text is (what the layout
 * reserves and what the drawing writes must agree).
 *
 * @module
 */

import { displayWidth, oneLine, truncate } from "./_text.ts";

export const SVG_NS = "http://www.w3.org/2000/svg";
export const POINT_COLOR = "#3b6ea8";
export const SUMMARY_COLOR = "#d0602a";
export const TEXT_COLOR = "#222";
export const TICK_FONT = 11;
export const LABEL_FONT = 13;
export const TITLE_FONT = 15;
/** Space between the axes and the outermost data, in pixels. */
export const INSET = 10;

/** Text for XML: markup characters escaped, characters XML 1.0 forbids dropped. */
export function escapeXml(s: string): string {
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
export function textWidth(text: string, size: number): number {
  return displayWidth(text) * size * 0.58;
}

/** `text` cut with `…` to fit `px` pixels at font `size`, on one line. */
export function fit(text: string, px: number, size: number): string {
  return truncate(oneLine(text), Math.max(2, Math.floor(px / (size * 0.58))));
}
