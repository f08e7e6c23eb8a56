/**
 * What the HTML report shows, collected from a group (internal): the runs column by column (parameters and
 * run-record fields), their files, the stderr tail of failed runs, and the per-point statistics.
 *
 * @module
 */

import { relative, sep } from "node:path";
import type { ParamValue } from "../formats/params.ts";
import type { StorageManager } from "../run/storage_manager.ts";
import type { StorageManagerGroup } from "../group/group.ts";
import { mapBounded } from "../group/_load.ts";
import { rowsOf } from "../group/group_views.ts";
import { DEFAULT_SECTION } from "../run/config_store.ts";
import { compareParamValues } from "../group/order.ts";
import { sweptOrVaryingOfRows } from "../group/schema.ts";
import { MAX_REPORT_POINTS, type PointStats, pointStats } from "./_points.ts";

/** The fields of a run's record the report reads (the runner's `[Run]` section has them all). */
export interface RunInfo {
  /** `running`, `done`, `failed`, `timeout`, `interrupted`. */
  status?: string;
  /** Why it did not end `done`. */
  reason?: string;
  /** The error message. */
  error?: string;
  /** ISO 8601 start. */
  started?: string;
  /** The project's git commit when the sweep started (`[Run] git_commit`). */
  git_commit?: string;
  /** ISO 8601 end. */
  finished?: string;
  /** Wall time, seconds. */
  duration_s?: number;
  /** The stderr tail file, relative to the run folder. */
  stderr_log?: string;
  /** The adaptive search's generation of the run. */
  generation?: number;
}

/** One key's frames of a run: `<key>1.png …` as a count and the first file. */
export interface FrameSet {
  key: string;
  count: number;
  first: string;
}

/** The files of a run the report links to (names relative to the run folder). */
export interface RunFiles {
  npy: string[];
  obj: string[];
  mp4: string[];
  frames: FrameSet[];
}

/** The header's facts, over every run of the group (also those without a row in `runs`). */
export interface ReportFacts {
  /** The number of runs of the group. */
  runs: number;
  /** Runs by status (`unknown` without a run record). */
  counts: Record<string, number>;
  /** The earliest `started`/`finished` and the latest, ISO 8601. */
  from: string | null;
  to: string | null;
  /** The distinct values of `git_commit`. */
  commits: ParamValue[];
}

/**
 * Everything the page gets (columns aligned: entry i of every column is run i). `runs` holds at most
 * {@linkcode MAX_REPORT_RUNS} runs (`facts.runs` says how many the group has); `points` covers all.
 */
export interface ReportData {
  name: string;
  facts: ReportFacts;
  written: string;
  objective: string | null;
  goal: "maximize" | "minimize";
  swept: string[];
  params: string[];
  runs: {
    name: string[];
    /** The run folder relative to the report, `/`-separated. */
    href: string[];
    status: string[];
    reason: (string | null)[];
    error: (string | null)[];
    stderr: (string | null)[];
    started: (string | null)[];
    finished: (string | null)[];
    duration_s: (number | null)[];
    generation: (number | null)[];
    /** The whole record, for the detail view. */
    record: Record<string, unknown>[];
    files: RunFiles[];
    /** One column per parameter of `params`. */
    values: (ParamValue | null)[][];
  };
  points: PointStats;
}

/**
 * At most this many runs get a row of their own in the page (the table, the parallel plot, the per-run
 * dots): with an objective the best ones by it, else the first in the group's order; the header's facts
 * and the per-point statistics always cover every run, and the page says how many runs it lists. (A page
 * with 100,000 runs took its writer ~700 MB and the browser seconds per redraw.)
 */
export const MAX_REPORT_RUNS = 10_000;

/** The characters of a stderr tail shown. */
const STDERR_TAIL = 2000;
const FILE_READS = 16;

async function readTail(path: string): Promise<string | null> {
  try {
    using file = await Deno.open(path);
    const size = (await file.stat()).size;
    const start = Math.max(0, size - STDERR_TAIL * 2);
    await file.seek(start, Deno.SeekMode.Start);
    const buf = new Uint8Array(size - start);
    let off = 0;
    while (off < buf.length) {
      const n = await file.read(buf.subarray(off));
      if (n === null) break;
      off += n;
    }
    const text = new TextDecoder().decode(buf.subarray(0, off));
    return text.length > STDERR_TAIL ? "…" + text.slice(-STDERR_TAIL) : text;
  } catch {
    return null;
  }
}

