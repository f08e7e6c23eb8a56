/**
 * The stat pass of a group load (internal): one `stat` per run folder's `config.ini`, synchronous while
 * the metadata is cached, concurrent (in inode order) on a cold cache or a network file system, the
 * results kept in typed arrays (no object per run: a group of 100,000 runs made 100,000 stamps).
 *
 * @module
 */

import { mapBounded } from "./_load.ts";
import type { Stamp } from "./_index_format.ts";

/**
 * Synchronous stats are made in blocks of this many; the first block, and any block after one that was
 * slow as a whole, is a probe: each stat timed and repeated (see {@linkcode coldCache}).
 */
const BLOCK = 32;
/** A stat slower than this, and than the same stat repeated, found its metadata not cached. */
const SLOW_STAT_MS = 0.03;
/** A probe block with at least this share of uncached stats means a cold cache: go concurrent. */
const COLD_SHARE = 0.25;
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
 * Whether a probe block found the metadata not cached: at least {@linkcode COLD_SHARE} of its stats were
 * slower than {@linkcode SLOW_STAT_MS} and than 4× the same stat repeated (cached by then). Each stat is
 * compared with its own repeat, not with a fixed time alone, so that a busy or slow machine does not look
 * like a cold disk (the thread pool would then cost it 3–5×), and a share is counted, not a median, so
 * that a group partly in the page cache (a quarter of its runs cold costs ~100 µs or more each,
 * one after another) goes concurrent too; one preempted stat is not a quarter of a block.
 *
 * @param first The first stat of each file of the block (ms).
 * @param again The same stats repeated (ms).
 */
export function coldCache(first: readonly number[], again: readonly number[]): boolean {
  let slow = 0;
  for (let k = 0; k < first.length; k++) {
    if (first[k] > SLOW_STAT_MS && first[k] > 4 * again[k]) slow++;
  }
  return first.length > 0 && slow >= COLD_SHARE * first.length;
}

/**
 * The synchronous part of the pass: stats folder `i` onwards in blocks of {@linkcode BLOCK} while the
 * metadata is cached, and returns where it stopped (`folders.length` when done). The first block is a
 * probe, and so is the block after any block slower than {@linkcode SLOW_STAT_MS} per stat: a group whose
 * first runs are cached (opened just before) and the rest not is caught where its cold part begins, not
 * stat by stat to the end (8.8 s instead of 3.4 s for 50,000 runs whose first 1,000 were cached). On a
 * busy machine a preempted block makes the next one a probe: at most half the blocks, each stat twice.
 */
function syncStats(
  n: number,
  file: (i: number) => string,
  stat: (file: string) => Deno.FileInfo | Error,
  out: Stats,
): number {
  let probe = true;
  for (let i = 0; i < n;) {
    const end = Math.min(n, i + BLOCK);
    if (probe) {
      const first: number[] = [];
      const again: number[] = [];
      for (; i < end; i++) {
        const t0 = performance.now();
        const info = stat(file(i));
        const t1 = performance.now();
        stat(file(i)); // the same file again: cached now, timed on this machine at this load
        first.push(t1 - t0);
        again.push(performance.now() - t1);
        out.set(i, file(i), info);
      }
      if (coldCache(first, again)) return i;
      probe = false;
    } else {
      const t0 = performance.now();
      for (; i < end; i++) out.set(i, file(i), stat(file(i)));
      probe = performance.now() - t0 > BLOCK * SLOW_STAT_MS;
    }
  }
  return n;
}

/**
 * One `stat` per run folder's `config.ini`: on a local disk synchronous while the metadata is cached (µs
 * each), concurrent from where a probe block shows it is not (a cold page cache: {@linkcode syncStats}),
 * or with `readMode: "concurrent"`; on network file systems (`local` false) through {@linkcode openStat}
 * (concurrent, or one at a time with `readMode: "sequential"`). Concurrent stats are issued in the order
 * of `inode` (the inode number the index recorded, where known): on a cold disk, neighbouring inodes and
 * their folders' directory blocks lie close (checked with `filefrag` on run folders made one after
 * another: the directory block follows the inode number in 4 of 5 steps).
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
  const stat = local ? statSync : openStatSync; // off local disks too: NFS's attribute cache
  const i = sync ? syncStats(folders.length, file, stat, out) : 0;
  const rest = inode ? inodeOrder(i, folders.length, inode) : range(i, folders.length);
  await mapBounded(rest, STAT_LANES, async (j) => {
    out.set(j, file(j), await (local ? Deno.stat(file(j)) : openStat(file(j))).catch((e) => e));
  });
  return out;
}

function range(from: number, to: number): Int32Array {
  return Int32Array.from({ length: to - from }, (_, k) => from + k);
}

/** Bits for the folder number in a sort key (`inode · 2²¹ + folder`: below 2⁵³, exact). */
const FOLDER_BITS = 21;

/** The largest inode number a sort key holds; also where unknown ones (`Number.MAX_VALUE`) go. */
const LAST_INODE = 2 ** 32 - 1;

/**
 * Folders `from … to - 1` in the order of `inode(i)` (ties in folder order; unknown inodes, given as
 * `Number.MAX_VALUE`, last). Sorted as one `Float64Array` of keys that hold both numbers, not with a
 * comparator (half the CPU for 50,000 folders, while the disk waits for the first stat); inode numbers
 * too large for such a key (64-bit file systems) fall back to the comparator.
 */
export function inodeOrder(from: number, to: number, inode: (i: number) => number): Int32Array {
  const order = range(from, to);
  const ino = Float64Array.from(order, (j) => inode(j));
  const scale = 2 ** FOLDER_BITS;
  const key = (x: number) => (x === Number.MAX_VALUE ? LAST_INODE : x);
  const fits = to <= scale &&
    ino.every((x) => x === Number.MAX_VALUE || (Number.isInteger(x) && x >= 0 && x <= LAST_INODE));
  if (!fits) return order.sort((a, b) => ino[a - from] - ino[b - from] || a - b);
  const keys = Float64Array.from(order, (j, k) => key(ino[k]) * scale + j).sort();
  return order.map((_, k) => keys[k] % scale);
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
