/**
 * Loading a group through its index (internal): list the run folders, `stat` each `config.ini` once,
 * take the runs whose stamp matches the index from it, read and parse the others, and write the index
 * anew when anything changed (the rules that keep it never stale: `_index_file.ts`).
 *
 * @module
 */

import { dirname } from "node:path";
import { StorageError } from "../errors.ts";
import { type IniData, parseIni } from "../formats/ini.ts";
import {
  type GroupIndex,
  IndexWriter,
  readIndexAsync,
  sameStamp,
  settled,
  type Stamp,
  stampOf,
} from "./_index_file.ts";
import { RunTable } from "./_index_table.ts";
import { compareFolderNames, listRunFolders, mapBounded, readPlan, sortNatural } from "./_load.ts";
import type { GroupIndexUse as IndexUse, GroupLoadError, GroupLoadOptions } from "./options.ts";

export type { IndexUse };

/** A loaded group: its rows, the files that could not be read, and how the index was used. */
export interface LoadedRuns {
  table: RunTable;
  errors: GroupLoadError[];
  index: IndexUse;
}

/** Stats made synchronously before the pass switches to concurrent ones (cold caches, network). */
const PROBE_STATS = 64;
/** Synchronous stats slower than this on average mean the metadata is not cached: go concurrent. */
const SLOW_STAT_MS = 0.03;
/** Stats in flight once concurrent: a cold disk or an NFS server answers many at once. */
const STAT_LANES = 256;

/**
 * Groups with fewer runs get a new index only where the bookkeeping folder already exists (a sweep's
 * group): reading a few files costs little, and a plain group of `StorageManager` runs stays as
 * PymoNNto's (no hidden folder appears in it).
 */
export const INDEX_MIN_RUNS = 200;

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

type StatResult = Stamp | null | Error; // null: no config.ini (not a run, or still being created)

function statOne(file: string, info: Deno.FileInfo | Error): StatResult {
  if (info instanceof Deno.errors.NotFound) return null;
  if (info instanceof Error) return info;
  return info.isFile ? stampOf(info) : new Error(`${file} is not a file`);
}

/**
 * One `stat` per run folder's `config.ini`: on a local disk synchronous while the metadata is cached (µs
 * each), concurrent when the first ones show it is not (a cold page cache), or with
 * `readMode: "concurrent"`; on network file systems (`local` false) concurrent through
 * {@linkcode openStat}.
 */
export async function statPass(
  groupPath: string,
  folders: string[],
  sync: boolean,
  local = true,
): Promise<StatResult[]> {
  const out = new Array<StatResult>(folders.length);
  const file = (i: number) => `${groupPath}/${folders[i]}/config.ini`;
  let i = 0;
  if (sync) {
    const probe: number[] = [];
    for (; i < folders.length; i++) {
      // The median of the first stats, not their mean: one preemption on a busy machine is no cold cache.
      if (i === PROBE_STATS && probe.sort((a, b) => a - b)[PROBE_STATS >> 1] > SLOW_STAT_MS) break;
      const t0 = performance.now();
      let info: Deno.FileInfo | Error;
      try {
        info = Deno.statSync(file(i));
      } catch (err) {
        info = err as Error;
      }
      if (i < PROBE_STATS) probe.push(performance.now() - t0);
      out[i] = statOne(file(i), info);
    }
  }
  const rest = Array.from({ length: folders.length - i }, (_, k) => i + k);
  await mapBounded(rest, STAT_LANES, async (j) => {
    out[j] = statOne(
      file(j),
      await (local ? Deno.stat(file(j)) : openStat(file(j))).catch((e) => e),
    );
  });
  return out;
}

/**
 * `stat` through `open` + `fstat`: on NFS an `open` asks the server whether the file changed
 * (close-to-open consistency) where a plain `stat` may answer from the client's attribute cache (up to
 * `acregmax`, 60 s by default). Used where the group is not on a local disk, so that the index is as
 * fresh as reading every file would be.
 */
async function openStat(path: string): Promise<Deno.FileInfo> {
  const f = await Deno.open(path, { read: true });
  try {
    return await f.stat();
  } finally {
    f.close();
  }
}

/** The run folders in natural order; the index's order when it lists exactly these folders. */
function orderFolders(folders: string[], index: GroupIndex | undefined): string[] {
  if (index && index.names.length === folders.length) {
    const listed = new Set(folders);
    if (index.names.every((n) => listed.has(n))) return index.names;
  }
  sortNatural(folders);
  return folders;
}