const FRAME = /^(.*?)(\d+)\.png$/;

async function runFiles(dir: string): Promise<RunFiles> {
  const files: RunFiles = { npy: [], obj: [], mp4: [], frames: [] };
  const frames = new Map<string, FrameSet & { n: number }>();
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isFile) continue;
      const n = e.name;
      if (n.endsWith(".npy")) files.npy.push(n);
      else if (n.endsWith(".mp4")) files.mp4.push(n);
      else if (n.endsWith(".cbor") || n.endsWith(".obj")) files.obj.push(n);
      else {
        const m = FRAME.exec(n);
        if (!m) continue;
        const nr = Number(m[2]);
        const f = frames.get(m[1]);
        if (!f) frames.set(m[1], { key: m[1], count: 1, first: n, n: nr });
        else {
          f.count++;
          if (nr < f.n) Object.assign(f, { first: n, n: nr });
        }
      }
    }
  } catch {
    // A run folder that went away while the report is written lists no files.
  }
  for (const list of [files.npy, files.obj, files.mp4]) list.sort();
  files.frames = [...frames.values()].map(({ key, count, first }) => ({ key, count, first }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return files;
}

/** A path relative to the report's folder, `/`-separated and percent-encoded for an `href`. */
function hrefOf(reportDir: string, runDir: string): string {
  const rel = relative(reportDir, runDir) || ".";
  return rel.split(sep).map((s) => (s === ".." || s === "." ? s : encodeURIComponent(s))).join("/");
}

/** Options of {@linkcode collectReport}. */
export interface CollectOptions {
  reportDir: string;
  objective: string;
  goal: "maximize" | "minimize";
  swept?: string[];
  runRecord?: (sm: StorageManager) => RunInfo;
  /** Every run's record by position (`HtmlReportOptions.runRecords`), used instead of `runRecord`. */
  runRecords?: (
    group: StorageManagerGroup,
    fields?: readonly string[],
  ) => (index: number) => RunInfo;
  /** At most this many runs get a row (tests pass a small number). @default {MAX_REPORT_RUNS} */
  maxRuns?: number;
  /** At most this many rows per point-statistics table (tests pass a small number). @default {MAX_REPORT_POINTS} */
  maxPoints?: number;
}

/** The sweep's swept parameters (from its run records), else the parameters that vary (as `schema()`). */
function sweptOf(group: StorageManagerGroup, objective: string): string[] {
  return sweptOrVaryingOfRows(rowsOf(group)).params.filter((p) => p !== objective);
}

/**
 * Which runs get a row (by position in the group's order): `null` for all (at most `max`), else the best
 * `max` by the objective (the first ones without an objective), kept in the group's order.
 */
function shownRuns(
  group: StorageManagerGroup,
  objective: string | null,
  goal: "maximize" | "minimize",
  max: number,
): Uint8Array | null {
  const n = group.length;
  if (n <= max) return null;
  const keep = new Uint8Array(n);
  if (objective === null) {
    keep.fill(1, 0, max);
    return keep;
  }
  const ys = group.getParamList(objective);
  const order = Array.from({ length: n }, (_, i) => i);
  const descending = goal !== "minimize";
  order.sort((a, b) => compareParamValues(ys[a], ys[b], { descending }) || a - b);
  for (let k = 0; k < max; k++) keep[order[k]] = 1;
  return keep;
}

/** The fields of a run's record {@linkcode addFacts} reads. */
const FACT_FIELDS = ["status", "started", "finished", "git_commit"] as const;

/** Counts a run's status and widens the time span by its start and end. */
function addFacts(facts: ReportFacts, r: RunInfo): void {
  const status = r.status ?? "unknown";
  facts.counts[status] = (facts.counts[status] ?? 0) + 1;
  for (const t of [r.started, r.finished]) {
    if (!t) continue;
    if (facts.from === null || t < facts.from) facts.from = t;
    if (facts.to === null || t > facts.to) facts.to = t;
  }
  if (typeof r.git_commit === "string" && !facts.commits.includes(r.git_commit)) {
    facts.commits.push(r.git_commit);
  }
}

/** The listed runs' names, folders and records (`keep`: which; `null` for all); every run's record counted in `facts`. */
function listedRuns(
  group: StorageManagerGroup,
  options: CollectOptions,
  keep: Uint8Array | null,
  facts: ReportFacts,
): { names: string[]; paths: string[]; records: RunInfo[] } {
  const names: string[] = [];
  const paths: string[] = [];
  const records: RunInfo[] = [];
  const perRun = (i: number) => (options.runRecord?.(group.at(i)!) ?? {}) as RunInfo;
  const recordAt = options.runRecords?.(group) ?? perRun;
  // of the runs not listed only what the facts need (whole records through runRecord)
  const factsAt = keep === null || !options.runRecords
    ? recordAt
    : options.runRecords(group, FACT_FIELDS);
  for (let i = 0; i < group.length; i++) {
    if (keep !== null && !keep[i]) {
      addFacts(facts, factsAt(i));
      continue;
    }
    const r = recordAt(i);
    addFacts(facts, r);
    const sm = group.at(i)!;
    names.push(sm.name);
    paths.push(sm.path);
    records.push(r);
  }
  return { names, paths, records };
}

/** Collects the report's data from a loaded group. */
export async function collectReport(
  group: StorageManagerGroup,
  options: CollectOptions,
): Promise<ReportData> {
  const params = group.getAllParams();
  const objective = params.includes(options.objective) ? options.objective : null;
  const swept = options.swept?.map((s) => s.toLowerCase()).filter((s) => params.includes(s)) ??
    sweptOf(group, options.objective);
  const keep = shownRuns(group, objective, options.goal, options.maxRuns ?? MAX_REPORT_RUNS);
  const facts: ReportFacts = { runs: group.length, counts: {}, from: null, to: null, commits: [] };
  const { names, paths, records } = listedRuns(group, options, keep, facts);
  if (params.includes("git_commit")) { // recorded by copyProjectFiles in [Parameters]
    for (const c of group.getParamList("git_commit")) {
      if (typeof c === "string" && !facts.commits.includes(c)) facts.commits.push(c);
    }
  }
  const rows = rowsOf(group);
  const shown = keep === null ? null : keep.reduce<number[]>((a, k, j) => (k && a.push(j), a), []);
  const column = (p: string) => {
    if (shown === null) return group.getParamList(p);
    const read = rows.values(p, DEFAULT_SECTION); // only the listed runs' values, as getParamList reads them
    return shown.map((j) => read(j) ?? null);
  };
  const failed = (r: RunInfo) =>
    r.status !== undefined && r.status !== "done" && r.status !== "running";
  const stderr = await mapBounded(paths, FILE_READS, async (path, i) => {
    const r = records[i];
    return failed(r) && r.stderr_log ? await readTail(`${path}${sep}${r.stderr_log}`) : null;
  });
  const files = await mapBounded(paths, FILE_READS, (path) => runFiles(path));
  const pick = <T>(f: (r: RunInfo) => T | undefined) => records.map((r) => f(r) ?? null);
  return {
    name: group.name,
    facts,
    written: new Date().toISOString(),
    objective,
    goal: options.goal,
    swept,
    params,
    runs: {
      name: names,
      href: paths.map((path) => hrefOf(options.reportDir, path)),
      status: records.map((r) => r.status ?? "unknown"),
      reason: pick((r) => r.reason),
      error: pick((r) => r.error),
      stderr,
      started: pick((r) => r.started),
      finished: pick((r) => r.finished),
      duration_s: pick((r) => r.duration_s),
      generation: pick((r) => (typeof r.generation === "number" ? r.generation : undefined)),
      record: records as Record<string, unknown>[],
      files,
      values: params.map(column),
    },
    points: pointStats(group, swept, objective, {
      goal: options.goal,
      maxRows: options.maxPoints ?? MAX_REPORT_POINTS,
    }),
  };
}
