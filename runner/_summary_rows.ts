/**
 * The rows of a sweep's summary (internal, used by `summary.ts`): the runs' records kept compactly, each
 * run's row of runs.csv and entry of summary.json made when needed, and the files' texts in pieces
 * (`csvPieces`, `jsonPieces`, written by `atomicWriteTextPieces`), so a summary of 100,000 runs never
 * holds every row, the CSV text or the JSON text at once. The texts are byte for byte those of `toCSV`
 * and of `pythonJson` of the whole object.
 *
 * @module
 */

import type { ParamValue } from "../src/formats/params.ts";
import type { RunRows, ValueOf } from "../src/group/_index_rows.ts";
import { type Cell, toCSV } from "../src/group/report.ts";
import { paramCell } from "../src/group/table.ts";
import { DEFAULT_SECTION } from "../src/run/storage_manager.ts";
import type { PointTable, SummaryObjective } from "./_summary_points.ts";
import { pythonJson } from "../src/formats/_python_json.ts";

/** Each run's `duration_s` or none, in typed arrays (an array of 100,000 boxed numbers was promoted). */
export class Durations {
  #seconds: Float64Array;
  #set: Uint8Array;
  constructor(length: number) {
    this.#seconds = new Float64Array(length);
    this.#set = new Uint8Array(length);
  }
  set(i: number, seconds: number): void {
    this.#seconds[i] = seconds;
    this.#set[i] = 1;
  }
  get(i: number): number | undefined {
    return this.#set[i] ? this.#seconds[i] : undefined;
  }
}

/** One run of summary.json. */
interface SummaryRun {
  run: string;
  path: string;
  status: string;
  params: Record<string, ParamValue | null>;
  duration_s: number | null;
  error: string | null;
}

/**
 * The summary of a group before it is written: the columns, each run's record (compact, by position in
 * the group's order), counts, the first rows for the console. Rows and summary.json's runs are made one at
 * a time while the files are written (`csvPieces`, `jsonPieces`), so a sweep of 100,000 runs never holds
 * them all.
 */
export interface SummaryRows {
  columns: string[];
  /** The parameters of the tables (neither bookkeeping nor absent). */
  all: string[];
  /** The group's runs (current order) and each run's record fields. */
  rows: RunRows;
  status: string[];
  duration: Durations;
  error: Map<number, string>;
  /** Run folders not at `<group>/<name>` (a caller replaced `runs`). */
  paths: Map<number, string>;
  groupPath: string;
  /** The first `maxRows` rows of the full table. */
  head: Cell[][];
  counts: Record<string, number>;
  swept: string[];
  score: string;
  goal: SummaryObjective["goal"];
  hasScore: boolean;
  /** The parameters neither swept nor the score nor bookkeeping. */
  rest: string[];
  /** With repeats: the points. */
  points?: PointTable;
}

/** Run `i`'s parameters of the tables (`null` where it lacks one). */
export function paramsOf(summary: SummaryRows, readers: ValueOf[], i: number) {
  return Object.fromEntries(summary.all.map((p, j) => [p, readers[j](i) ?? null]));
}

/** Run `i`'s row of the full table (runs.csv). */
export function rowOf(summary: SummaryRows, readers: ValueOf[], i: number): Cell[] {
  const { swept, score, hasScore, rest } = summary;
  const params = paramsOf(summary, readers, i);
  return [
    summary.rows.name(i),
    summary.status[i],
    ...swept.map((p) => paramCell(params[p])),
    ...(hasScore ? [paramCell(params[score])] : []),
    ...rest.map((p) => paramCell(params[p])),
    paramCell(summary.duration.get(i)),
    summary.error.get(i)?.split("\n")[0],
  ];
}

/** Readers of the table's parameters (a corrupt value throws, as `sm.param` did). */
export function readersOf(summary: SummaryRows): ValueOf[] {
  return summary.all.map((p) => summary.rows.values(p, DEFAULT_SECTION));
}

/**
 * Characters per piece of a CSV file, about: a piece of 1,000 rows of a random sweep (~150 KB) was above
 * V8's large-object size (128 KB), so each piece and its flattened text were made in the large-object
 * space, which only a full GC frees (~15 MB a file for 100,000 runs); the rows per piece follow the rows'
 * length so that a piece stays well below it.
 */
const PIECE_CHARS = 32_000;
/**
 * Runs per piece of summary.json (~300 bytes each): a piece stays under V8's large-object size (128 KB),
 * so it dies young; pieces of 1,000 runs were large objects, promoted while written (+1–2 MB a summary).
 */
const JSON_PIECE_RUNS = 200;

/** A table's CSV text (`toCSV`'s, byte for byte) in pieces of about `PIECE_CHARS` characters. */
export function* csvPieces(
  columns: string[],
  length: number,
  row: (i: number) => Cell[],
): Generator<string> {
  const header = toCSV({ columns, rows: [] });
  yield header;
  let rowsPerPiece = 1; // then as many as fit the piece's characters, by the last piece's rows
  for (let start = 0; start < length;) {
    const end = Math.min(length, start + rowsPerPiece);
    const rows: Cell[][] = [];
    for (let i = start; i < end; i++) rows.push(row(i));
    const piece = toCSV({ columns, rows }).slice(header.length);
    yield piece;
    const fit = Math.floor(PIECE_CHARS / (piece.length / (end - start))); // rows of this length that fit
    rowsPerPiece = Math.max(1, Math.min(2 * rowsPerPiece, fit, 4096)); // at most doubled: rows vary
    start = end;
  }
}

/**
 * summary.json's text (`pythonJson(whole, 2)` byte for byte, `points` and `runs` its last two keys) with its
 * points (`pointPieces`, the entries of `points`; `null` without) and its runs made a piece at a time.
 */
export function* jsonPieces(
  head: Record<string, unknown>,
  summary: SummaryRows,
  pointPieces?: Iterable<string>,
): Generator<string> {
  const n = summary.rows.length;
  const text = pythonJson({ ...head, points: pointPieces ? [] : null, runs: [] });
  const runsTail = '"runs": []\n}';
  let before = text.slice(0, -runsTail.length); // up to `"runs"`, after `"points": …,\n  `
  if (pointPieces) {
    yield before.slice(0, -"[],\n  ".length) + "[";
    let any = false;
    for (const piece of pointPieces) {
      yield piece;
      any = true;
    }
    before = any ? "\n  ],\n  " : "],\n  ";
  }
  if (n === 0) {
    yield before + runsTail + "\n";
    return;
  }
  yield before + '"runs": [';
  const readers = readersOf(summary);
  for (let start = 0; start < n; start += JSON_PIECE_RUNS) {
    let piece = "";
    for (let i = start; i < Math.min(n, start + JSON_PIECE_RUNS); i++) {
      const name = summary.rows.name(i);
      const run: SummaryRun = {
        run: name,
        path: summary.paths.get(i) ?? `${summary.groupPath}/${name}`,
        status: summary.status[i],
        params: paramsOf(summary, readers, i),
        duration_s: summary.duration.get(i) ?? null,
        error: summary.error.get(i) ?? null,
      };
      // JSON strings hold no raw newline: indenting every line break nests the run by two levels
      piece += (i ? ",\n    " : "\n    ") + pythonJson(run).replaceAll("\n", "\n    ");
    }
    yield piece;
  }
  yield "\n  ]\n}\n";
}
