/**
 * The SLURM sweep file that every array task reads: `<group>/sweeps/<id>.json` (the sweep, readable by
 * people) and `<id>.tasks.cbor` (the tasks, in CBOR, so that every value a run folder can store reaches the
 * nodes unchanged: NaN, ±Infinity, -0, BigInt).
 *
 * @module
 */

import { join } from "node:path";
import { atomicWrite, atomicWriteText } from "../../src/formats/atomic.ts";
import { decodeObject, encodeObject } from "../../src/formats/objects.ts";
import { sweepFilesFolder } from "../../src/layout.ts";
import { StorageError } from "../../src/errors.ts";
import { fsError } from "../../src/run/_fs_error.ts";
import type { SweepTask } from "../sweep.ts";

/** What is written to the sweep file. */
export interface SweepFile {
  /** File format version: 2 keeps the tasks in `<id>.tasks.cbor` (1: in the JSON, lossy). */
  version: 1 | 2;
  /** The sweep's id. */
  id: string;
  /** The sweep's name. */
  name: string;
  /** The Data folder (absolute; on a file system that every node shares). */
  dataFolder: string;
  /** The simulation module's URL. */
  simulation: string;
  /** Points per array task. */
  chunk: number;
  /** In-task retries of a failed run. */
  retries: number;
  /** Take point claims before each run (a resume sweep). */
  resume?: boolean;
  /** How long a run gets after SIGTERM aborted its `ctx.signal`, in ms. */
  graceMs?: number;
  /** The tasks (points × repeats) to run. */
  tasks: SweepTask[];
  /** The swept parameter names (plot axes). */
  swept: string[];
  /** Submitted job ids (one per job array), in the order of their array tasks. */
  jobs: string[];
  /**
   * The job arrays: array task `first + i` of the sweep is SLURM's `<job>_<i>`. Absent in older files
   * (one array: `jobs.at(-1)`, from task 0).
   */
  arrays?: SweepArray[];
  /** Submitted with `--requeue` (`slurm.requeue`): SIGTERM marks the running run `preempted`. */
  requeue?: boolean;
  /** Why SLURM never accepted the sweep (sbatch's message): nothing of it runs or is pending. */
  refused?: string;
  /** When the file was written. */
  created: string;
}

/** One job array of a sweep: SLURM's `<job>_<i>` is the sweep's array task `first + i`. */
export interface SweepArray {
  /** The array's job id. */
  job: string;
  /** The sweep's array task of its task 0. */
  first: number;
  /** How many array tasks it has (its indices are 0 … count-1). */
  count: number;
}

/**
 * The job arrays of a sweep file (older files: one array, the newest job, from task 0).
 *
 * @example
 * ```ts
 * import { sweepArrays, type SweepFile } from "./sweep_file.ts";
 * const file = { jobs: ["7"], tasks: [{}, {}, {}], chunk: 2 } as unknown as SweepFile;
 * console.log(sweepArrays(file)); // [ { job: "7", first: 0, count: 2 } ]
 * ```
 */
export function sweepArrays(file: SweepFile): SweepArray[] {
  if (file.arrays) return file.arrays;
  const job = file.jobs.at(-1);
  return job ? [{ job, first: 0, count: Math.ceil(file.tasks.length / file.chunk) }] : [];
}

/**
 * SLURM's id (`<job>_<task>`) of a sweep's array task, or undefined when no array holds it.
 *
 * @example
 * ```ts
 * import { slurmTaskId, type SweepFile } from "./sweep_file.ts";
 * const file = { jobs: ["7", "8"], arrays: [{ job: "7", first: 0, count: 11 }, { job: "8", first: 11, count: 3 }] };
 * console.log(slurmTaskId(file as unknown as SweepFile, 12)); // "8_1"
 * ```
 */