function parseConfig(text: string, path: string): IniData {
  try {
    return parseIni(text, path);
  } catch (err) {
    // As the run layer names a corrupt file (`config_store.ts`): the path once, then what is wrong.
    const why = (err as Error).message.replace(`${path}, `, "");
    throw new StorageError(`${path} is corrupt (${why}). Fix or delete the file to use this run`, {
      path,
      cause: err,
      code: "corrupt",
    });
  }
}

/**
 * Loads the runs of a group folder, through the index at `indexFile` unless `options.index` is `false`.
 *
 * @throws {RangeError} For a `readMode` or `concurrency` out of range.
 * @throws {Deno.errors.PermissionDenied} Or another OS error, when the group folder cannot be listed.
 */
export async function loadRunTable(
  groupPath: string,
  indexFile: string,
  options: GroupLoadOptions,
): Promise<LoadedRuns> {
  const { lanes, sync, local } = readPlan(groupPath, options);
  const listed = listRunFolders(groupPath);
  const use: IndexUse = { fromIndex: 0, read: 0, written: false };
  if (!listed) return { table: new RunTable(), errors: [], index: use };
  const indexed = options.index !== false;
  const writes = indexed && (listed.length >= INDEX_MIN_RUNS || exists(dirname(indexFile)));
  const writer = writes ? IndexWriter.open(indexFile) : undefined; // before the stats: its clock
  // The index file is read while the stats run (on a cold disk both wait on it), then parsed.
  const reading = indexed ? readIndexAsync(indexFile) : undefined;
  const listedStats = await statPass(groupPath, listed, sync, local);
  const index = await reading;
  const statOf = new Map(listed.map((name, i) => [name, listedStats[i]]));
  const folders = orderFolders([...listed], index);
  const stats = folders.map((name) => statOf.get(name)!);
  const rowOf = new Map<string, number>();
  index?.names.forEach((n, i) => rowOf.set(n, i));
  const errors: GroupLoadError[] = [];
  const toRead: number[] = [];
  stats.forEach((s, i) => {
    if (s instanceof Error) {
      errors.push({ path: `${groupPath}/${folders[i]}/config.ini`, error: s });
    } else if (s !== null) {
      const row = rowOf.get(folders[i]);
      if (row === undefined || !sameStamp(index!.stamps[row], s)) toRead.push(i);
    }
  });
  if (index && folders === index.names && toRead.length === 0 && !errors.length) {
    if (stats.every((s) => s !== null)) { // nothing changed: the index's table as it is
      writer?.abort();
      const n = folders.length;
      return { table: index.table, errors, index: { fromIndex: n, read: 0, written: false } };
    }
  }
  // The table is made in folder order first and each file's values go to their row as soon as it is
  // parsed: no run's parsed Maps outlive its parse (they are what made a group of 100,000 runs heavy).
  const present = folders.filter((_, i) => stats[i] !== null && !(stats[i] instanceof Error));
  const table = RunTable.sized(present);
  const rowAt = new Int32Array(folders.length).fill(-1);
  for (let i = 0, r = 0; i < folders.length; i++) {
    if (stats[i] !== null && !(stats[i] instanceof Error)) rowAt[i] = r++;
  }
  const readSet = new Set(toRead);
  folders.forEach((name, i) => {
    if (rowAt[i] >= 0 && !readSet.has(i)) table.copy(rowAt[i], index!.table, rowOf.get(name)!);
  });
  let read = 0;
  const readOne = (i: number, text: () => string) => {
    const path = `${groupPath}/${folders[i]}/config.ini`;
    try {
      table.set(rowAt[i], parseConfig(text(), path));
      read++;
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) errors.push({ path, error: err as Error });
    }
  };
  const fileOf = (i: number) => `${groupPath}/${folders[i]}/config.ini`;
  if (sync) { for (const i of toRead) readOne(i, () => Deno.readTextFileSync(fileOf(i))); }
  else {
    await mapBounded(toRead, lanes, async (i) => {
      const text = await Deno.readTextFile(fileOf(i)).catch((err: Error) => err);
      readOne(i, () => {
        if (text instanceof Error) throw text;
        return text;
      });
    });
  }
  const stamps: (Stamp | null)[] = [];
  folders.forEach((_, i) => {
    const s = stats[i];
    if (rowAt[i] < 0 || table.shapeIds[rowAt[i]] < 0) return; // gone, or could not be read
    stamps.push(writer && settled(s as Stamp, writer.fsNow) ? s as Stamp : null);
  });
  table.dropEmpty();
  use.read = read;
  use.fromIndex = table.length - read;
  const changed = !index || read > 0 || table.length !== index.names.length ||
    folders !== index.names;
  if (writer && changed) use.written = writer.commit(table.names, stamps, table);
  else writer?.abort();
  errors.sort((a, b) => compareFolderNames(a.path, b.path));
  return { table, errors, index: use };
}
