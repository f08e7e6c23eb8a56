/**
 * Layout of the SVG plot (internal): which values can be drawn (the rest counted in notes), how much room
 * the title, legend, tick labels and axis labels take, and the axes and pixel maps that fit what is left.
 *
 * @module
 */

import { type Axis, linearAxis, logAxis, scaler } from "./_plot_axes.ts";
import { INSET, LABEL_FONT, textWidth, TICK_FONT } from "./_plot_style.ts";
import type { PlotSpec } from "./_plot_series.ts";

/** One aggregated value: x, the center and the spread (0 where it cannot be drawn). */
export interface SummaryPoint {
  x: number;
  m: number;
  s: number;
}

/** The values that can be drawn, and notes on those that cannot. */
export interface PlotData {
  /** Points, x and y. */
  px: Float64Array;
  py: Float64Array;
  /** Summary values, sorted by x. */
  sum: SummaryPoint[];
  /** What was skipped, for a note above the plot. */
  notes: string[];
}

/** Where things go, in pixels: the plot area (x0…x1 left to right, y0…y1 bottom to top) and its axes. */
export interface Frame {
  width: number;
  height: number;
  /** The height of the title row (0 without a title). */
  titleH: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  xAxis: Axis;
  yAxis: Axis;
  /** Data → pixel maps. */
  X: (v: number) => number;
  Y: (v: number) => number;
}

/** Finite numbers (bigints converted); anything else is NaN. */
function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return NaN;
}

function minMax(...lists: Iterable<number>[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const values of lists) {
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

/** The points and summary values that can be drawn (finite, x > 0 on a log axis), and notes on the rest. */
export function collectData(spec: PlotSpec, xLog: boolean): PlotData {
  let missing = 0, nonPositive = 0;
  let px = new Float64Array(0), py = px;
  if (spec.points) {
    const { x, y } = spec.points;
    if (x.length !== y.length) {
      throw new TypeError(
        `plotSvg(): points.x has ${x.length} values but points.y has ${y.length}; give one y per x`,
      );
    }
    // typed arrays of the final size: arrays grown a point at a time left their old copies behind (MBs
    // for 100,000 points), and a typed array's memory goes with its object at the next scavenge
    px = new Float64Array(x.length);
    py = new Float64Array(x.length);
    let k = 0;
    for (let i = 0; i < x.length; i++) {
      const a = num(x[i]), b = num(y[i]);
      if (!Number.isFinite(a) || !Number.isFinite(b)) missing++;
      else if (xLog && a <= 0) nonPositive++;
      else {
        px[k] = a;
        py[k++] = b;
      }
    }
    px = px.subarray(0, k);
    py = py.subarray(0, k);
  }
  const sum: SummaryPoint[] = [];
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
  return { px, py, sum, notes: skippedNotes(missing, nonPositive, sumSkipped) };
}

function skippedNotes(missing: number, nonPositive: number, sumSkipped: number): string[] {
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
  return notes;
}

/** The heights of the title row and the legend/note row, and so the top of the plot area. */
export function headerHeights(spec: PlotSpec, data: PlotData): { titleH: number; top: number } {
  const titleH = spec.title ? 30 : 0;
  const infoH = data.sum.length > 0 || data.notes.length ? 20 : 0;
  return { titleH, top: 12 + titleH + infoH };
}

/**
 * The axes and the plot area. The tick count follows the space; labels are estimated so they neither
 * overlap nor clip (fewer x ticks until the widest label fits).
 */
export function layoutFrame(
  spec: PlotSpec,
  data: PlotData,
  size: { width: number; height: number; xLog: boolean; xInteger?: boolean },
): Frame {
  const { width, height, xLog } = size;
  const { titleH, top } = headerHeights(spec, data);
  const { px, py, sum } = data;
  // each list as it is (no copy of the points joined with the summary's values)
  const [xMin, xMax] = minMax(px, sum.map((s) => s.x));
  const [yMin, yMax] = minMax(py, sum.map((s) => s.m - s.s), sum.map((s) => s.m + s.s));
  const bottom = 14 + (spec.xLabel ? 30 : 14) + 12;
  const yAxis = linearAxis(yMin, yMax, Math.max(2, Math.floor((height - top - bottom) / 55)));
  const yLabelW = Math.max(...yAxis.labels.map((l) => textWidth(l, TICK_FONT)));
  const left = Math.ceil(8 + yLabelW + 8 + (spec.yLabel ? LABEL_FONT + 12 : 4));
  let xAxis: Axis;
  let right = 16;
  for (let count = Math.max(2, Math.floor((width - left - right) / 70));; count--) {
    xAxis = xLog ? logAxis(xMin, xMax, count + 1) : linearAxis(xMin, xMax, count);
    if (size.xInteger && !xLog) xAxis = wholeTicks(xAxis);
    const widest = Math.max(...xAxis.labels.map((l) => textWidth(l, TICK_FONT)));
    right = Math.max(16, Math.ceil(textWidth(xAxis.labels.at(-1)!, TICK_FONT) / 2 - INSET + 4));
    const room = (width - left - right - 2 * INSET) / Math.max(1, xAxis.ticks.length - 1);
    if (widest + 10 <= room || count <= 2) break;
  }
  const x0 = left, x1 = width - right, y0 = height - bottom, y1 = top;
  return {
    width,
    height,
    titleH,
    x0,
    x1,
    y0,
    y1,
    xAxis,
    yAxis,
    X: scaler(xAxis, x0 + INSET, x1 - INSET),
    Y: scaler(yAxis, y0 - INSET, y1 + INSET),
  };
}

/** The axis with only its ticks at whole numbers (and their labels). */
function wholeTicks(axis: Axis): Axis {
  const keep = axis.ticks.map((t) => Number.isInteger(t));
  if (!keep.some(Boolean)) return axis;
  return {
    ...axis,
    ticks: axis.ticks.filter((_, i) => keep[i]),
    labels: axis.labels.filter((_, i) => keep[i]),
  };
}
