/**
 * Drawing the SVG plot (internal): the parts of the picture (header,
 * grid and axes, tick labels, axis labels, points, the summary line with error bars, the legend), each as
 * SVG text for a {@linkcode Frame} that `_plot_layout.ts` computed.
 *
 * @module
 */

import type { Frame, PlotData } from "./_plot_layout.ts";
import {
  escapeXml,
  fit,
  LABEL_FONT,
  POINT_COLOR,
  SUMMARY_COLOR,
  SVG_NS,
  TEXT_COLOR,
  textWidth,
  TICK_FONT,
  TITLE_FONT,
} from "./_plot_style.ts";
import { oneLine } from "./_text.ts";
import { numberText } from "../formats/_param_format.ts";
import type { PlotSpec } from "./_plot_series.ts";

/** A coordinate with one decimal, no trailing `.0`. */
export function px(v: number): string {
  return numberText(Math.round(v * 10) / 10); // String's text, made young (numberText)
}

/** The opening `<svg>`, its accessible title, the white background, the title and the notes. */
export function drawHeader(
  spec: PlotSpec,
  data: PlotData,
  size: { width: number; height: number; titleH: number },
): string[] {
  const { width, height, titleH } = size;
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
  if (data.notes.length) {
    out.push(
      `<text class="note" x="12" y="${12 + titleH + 12}" font-size="10" fill="#777">${
        escapeXml(data.notes.join("; "))
      }</text>`,
    );
  }
  return out;
}

/** The "no data" text in the middle of the plot area. */
export function drawNoData(width: number, height: number, top: number): string {
  return `<text class="no-data" x="${px(width / 2)}" y="${
    px((top + height) / 2)
  }" text-anchor="middle" font-size="${LABEL_FONT}" fill="#777">no data</text>`;
}

/** The grid, the two axis lines, and the ticks with their labels. */
export function drawAxes(f: Frame): string[] {
  const { x0, x1, y0, y1, xAxis, yAxis, X, Y } = f;
  const out = [`<g class="grid" stroke-width="1" fill="none">`];
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
  return out;
}

/** The axis labels: x centred below the axis, y rotated left of the tick labels. */
export function drawAxisLabels(spec: PlotSpec, f: Frame): string[] {
  const { x0, x1, y0, y1 } = f;
  const out: string[] = [];
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
  return out;
}

/**
 * The runs as points: smaller and fainter the more there are, and faint under a summary. One circle per line
 * of the plot; an element of the result holds up to 1,000 of them.
 */
export function* drawPoints(data: PlotData, f: Frame): Generator<string> {
  const n = data.px.length;
  if (!n) return;
  const r = n <= 200 ? 3.5 : n <= 2000 ? 2.5 : n <= 20000 ? 1.5 : 1;
  const opacity = data.sum.length ? 0.3 : n <= 200 ? 0.75 : n <= 20000 ? 0.45 : 0.3;
  yield `<g class="points" fill="${POINT_COLOR}" fill-opacity="${opacity}">`;
  // Each circle's text is a chain of V8 cons strings (~250 bytes); joined (with the plot's "\n") every
  // 1,000 circles into one flat string (~40 KB), made as the plot is read: a writer holds one at a time.
  let lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(`<circle cx="${px(f.X(data.px[i]))}" cy="${px(f.Y(data.py[i]))}" r="${r}"/>`);
    if (lines.length === 1000) {
      yield lines.join("\n");
      lines = [];
    }
  }
  if (lines.length) yield lines.join("\n");
  yield `</g>`;
}

/**
 * The summary: a line through the centers, and a dot with an error bar (center ± spread) per x; its lines
 * joined 1,000 at a time as they are read (as `drawPoints`): 20,000 error bars were one array of lines
 * held until the panel was written.
 */
export function* drawSummary(data: PlotData, f: Frame): Generator<string> {
  const { sum } = data;
  if (!sum.length) return;
  const { X, Y } = f;
  let out = [
    `<g class="summary" stroke="${SUMMARY_COLOR}" fill="${SUMMARY_COLOR}" stroke-width="1.6">`,
  ];
  if (sum.length > 1) {
    out.push(
      `<polyline fill="none" points="${sum.map((s) => `${px(X(s.x))},${px(Y(s.m))}`).join(" ")}"/>`,
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
    if (out.length === 1000) {
      yield out.join("\n");
      out = [];
    }
  }
  out.push(`</g>`);
  yield out.join("\n");
}

/** The legend, right-aligned in the row under the title: the summary's entry, then the runs'. */
export function drawLegend(spec: PlotSpec, data: PlotData, f: Frame): string {
  const sumLabel = oneLine(spec.summary?.label ?? "mean ± std");
  const runLabel = oneLine(spec.points?.label ?? "runs");
  const y = 12 + f.titleH + 12;
  let x = f.x1;
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
  if (data.px.length) {
    add(
      runLabel,
      (cx) =>
        `<circle cx="${px(cx)}" cy="${y - 4}" r="3.5" fill="${POINT_COLOR}" fill-opacity="0.6"/>`,
    );
  }
  return `<g class="legend">${items.join("")}</g>`;
}
