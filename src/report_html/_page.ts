/**
 * The report's HTML page (internal): the skeleton, its styles, the embedded data and both scripts.
 * Everything is inline: the file opens from `file://` with no server and no network.
 *
 * @module
 */

import { ECHARTS_VERSION } from "./vendor/pin.ts";
import { PAGE_SCRIPT } from "./_page_script.ts";
import { embedJson, embedPieces, embedScript, escapeHtml } from "./_embed.ts";

/** Characters per piece of the ECharts script written (below V8's large-object size as UTF-16). */
const SCRIPT_SLICE = 1 << 15;
import type { ReportData } from "./_report_data.ts";

const STYLE = `
:root { --fail: #fde2e1; --failtext: #9b1c1c; --line: #d0d7de; --muted: #57606a; --accent: #0969da; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1f2328; background: #fff; }
header { padding: 12px 20px; border-bottom: 1px solid var(--line); background: #f6f8fa; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header .facts span { margin-right: 16px; color: var(--muted); }
header .facts b { color: #1f2328; }
header .facts span.failed, header .facts span.failed b { color: var(--failtext); }
nav { display: flex; gap: 4px; padding: 8px 20px 0; border-bottom: 1px solid var(--line); }
nav button { border: 1px solid var(--line); border-bottom: none; background: #f6f8fa; padding: 6px 12px;
  border-radius: 6px 6px 0 0; cursor: pointer; font: inherit; }
nav button[aria-selected="true"] { background: #fff; font-weight: 600; margin-bottom: -1px; }
main { padding: 12px 20px; }
section[hidden] { display: none; }
.toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; }
.toolbar input[type=text] { flex: 1; min-width: 280px; font: 13px ui-monospace, monospace; padding: 5px 8px;
  border: 1px solid var(--line); border-radius: 6px; }
.toolbar .error { color: var(--failtext); white-space: pre; font: 12px ui-monospace, monospace; }
.muted { color: var(--muted); }
table.runs { border-collapse: collapse; width: 100%; font-size: 13px; }
table.runs th, table.runs td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left;
  white-space: nowrap; max-width: 320px; overflow: hidden; text-overflow: ellipsis; }
table.runs th { position: sticky; top: 0; background: #f6f8fa; cursor: pointer; user-select: none; }
table.runs th[aria-sort="ascending"]::after { content: " ▲"; }
table.runs th[aria-sort="descending"]::after { content: " ▼"; }
table.runs td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.runs tr.failed td { background: var(--fail); }
table.runs tr.failed td.status { color: var(--failtext); font-weight: 600; }
table.runs tbody tr:hover td { background: #eaeef2; cursor: pointer; }
.tablewrap { max-height: 70vh; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.pager { margin-top: 6px; display: flex; gap: 8px; align-items: center; }
.chart { width: 100%; height: 460px; border: 1px solid var(--line); border-radius: 6px; margin-bottom: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 12px; }
.charts .chart { height: 340px; margin: 0; }
#detail dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 12px; }
#detail dt { color: var(--muted); }
#detail dd { margin: 0; font: 13px ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }
#detail pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 8px;
  max-height: 320px; overflow: auto; white-space: pre-wrap; }
#detail h3 { margin: 16px 0 6px; font-size: 15px; }
#detail .failbox { background: var(--fail); border: 1px solid #f5b5b0; border-radius: 6px; padding: 8px; }
select { font: inherit; }
`;