export function slurmTaskId(file: SweepFile, arrayTask: number): string | undefined {
  const a = sweepArrays(file).find((a) => arrayTask >= a.first && arrayTask < a.first + a.count);
  return a ? `${a.job}_${arrayTask - a.first}` : undefined;
}

function tasksPath(path: string): string {
  return path.replace(/\.json$/, ".tasks.cbor");
}

/**
 * Writes a sweep file (and its tasks file, unless `tasks: false`) crash-safely.
 *
 * @example
 * ```ts
 * import { readSweepFile, writeSweepFile } from "@sweepstore/sweepstore/runner";
 * const dir = await Deno.makeTempDir();
 * const file = { version: 2 as const, id: "s1", name: "S", dataFolder: dir, simulation: "file:///sim.ts",
 *   chunk: 1, retries: 0, swept: ["x"], jobs: [], created: new Date().toISOString(),
 *   tasks: [{ index: 0, params: { x: NaN }, repeat: 0, seed: 1, point: "{}" }] };
 * await writeSweepFile(`${dir}/s1.json`, file);
 * console.log((await readSweepFile(`${dir}/s1.json`)).tasks[0].params.x); // NaN
 * ```
 */
export async function writeSweepFile(
  path: string,
  file: SweepFile,
  options: { tasks?: boolean } = {},
): Promise<void> {
  if (options.tasks !== false) await atomicWrite(tasksPath(path), encodeObject(file.tasks));
  const { tasks: _tasks, ...rest } = file;
  await atomicWriteText(path, JSON.stringify({ ...rest, version: 2 }, null, 1) + "\n");
}

/**
 * Reads a sweep file (version 1 or 2).
 *
 * @throws {StorageError} code `unsupported` for a sweep file of another version, `corrupt` for a file that
 * is not a sweep file (no version, no tasks). A file that is not JSON throws the `SyntaxError` of
 * `JSON.parse`.
 *
 * @example
 * ```ts ignore
 * import { listSweepFiles, readSweepFile } from "@sweepstore/sweepstore/runner";
 * const [newest] = await listSweepFiles("/project/Data", "MySweep");
 * console.log((await readSweepFile(newest)).jobs);
 * ```
 */
export async function readSweepFile(path: string): Promise<SweepFile> {
  const file = JSON.parse(await Deno.readTextFile(path)) as SweepFile | null;
  const version: unknown = file?.version;
  if (file === null || (version !== 1 && version !== 2)) {
    const code = typeof version === "number" ? "unsupported" : "corrupt";
    throw new StorageError(
      `${path} is not a sweepstore sweep file (version 1 or 2; it has version ${version}): ` +
        `move it away to use an older one`,
      { path, code },
    );
  }
  if (file.version === 2) {
    file.tasks = decodeObject(await Deno.readFile(tasksPath(path)), tasksPath(path)) as SweepTask[];
  }
  if (!Array.isArray(file.tasks)) {
    throw new StorageError(
      `${path} is not a sweepstore sweep file (it has no tasks): move it away to use an older one`,
      { path, code: "corrupt" },
    );
  }
  return file;
}

/**
 * The sweep files of a group, newest first.
 *
 * @example
 * ```ts
 * import { listSweepFiles } from "@sweepstore/sweepstore/runner";
 * console.log(await listSweepFiles(await Deno.makeTempDir(), "MySweep")); // []
 * ```
 */
export async function listSweepFiles(dataFolder: string, name: string): Promise<string[]> {
  const dir = sweepFilesFolder(dataFolder, name);
  const files: { path: string; mtime: number }[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && e.name.endsWith(".json")) {
        const path = join(dir, e.name);
        files.push({ path, mtime: (await Deno.stat(path)).mtime?.getTime() ?? 0 });
      }
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotADirectory) {
      throw fsError(err, `Cannot read the sweep files' folder ${dir}`, dir);
    }
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return files.sort((a, b) => b.mtime - a.mtime || (a.path < b.path ? 1 : -1)).map((f) => f.path);
}
