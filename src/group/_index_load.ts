/**
 * Loading a group through its index (internal): list the run folders (or take the index's list while the
 * group folder's stamp is unchanged), `stat` each `config.ini` once, take the runs whose stamp matches the
 * index from it (its columns parsed on first use), read and parse the others, and write the index anew
 * when anything changed (the rules that keep it never stale: `_index_file.ts`).
 *
 * @module
 */

import { dirname } from "node:path";
import { StorageError } from "../errors.ts";
import { type IniData, parseIni } from "../formats/ini.ts";
import { IndexFile, type IndexHead, rowMatches } from "./_index_file.ts";
import { sameStamp, settled, type Stamp, stampOf } from "./_index_format.ts";
import { IndexWriter } from "./_index_writer.ts";
import { RunTable } from "./_index_table.ts";
import { compareFolderNames, listRunFolders, mapBounded, readPlan, sortNatural } from "./_load.ts";
import { statPass, type Stats } from "./_stat_pass.ts";
import type { GroupIndexUse as IndexUse, GroupLoadError, GroupLoadOptions } from "./options.ts";

export type { IndexUse };

/** A loaded group: its rows, the files that could not be read, and how the index was used. */
export interface LoadedRuns {
  table: RunTable;
  errors: GroupLoadError[];
  index: IndexUse;
}

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

/** The run folders and their stats, and which index row each folder is. */
export interface Survey {
  /** The candidate run folders in natural order (the index's own array when they are its rows). */
  folders: readonly string[];
  /** Per folder: its `config.ini`'s stamp, none, or the error. */
  stats: Stats;
  /** Per folder: its row in the index, or -1. */
  rows: Int32Array;
  /** The group folder's stamp, taken before its listing (`null` off local disks). */
  groupStamp: Stamp | null;
}

/**
 * The group's folders (its listing, or the index's names and extra folders while the group folder's
 * stamp equals the one the index recorded) and one stat per `config.ini`; `undefined` when the group
 * folder does not exist.
 */
export async function survey(
  groupPath: string,
  head: IndexHead | undefined,
  plan: { sync: boolean; local: boolean },
): Promise<Survey | undefined> {
  let groupStamp: Stamp | null = null;
  if (plan.local) {
    try {
      groupStamp = stampOf(Deno.statSync(groupPath)); // before the listing: a later change shows next time
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return undefined;
    }
  }
  let folders: readonly string[];
  if (head && groupStamp && sameStamp(head.group, groupStamp)) {
    folders = head.extra.length ? sortedCopy([...head.names, ...head.extra]) : head.names;
  } else {
    const listed = await listRunFolders(groupPath);
    if (!listed) return undefined;
    folders = head && sameSet(listed, head.names) ? head.names : sortedCopy(listed);
  }
  const rows = new Int32Array(folders.length).fill(-1);
  if (head && folders === head.names) rows.forEach((_, i) => (rows[i] = i));
  else if (head) {
    const rowOf = new Map(head.names.map((n, i) => [n, i]));
    folders.forEach((name, i) => (rows[i] = rowOf.get(name) ?? -1));
  }
  const inode = head
    ? (i: number) => (rows[i] >= 0 ? head.stamps[4 * rows[i]] : Number.MAX_VALUE)
    : undefined;
  const stats = await statPass(groupPath, folders, plan.sync, plan.local, inode);
  return { folders, stats, rows, groupStamp };
}

function sortedCopy(names: string[]): string[] {
  sortNatural(names);
  return names;
}

