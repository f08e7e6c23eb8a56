/// <reference lib="dom" />
/**
 * The parallel-coordinates view (internal, browser): one line per run across the swept parameters and the
 * objective, coloured by the objective; dragging along an axis brushes a range, and the table then shows
 * only the runs inside every brushed range.
 *
 * @module
 */

import { compareParamValues } from "../../group/order.ts";
import { categoriesOf, categoryOf, type Chart, echarts, logScale } from "./echarts.ts";
import { esc, num, type ReportData, shorten, show } from "./data.ts";

/** The plot's margins in pixels (the browser test computes axis positions from them). */
export const PARALLEL_MARGIN = { left: 70, right: 90, top: 70, bottom: 40 };

/** One axis: its parameter, and either categories or a numeric range. */
export interface AxisInfo {
  param: string;
  categories: string[] | null;
  min: number;
  max: number;
  log: boolean;
}

function axisInfo(data: ReportData, param: string): AxisInfo {
  const values = data.runs.values[data.params.indexOf(param)];
  const categories = categoriesOf(values);
  if (categories) {
    categories.sort((a, b) => compareParamValues(a, b));
    return { param, categories, min: 0, max: categories.length - 1, log: false };
  }
  const nums = values.map(num).filter((v): v is number => v !== null);
  let min = nums.length ? Math.min(...nums) : 0;
  let max = nums.length ? Math.max(...nums) : 1;
  const log = logScale(nums);
  if (min === max) [min, max] = log ? [min / 2, max * 2] : [min - 1, max + 1];
  return { param, categories: null, min, max, log };
}

function cell(axis: AxisInfo, v: unknown): string | number {
  if (axis.categories) return categoryOf(v);
  const n = num(v);
  return n === null ? "-" : n;
}

/** Whether value `v` lies in one of `intervals` of `axis`. */
function inside(axis: AxisInfo, v: unknown, intervals: number[][]): boolean {
  let x: number | null;
  if (axis.categories) x = axis.categories.indexOf(categoryOf(v));
  else x = num(v);
  if (x === null) return false;
  return intervals.some(([lo, hi]) => x! >= Math.min(lo, hi) && x! <= Math.max(lo, hi));
}

/** The parallel plot's chart, axes and current brush (for the page and its test). */
export interface ParallelView {
  chart: Chart;
  axes: AxisInfo[];
  brushed: Map<number, number[][]>;
}

/** Draws the plot into `dom`; `onBrush` gets the runs inside every brushed range (null: no brush). */
export function drawParallel(
  dom: HTMLElement,
  data: ReportData,
  onBrush: (match: Uint8Array | null) => void,
): ParallelView | null {
  const params = [...data.swept, ...(data.objective ? [data.objective] : [])];
  if (params.length < 2) {
    dom.textContent = "Parallel coordinates need at least two swept parameters or an objective.";
    dom.style.height = "auto";
    return null;
  }
  const axes = params.map((p) => axisInfo(data, p));
  const n = data.runs.name.length;
  const cols = params.map((p) => data.runs.values[data.params.indexOf(p)]);
  const rows = Array.from({ length: n }, (_, i) => axes.map((a, k) => cell(a, cols[k][i])));
  const chart = echarts().init(dom, null, { renderer: "canvas" });
  const objectiveAxis = data.objective ? axes.length - 1 : -1;
  chart.setOption({
    animation: false,
    parallel: { ...PARALLEL_MARGIN, parallelAxisDefault: { realtime: true } },
    parallelAxis: axes.map((a, k) => ({
      id: `axis-${k}`,
      dim: k,
      name: a.param,
      nameGap: 18,
      nameTextStyle: { fontSize: 13, fontWeight: k === objectiveAxis ? "bold" : "normal" },
      type: a.categories ? "category" : a.log ? "log" : "value",
      data: a.categories ?? undefined,
      min: a.categories ? undefined : a.min,
      max: a.categories ? undefined : a.max,
      axisLabel: { fontSize: 11, hideOverlap: true, formatter: shorten },
      areaSelectStyle: { width: 24, opacity: 0.35 },
    })),
    visualMap: objectiveAxis < 0 ? undefined : {
      type: "continuous",
      dimension: objectiveAxis,
      min: axes[objectiveAxis].min,
      max: axes[objectiveAxis].max,
      right: 8,
      top: "middle",
      itemHeight: 160,
      text: [show(axes[objectiveAxis].max), show(axes[objectiveAxis].min)],
      inRange: { color: ["#313695", "#74add1", "#fee090", "#f46d43", "#a50026"] },
      outOfRange: { color: ["#bbb"] },
      calculable: false,
    },
    tooltip: {
      trigger: "item",
      formatter: (p: { dataIndex: number }) => esc(data.runs.name[p.dataIndex] ?? ""),
    },
    series: [{
      type: "parallel",
      data: rows,
      lineStyle: { width: 1, opacity: n > 2000 ? 0.15 : 0.5 },
      inactiveOpacity: 0.02,
      activeOpacity: 1,
      progressive: 2000,
      progressiveThreshold: 5000,
    }],
  });
  const view: ParallelView = { chart, axes, brushed: new Map() };
  chart.on("axisareaselected", (e) => {
    const k = Number(String(e.parallelAxisId).replace("axis-", ""));
    const intervals = (e.intervals as number[][] | undefined) ?? [];
    if (intervals.length) view.brushed.set(k, intervals);
    else view.brushed.delete(k);
    if (view.brushed.size === 0) return onBrush(null);
    const match = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      match[i] = [...view.brushed].every(([a, iv]) => inside(axes[a], cols[a][i], iv)) ? 1 : 0;
    }
    onBrush(match);
  });
  return view;
}

/** Clears every brushed range of the plot. */
export function clearBrush(view: ParallelView): void {
  for (const k of [...view.brushed.keys()]) {
    view.chart.dispatchAction({
      type: "axisAreaSelect",
      parallelAxisId: `axis-${k}`,
      intervals: [],
    });
  }
}
