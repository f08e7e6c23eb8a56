/**
 * Who is running what, with locks that the death of their process releases (`flock`, through
 * `Deno.FsFile.tryLock`), in the group's bookkeeping folder `<group>/.sweepstore/` (`src/layout.ts`):
 *
 * - an **owner lock** per process that runs runs (a local slot, a SLURM array task):
 *   `.sweepstore/owners/<id>.lock`, held for the life of the process and named in each of its runs'
 *   `[Run] owner`. A folder that says `running` while its owner lock is free belongs to a dead process: it
 *   is `interrupted` (`reconcileRuns` (`reconcile.ts`)).
 * - a **point claim** per point and repeat, taken by `resume` sweeps before a run starts:
 *   `.sweepstore/claims/<hash>.lock`, held while the run runs; it says `done <run folder>` once a run of the
 *   point finished, so two sweeps resuming one name at once run each missing point exactly once.
 *
 * On NFS, Linux maps `flock` to NFS byte-range locks: they work across machines, and the lock of a machine
 * that died is released only when its NFS lease expires (typically 90 s), so its runs look alive until then.
 * NFS byte-range locks are held per process, not per open file: within one process a second lock of the
 * same file succeeds, and closing any handle of it releases the process's lock. So the locks this process
 * holds are also kept in a set of their paths, asked before any file is opened: this process's own owner
 * is alive, and its own claims are taken.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { sweepstoreFolder } from "../src/layout.ts";
import { StorageError } from "../src/errors.ts";
import { fsError } from "../src/run/_fs_error.ts";

function ownersFolder(dataFolder: string, name: string): string {
  return join(sweepstoreFolder(dataFolder, name), "owners");
}

function claimsFolder(dataFolder: string, name: string): string {
  return join(sweepstoreFolder(dataFolder, name), "claims");
}

function fnv(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** The lock files this process holds (see the module documentation: NFS locks are per process). */
const heldHere = new Set<string>();

function lockFile(path: string): Deno.FsFile {
  return Deno.openSync(path, { read: true, write: true, create: true });
}

/**
 * A lock held for the life of a process that runs runs; its id goes to each run's `[Run] owner`.
 *
 * @example
 * ```ts
 * import { OwnerLock } from "@sweepstore/sweepstore/runner";
 * const dataFolder = await Deno.makeTempDir();
 * const owner = await OwnerLock.acquire(dataFolder, "Demo");
 * console.log(owner.id); // written to [Run] owner of the runs this process runs
 * owner.release();
 * ```
 */
export class OwnerLock {
  /** The id written to `[Run] owner`. */
  readonly id: string;
  #file?: Deno.FsFile;
  #path: string;

  private constructor(id: string, path: string, file: Deno.FsFile) {
    this.id = id;
    this.#path = path;
    this.#file = file;
  }

  /**
   * Creates and locks a new owner lock file for this process.
   *
   * @throws {StorageError} When its folder (`<group>/.sweepstore/owners/`) cannot be made or written
   *   (`code` says why: `permission`, `no_space`, …; `path` names the folder).
   *
   * @example
   * ```ts
   * import { OwnerLock, ownerAlive } from "@sweepstore/sweepstore/runner";
   * const dataFolder = await Deno.makeTempDir();
   * const owner = await OwnerLock.acquire(dataFolder, "Demo");
   * console.log(await ownerAlive(dataFolder, "Demo", owner.id)); // true
   * owner.release();
   * ```
   */
  static async acquire(dataFolder: string, name: string): Promise<OwnerLock> {
    const dir = ownersFolder(dataFolder, name);
    const rand = crypto.getRandomValues(new Uint32Array(2));
    const tag = `${rand[0].toString(36)}${rand[1].toString(36)}`;
    const id = `${Deno.pid}-${Date.now().toString(36)}-${tag}`;
    const path = resolve(dir, `${id}.lock`); // absolute: the key of heldHere
    // Made and locked under a name {@linkcode pruneOwners} leaves alone, then renamed (the lock stays with
    // the file): a pruner never sees an unlocked owner lock of a live process.
    const fresh = resolve(dir, `${id}${FRESH_SUFFIX}`);
    let file: Deno.FsFile | undefined;
    try {
      await Deno.mkdir(dir, { recursive: true });
      file = Deno.openSync(fresh, { read: true, write: true, createNew: true });
      if (!file.tryLockSync(true)) throw new Error(`${fresh} is locked by another process`);
      Deno.renameSync(fresh, path);
    } catch (err) {
      file?.close();
      try {
        Deno.removeSync(fresh);
      } catch { /* not made */ }
      // without it, this process's runs could not be told from live ones after a crash
      throw fsError(err, `Cannot create the owner lock ${path}`, dir);
    }
    heldHere.add(path);
    return new OwnerLock(id, path, file);
  }

