/**
 * A few parameters of every run of a group, without loading the rest (`sweepstore ls` needs the run
 * status, not every parameter): through the group index, only the asked columns are parsed, and only
 * the runs whose `config.ini` changed since the index recorded it are read. With no usable index, or
 * when more than a quarter of the runs changed, the whole group is loaded once instead, which writes a
 * new index for the next time.
 *
 * @module
 */

import { resolve } from "node:path";
import { groupFolder, groupIndexFile } from "../layout.ts";
import { findDataFolder } from "../run/data_folder.ts";
import { validateName } from "../run/names.ts";
import { IndexFile, rowMatches } from "./_index_file.ts";
import { loadRunTable, readConfigSync, survey } from "./_index_load.ts";
import { readPlan } from "./_load.ts";
import type { Cell } from "./_index_table.ts";

/** Options for {@linkcode loadGroupColumns}. */
export interface GroupColumnsOptions {
  /**
   * The `Data` folder.
   * @default {the first `Data` folder found walking up from the working directory}
   */
  dataFolder?: string;
}

/** What {@linkcode loadGroupColumns} returns: run folder names (natural order) and one cell array per column. */
export interface GroupColumns {
  /** The run folder names. */
  names: string[];
  /** Per asked column, the value text of each run (`null` where a run lacks it). */
  cells: Cell[][];
}

/**
 * The value texts of `columns` (`[section, key]`, key lowercased) of every run of group `name`.
 *
 * @throws {TypeError} When `name` is not a valid name.
 * @throws {Deno.errors.PermissionDenied} Or another OS error, when the group folder cannot be listed.
 *
 * @example
 * ```ts
 * import { StorageManager } from "@sweepstore/sweepstore";
 * import { loadGroupColumns } from "./index_columns.ts";
 * const dataFolder = await Deno.makeTempDir();
 * await StorageManager.create("Ls", { dataFolder, params: { Run: { status: "done" } } });
 * const { cells } = await loadGroupColumns("Ls", [["Run", "status"]], { dataFolder });
 * console.log(cells[0]); // ["done"]
 * ```
 */
export async function loadGroupColumns(
  name: string,
  columns: readonly (readonly [string, string])[],
  options: GroupColumnsOptions = {},
): Promise<GroupColumns> {
  validateName(name, "group name");
  const data = options.dataFolder !== undefined
    ? resolve(options.dataFolder)
    : await findDataFolder();
  const path = groupFolder(data, name);
  const indexFile = groupIndexFile(data, name);
  const file = IndexFile.open(indexFile);
  try {
    const fromIndex = file && await throughIndex(path, file, columns);
    if (fromIndex) return fromIndex;
  } finally {
    file?.close();
  }
  const { table } = await loadRunTable(path, indexFile, {}); // writes a new index
  return {
    names: table.names,
    cells: columns.map(([s, k]) => table.column(s, k)?.slice() ?? table.names.map(() => null)),
  };
}

/**
 * The columns through the index: only their lines are parsed, and the runs changed since it was written
 * are read; `undefined` when the index cannot be used or more than a quarter of the runs changed.
 */
async function throughIndex(
  path: string,
  file: IndexFile,
  columns: readonly (readonly [string, string])[],
): Promise<GroupColumns | undefined> {
  const wanted = columns.map(([s, k]) => file.column(s, k));
  if (!wanted.every((c) => c !== undefined)) return undefined;
  const seen = await survey(path, file.head, readPlan(path, {}));
  if (!seen) return { names: [], cells: columns.map(() => []) };
  const names: string[] = [];
  const cells: Cell[][] = columns.map(() => []);
  const stale: number[] = [];
  seen.folders.forEach((folder, i) => {
    if (!seen.stats.isRun(i)) return;
    const row = seen.rows[i];
    if (row < 0 || !rowMatches(file.head, row, seen.stats.stamps, 4 * i)) stale.push(names.length);
    names.push(folder);
    cells.forEach((c, j) => c.push(row < 0 ? null : wanted[j]![row]));
  });
  if (stale.length * 4 > names.length) return undefined;
  const gone = new Set<number>();
  for (const at of stale) {
    const ini = readConfigSync(`${path}/${names[at]}/config.ini`);
    if (!ini) gone.add(at); // gone or corrupt: no run, as a group load leaves it out (a corrupt one is an error)
    else {columns.forEach((
        [section, key],
        j,
      ) => (cells[j][at] = ini.get(section)?.get(key) ?? null)
      );}
  }
  if (!gone.size) return { names, cells };
  const kept = (_: unknown, i: number) => !gone.has(i);
  return { names: names.filter(kept), cells: cells.map((c) => c.filter(kept)) };
}
