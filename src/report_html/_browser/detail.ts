/// <reference lib="dom" />
/**
 * The run detail view (internal, browser): status, timing, failure (reason, error, stderr tail), every
 * parameter and record field, and links (relative to the report) to the run's files.
 *
 * @module
 */

import { el, isFailure, type ReportData, showExact } from "./data.ts";

function facts(pairs: [string, unknown][]): HTMLDListElement {
  const dl = el("dl");
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === "") continue;
    dl.append(el("dt", k), el("dd", showExact(v)));
  }
  return dl;
}

function link(href: string, text: string): HTMLAnchorElement {
  // Only relative paths built by the report (percent-encoded segments) ever reach href.
  return el("a", text, { href });
}

function fileLinks(data: ReportData, i: number): HTMLElement {
  const f = data.runs.files[i];
  const base = data.runs.href[i];
  const at = (name: string) => `${base}/${encodeURIComponent(name)}`;
  const box = el("div");
  const list = (title: string, names: string[]) => {
    if (!names.length) return;
    const p = el("p", `${title}: `);
    names.forEach((n, k) => p.append(...(k ? [", "] : []), link(at(n), n)));
    box.append(p);
  };
  list("arrays (.npy)", f.npy);
  list("objects", f.obj);
  list("videos (.mp4)", f.mp4);
  for (const fr of f.frames) {
    const p = el("p", `frames "${fr.key}": ${fr.count}, from `);
    p.append(link(at(fr.first), fr.first));
    box.append(p);
  }
  const folder = el("p", "folder: ");
  folder.append(
    link(`${base}/`, data.runs.name[i]),
    " · ",
    link(`${base}/config.ini`, "config.ini"),
  );
  box.append(folder);
  return box;
}

/** Shows run `i` in the detail view. */
export function drawDetail(data: ReportData, i: number): void {
  const r = data.runs;
  const root = document.getElementById("detail")!;
  const parts: HTMLElement[] = [el("h2", r.name[i])];
  parts.push(facts([
    ["status", r.status[i]],
    ["reason", r.reason[i]],
    ["started", r.started[i]],
    ["finished", r.finished[i]],
    ["duration_s", r.duration_s[i]],
    ["generation", r.generation[i]],
  ]));
  if (isFailure(r.status[i]) || r.error[i]) {
    const box = el("div", undefined, { class: "failbox" });
    box.append(el("h3", "failure"), el("pre", r.error[i] ?? "(no error message)"));
    if (r.stderr[i]) box.append(el("h3", "stderr (tail)"), el("pre", r.stderr[i]!));
    parts.push(box);
  }
  parts.push(el("h3", "parameters"));
  parts.push(facts(data.params.map((p, j) => [p, r.values[j][i]])));
  parts.push(el("h3", "files"), fileLinks(data, i));
  parts.push(el("h3", "run record"));
  parts.push(facts(Object.entries(r.record[i]).filter(([k]) => k !== "error")));
  root.replaceChildren(...parts);
}