  /** Releases the lock and removes its file (the process is done running runs). */
  release(): void {
    if (!this.#file) return;
    try {
      Deno.removeSync(this.#path);
    } catch { /* already gone */ }
    this.#file.close();
    this.#file = undefined;
    heldHere.delete(this.#path);
  }
}

/** The suffix of an owner lock file being made (not yet locked and renamed to `.lock`). */
const FRESH_SUFFIX = ".lock-new";

/** A `.lock-new` file older than this was left by a process that died while making its lock. */
const FRESH_STALE_MS = 10 * 60_000;

/** Whether `entry` of the owners folder is a lock file {@linkcode pruneOwners} may take. */
function prunable(entry: Deno.DirEntry, path: string): boolean {
  if (entry.name.endsWith(".lock")) return true;
  if (!entry.name.endsWith(FRESH_SUFFIX)) return false;
  try {
    return Date.now() - (Deno.statSync(path).mtime?.getTime() ?? Date.now()) > FRESH_STALE_MS;
  } catch {
    return false;
  }
}

/**
 * Removes the lock files of owners that are gone (a slot or SLURM task killed with SIGKILL, or whose
 * machine went down, leaves one behind): each that no process holds is locked and removed. A run whose
 * owner's lock file is missing is judged by its `[Run] pid` on this host and counts as gone on another
 * host (`reconcileRuns` (`reconcile.ts`)), so a run whose owner died after it was judged and before its file was
 * removed is still found gone later. A new owner's lock is made as `<id>.lock-new` and renamed once
 * locked, so it is never taken here; a `.lock-new` file older than 10 minutes (its process died while
 * making it) is removed too. Housekeeping: a file that cannot be opened or removed is left.
 * `reconcileRuns` (`reconcile.ts`) calls it for a group (resume, the summary, `status`).
 *
 * @returns How many lock files were removed.
 *
 * @example
 * ```ts
 * import { OwnerLock, pruneOwners } from "@sweepstore/sweepstore/runner";
 * const dataFolder = await Deno.makeTempDir();
 * const owner = await OwnerLock.acquire(dataFolder, "Demo");
 * console.log(await pruneOwners(dataFolder, "Demo")); // 0: its owner holds it
 * owner.release();
 * ```
 */
export function pruneOwners(dataFolder: string, name: string): Promise<number> {
  return removeFreeOwnerFiles(dataFolder, name, prunable);
}

/**
 * Removes the owner lock files of process `pid` of this host, which has ended (a pool's slot that exited:
 * killed before it was ready, between making its lock and renaming it, leaves a `.lock-new` that
 * {@linkcode pruneOwners} would take only 10 minutes later). A file is removed only while it can be
 * locked, as in {@linkcode pruneOwners}. Housekeeping: what cannot be read or removed is left.
 *
 * @returns How many files were removed.
 *
 * @example
 * ```ts
 * import { removeOwnerFilesOf } from "@sweepstore/sweepstore/runner";
 * console.log(await removeOwnerFilesOf(await Deno.makeTempDir(), "Demo", 12345)); // 0
 * ```
 */
export function removeOwnerFilesOf(
  dataFolder: string,
  name: string,
  pid: number,
): Promise<number> {
  const ours = (entry: Deno.DirEntry) =>
    entry.name.startsWith(`${pid}-`) &&
    (entry.name.endsWith(".lock") || entry.name.endsWith(FRESH_SUFFIX));
  return removeFreeOwnerFiles(dataFolder, name, ours);
}

/**
 * Removes the files of the owners folder that `take` picks, other than this process's own locks, that no
 * process holds; how many.
 */
async function removeFreeOwnerFiles(
  dataFolder: string,
  name: string,
  take: (entry: Deno.DirEntry, path: string) => boolean,
): Promise<number> {
  const dir = resolve(ownersFolder(dataFolder, name));
  let removed = 0;
  try {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (!entry.isFile || heldHere.has(path) || !take(entry, path)) continue;
      if (removeIfFree(path)) removed++;
    }
  } catch { /* no owners folder, or it cannot be read */ }
  return removed;
}

/** Locks `path` and removes it while locked; `false` when it is held, gone or cannot be removed. */
function removeIfFree(path: string): boolean {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true, write: true });
  } catch {
    return false;
  }
  try {
    if (!file.tryLockSync(true)) return false; // its owner lives
    Deno.removeSync(path);
    return true;
  } catch {
    return false; // removed by another pruner, or not ours to remove
  } finally {
    file.close();
  }
}