const BODY = `
<header><h1 id="title"></h1><div class="facts" id="facts"></div><p id="listed-note" class="muted" hidden></p></header>
<nav role="tablist" id="tabs"></nav>
<main>
<section id="view-table">
  <div class="toolbar">
    <input type="text" id="query" placeholder='filter with a query, e.g. n > 10 && status == "done"'
      spellcheck="false" aria-label="query">
    <label><input type="checkbox" id="points"> one row per point</label>
    <span id="count" class="muted"></span>
    <button id="clear-brush" hidden>clear brush</button>
  </div>
  <div id="query-error" class="toolbar error"></div>
  <div class="tablewrap"><table class="runs" id="runs"><thead></thead><tbody></tbody></table></div>
  <div class="pager"><button id="prev">◀</button><span id="page" class="muted"></span><button id="next">▶</button></div>
</section>
<section id="view-parallel" hidden>
  <p class="muted">Drag along an axis to select a range (brush); the table shows only the runs inside every
  brushed range. Click an axis's brushed range to clear it.</p>
  <div id="parallel" class="chart"></div>
</section>
<section id="view-params" hidden><div id="params" class="charts"></div></section>
<section id="view-heatmap" hidden>
  <div class="toolbar"><label>pair <select id="pair"></select></label></div>
  <div id="heatmap" class="chart"></div>
</section>
<section id="view-generations" hidden><div id="generations" class="chart"></div></section>
<section id="view-detail" hidden><div id="detail"><p class="muted">Click a run in the table.</p></div></section>
</main>
`;

/** The runs' columns as a JSON object, one column (one parameter's values) per piece. */
function* runsPieces(runs: ReportData["runs"]): Generator<string> {
  let sep = "{";
  for (const [column, values] of Object.entries(runs)) {
    yield `${sep}${embedJson(column)}:`;
    if (column !== "values") yield* embedPieces(values);
    else {
      yield "[";
      for (let j = 0; j < runs.values.length; j++) {
        if (j) yield ",";
        yield* embedPieces(runs.values[j]);
      }
      yield "]";
    }
    sep = ",";
  }
  yield "}";
}

/** The page's data as JSON (the same text as `embedJson(data)`), one field or run column per piece. */
function* dataPieces(data: ReportData): Generator<string> {
  let sep = "{";
  for (const [key, value] of Object.entries(data)) {
    yield `${sep}${embedJson(key)}:`;
    if (key === "runs") yield* runsPieces(data.runs);
    else yield* embedPieces(value, 2); // the points' tables: { points: { rows: [10,000 rows] } }
    sep = ",";
  }
  yield "}";
}

/**
 * The whole page for `data`, in pieces (the data one field or column at a time): what
 * `atomicWriteTextPieces` writes without ever holding the page as one text. `echarts` is the vendored
 * charting script ({@linkcode echartsScript}).
 */
export function* pagePieces(data: ReportData, echarts: string): Generator<string> {
  yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; media-src 'self'">
<title>${escapeHtml(`${data.name} — sweepstore report`)}</title>
<style>${STYLE}</style>
</head>
<body>
${BODY}
<script type="application/json" id="report-data">`;
  yield* dataPieces(data);
  yield `</script>
<!-- Apache ECharts ${ECHARTS_VERSION} (Apache-2.0) -->
<script>`;
  const script = embedScript(echarts); // 1.1 M characters: written in slices (their UTF-8 copies die young)
  for (let at = 0, end; at < script.length; at = end) {
    end = Math.min(script.length, at + SCRIPT_SLICE);
    const code = script.charCodeAt(end - 1);
    if (code >= 0xd800 && code < 0xdc00) end++; // never half a surrogate pair (each piece is UTF-8 encoded)
    yield script.slice(at, end);
  }
  yield `</script>
<script>${embedScript(PAGE_SCRIPT)}</script>
</body>
</html>
`;
}

/** The whole page for `data` as one text (see {@linkcode pagePieces}). */
export function pageHtml(data: ReportData, echarts: string): string {
  return [...pagePieces(data, echarts)].join("");
}

/**
 * The vendored ECharts script (`vendor/echarts.ts`), imported when the first page is made: its module text
 * and its string take 4.5 MB of V8's heap, which a process that writes no report (a sweep until its end, a
 * slot, `sweepstore ls`) then never holds, and which a sweep's runs no longer count in the live size V8
 * sizes its old generation by.
 */
export async function echartsScript(): Promise<string> {
  return (await import("./vendor/echarts.ts")).ECHARTS_JS;
}
