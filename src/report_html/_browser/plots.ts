/// <reference lib="dom" />
/**
 * The objective against each swept parameter (runs, mean and 95 % CI per value), the heatmap of the mean
 * objective over a pair of swept parameters, and the best and mean objective per generation (internal,
 * browser).
 *
 * @module
 */

import { compareParamValues } from "../../group/order.ts";
import type { StatRow, StatTable } from "../_points.ts";
import { categoriesOf, categoryOf, type Chart, echarts, logScale } from "./echarts.ts";
import { el, esc, num, type ReportData, shorten, show } from "./data.ts";
import { binOf } from "../_bins.ts";

const GRID = { left: 70, right: 24, top: 44, bottom: 72 };

function xAxisFor(values: unknown[], name: string) {
  const categories = categoriesOf(values);
  if (categories) {
    categories.sort((a, b) => compareParamValues(a, b));
    return {
      axis: {
        type: "category",
        data: categories,
        name,
        axisLabel: { formatter: shorten, hideOverlap: true },
      },
      x: categoryOf,
    };
  }
  const nums = values.map(num).filter((v): v is number => v !== null);
  return {
    axis: { type: logScale(nums) ? "log" : "value", name, scale: true },
    x: (v: unknown) => num(v),
  };
}

/** Vertical bars from lo to hi (a custom series' renderItem). */
function errorBar(
  _params: unknown,
  api: { value(i: number): number; coord(p: number[]): number[]; style(o?: object): object },
) {
  const lo = api.coord([api.value(0), api.value(1)]);
  const hi = api.coord([api.value(0), api.value(2)]);
  const cap = 5;
  const style = { stroke: "#1f2328", lineWidth: 1.5 };
  return {
    type: "group",
    children: [
      { type: "line", shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
      { type: "line", shape: { x1: lo[0] - cap, y1: lo[1], x2: lo[0] + cap, y2: lo[1] }, style },
      { type: "line", shape: { x1: hi[0] - cap, y1: hi[1], x2: hi[0] + cap, y2: hi[1] }, style },
    ],
  };
}

function paramChart(dom: HTMLElement, data: ReportData, table: StatTable): Chart {
  const p = table.by[0];
  const objective = data.objective!;
  const xs = data.runs.values[data.params.indexOf(p)];
  const ys = data.runs.values[data.params.indexOf(objective)];
  const { axis, x } = xAxisFor(xs, p);
  const rows = [...table.rows].sort((a, b) => compareParamValues(a.key[0], b.key[0]));
  const bins = table.bins?.[0];
  const mean = bins ? "mean per bin" : "mean";
  const chart = echarts().init(dom);
  chart.setOption({
    animation: false,
    title: {
      text: `${objective} against ${p}${bins ? ` (${bins.edges.length - 1} bins)` : ""}`,
      left: "center",
      textStyle: { fontSize: 14 },
    },
    grid: GRID,
    legend: { bottom: 6, data: ["runs", mean, "95% CI"] },
    tooltip: {
      trigger: "item",
      formatter: (q: { seriesName: string; value: unknown[] }) =>
        esc(`${q.seriesName}: ${p} = ${show(q.value[0])}, ${objective} = ${show(q.value[1])}`),
    },
    xAxis: { ...axis, nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", name: objective, nameLocation: "middle", nameGap: 50, scale: true },
    series: [
      {
        name: "runs",
        type: "scatter",
        symbolSize: 5,
        itemStyle: { color: "#0969da", opacity: xs.length > 2000 ? 0.15 : 0.45 },
        data: xs.map((v, i) => [x(v), num(ys[i])]).filter((d) => d[0] !== null && d[1] !== null),
        large: xs.length > 2000,
      },
      {
        name: mean,
        type: "line",
        symbol: "circle",
        symbolSize: 7,
        itemStyle: { color: "#cf222e" },
        data: rows.filter((r) => Number.isFinite(r.mean)).map((r) => [x(r.key[0]), r.mean]),
      },
      {
        name: "95% CI",
        type: "custom",
        renderItem: errorBar,
        // Both ends count for the y axis's extent (by default only dimension 1, the low end, does).
        encode: { x: 0, y: [1, 2] },
        itemStyle: { color: "#1f2328" },
        data: rows.filter((r) => r.lo !== null && r.hi !== null).map((
          r,
        ) => [x(r.key[0]), r.lo, r.hi]),
        z: 3,
      },
    ],
  });
  return chart;
}

/** Draws one chart per swept parameter into `dom`. */
export function drawParams(dom: HTMLElement, data: ReportData): Chart[] {
  if (!data.objective || data.points.perParam.length === 0) {
    dom.textContent = "No objective or no swept parameter to plot.";
    return [];
  }
  return data.points.perParam.map((t) => {
    const box = el("div", undefined, { class: "chart", "data-param": t.by[0] });
    dom.append(box);
    return paramChart(box, data, t);
  });
}

/** The label of key `j` of a row: its value, or its bin's range (`lo–hi`) when parameter `j` is binned. */
function keyLabel(table: StatTable, j: number): (v: unknown) => string {
  const bins = table.bins?.[j];
  if (!bins) return show;
  return (v) => {
    if (typeof v !== "number" || !Number.isFinite(v)) return show(v);
    const i = binOf(bins, v);
    return `${show(bins.edges[i])}–${show(bins.edges[i + 1])}`;
  };
}

function sortedKeys(rows: StatRow[], j: number, label: (v: unknown) => string): string[] {
  const vals = [...new Map(rows.map((r) => [label(r.key[j]), r.key[j]])).values()];
  return vals.sort((a, b) => compareParamValues(a, b)).map(label);
}

/** Draws the heatmap of pair `table` into `chart`. */
export function drawHeatmap(chart: Chart, data: ReportData, table: StatTable): void {
  const [a, b] = table.by;
  const [xLabel, yLabel] = [keyLabel(table, 0), keyLabel(table, 1)];
  const xs = sortedKeys(table.rows, 0, xLabel);
  const ys = sortedKeys(table.rows, 1, yLabel);
  const means = table.rows.map((r) => r.mean).filter((m): m is number => Number.isFinite(m));
  const [lo, hi] = means.length ? [Math.min(...means), Math.max(...means)] : [0, 1];
  // [x, y, colour value, n, mean]: a mean of ±inf takes the colour of the range's end and shows "inf".
  const cells = table.rows.filter((r) => r.mean !== null).map((r) => [
    xs.indexOf(xLabel(r.key[0])),
    ys.indexOf(yLabel(r.key[1])),
    Math.min(hi, Math.max(lo, r.mean!)),
    r.n,
    r.mean,
  ]);
  chart.setOption({
    animation: false,
    title: {
      text: `mean ${data.objective} over ${a} × ${b}`,
      left: "center",
      textStyle: { fontSize: 14 },
    },
    grid: { left: 190, right: 110, top: 56, bottom: 64 },
    tooltip: {
      formatter: (q: { value: number[] }) =>
        esc(
          `${a} = ${xs[q.value[0]]}, ${b} = ${ys[q.value[1]]}: mean ${show(q.value[4])} (n = ${
            q.value[3]
          })`,
        ),
    },
    xAxis: {
      type: "category",
      data: xs,
      name: a,
      nameLocation: "middle",
      nameGap: 34,
      axisLabel: { formatter: shorten, hideOverlap: true },
    },
    yAxis: {
      type: "category",
      data: ys,
      name: b,
      nameLocation: "end",
      nameGap: 12,
      nameTextStyle: { fontWeight: "bold" },
      axisLabel: { formatter: shorten },
    },
    visualMap: {
      dimension: 2,
      min: lo,
      max: hi,
      calculable: true,
      orient: "vertical",
      right: 8,
      top: "middle",
      text: [`${data.objective} high`, "low"],
      inRange: { color: ["#313695", "#74add1", "#fee090", "#f46d43", "#a50026"] },
    },
    series: [{
      type: "heatmap",
      data: cells,
      label: { show: cells.length <= 150, formatter: (q: { value: number[] }) => show(q.value[4]) },
    }],
  }, true);
}

/** The best (by the goal) and mean objective per generation, as [generation, value] pairs. */
export function generationSeries(data: ReportData): { best: number[][]; mean: number[][] } {
  const gens = data.runs.generation;
  const ys = data.runs.values[data.params.indexOf(data.objective!)];
  const by = new Map<number, number[]>();
  gens.forEach((g, i) => {
    const y = num(ys[i]);
    if (g === null || y === null) return;
    if (!by.has(g)) by.set(g, []);
    by.get(g)!.push(y);
  });
  const keys = [...by.keys()].sort((p, q) => p - q);
  const pick = data.goal === "minimize" ? Math.min : Math.max;
  const best = keys.map((g) => [g, pick(...by.get(g)!)]);
  const mean = keys.map((g) => [g, by.get(g)!.reduce((s, v) => s + v, 0) / by.get(g)!.length]);
  return { best, mean };
}

/** Draws the best and mean objective per generation; false when no run has a generation. */
export function drawGenerations(dom: HTMLElement, data: ReportData): boolean {
  if (!data.objective || data.runs.generation.every((g) => g === null)) return false;
  const { best, mean } = generationSeries(data);
  echarts().init(dom).setOption({
    animation: false,
    title: {
      text: `${data.objective} per generation`,
      left: "center",
      textStyle: { fontSize: 14 },
    },
    grid: GRID,
    legend: { bottom: 6, data: ["best", "mean"] },
    tooltip: { trigger: "axis" },
    xAxis: {
      type: "value",
      name: "generation",
      nameLocation: "middle",
      nameGap: 28,
      minInterval: 1,
    },
    yAxis: {
      type: "value",
      name: data.objective,
      nameLocation: "middle",
      nameGap: 50,
      scale: true,
    },
    series: [
      { name: "best", type: "line", data: best, itemStyle: { color: "#cf222e" } },
      { name: "mean", type: "line", data: mean, itemStyle: { color: "#0969da" } },
    ],
  });
  return true;
}
