/// <reference lib="dom" />
/**
 * The report page's script (internal, browser; bundled into `_page_script.ts` by `_build.ts`): reads the
 * embedded data, fills the header, wires the tabs, the query filter (the project's own query language,
 * `src/group/query.ts`, bundled), sorting, paging, brushing and the run detail.
 *
 * @module
 */

import { parseQuery } from "../../group/query.ts";
import { el, isFailure, readData, type ReportData, show } from "./data.ts";
import { drawTable, type TableState, visibleRuns } from "./table.ts";
import { clearBrush, drawParallel, type ParallelView } from "./parallel.ts";
import { drawGenerations, drawHeatmap, drawParams, generationSeries } from "./plots.ts";
import { drawDetail } from "./detail.ts";
import { type Chart, echarts } from "./echarts.ts";
import { BIN_COUNT, MAX_LEVELS } from "../_bins.ts";

const $ = (id: string) => document.getElementById(id)!;

/** What the page bounds: its runs (the best by the objective) and its statistics tables (the best by mean). */
function listedNote(data: ReportData): string {
  const f = data.facts;
  const listed = data.runs.name.length;
  const parts: string[] = [];
  if (listed !== f.runs) {
    parts.push(
      `This page lists ${listed} of the ${f.runs} runs (${
        data.objective ? `the best by ${data.objective}` : "the first"
      }) in its table and run plots; the point statistics, the counts above and runs.csv cover every run.`,
    );
  }
  const points = data.points.points;
  if (points && points.rows.length < points.total) {
    parts.push(
      `Its point table lists ${points.rows.length} of the ${points.total} points (the best by ` +
        `mean ${data.objective}, each over all its runs); summary.csv has every point.`,
    );
  }
  const bounded = [...data.points.perParam, ...data.points.pairs]
    .filter((t) => t.rows.length < t.total);
  if (bounded.length) {
    parts.push(
      `The statistics by ${
        bounded.map((t) => `${t.by.join(" × ")} (${t.rows.length} of ${t.total} values)`).join(", ")
      } show the values with the best mean ${data.objective}.`,
    );
  }
  const binned = data.points.perParam.filter((t) => t.bins?.[0]);
  if (binned.length) {
    parts.push(
      `${binned.map((t) => t.by[0]).join(", ")} ${
        binned.length > 1 ? "have" : "has"
      } more than ${MAX_LEVELS} distinct values: ${
        binned.length > 1 ? "their" : "its"
      } statistics by parameter and by pair are per bin (${BIN_COUNT} equal bins, in log space over ` +
        `a range of 100× or more).`,
    );
  }
  return parts.join(" ");
}

function fillHeader(data: ReportData): void {
  $("title").textContent = data.name;
  const f = data.facts; // over every run, also those without a row here
  const counts = new Map(Object.entries(f.counts));
  const commits = [...new Set(f.commits.map(show))];
  const facts: [string, string][] = [
    ["runs", String(f.runs)],
    ...[...counts].map(([s, n]): [string, string] => [s, String(n)]),
    ["from", f.from ?? "–"],
    ["to", f.to ?? "–"],
    ...(data.points.points
      ? [["points", String(data.points.points.total)] as [string, string]]
      : []),
    ["swept", data.swept.join(", ") || "–"],
    ["objective", data.objective ? `${data.objective} (${data.goal})` : "–"],
    ...(commits.length
      ? [["git commit", commits.map((c) => c.slice(0, 12)).join(", ")] as [string, string]]
      : []),
  ];
  $("facts").replaceChildren(...facts.map(([k, v]) => {
    const s = el("span", `${k} `, { "data-fact": k });
    s.append(el("b", v));
    if (counts.has(k) && isFailure(k)) s.classList.add("failed");
    return s;
  }));
  const note = $("listed-note");
  note.textContent = listedNote(data);
  note.hidden = note.textContent === "";
  document.title = `${data.name} — sweepstore report`;
}

function lookupFor(data: ReportData): [(i: number) => void, (key: string) => unknown] {
  let row = 0;
  const cols = new Map(data.params.map((p, j) => [p, data.runs.values[j]]));
  const runFields: Record<string, unknown[]> = {
    status: data.runs.status,
    reason: data.runs.reason,
    duration_s: data.runs.duration_s,
    generation: data.runs.generation,
  };
  // Parameters first (the library's answer); the run's status, reason, duration_s and generation when no
  // parameter has that name.
  return [(i) => (row = i), (key) => (cols.get(key) ?? runFields[key])?.[row] ?? undefined];
}

function applyQuery(state: TableState, text: string): void {
  const err = $("query-error");
  err.textContent = "";
  if (!text.trim()) {
    state.queryMatch = null;
    return;
  }
  try {
    const q = parseQuery(text);
    const [at, lookup] = lookupFor(state.data);
    const n = state.data.runs.name.length;
    const match = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      at(i);
      match[i] = q.test(lookup) ? 1 : 0;
    }
    state.queryMatch = match;
  } catch (e) {
    err.textContent = (e as Error).message;
  }
}

