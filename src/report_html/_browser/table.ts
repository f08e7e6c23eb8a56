/// <reference lib="dom" />
/**
 * The table view (internal, browser): one row per run (or per point), sortable by any column (the
 * project's value order, `compareParamValues`), paged, failures highlighted; a click opens the run.
 *
 * @module
 */

import { compareParamValues } from "../../group/order.ts";
import { el, isFailure, type ReportData, show } from "./data.ts";

/** What the table shows: the runs passing the filters, in the chosen order. */
export interface TableState {
  data: ReportData;
  /** 1 where run i passes the query (null: no query). */
  queryMatch: Uint8Array | null;
  /** 1 where run i lies inside every brushed range (null: no brush). */
  brushMatch: Uint8Array | null;
  sortKey: string | null;
  descending: boolean;
  page: number;
  pointsMode: boolean;
  onRun: (i: number) => void;
}

/** Rows per page. */
export const PAGE_SIZE = 100;
const HIDDEN = new Set(["time", "git_commit", "git_dirty"]);
/** The table's own run columns: a parameter of the same name is labelled "<name> (parameter)". */
const RUN_COLUMNS = new Set(["run", "status", "reason", "duration_s"]);

interface Column {
  key: string;
  label: string;
  value: (i: number) => unknown;
  numeric?: boolean;
}

function runColumns(d: ReportData): Column[] {
  const r = d.runs;
  const param = (p: string): Column => {
    const j = d.params.indexOf(p);
    const label = RUN_COLUMNS.has(p) ? `${p} (parameter)` : p;
    return { key: `p:${p}`, label, value: (i) => r.values[j][i] };
  };
  const rest = d.params.filter((p) => !d.swept.includes(p) && p !== d.objective && !HIDDEN.has(p));
  return [
    { key: "run", label: "run", value: (i) => r.name[i] },
    { key: "status", label: "status", value: (i) => r.status[i] },
    ...d.swept.map(param),
    ...(d.objective ? [param(d.objective)] : []),
    { key: "reason", label: "reason", value: (i) => r.reason[i] },
    { key: "duration_s", label: "duration_s", value: (i) => r.duration_s[i] },
    ...rest.map(param),
  ];
}

function pointColumns(d: ReportData): Column[] {
  const rows = d.points.points?.rows ?? [];
  const stat = (k: "runs" | "n" | "mean" | "std" | "lo" | "hi", label: string): Column => ({
    key: `s:${k}`,
    label,
    value: (i) => rows[i][k],
  });
  const stats = [
    stat("runs", "runs"),
    stat("n", "n"),
    stat("mean", `mean ${d.objective ?? ""}`.trim()),
    stat("std", "std"),
    stat("lo", "95% CI low"),
    stat("hi", "95% CI high"),
  ];
  const statLabels = new Set(stats.map((c) => c.label));
  // A swept parameter named like a statistic (runs, n, std) is labelled as the parameter it is.
  const label = (p: string) => statLabels.has(p) ? `${p} (parameter)` : p;
  return [
    ...d.swept.map((p, j): Column => ({
      key: `p:${p}`,
      label: label(p),
      value: (i) => rows[i].key[j],
    })),
    ...stats,
  ];
}

/** The runs passing both filters, in table order. */
export function visibleRuns(s: TableState): number[] {
  const n = s.data.runs.name.length;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if ((s.queryMatch === null || s.queryMatch[i]) && (s.brushMatch === null || s.brushMatch[i])) {
      out.push(i);
    }
  }
  return out;
}

function sortRows(rows: number[], columns: Column[], s: TableState): void {
  const col = columns.find((c) => c.key === s.sortKey);
  if (!col) return;
  if (col.key === "run") {
    const coll = new Intl.Collator(undefined, { numeric: true });
    rows.sort((a, b) =>
      coll.compare(String(col.value(a)), String(col.value(b))) * (s.descending ? -1 : 1)
    );
    return;
  }
  rows.sort((a, b) => compareParamValues(col.value(a), col.value(b), { descending: s.descending }));
}

function visiblePoints(s: TableState, runs: number[]): number[] {
  const d = s.data;
  const rows = d.points.points?.rows ?? [];
  // Unfiltered: every point listed (with more runs than the page lists, also those without a listed run).
  if (s.queryMatch === null && s.brushMatch === null) return rows.map((_, i) => i);
  const cols = d.swept.map((p) => d.params.indexOf(p));
  const keyOf = (vals: unknown[]) => vals.map(show).join("\u0001");
  const shown = new Set(runs.map((i) => keyOf(cols.map((j) => d.runs.values[j][i]))));
  return rows.map((_, i) => i).filter((i) => shown.has(keyOf(rows[i].key)));
}

function header(thead: HTMLElement, columns: Column[], s: TableState, redraw: () => void): void {
  const tr = el("tr");
  for (const c of columns) {
    const th = el("th", c.label, { "data-key": c.key, title: `sort by ${c.label}` });
    if (c.key === s.sortKey) {
      th.setAttribute("aria-sort", s.descending ? "descending" : "ascending");
    }
    th.addEventListener("click", () => {
      s.descending = s.sortKey === c.key ? !s.descending : c.key !== "run" && c.key !== "status";
      s.sortKey = c.key;
      s.page = 0;
      redraw();
    });
    tr.append(th);
  }
  thead.replaceChildren(tr);
}

/** Draws the table for the current state. */
export function drawTable(s: TableState): void {
  const table = document.getElementById("runs") as HTMLTableElement;
  const columns = s.pointsMode ? pointColumns(s.data) : runColumns(s.data);
  const runs = visibleRuns(s);
  const rows = s.pointsMode ? visiblePoints(s, runs) : runs;
  sortRows(rows, columns, s);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  s.page = Math.min(s.page, pages - 1);
  const redraw = () => drawTable(s);
  header(table.tHead!, columns, s, redraw);
  const body = document.createDocumentFragment();
  for (const i of rows.slice(s.page * PAGE_SIZE, (s.page + 1) * PAGE_SIZE)) {
    const tr = el("tr", undefined, { "data-row": String(i) });
    if (!s.pointsMode && isFailure(s.data.runs.status[i])) {
      tr.className = "failed";
      const why = [s.data.runs.reason[i], s.data.runs.error[i]?.split("\n")[0]].filter(Boolean);
      tr.title = why.join(": ");
    }
    for (const c of columns) {
      const v = c.value(i);
      const td = el("td", show(v));
      if (typeof v === "number" || typeof v === "bigint") td.className = "num";
      if (c.key === "status") td.className = "status";
      tr.append(td);
    }
    if (!s.pointsMode) tr.addEventListener("click", () => s.onRun(i));
    body.append(tr);
  }
  table.tBodies[0].replaceChildren(body);
  const total = s.pointsMode ? (s.data.points.points?.rows.length ?? 0) : s.data.runs.name.length;
  document.getElementById("count")!.textContent = `${rows.length} of ${total} ${
    s.pointsMode ? "points" : "runs"
  }`;
  document.getElementById("page")!.textContent = `page ${s.page + 1} of ${pages}`;
  (document.getElementById("prev") as HTMLButtonElement).disabled = s.page === 0;
  (document.getElementById("next") as HTMLButtonElement).disabled = s.page >= pages - 1;
}
