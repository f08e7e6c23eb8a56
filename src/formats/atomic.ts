/**
 * Crash-safe file writes: the bytes go to a temporary file in the same folder, which is then renamed
 * over the target. A reader, or a process killed mid-write, never sees a torn file; a write that fails
 * (a full disk, a read-only folder) leaves the old file as it was and no temporary file behind.
 *
 * @module
 */

import { StorageError, storageErrorCode } from "../errors.ts";
import { writeNewFileLibc } from "./_npy_libc.ts";

/** The prefix of temporary files; folders being written hold such files and readers skip them. */
export const TEMP_PREFIX = ".sweepstore-tmp-";

/** The most UTF-8 bytes of a file name on Linux and macOS file systems (`NAME_MAX`). */
const NAME_MAX = 255;
const utf8 = new TextEncoder();

function tempPathFor(path: string): string {
  const slash = path.lastIndexOf("/");
  const dir = slash >= 0 ? path.slice(0, slash + 1) : "";
  let base = slash >= 0 ? path.slice(slash + 1) : path;
  const rand = crypto.getRandomValues(new Uint32Array(2));
  const head = `${TEMP_PREFIX}${rand[0].toString(36)}${rand[1].toString(36)}-`;
  // A target name near the limit must not make the temporary name too long (ENAMETOOLONG).
  // (a UTF-16 unit is at most 3 UTF-8 bytes: short names skip the encoding)
  if (head.length + 3 * base.length > NAME_MAX) {
    while (utf8.encode(head + base).length > NAME_MAX) base = [...base].slice(0, -1).join("");
  }
  return `${dir}${head}${base}`;
}

/** The operating system's reason without the temporary file's path (`No space left on device (os error 28)`). */
function osReason(err: unknown, tmp: string, path: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /^.*?\(os error \d+\)/.exec(message);
  return m ? m[0] : message.replaceAll(tmp, path);
}

/** Creates the temporary file `tmp` for `path` (new, 0644 before the umask). */
function openTemp(path: string, tmp: string): Deno.FsFile {
  try {
    return Deno.openSync(tmp, { write: true, createNew: true, mode: 0o644 });
  } catch (err) {
    throw writeFailure(err, path, tmp);
  }
}

/**
 * The error of a failed write of `path`, as a `StorageError` whose code says the kind
 * ({@linkcode storageErrorCode}) and whose message names `path` (not the temporary file) and what to do.
 */
function writeFailure(err: unknown, path: string, tmp: string): StorageError {
  const code = storageErrorCode(err) ?? "io";
  const reason = osReason(err, tmp, path);
  const advice: Partial<Record<typeof code, string>> = {
    no_space: "the disk is full: free space on it (or raise the quota) and write again",
    permission: "permission denied: make the folder writable (it may be read-only or belong to " +
      "another user) or grant Deno --allow-write for it",
    not_found: "its folder does not exist: create it first",
  };
  const what = advice[code] ?? "write it again, or check the disk";
  return new StorageError(
    `Cannot write ${path} (${reason}): ${what}. An earlier version of the file, if any, is unchanged`,
    { path, code, cause: err },
  );
}

/** Options for {@linkcode atomicWrite}. */
export interface AtomicWriteOptions {
  /**
   * Flush the file to disk (fsync) before the rename, so the new content survives a power cut, not only a
   * process crash.
   * @default {false}
   */
  sync?: boolean;
  /**
   * Reserve the file's blocks before writing (`fallocate`, as `numpy.save` does), when the process may use
   * FFI (`--allow-ffi`, Linux) and writes at least 8 MiB: the data then goes through libc (see
   * `_npy_libc.ts`). Without `--allow-ffi` the write goes through Deno as always; files are the same. On
   * ext4 the reserved blocks also spare a write over an existing file the writeback that ext4 starts when
   * a file whose blocks are not yet allocated is renamed over another (`auto_da_alloc`; ~70 ms for 100 MB
   * on the project's machines, bench/README.md).
   * @default {false}
   */
  preallocate?: boolean;
}

/**
 * Writes `chunks` to `path` crash-safely: a temporary file in the same folder, then a rename over `path`.
 * Returns the written file's info (taken before the rename: same inode), which saves callers a `stat`.
 *
 * @throws {StorageError} When the write fails; the temporary file is removed and an existing file at
 * `path` is left as it was. `code` is `no_space` (a full disk or quota: ENOSPC, EDQUOT), `permission`
 * (EACCES, EPERM, EROFS, Deno's permissions), `not_found` (the folder is missing) or `io`; the message
 * names `path` and what to do.
 *
 * @example
 * ```ts
 * import { atomicWrite } from "./atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await atomicWrite(`${dir}/hello.txt`, new TextEncoder().encode("hello"));
 * console.log(await Deno.readTextFile(`${dir}/hello.txt`));
 * ```
 */