/**
 * Whether the process named by a run's `[Run] owner` still lives (holds its lock): `true` while its lock
 * is held, `false` once it is free (the owner is gone, however it died), `undefined` when the lock file
 * cannot be opened (deleted by hand — with the `.sweepstore` folder, say — while its owner may still run:
 * the lock cannot tell, and `reconcileRuns` (`reconcile.ts`) asks the run's `[Run] pid` first).
 *
 * @example
 * ```ts
 * import { ownerAlive } from "@sweepstore/sweepstore/runner";
 * console.log(await ownerAlive(await Deno.makeTempDir(), "Demo", "123-abc")); // undefined: no lock file
 * ```
 */
export function ownerAlive(
  dataFolder: string,
  name: string,
  owner: string,
): Promise<boolean | undefined> {
  if (!/^[\w.-]+$/.test(owner)) return Promise.resolve(false);
  const path = resolve(ownersFolder(dataFolder, name), `${owner}.lock`);
  if (heldHere.has(path)) return Promise.resolve(true); // this process: never open (and close) its lock
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, {
      read: true,
      write: true,
    });
  } catch {
    // Not "gone": a live owner keeps its lock on a file deleted under it, and a new file of that name
    // would be free. (An owner that ends removes its file only after its runs ended.)
    return Promise.resolve(undefined);
  }
  try {
    return Promise.resolve(!file.tryLockSync(true));
  } finally {
    file.close(); // closing releases a lock we took
  }
}

/**
 * A `resume` sweep's claim on one point and repeat (see the module documentation).
 *
 * @example
 * ```ts
 * import { PointClaim } from "@sweepstore/sweepstore/runner";
 * const dataFolder = await Deno.makeTempDir();
 * const claim = (await PointClaim.tryAcquire(dataFolder, "Demo", '{"n":1}', 0))!;
 * claim.markDone("Demo1"); // the run folder that finished the point
 * claim.release();
 * const again = await PointClaim.tryAcquire(dataFolder, "Demo", '{"n":1}', 0);
 * console.log(again?.doneBy); // "Demo1": this point must not run again
 * again?.release();
 * ```
 */
export class PointClaim {
  #file?: Deno.FsFile;
  #path: string;
  /** The run folder that finished this point, if one did (then the point must not run again). */
  readonly doneBy?: string;

  private constructor(path: string, file: Deno.FsFile, doneBy?: string) {
    this.#path = path;
    this.#file = file;
    this.doneBy = doneBy;
  }

  /**
   * Takes the claim on `point` + `repeat`, or returns `undefined` when another process holds it.
   *
   * @throws {StorageError} When the claims folder or the claim's file cannot be made (a file in the way,
   *   no permission, a full disk), naming the folder.
   *
   * @example
   * ```ts
   * import { PointClaim } from "@sweepstore/sweepstore/runner";
   * const dataFolder = await Deno.makeTempDir();
   * const claim = await PointClaim.tryAcquire(dataFolder, "Demo", '{"n":1}', 0);
   * console.log(claim?.doneBy); // undefined: nobody finished it yet
   * claim?.release();
   * ```
   */
  static async tryAcquire(
    dataFolder: string,
    name: string,
    point: string,
    repeat: number,
  ): Promise<PointClaim | undefined> {
    const dir = claimsFolder(dataFolder, name);
    const key = `${point}#${repeat}`;
    const path = resolve(dir, `${fnv(key, 0x811c9dc5)}${fnv(key, 0x2545f491)}.lock`);
    if (heldHere.has(path)) return undefined; // another sweep of this process holds it
    let file: Deno.FsFile;
    try {
      await Deno.mkdir(dir, { recursive: true });
      file = lockFile(path);
    } catch (err) {
      throw new StorageError(
        `cannot take the point claim ${path} (${
          err instanceof Error ? err.message : String(err)
        }): without it two sweeps resuming ${name} could run the point twice; make ${dir} a ` +
          `writable folder (move away a file on that path, or free space) and start again`,
        { path: dir, cause: err },
      );
    }
    if (!file.tryLockSync(true)) {
      file.close();
      return undefined;
    }
    const buf = new Uint8Array(4096);
    const n = file.readSync(buf) ?? 0;
    const text = new TextDecoder().decode(buf.subarray(0, n));
    heldHere.add(path);
    return new PointClaim(path, file, text.startsWith("done ") ? text.slice(5).trim() : undefined);
  }

  /** Records that `runFolder` finished the point (before {@linkcode PointClaim.release}). */
  markDone(runFolder: string): void {
    if (!this.#file) return;
    const bytes = new TextEncoder().encode(`done ${runFolder}\n`);
    this.#file.truncateSync(0);
    this.#file.seekSync(0, Deno.SeekMode.Start);
    this.#file.writeSync(bytes);
  }

  /** Releases the claim. */
  release(): void {
    if (!this.#file) return;
    this.#file.close();
    this.#file = undefined;
    heldHere.delete(this.#path);
  }
}
