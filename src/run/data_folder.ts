/**
 * Where runs live: the `Data` folder (found by walking up from the working directory, like PymoNNto),
 * and race-free creation of run folders `Data/StorageManager/<Name>/<Name><nr>/`, random or enumerated.
 *
 * Creation uses an exclusive `mkdir` (it fails when the folder exists, on every file system, including
 * NFS shared by several machines) and draws or counts again on conflict, so threads, processes and
 * machines sharing the folder never get the same run.
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { StorageError } from "../errors.ts";
import { DATA_FOLDER, runFolderName } from "../layout.ts";
import { validateName } from "./names.ts";
import { fsError } from "./_fs_error.ts";

/** Digits of the largest run number (a safe integer has at most 16), reserved in run folder names (a sweep's too). */
export const MAX_NUMBER_DIGITS = 16;

/** Options for {@linkcode findDataFolder}. */
export interface FindDataFolderOptions {
  /**
   * Create `<start>/Data` when no `Data` folder is found on the way up.
   * @default {true}
   */
  create?: boolean;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw err;
  }
}

/**
 * Finds the `Data` folder: `start/Data`, else `start/../Data`, and so on up to the root, as PymoNNto does.
 * When none exists, `start/Data` is created (unless `create: false`). The search stops below folders that
 * the read permission does not reach. Returns an absolute path.
 *
 * @throws {StorageError} code `not_found` when there is none and `create` is false; another code when
 * `start/Data` cannot be created (`permission`, `no_space`, …).
 *
 * @example
 * ```ts
 * import { findDataFolder } from "./data_folder.ts";
 * const project = await Deno.makeTempDir();
 * await Deno.mkdir(`${project}/Data`);
 * await Deno.mkdir(`${project}/scripts`);
 * console.log(await findDataFolder(`${project}/scripts`)); // <project>/Data
 * ```
 */