export async function atomicWrite(
  path: string,
  chunks: Uint8Array | readonly Uint8Array[],
  options: AtomicWriteOptions = {},
): Promise<Deno.FileInfo> {
  const tmp = tempPathFor(path);
  const list = chunks instanceof Uint8Array ? [chunks] : chunks;
  // Synchronous calls: they skip Deno's hand-off to a thread pool, which costs more than the work for small
  // files, and for large buffers the write is ~1.5× faster (as fast as Python's). The event loop waits as
  // long as the kernel takes.
  if (options.preallocate) {
    let info: Deno.FileInfo | undefined;
    try {
      if (writeNewFileLibc(tmp, list, options.sync ?? false)) info = Deno.statSync(tmp);
    } catch (err) {
      throw writeFailure(err, path, tmp);
    }
    if (info) return renameOver(tmp, path, info);
  }
  const file = openTemp(path, tmp);
  let info: Deno.FileInfo;
  try {
    for (const chunk of list) {
      let off = 0;
      while (off < chunk.length) off += file.writeSync(chunk.subarray(off));
    }
    if (options.sync) await file.syncData();
  } catch (err) {
    file.close();
    await Deno.remove(tmp).catch(() => {});
    throw writeFailure(err, path, tmp);
  }
  file.close();
  try {
    // By path, not `file.statSync()`: Deno checks an open file's stat against its path's permission by
    // resolving every folder of the path (a readlink each, 8 for a run's config.ini), a path's stat not.
    // The temporary name is ours alone: it is the file just written.
    info = Deno.statSync(tmp);
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw writeFailure(err, path, tmp);
  }
  return renameOver(tmp, path, info);
}

function renameOver(tmp: string, path: string, info: Deno.FileInfo): Deno.FileInfo {
  try {
    Deno.renameSync(tmp, path);
  } catch (err) {
    try {
      Deno.removeSync(tmp);
    } catch { /* already gone */ }
    throw writeFailure(err, path, tmp);
  }
  return info;
}

/**
 * Writes `text` (UTF-8) to `path` crash-safely, like {@linkcode atomicWrite}.
 *
 * @throws {StorageError} As {@linkcode atomicWrite}.
 *
 * @example
 * ```ts
 * import { atomicWriteText } from "./atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await atomicWriteText(`${dir}/a.txt`, "x = 1\n");
 * ```
 */
export function atomicWriteText(
  path: string,
  text: string,
  options: AtomicWriteOptions = {},
): Promise<Deno.FileInfo> {
  return atomicWrite(path, new TextEncoder().encode(text), options);
}

/**
 * Writes the texts that `pieces` yields (UTF-8, one after another) to `path` crash-safely, like
 * {@linkcode atomicWrite}, holding one piece at a time: for files too large to build as one string (a
 * summary of 100,000 runs). A piece is text (written as UTF-8) or bytes (written as they are; a buffer
 * may be reused once its piece is written, e.g. a file copied through one buffer). The temporary file grows as pieces arrive; the rename happens after the last.
 *
 * @throws {StorageError} As {@linkcode atomicWrite} (the temporary file is removed). An error thrown by
 * `pieces` itself also removes the temporary file and is thrown as it is.
 *
 * @example
 * ```ts
 * import { atomicWriteTextPieces } from "./atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await atomicWriteTextPieces(`${dir}/rows.csv`, (function* () {
 *   yield "n\r\n";
 *   for (let n = 0; n < 3; n++) yield `${n}\r\n`;
 * })());
 * console.log(await Deno.readTextFile(`${dir}/rows.csv`)); // "n\r\n0\r\n1\r\n2\r\n"
 * ```
 */
export async function atomicWriteTextPieces(
  path: string,
  pieces: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
  options: Pick<AtomicWriteOptions, "sync"> = {},
): Promise<Deno.FileInfo> {
  const tmp = tempPathFor(path);
  const file = openTemp(path, tmp);
  let info: Deno.FileInfo;
  let failure: StorageError | undefined;
  try {
    for await (const piece of pieces) {
      const bytes = typeof piece === "string" ? utf8.encode(piece) : piece;
      let off = 0;
      try {
        while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
      } catch (err) {
        throw failure = writeFailure(err, path, tmp);
      }
    }
    try {
      if (options.sync) await file.syncData();
      info = file.statSync();
    } catch (err) {
      throw failure = writeFailure(err, path, tmp);
    }
  } catch (err) {
    file.close();
    await Deno.remove(tmp).catch(() => {});
    throw failure ?? err;
  }
  file.close();
  return renameOver(tmp, path, info);
}
