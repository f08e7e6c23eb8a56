/**
 * A pool's folder of named pipes, `<group>/.sweepstore/pools/<pid>-<random>/`: made and locked (`flock` on
 * the folder itself) for the pool's life, removed at its end. A pool killed with SIGKILL cannot remove
 * its folder; the next pool of the same group removes every pool folder whose lock is free (its owner is
 * dead, on this machine or, through NFS byte-range locks, on another) and that is older than a minute
 * (a pool locks its folder right after making it). Folders named with this process's pid are never
 * judged: they are this process's other pools.
 *
 * @module
 */

import { join } from "node:path";

/** A pool folder younger than this is never removed by another pool, locked or not. */
const STALE_AFTER_MS = 60_000;

/** A made and locked pool folder. */
export interface PoolFolder {
  /** The folder's path. */
  path: string;
  /** Removes the folder (and its pipes) and releases its lock. Never throws. */
  remove(): Promise<void>;
}

/**
 * Makes and locks this pool's folder in `poolsDir`, after removing the folders that dead pools left.
 * Never throws: when the folder cannot be made or locked (a full disk, no permission, no `flock`), the
 * path is returned unlocked and the slots' own `mkdir` reports the error as before.
 */
export async function openPoolFolder(poolsDir: string): Promise<PoolFolder> {
  const rand = crypto.getRandomValues(new Uint32Array(1))[0].toString(36);
  const path = join(poolsDir, `${Deno.pid}-${rand}`);
  let lock: Deno.FsFile | undefined;
  try {
    await Deno.mkdir(poolsDir, { recursive: true });
    removeStalePools(poolsDir);
    await Deno.mkdir(path);
    lock = Deno.openSync(path, { read: true });
    lock.lockSync(true);
  } catch {
    lock?.close();
    lock = undefined;
  }
  return {
    path,
    async remove() {
      await Deno.remove(path, { recursive: true }).catch(() => {});
      lock?.close();
    },
  };
}

/** Removes the pool folders whose lock is free and that are older than a minute (best effort). */
function removeStalePools(poolsDir: string): void {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(poolsDir)];
  } catch {
    return;
  }
  const now = Date.now();
  for (const entry of entries) {
    if (!entry.isDirectory || !/^\d+-[0-9a-z]+$/.test(entry.name)) continue;
    // A folder of this process is another live pool of it. Its lock cannot tell: on NFS `flock` is a
    // byte-range lock, held per process (our own test of it succeeds), and closing any handle of the
    // folder would release the other pool's lock.
    if (entry.name.startsWith(`${Deno.pid}-`)) continue;
    const path = join(poolsDir, entry.name);
    let dir: Deno.FsFile | undefined;
    try {
      const mtime = Deno.statSync(path).mtime?.getTime() ?? now;
      if (now - mtime < STALE_AFTER_MS) continue;
      dir = Deno.openSync(path, { read: true });
      if (dir.tryLockSync(true)) Deno.removeSync(path, { recursive: true });
    } catch {
      // Gone already, or not ours to judge: leave it.
    } finally {
      dir?.close();
    }
  }
}
