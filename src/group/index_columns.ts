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
import { type IniData, parseIni } from "../formats/ini.ts";
import { readIndexColumns, sameStamp } from "./_index_file.ts";
import { loadRunTable, statPass } from "./_index_load.ts";
import { listRunFolders, readPlan, sortNatural } from "./_load.ts";
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
  const index = readIndexColumns(indexFile, columns);
  let listed = index ? listRunFolders(path) : undefined;
  if (index && listed) {
    const rowOf = new Map(index.names.map((n, i) => [n, i]));
    if (index.names.length === listed.length && listed.every((n) => rowOf.has(n))) {
      listed = index.names; // the same folders: the index's (natural) order
    } else sortNatural(listed);
    const plan = readPlan(path, {});
    const stats = await statPass(path, listed, plan.sync, plan.local);
    const names: string[] = [];
    const cells: Cell[][] = columns.map(() => []);
    const stale: number[] = [];
    listed.forEach((folder, i) => {
      const s = stats[i];
      if (s === null || s instanceof Error) return;
      const row = rowOf.get(folder);
      if (row === undefined || !sameStamp(index.stamps[row], s)) stale.push(names.length);
      names.push(folder);
      cells.forEach((c, j) => c.push(row === undefined ? null : index.cells[j][row]));
    });
    if (stale.length * 4 <= names.length) {
      for (const at of stale) {
        const ini = readConfig(`${path}/${names[at]}/config.ini`);
        columns.forEach((
          [section, key],
          j,
        ) => (cells[j][at] = ini?.get(section)?.get(key) ?? null));
      }
      return { names, cells };
    }
  }
  const { table } = await loadRunTable(path, indexFile, {}); // writes a new index
  return {
    names: table.names,
    cells: columns.map(([s, k]) => table.column(s, k)?.slice() ?? table.names.map(() => null)),
  };
}

function readConfig(file: string): IniData | undefined {
  try {
    return parseIni(Deno.readTextFileSync(file), file);
  } catch {
    return undefined; // gone or corrupt: counted without a status, as the group leaves it out
  }
}
