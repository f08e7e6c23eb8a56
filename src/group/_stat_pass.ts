/**
 * The stat pass of a group load (internal): one `stat` per run folder's `config.ini`, synchronous while
 * the metadata is cached, concurrent (in inode order) on a cold cache or a network file system, the
 * results kept in typed arrays (no object per run: a group of 100,000 runs made 100,000 stamps).
 *
 * @module
 */

import { mapBounded } from "./_load.ts";
import type { Stamp } from "./_index_format.ts";

/** Stats made synchronously before the pass switches to concurrent ones (cold caches, network). */
const PROBE_STATS = 32;
/** Synchronous stats slower than this (median), and than the same ones repeated, mean a cold cache. */
const SLOW_STAT_MS = 0.03;
/** Stats in flight once concurrent: a cold disk or an NFS server answers many at once. */
const STAT_LANES = 256;

const NONE = 0;
const FILE = 1;
const ERROR = 2;

/** What the stats found, per folder: no `config.ini`, a file and its stamp, or an error. */
export class Stats {
  /** Per folder: 0 no `config.ini` (not a run, or still being made), 1 a file, 2 an error. */
  readonly kind: Uint8Array;
  /** `ino, size, mtimeMs, ctimeMs` of folder `i` at `4 i` (files only). */
  readonly stamps: Float64Array;
  /** The errors, by folder. */
  readonly errors = new Map<number, Error>();

  constructor(n: number) {
    this.kind = new Uint8Array(n);
    this.stamps = new Float64Array(4 * n);
  }

  /** The number of folders. */
  get length(): number {
    return this.kind.length;
  }

  /** Whether folder `i` holds a `config.ini` file. */
  isRun(i: number): boolean {
    return this.kind[i] === FILE;
  }

  /** Whether folder `i` has no `config.ini`. */
  isNone(i: number): boolean {
    return this.kind[i] === NONE;
  }

  /** The stamp of folder `i` (a file). */
  stamp(i: number): Stamp {
    const s = this.stamps;
    return [s[4 * i], s[4 * i + 1], s[4 * i + 2], s[4 * i + 3]];
  }

  /** Records the stat of folder `i`'s `config.ini`. */
  set(i: number, file: string, info: Deno.FileInfo | Error): void {
    if (info instanceof Deno.errors.NotFound) return; // kind stays NONE
    if (info instanceof Error || !info.isFile) {
      this.kind[i] = ERROR;
      this.errors.set(i, info instanceof Error ? info : new Error(`${file} is not a file`));
      return;
    }
    this.kind[i] = FILE;
    const s = this.stamps;
    s[4 * i] = info.ino ?? 0;
    s[4 * i + 1] = info.size;
    s[4 * i + 2] = info.mtime?.getTime() ?? 0;
    s[4 * i + 3] = info.ctime?.getTime() ?? 0;
  }
}

function statSync(file: string): Deno.FileInfo | Error {
  try {
    return Deno.statSync(file);
  } catch (err) {
    return err as Error;
  }
}

/**
 * Whether the first stats were much slower than the same stats repeated (medians: one preemption is no
 * cold cache): the metadata was not cached. Compared with the repeat, not with a fixed time alone, so that
 * a busy or slow machine does not look like a cold disk (the thread pool would then cost it 3–5×).
 */
function coldCache(first: number[], again: number[]): boolean {
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const f = median(first);
  return f > SLOW_STAT_MS && f > 4 * median(again);
}

/**
 * One `stat` per run folder's `config.ini`: on a local disk synchronous while the metadata is cached (µs
 * each), concurrent when the first ones show it is not (a cold page cache), or with
 * `readMode: "concurrent"`; on network file systems (`local` false) through {@linkcode openStat}
 * (concurrent, or one at a time with `readMode: "sequential"`). Concurrent stats are issued in the order of `inode` (the inode number the index
 * recorded, where known): on a cold disk, neighbouring inodes and their folders' blocks lie close.
 */
export async function statPass(
  groupPath: string,
  folders: readonly string[],
  sync: boolean,
  local = true,
  inode?: (i: number) => number,
): Promise<Stats> {
  const out = new Stats(folders.length);
  const file = (i: number) => `${groupPath}/${folders[i]}/config.ini`;
  let i = 0;
  const stat = local ? statSync : openStatSync; // off local disks too: NFS's attribute cache
  if (sync) {
    const first: number[] = [];
    const again: number[] = [];
    for (; i < folders.length; i++) {
      if (i === PROBE_STATS && coldCache(first, again)) break;
      const probing = i < PROBE_STATS;
      const t0 = probing ? performance.now() : 0;
      const info = stat(file(i));
      if (probing) {
        const t1 = performance.now();
        stat(file(i)); // the same file again: cached now, timed on this machine at this load
        first.push(t1 - t0);
        again.push(performance.now() - t1);
      }
      out.set(i, file(i), info);
    }
  }
  const rest = Array.from({ length: folders.length - i }, (_, k) => i + k);
  if (inode && rest.length > 1) {
    const ino = Float64Array.from(rest, (j) => inode(j)); // rest[k] is i + k
    rest.sort((a, b) => ino[a - i] - ino[b - i]);
  }
  await mapBounded(rest, STAT_LANES, async (j) => {
    out.set(j, file(j), await (local ? Deno.stat(file(j)) : openStat(file(j))).catch((e) => e));
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
  const pre = await Deno.stat(path);
  if (!pre.isFile) return pre; // not opened: a FIFO would wait for a writer forever
  const f = await Deno.open(path, { read: true });
  try {
    return await f.stat();
  } finally {
    f.close();
  }
}

/** {@linkcode openStat}, synchronous (`readMode: "sequential"` off local disks); an error is returned. */
function openStatSync(path: string): Deno.FileInfo | Error {
  try {
    const pre = Deno.statSync(path);
    if (!pre.isFile) return pre;
    const f = Deno.openSync(path, { read: true });
    try {
      return f.statSync();
    } finally {
      f.close();
    }
  } catch (err) {
    return err as Error;
  }
}
