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
import { type PointStats, pointStats } from "./_points.ts";

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

/** Everything the page gets (columns aligned: entry i of every column is run i). */
export interface ReportData {
  name: string;
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
}

/** The sweep's swept parameters (from its run records), else the parameters that vary (`schema()`). */
function sweptOf(group: StorageManagerGroup, objective: string): string[] {
  const schema = group.schema();
  return (schema.fromSweep ? schema.swept : schema.varying).filter((p) => p !== objective);
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
  // One StorageManager at a time (not `group.runs`, which would keep one per run, ~1 KB each).
  const names: string[] = [];
  const paths: string[] = [];
  const records: RunInfo[] = [];
  for (const sm of group) {
    names.push(sm.name);
    paths.push(sm.path);
    records.push((options.runRecord?.(sm) ?? {}) as RunInfo);
  }
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
      values: params.map((p) => group.getParamList(p)),
    },
    points: pointStats(group, swept, objective),
  };
}
