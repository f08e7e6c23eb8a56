/**
 * plot.svg of a sweep's summary (internal, used by `summary.ts`): the score against each swept parameter,
 * one panel per parameter with numbers, stacked in one SVG written in pieces. Each panel's lists (x and
 * y of every run) are made when that panel is written and dropped after it: made for every panel up front
 * and held until written, a random sweep of 100,000 points over three parameters kept six lists of
 * 100,000 values alive long enough to be promoted (bench/README.md, "Session 22: the summary files").
 *
 * @module
 */

import type { StorageManagerGroup } from "../src/group/group.ts";
import { rowsOf } from "../src/group/group_views.ts";
import { DEFAULT_SECTION } from "../src/run/storage_manager.ts";
import { getReducer, removeDuplicatesGetEval } from "../src/group/reducers.ts";
import { plotSvgLines } from "../src/group/plot.ts";

function isNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/**
 * The fewest runs per distinct x, on average, for which a panel draws the mean ± std per x: x values that
 * repeat (a grid, repeats), not the few chance duplicates of a random search (3 among 100,000 samples made
 * a "summary" of 99,997 error bars over the dots, ~100 MB of promoted lists and lines).
 */
const RUNS_PER_X = 2;

/** The plot's mean ± std per distinct x (`removeDuplicatesGetEval`), when x values repeat (`RUNS_PER_X`). */
function meanStd(x: unknown[], y: unknown[]) {
  const [ux, mean] = removeDuplicatesGetEval(x, y, "mean");
  let count = 0;
  for (const v of x) if (isNumber(v)) count++;
  return ux.length * RUNS_PER_X <= count
    ? { x: ux, mean, std: removeDuplicatesGetEval(x, y, "std")[1] }
    : undefined;
}

/**
 * `meanStd` when every x is a finite number and every y a number (a sweep's usual panel), without a `Map`
 * of lists (one per distinct x: for 100,000 random samples, ~100,000 lists promoted, ~30 MB a panel):
 * the distinct x sorted in a `Float64Array`, the runs ordered by their x's rank (a counting sort, run order
 * kept within an x), each x's list of y made, reduced and dropped in turn — the same reducers on the same
 * lists as `removeDuplicatesGetEval`, so the same numbers. `null` when a value is not of that kind.
 */
function meanStdOfNumbers(x: unknown[], y: unknown[]) {
  const n = x.length;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!isNumber(x[i]) || typeof y[i] !== "number") return null;
    xs[i] = (x[i] as number) || 0; // -0 as 0, as removeDuplicatesGetEval's keys
  }
  const sorted = xs.slice().sort();
  let groups = 0;
  for (let k = 0; k < n; k++) {
    if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[groups++] = sorted[k];
  }
  if (groups * RUNS_PER_X > n) return undefined; // x values do not repeat: nothing drawn
  const distinct = sorted.subarray(0, groups);
  const rank = new Int32Array(n);
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < n; i++) {
    let lo = 0, hi = groups - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid] < xs[i]) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
    start[lo + 1]++;
  }
  for (let g = 0; g < groups; g++) start[g + 1] += start[g];
  const order = new Int32Array(n);
  const next = start.slice(0, groups);
  for (let i = 0; i < n; i++) order[next[rank[i]]++] = i;
  const ux: number[] = new Array(groups), mean: number[] = new Array(groups);
  const std: number[] = new Array(groups);
  for (let g = 0; g < groups; g++) {
    const list: number[] = [];
    for (let k = start[g]; k < start[g + 1]; k++) list.push(y[order[k]] as number);
    ux[g] = distinct[g];
    mean[g] = meanOf(list);
    std[g] = stdOf(list);
  }
  return { x: ux, mean, std };
}

const meanOf = getReducer("mean"), stdOf = getReducer("std");

/** Whether some run holds a finite number for `param` (read as `getMultiParamList` reads it). */
function anyNumber(group: StorageManagerGroup, param: string): boolean {
  const rows = rowsOf(group);
  const read = rows.values(param, DEFAULT_SECTION);
  for (let i = 0; i < rows.length; i++) if (isNumber(read(i))) return true;
  return false;
}

/**
 * One panel's arguments of `plotSvgLines`: its x list made now (`getMultiParamList([p, score])`'s, whose y
 * list is the score's `getParamList`, `y`, made once for every panel: each list of 100,000 runs is a large
 * object, which only a full GC frees).
 */
function panelOf(
  group: StorageManagerGroup,
  p: string,
  score: string,
  y: unknown[],
): Parameters<typeof plotSvgLines> {
  const x = group.getParamList(p);
  // mean ± std per x, drawn when x values repeat
  let summary = meanStdOfNumbers(x, y);
  if (summary === null) summary = meanStd(x, y); // other values: the general rule
  let min = Infinity, max = -Infinity, positive = true, any = false;
  for (const v of x) {
    if (!isNumber(v)) continue;
    any = true;
    if (v <= 0) positive = false;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const xLog = any && positive && max / min >= 100;
  const title = `${score} against ${p} (${group.name}, ${group.length} runs)`;
  return [{ points: { x, y }, summary, xLabel: p, yLabel: score, title }, { xLog }];
}

/**
 * One SVG holding one plot per swept parameter with numbers, stacked, as pieces (written through a file
 * handle: a sweep of 100,000 points makes a plot of ~4 MB, never one string); `undefined` when no panel
 * has numbers. The panels are counted first (the SVG's height), without their lists.
 */
export function stackedPlots(
  group: StorageManagerGroup,
  params: string[],
  score: string,
): Iterable<string> | undefined {
  if (!anyNumber(group, score)) return undefined;
  const shown = params.filter((p) => anyNumber(group, p));
  return shown.length ? stackedPieces(group, shown, score) : undefined;
}

/**
 * The stacked SVG's pieces: each panel's lines and their "\n", made as they are written (a plot of 100,000
 * points is never one string nor held whole), its opening tag placed at its row.
 */
function* stackedPieces(
  group: StorageManagerGroup,
  params: string[],
  score: string,
): Generator<string> {
  const h = 420;
  const y = group.getParamList(score);
  yield `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="${
    h * params.length
  }" viewBox="0 0 640 ${h * params.length}">\n`;
  for (let i = 0; i < params.length; i++) {
    let first = true;
    for (const line of plotSvgLines(...panelOf(group, params[i], score, y))) {
      yield first
        ? line.replace(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" /, `<svg x="0" y="${i * h}" `)
        : line;
      yield "\n";
      first = false;
    }
  }
  yield `</svg>\n`;
}