export async function findDataFolder(
  start: string = Deno.cwd(),
  options: FindDataFolderOptions = {},
): Promise<string> {
  const from = resolve(start);
  let dir = from;
  while (true) {
    const candidate = join(dir, DATA_FOLDER);
    try {
      if (await isDirectory(candidate)) return candidate;
    } catch (err) {
      // Read permission scoped to the project (--allow-read=.): folders above it are out of reach.
      if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
        break;
      }
      throw fsError(err, `Cannot look for the Data folder at ${candidate}`, candidate);
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const created = join(from, DATA_FOLDER);
  if (options.create === false) {
    throw new StorageError(
      `No "${DATA_FOLDER}" folder in ${from} or any folder above it: create one in your project, or pass ` +
        "dataFolder",
      { path: created, code: "not_found" },
    );
  }
  try {
    await Deno.mkdir(created, { recursive: true });
  } catch (err) {
    throw fsError(err, `Cannot create the Data folder ${created}`, created);
  }
  return created;
}

/** Options for {@linkcode createRunFolder}. */
export interface CreateRunFolderOptions {
  /**
   * How the run folder is numbered: `true` draws a random number (`<Name>4821`), `false` enumerates
   * (`<Name>1`, `<Name>2`, …), a number uses that number (it is an error if that folder exists).
   * @default {false}
   */
  randomNr?: boolean | number;
  /**
   * The prefix of the run folder's name, in place of the group name (`<folderName><nr>`).
   * @default {the group name}
   */
  folderName?: string;
}

/** The folder that {@linkcode createRunFolder} made: its absolute path and its name. */
export interface RunFolder {
  /** Absolute path of the new, empty run folder. */
  path: string;
  /** The folder's name, e.g. `MyName4821`. */
  name: string;
}

async function tryMkdir(path: string): Promise<boolean> {
  try {
    Deno.mkdirSync(path); // sync: a thread-pool hand-off costs more than the mkdir itself
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.AlreadyExists) return false;
    if (err instanceof Deno.errors.NotFound) {
      // The group folder was deleted since this process last used it: make it again.
      await Deno.mkdir(dirname(path), { recursive: true });
      return tryMkdir(path);
    }
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

/** Per group folder and prefix: the next enumerated number to try, and the random-number width. */
const nextNumber = new Map<string, number>();
/** Group folders this process created or saw (a deleted one is made again when a mkdir in it fails). */
const knownGroups = new Set<string>();
const randomDigits = new Map<string, number>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function highestNumber(groupPath: string, prefix: string): Promise<number> {
  const pattern = new RegExp(`^${escapeRegExp(prefix)}([1-9][0-9]{0,14})$`);
  let max = 0;
  for await (const entry of Deno.readDir(groupPath)) {
    const m = pattern.exec(entry.name);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max;
}

/**
 * Finds a free number at or after `from` in O(log n) probes: gallops forward (from+1, +2, +4, …) to a free
 * name, then bisects back to the first free name after the taken ones.
 */
async function firstFreeAfter(groupPath: string, prefix: string, from: number): Promise<number> {
  let taken = from;
  let step = 1;
  let free = from + step;
  while (await exists(join(groupPath, runFolderName(prefix, free)))) {
    taken = free;
    step *= 2;
    free = from + step;
  }
  while (free - taken > 1) {
    const mid = Math.floor((taken + free) / 2);
    if (await exists(join(groupPath, runFolderName(prefix, mid)))) taken = mid;
    else free = mid;
  }
  return free;
}

function randomBelow(limit: number): number {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return Math.floor(((words[0] * 2 ** 21 + (words[1] >>> 11)) / 2 ** 53) * limit);
}

/**
 * Creates a new run folder inside `groupPath` (created if missing) and returns it. Race-free across
 * threads, processes and machines sharing the folder: each name is claimed with an exclusive `mkdir`, and
 * on conflict a new number is drawn (random) or the count moves on (enumerated).
 *
 * Random numbers are drawn uniformly from 0 … 9999 and written without leading zeros, so one in ten has
 * fewer than 4 digits (`<Name>42`). PymoNNto's StorageManager documentation shows `MyName1234` and
 * promises only "a unique random number", no range or width. After three collisions in
 * a row the range widens tenfold for this process (0 … 99999, and so on), so creation keeps working past
 * 10,000 runs. Enumerated numbers continue after the highest one on disk, found with one directory listing
 * per process and then counted in memory; a conflict with another process is resolved in
 * O(log n) probes, never by probing every name.
 *
 * Names: the prefix (`folderName`, else `name`) plus the run number must fit in 255 UTF-8 bytes; for
 * random and enumerated numbers 16 digits are reserved, so the prefix may have at most 239 bytes.
 *
 * @throws {TypeError} a name that {@linkcode validateName} refuses, or a bad `randomNr`.
 * @throws {StorageError} code `exists` when the folder of a fixed `randomNr` exists; `permission`,
 * `no_space`, … when the group folder or the run folder cannot be created.
 *
 * @example
 * ```ts
 * import { createRunFolder } from "./data_folder.ts";
 * const group = await Deno.makeTempDir();
 * const a = await createRunFolder(group, "Exp");
 * const b = await createRunFolder(group, "Exp");
 * console.log(a.name, b.name); // Exp1 Exp2
 * ```
 */
export async function createRunFolder(
  groupPath: string,
  name: string,
  options: CreateRunFolderOptions = {},
): Promise<RunFolder> {
  const randomNr = options.randomNr ?? false;
  if (typeof randomNr === "number" && (!Number.isSafeInteger(randomNr) || randomNr < 0)) {
    throw new TypeError(`randomNr must be true, false or an integer ≥ 0, not ${randomNr}`);
  }
  const digits = typeof randomNr === "number" ? String(randomNr).length : MAX_NUMBER_DIGITS;
  const prefix = validateName(options.folderName ?? name, "run folder name", {
    reserveBytes: digits,
    reserveFor: `the run number (${digits} digits)`,
  });
  const group = resolve(groupPath);
  try {
    if (!knownGroups.has(group)) {
      await Deno.mkdir(group, { recursive: true });
      knownGroups.add(group);
    }
    if (typeof randomNr === "number") return await createFixed(group, prefix, randomNr);
    if (randomNr === true) return await createRandom(group, prefix);
    return await createEnumerated(group, prefix);
  } catch (err) {
    throw fsError(err, `Cannot create a run folder in ${group}`, group);
  }
}

async function createFixed(group: string, prefix: string, nr: number): Promise<RunFolder> {
  const folder = runFolderName(prefix, nr);
  const path = join(group, folder);
  if (!(await tryMkdir(path))) {
    throw new StorageError(
      `Run folder ${path} already exists: open it with StorageManager.open(path), or choose another randomNr`,
      { path, code: "exists" },
    );
  }
  return { path, name: folder };
}

async function createRandom(group: string, prefix: string): Promise<RunFolder> {
  const cacheKey = `${group}\u0000${prefix}`;
  let digits = randomDigits.get(cacheKey) ?? 4;
  for (let collisions = 0; collisions < 1000; collisions++) {
    const folder = runFolderName(prefix, randomBelow(10 ** digits));
    const path = join(group, folder);
    if (await tryMkdir(path)) return { path, name: folder };
    // Three collisions in a row at this width: the range is crowded, widen it for this process.
    if (collisions % 3 === 2 && digits < 15) {
      digits++;
      randomDigits.set(cacheKey, digits);
    }
  }
  throw new StorageError(
    `Could not create a random run folder in ${group} after 1000 attempts`,
    { path: group, code: "exists" },
  );
}

async function createEnumerated(group: string, prefix: string): Promise<RunFolder> {
  const cacheKey = `${group}\u0000${prefix}`;
  let next = nextNumber.get(cacheKey);
  if (next === undefined) next = (await highestNumber(group, prefix)) + 1;
  while (true) {
    const folder = runFolderName(prefix, next);
    const path = join(group, folder);
    if (await tryMkdir(path)) {
      nextNumber.set(cacheKey, next + 1);
      return { path, name: folder };
    }
    next = await firstFreeAfter(group, prefix, next);
  }
}