function sameSet(listed: readonly string[], names: readonly string[]): boolean {
  if (listed.length !== names.length) return false;
  const set = new Set(names);
  return listed.every((n) => set.has(n));
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

/** A run's `config.ini` read and parsed now, or `null` when it is gone or corrupt. */
export function readConfigSync(file: string): IniData | null {
  try {
    return parseIni(Deno.readTextFileSync(file), file);
  } catch {
    return null;
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
  const plan = readPlan(groupPath, options);
  const indexed = options.index !== false;
  const file = indexed ? IndexFile.open(indexFile) : undefined;
  let writer = indexed && (file || exists(dirname(indexFile)))
    ? IndexWriter.open(indexFile) // before the stats: its clock
    : undefined;
  const early = writer !== undefined; // the clock was read before the group folder's stamp
  try {
    // The columns are read while the stats run (on a cold disk both wait on it), parsed on first use.
    const reading = file?.columns().catch(() => undefined);
    const seen = await survey(groupPath, file?.head, plan);
    const index = await reading;
    if (!seen) {
      writer?.abort();
      return {
        table: new RunTable(),
        errors: [],
        index: { fromIndex: 0, read: 0, written: false },
      };
    }
    if (!writer && indexed && seen.folders.length >= INDEX_MIN_RUNS) {
      writer = IndexWriter.open(indexFile);
    }
    index?.onCorrupt(() => {
      file!.discard(); // found damaged: the next load writes a good one
      return index.names.map((n) => readConfigSync(`${groupPath}/${n}/config.ini`));
    });
    const groupStamp = early && seen.groupStamp && settled(seen.groupStamp, writer!.fsNow)
      ? seen.groupStamp
      : null;
    return await merge(groupPath, seen, index ? file!.head : undefined, index, {
      writer,
      groupStamp,
      lanes: plan.lanes,
      sync: plan.sync,
      copy: index ? (write) => file!.copyColumns(write) : undefined,
    });
  } finally {
    file?.close();
  }
}

/** Takes unchanged runs from the index, reads the others, and writes a new index when anything changed. */
async function merge(
  groupPath: string,
  seen: Survey,
  head: IndexHead | undefined,
  index: RunTable | undefined,
  how: {
    writer?: IndexWriter;
    groupStamp: Stamp | null;
    lanes: number;
    sync: boolean;
    /** Copies the old index's column lines (for a new header alone). */
    copy?: (write: (bytes: Uint8Array) => void) => void;
  },
): Promise<LoadedRuns> {
  const { folders, stats, rows } = seen;
  const { writer } = how;
  const fileOf = (i: number) => `${groupPath}/${folders[i]}/config.ini`;
  const errors: GroupLoadError[] = [];
  // the runs to read, as a typed array of the listing's size (100,000 pushes left their old copies behind)
  const reading = new Int32Array(folders.length);
  let count = 0;
  for (const [i, error] of stats.errors) errors.push({ path: fileOf(i), error });
  for (let i = 0; i < folders.length; i++) {
    if (
      stats.isRun(i) && !(head && rows[i] >= 0 && rowMatches(head, rows[i], stats.stamps, 4 * i))
    ) {
      reading[count++] = i;
    }
  }
  // A settled group folder stamp the index does not hold yet is worth a rewrite (the next loads skip the
  // listing); an index that holds an older one is left: it no longer matches, so the folder is listed.
  const newGroup = how.groupStamp !== null && !sameGroup(head?.group ?? null, how.groupStamp);
  const toRead = reading.subarray(0, count);
  if (head && index && toRead.length === 0 && !errors.length) {
    let runs = 0;
    let same = true;
    for (let i = 0; i < folders.length && same; i++) {
      if (rows[i] >= 0) runs++;
      same = rows[i] >= 0 ? stats.isRun(i) : stats.isNone(i);
    }
    if (same && runs === head.names.length) { // nothing changed: the index's table as it is
      // A new group folder stamp alone (files written next to the runs: the summary) needs a new
      // header, not the columns parsed and written again (that was +80 MB for 100,000 runs).
      const extra = newGroup ? folders.filter((_, i) => rows[i] < 0) : [];
      if (!newGroup) writer?.abort();
      const written = newGroup && writer && how.copy && sameList(extra, head.extra)
        ? writer.commitHeader(head, how.groupStamp, how.copy)
        : false;
      if (written || !newGroup) {
        return { table: index, errors, index: { fromIndex: runs, read: 0, written } };
      }
    }
  }
  // The table is made in folder order first and each file's values go to their row as soon as it is
  // parsed: no run's parsed Maps outlive its parse (they are what made a group of 100,000 runs heavy).
  const isRun = (i: number) => stats.isRun(i);
  const present = folders.filter((_, i) => isRun(i));
  const table = RunTable.sized(present);
  const rowAt = new Int32Array(folders.length).fill(-1);
  for (let i = 0, r = 0; i < folders.length; i++) if (isRun(i)) rowAt[i] = r++;
  const isRead = new Uint8Array(folders.length); // (a set of 100,000 numbers: ~3 MB, promoted)
  for (const i of toRead) isRead[i] = 1;
  folders.forEach((_, i) => {
    if (rowAt[i] >= 0 && !isRead[i]) table.copy(rowAt[i], index!, rows[i]);
  });
  let read = 0;
  const readOne = (i: number, text: () => string) => {
    try {
      table.set(rowAt[i], parseConfig(text(), fileOf(i)));
      read++;
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) {
        errors.push({ path: fileOf(i), error: err as Error });
      }
    }
  };
  if (how.sync) { for (const i of toRead) readOne(i, () => Deno.readTextFileSync(fileOf(i))); }
  else {
    await mapBounded(toRead, how.lanes, async (i) => {
      const text = await Deno.readTextFile(fileOf(i)).catch((err: Error) => err);
      readOne(i, () => {
        if (text instanceof Error) throw text;
        return text;
      });
    });
  }
  const stamps = new Float64Array(4 * table.length); // flat, as the index stores them
  const untrusted: number[] = [];
  const extra: string[] = [];
  let kept = 0;
  folders.forEach((name, i) => {
    if (rowAt[i] < 0 || table.shapeIds[rowAt[i]] < 0) return void extra.push(name); // no run here now
    const s = stats.stamp(i);
    if (!writer || !settled(s, writer.fsNow)) untrusted.push(kept);
    stamps.set(s, 4 * kept++);
  });
  table.dropEmpty();
  const changed = !head || !index || read > 0 || !sameList(table.names, head.names) ||
    !sameList(extra, head.extra) || newGroup;
  const written = writer && changed
    ? writer.commit(table, {
      stamps: stamps.subarray(0, 4 * kept),
      untrusted,
      group: how.groupStamp,
      extra,
    })
    : (writer?.abort(), false);
  errors.sort((a, b) => compareFolderNames(a.path, b.path));
  return { table, errors, index: { fromIndex: table.length - read, read, written } };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}

function sameGroup(a: Stamp | null, b: Stamp | null): boolean {
  return a === null ? b === null : b !== null && sameStamp(a, b);
}
