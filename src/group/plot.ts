/**
 * Standalone SVG plots of runs: a scatter plot of one value against another, and an aggregate (e.g. the
 * mean ± std per x) as a line with error bars. Pure functions: no file access.
 *
 * The work is split by concept: `_plot_layout.ts` decides what can be drawn and where, `_plot_axes.ts`
 * makes the axes and ticks, `_plot_draw.ts` writes the SVG elements.
 *
 * @module
 */

import {
  drawAxes,
  drawAxisLabels,
  drawHeader,
  drawLegend,
  drawNoData,
  drawPoints,
  drawSummary,
} from "./_plot_draw.ts";
import { collectData, headerHeights, layoutFrame } from "./_plot_layout.ts";

export type { PlotSpec, ScatterSeries, SummarySeries } from "./_plot_series.ts";
import type { PlotSpec } from "./_plot_series.ts";

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
  /**
   * Ticks of the x axis at whole numbers only (counts such as generations or repeats); ignored with
   * `xLog`.
   * @default {false}
   */
  xInteger?: boolean;
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
 * import { plotSvg } from "@sweepstore/sweepstore/report";
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
  return [...plotSvgLines(spec, options)].join("\n") + "\n";
}

/**
 * {@linkcode plotSvg}'s text as its lines, made as they are read (internal, for writers of large plots):
 * `plotSvg` is their `join("\n") + "\n"`. A line may hold many elements (a thousand circles of a plot of
 * 100,000 points); written as they come, a large plot is never one string (4 MB for 100,000 points) nor
 * held whole.
 *
 * @throws {TypeError} As {@linkcode plotSvg}, when the first line is read.
 */
export function* plotSvgLines(spec: PlotSpec, options: PlotOptions = {}): Generator<string> {
  const width = options.width ?? 640, height = options.height ?? 420;
  for (const [name, v] of [["width", width], ["height", height]] as const) {
    if (!Number.isFinite(v) || v < 160) {
      throw new TypeError(`plotSvg(): ${name} must be a number of pixels ≥ 160, not ${v}`);
    }
  }
  const xLog = options.xLog ?? false;
  const data = collectData(spec, xLog);
  const { titleH, top } = headerHeights(spec, data);
  yield* drawHeader(spec, data, { width, height, titleH });
  if (data.px.length === 0 && data.sum.length === 0) {
    yield drawNoData(width, height, top);
    yield "</svg>";
    return;
  }
  const frame = layoutFrame(spec, data, { width, height, xLog, xInteger: options.xInteger });
  yield* drawAxes(frame);
  yield* drawAxisLabels(spec, frame);
  yield* drawPoints(data, frame); // points under the summary, a thousand circles a line
  yield* drawSummary(data, frame);
  if (data.sum.length) yield drawLegend(spec, data, frame);
  yield "</svg>";
}
