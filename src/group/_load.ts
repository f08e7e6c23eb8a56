/**
 * Loading a group (internal): listing the run folders of `Data/StorageManager/<Name>/` in natural order and
 * reading their `config.ini` files sequentially or concurrently (the read modes); files that cannot be read
 * become {@linkcode GroupLoadError}s instead of stopping the load.
 *
 * @module
 */

import { join } from "node:path";
import { TEMP_PREFIX } from "../formats/atomic.ts";
import { configFile } from "../layout.ts";
import { StorageManager } from "../run/storage_manager.ts";
import type { GroupLoadError, GroupLoadOptions } from "./options.ts";

/** Maps `fn` over `items` with at most `limit` calls in flight; results in the order of `items`. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(lanes);
  return out;
}

/**
 * Whether `path` lies on a local block device: a device number with a non-zero major (disks, virtio, NVMe).
 * Network file systems (NFS, Lustre, GPFS, CIFS, FUSE) and virtual ones get major 0. (/proc/mounts would
 * name the type, but Deno asks for all permissions to read it.)
 */
function isLocalFileSystem(path: string): boolean {
  try {
    const dev = Deno.statSync(path).dev;
    return ((dev >>> 8) & 0xfff) !== 0;
  } catch {
    return false;
  }
}

/** Folder names in natural order: `Exp2` before `Exp10`. */
const collator = new Intl.Collator("en", { numeric: true });
function compareFolderNames(a: string, b: string): number {
  return collator.compare(a, b);
}

/**
 * Sorts run folder names naturally (`Exp2` before `Exp10`) like {@linkcode compareFolderNames}, but fast for
 * the common `<prefix><number>` names: their parts are split once, and only other names use the collator.
 */
function sortNatural(names: string[]): void {
  const keyed = names.map((name) => {
    const m = /^(.*?)(\d{1,15})$/.exec(name);
    return {
      name,
      prefix: m ? m[1] : name,
      n: m ? Number(m[2]) : -1,
      plain: !m || /\d/.test(m[1]),
    };
  });
  keyed.sort((a, b) => {
    if (a.plain || b.plain) return collator.compare(a.name, b.name);
    if (a.prefix !== b.prefix) return collator.compare(a.prefix, b.prefix);
    return a.n - b.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  });
  keyed.forEach((k, i) => (names[i] = k.name));
}

/**
 * The candidate run folders of a group: its sub-folders that are neither hidden (sweepstore's `.sweepstore`)
 * nor temporary, in natural order. A group folder that does not exist has none.
 */
async function listRunFolders(groupPath: string): Promise<string[]> {
  const folders: string[] = [];
  try {
    for await (const entry of Deno.readDir(groupPath)) {
      if (!entry.isDirectory || entry.name.startsWith(".") || entry.name.startsWith(TEMP_PREFIX)) {
        continue;
      }
      folders.push(entry.name);
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  sortNatural(folders);
  return folders;
}

/** Checks the read options: a programming error is a `RangeError` naming the option. */
function readPlan(groupPath: string, options: GroupLoadOptions): { lanes: number; sync: boolean } {
  const mode = options.readMode ?? "auto";
  if (mode !== "auto" && mode !== "concurrent" && mode !== "sequential") {
    throw new RangeError(
      `StorageManagerGroup.load(): readMode must be "auto", "concurrent" or "sequential", not ${
        JSON.stringify(mode)
      }`,
    );
  }
  const concurrency = options.concurrency ?? 64;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `StorageManagerGroup.load(): concurrency must be an integer ≥ 1 (reads in flight), not ${concurrency}`,
    );
  }
  const sync = mode === "sequential" || (mode === "auto" && isLocalFileSystem(groupPath));
  return { lanes: sync ? 1 : concurrency, sync };
}

/**
 * Reads every run folder of a group: each sub-folder with a `config.ini` (sweepstore's `<Name><nr>` and
 * PymoNNto's `<Name>`, `<Name>_0`, … alike), parsed once. Folders without `config.ini` (not runs, or still
 * being created) are skipped; unreadable or corrupt files are returned as errors, sorted by path.
 *
 * @throws {RangeError} For a `readMode` or `concurrency` out of range.
 * @throws {Deno.errors.PermissionDenied} Or another OS error, when the group folder cannot be listed.
 */
export async function loadRunFolders(
  groupPath: string,
  options: GroupLoadOptions,
): Promise<{ runs: StorageManager[]; errors: GroupLoadError[] }> {
  const { lanes, sync } = readPlan(groupPath, options);
  const folders = await listRunFolders(groupPath);
  const errors: GroupLoadError[] = [];
  const loaded = await mapBounded(folders, lanes, async (folder) => {
    const runPath = join(groupPath, folder);
    const config = configFile(runPath);
    let text: string;
    try {
      text = sync ? Deno.readTextFileSync(config) : await Deno.readTextFile(config);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return null; // not a run, or still being created
      errors.push({ path: config, error: err as Error });
      return null;
    }
    try {
      return StorageManager.fromConfigText(runPath, text);
    } catch (err) {
      errors.push({ path: config, error: err as Error });
      return null;
    }
  });
  errors.sort((a, b) => compareFolderNames(a.path, b.path));
  return { runs: loaded.filter((sm): sm is StorageManager => sm !== null), errors };
}