type View = "table" | "parallel" | "params" | "heatmap" | "generations" | "detail";

/** The tabs this report has: a heatmap only with a pair of swept parameters, generations with a search. */
function viewsOf(data: ReportData): [View, string][] {
  const views: [View, string][] = [["table", "Table"], ["parallel", "Parallel coordinates"]];
  if (data.objective && data.swept.length) views.push(["params", `${data.objective} by parameter`]);
  if (data.points.pairs.length) views.push(["heatmap", "Heatmap"]);
  if (data.objective && data.runs.generation.some((g) => g !== null)) {
    views.push(["generations", "Generations"]);
  }
  views.push(["detail", "Run detail"]);
  return views;
}

/** Draws a chart view the first time it is shown (ECharts needs its box visible to size itself). */
function drawView(view: View, state: TableState, charts: Chart[]): ParallelView | null {
  const data = state.data;
  if (view === "parallel") {
    const parallel = drawParallel($("parallel"), data, (match) => {
      state.brushMatch = match;
      state.page = 0;
      ($("clear-brush") as HTMLButtonElement).hidden = match === null;
      drawTable(state);
    });
    if (parallel) charts.push(parallel.chart);
    return parallel;
  }
  if (view === "params") charts.push(...drawParams($("params"), data));
  else if (view === "heatmap") {
    const chart = echarts().init($("heatmap"));
    charts.push(chart);
    const select = $("pair") as HTMLSelectElement;
    select.replaceChildren(
      ...data.points.pairs.map((t, k) => el("option", t.by.join(" × "), { value: String(k) })),
    );
    select.addEventListener(
      "change",
      () => drawHeatmap(chart, data, data.points.pairs[Number(select.value)]),
    );
    drawHeatmap(chart, data, data.points.pairs[0]);
  } else if (view === "generations") drawGenerations($("generations"), data);
  return null;
}

/** The query box (applied 150 ms after the last key), the per-point switch and the pager. */
function wireTable(state: TableState, onQuery: (text: string) => void): void {
  const data = state.data;
  const query = $("query") as HTMLInputElement;
  let timer: ReturnType<typeof setTimeout> | undefined;
  query.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      applyQuery(state, query.value);
      state.page = 0;
      drawTable(state);
      onQuery(query.value);
    }, 150);
  });
  $("points").addEventListener("change", (e) => {
    state.pointsMode = (e.target as HTMLInputElement).checked;
    state.sortKey = state.pointsMode ? "s:mean" : data.objective ? `p:${data.objective}` : null;
    state.descending = data.goal !== "minimize";
    state.page = 0;
    drawTable(state);
  });
  $("prev").addEventListener("click", () => (state.page--, drawTable(state)));
  $("next").addEventListener("click", () => (state.page++, drawTable(state)));
}

function boot(): void {
  const data = readData();
  fillHeader(data);
  const charts: Chart[] = [];
  let parallel: ParallelView | null = null;
  const drawn = new Set<View>();
  const state: TableState = {
    data,
    queryMatch: null,
    brushMatch: null,
    sortKey: data.objective ? `p:${data.objective}` : null,
    descending: data.goal !== "minimize",
    page: 0,
    pointsMode: false,
    onRun: (i) => {
      drawDetail(data, i);
      show("detail");
    },
  };
  const views = viewsOf(data);
  const buttons = views.map(([id, label]) => {
    const b = el("button", label, { role: "tab", "data-view": id, "aria-selected": "false" });
    b.addEventListener("click", () => show(id));
    return b;
  });
  $("tabs").replaceChildren(...buttons);
  function show(view: View): void {
    for (const [id] of views) $(`view-${id}`).hidden = id !== view;
    for (const b of buttons) b.setAttribute("aria-selected", String(b.dataset.view === view));
    if (!drawn.has(view)) {
      drawn.add(view);
      parallel = drawView(view, state, charts) ?? parallel;
    }
    for (const c of charts) c.resize();
  }
  // For the browser tests and the benchmark: the state, the plot, the runs shown, the last query applied.
  const api = {
    state,
    lastQuery: "",
    parallel: () => parallel,
    visibleRuns: () => visibleRuns(state),
    generations: () => generationSeries(data),
    show,
  };
  wireTable(state, (text) => (api.lastQuery = text));
  $("clear-brush").addEventListener("click", () => parallel && clearBrush(parallel));
  addEventListener("resize", () => charts.forEach((c) => c.resize()));
  show("table");
  drawTable(state);
  Object.assign(globalThis, { sweepstoreReport: api });
  document.body.dataset.ready = String(performance.now());
}

boot();
