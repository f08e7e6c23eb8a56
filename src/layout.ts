/**
 * The one owner of the folder layout that PymoNNto defined and sweepstore keeps:
 *
 * ```
 * <Project>/Data/StorageManager/<Name>/            a group: every run of one name
 * <Project>/Data/StorageManager/<Name>/<Name><nr>/ one run folder (config.ini, *.npy, *.cbor, frames …)
 * <Project>/Data/StorageManager/<Name>/.sweepstore/ sweepstore's own bookkeeping of the group (claims, index)
 * <Project>/Data/StorageManager/<Name>/sweeps/     SLURM sweep files
 * <Project>/Data/StorageManager/<Name>/slurm/      SLURM batch scripts and logs
 * ```
 *
 * Every other module asks these functions instead of joining the names itself.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";

/** The name of the folder that holds all runs of a project (PymoNNto's name, found by walking up). */
export const DATA_FOLDER = "Data";

/** The folder under the Data folder that holds the groups (PymoNNto's name). */
export const STORAGE_FOLDER = "StorageManager";

/** The parameter file of a run folder (configparser format). */
export const CONFIG_FILE = "config.ini";

/**
 * The folder of a group: `<dataFolder>/StorageManager/<name>`.
 *
 * @example
 * ```ts
 * import { groupFolder } from "@sweepstore/sweepstore";
 * console.log(groupFolder("/p/Data", "LIF")); // "/p/Data/StorageManager/LIF"
 * ```
 */
export function groupFolder(dataFolder: string, name: string): string {
  return join(dataFolder, STORAGE_FOLDER, name);
}

/**
 * The name of run number `nr` of a run-folder prefix (the group name unless `folderName` was given):
 * `<prefix><nr>`, e.g. `Exp12`, as PymoNNto's `random_nr` names.
 *
 * @example
 * ```ts ignore
 * runFolderName("Exp", 12); // "Exp12"
 * ```
 */
export function runFolderName(prefix: string, nr: number): string {
  return `${prefix}${nr}`;
}

/** The folder that holds every group of a Data folder: `<dataFolder>/StorageManager`. */
export function storageFolder(dataFolder: string): string {
  return join(dataFolder, STORAGE_FOLDER);
}

/** The zip of the project's files in a run folder (`copyProjectFiles`, as PymoNNto names it). */
export const BACKUP_FILE = "backup.zip";

/** The project folder of a Data folder: the folder that holds it. */
export function projectFolder(dataFolder: string): string {
  return dirname(dataFolder);
}

/** The `config.ini` of a run folder. */
export function configFile(runFolder: string): string {
  // Plain concatenation for the usual folder without a trailing "/": a group builds thousands of these,
  // and join() costs 1–3 µs each (the same file either way).
  return runFolder.endsWith("/") ? join(runFolder, CONFIG_FILE) : `${runFolder}/${CONFIG_FILE}`;
}

/**
 * The Data folder and name of a group folder `<Data>/StorageManager/<Name>` ({@linkcode groupFolder}),
 * or `undefined` where the path does not have that shape.
 */
export function groupFolderParts(
  group: string,
): { dataFolder: string; name: string } | undefined {
  const storage = dirname(group);
  if (basename(storage) !== STORAGE_FOLDER) return undefined;
  return { dataFolder: dirname(storage), name: basename(group) };
}

/**
 * The Data folder and group name of a run folder `<Data>/StorageManager/<Name>/<run>`, or `undefined`
 * where the path does not have that shape.
 */
export function runFolderParts(
  runFolder: string,
): { dataFolder: string; name: string; run: string } | undefined {
  const group = groupFolderParts(dirname(runFolder));
  return group && { ...group, run: basename(runFolder) };
}

const SWEEPSTORE_FOLDER = ".sweepstore";
const SWEEP_FILES_FOLDER = "sweeps";
const SLURM_FOLDER = "slurm";

/** sweepstore's own bookkeeping folder of a group (point claims); not a run folder, never listed as one. */
export function sweepstoreFolder(dataFolder: string, name: string): string {
  return join(groupFolder(dataFolder, name), SWEEPSTORE_FOLDER);
}

const GROUP_INDEX_FILE = "group_index.jsonl";

/**
 * The group index: a cache of every run's parsed `config.ini` with the file's stamp, in the group's
 * bookkeeping folder (`.sweepstore/group_index.jsonl`). Deleting it loses nothing.
 *
 * @example
 * ```ts ignore
 * groupIndexFile("/p/Data", "LIF"); // "/p/Data/StorageManager/LIF/.sweepstore/group_index.jsonl"
 * ```
 */
export function groupIndexFile(dataFolder: string, name: string): string {
  return join(sweepstoreFolder(dataFolder, name), GROUP_INDEX_FILE);
}

/** The folder of a group's SLURM sweep files. */
export function sweepFilesFolder(dataFolder: string, name: string): string {
  return join(groupFolder(dataFolder, name), SWEEP_FILES_FOLDER);
}

/** The folder of a group's SLURM batch scripts and logs. */
export function slurmFolder(dataFolder: string, name: string): string {
  return join(groupFolder(dataFolder, name), SLURM_FOLDER);
}

/**
 * Whether `name`, a folder in a group folder, is sweepstore's bookkeeping (claims, sweep files, SLURM
 * scripts) rather than a run.
 */
export function isBookkeepingFolder(name: string): boolean {
  return name === SWEEPSTORE_FOLDER || name === SWEEP_FILES_FOLDER || name === SLURM_FOLDER;
}
