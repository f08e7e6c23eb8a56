/**
 * Loading a group (internal): listing the run folders of `Data/StorageManager/<Name>/` in natural order,
 * one `stat` of each `config.ini`, and reading (sequentially or concurrently: the read modes) only the
 * files the group index does not hold unchanged (`_index_file.ts`); files that cannot be read become
 * {@linkcode GroupLoadError}s instead of stopping the load.
 *
 * @module
 */

import { TEMP_PREFIX } from "../formats/atomic.ts";
import { fsError } from "../run/_fs_error.ts";
import type { GroupLoadOptions } from "./options.ts";

/** Maps `fn` over `items` with at most `limit` calls in flight; results in the order of `items`. */
export async function mapBounded<T, R>(
  items: ArrayLike<T>,
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
export function compareFolderNames(a: string, b: string): number {
  return collator.compare(a, b);
}

/**
 * Sorts run folder names naturally (`Exp2` before `Exp10`) like {@linkcode compareFolderNames}, but fast for
 * the common `<prefix><number>` names: their parts are split once, and only other names use the collator.
 */
export function sortNatural(names: string[]): void {
  if (sortNumbered(names)) return;
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
 * {@linkcode sortNatural} for the usual run folders, one prefix without digits and a number of 1–15 digits
 * (`Exp1` … `Exp100000`), without an object per name (100,000 of them lived through the sort and were
 * promoted: ~17 MB of the survey's old generation): the numbers in a `Float64Array`, an index array
 * sorted by number, then by name (`Exp01` before `Exp1`), as the general path orders them. `false` (names
 * untouched) when a name does not fit.
 */
function sortNumbered(names: string[]): boolean {
  const n = names.length;
  if (n < 2) return true;
  const prefix = /^\D*/.exec(names[0])![0];
  const numbers = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const name = names[i];
    const digits = name.length - prefix.length;
    if (digits < 1 || digits > 15 || !name.startsWith(prefix)) return false;
    for (let j = prefix.length; j < name.length; j++) {
      const c = name.charCodeAt(j);
      if (c < 48 || c > 57) return false;
    }
    numbers[i] = Number(name.slice(prefix.length));
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) =>
    numbers[a] - numbers[b] || (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0)
  );
  const copy = names.slice();
  for (let i = 0; i < n; i++) names[i] = copy[order[i]];
  return true;
}

/**
 * The candidate run folders of a group: its sub-folders that are neither hidden (sweepstore's `.sweepstore`)
 * nor temporary, in listing order; `undefined` when the group folder does not exist. Listed with the
 * asynchronous `Deno.readDir`: `Deno.readDirSync` makes every entry at once, and for 100,000 run folders
 * they outlived two scavenges (+37 MB in the old generation, RSS +88 MiB; asynchronous: +7 MB, +27 MiB,
 * for ~0.05 s more CPU).
 */
export async function listRunFolders(groupPath: string): Promise<string[] | undefined> {
  const folders: string[] = [];
  try {
    for await (const entry of Deno.readDir(groupPath)) {
      if (!entry.isDirectory || entry.name.startsWith(".") || entry.name.startsWith(TEMP_PREFIX)) {
        continue;
      }
      folders.push(entry.name);
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotADirectory) {
      throw fsError(err, `Cannot read the group's folder ${groupPath}`, groupPath);
    }
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    return undefined;
  }
  return folders;
}

/** Checks the read options: a programming error is a `RangeError` naming the option. */
export function readPlan(
  groupPath: string,
  options: GroupLoadOptions,
): { lanes: number; sync: boolean; local: boolean } {
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
  const local = isLocalFileSystem(groupPath);
  const sync = mode === "sequential" || (mode === "auto" && local);
  return { lanes: sync ? 1 : concurrency, sync, local };
}
