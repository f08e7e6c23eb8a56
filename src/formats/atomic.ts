/**
 * Crash-safe file writes: the bytes go to a temporary file in the same folder, which is then renamed
 * over the target. A reader, or a process killed mid-write, never sees a torn file.
 *
 * @module
 */

/** The prefix of temporary files; folders being written hold such files and readers skip them. */
export const TEMP_PREFIX = ".sweepstore-tmp-";

function tempPathFor(path: string): string {
  const slash = path.lastIndexOf("/");
  const dir = slash >= 0 ? path.slice(0, slash + 1) : "";
  const base = slash >= 0 ? path.slice(slash + 1) : path;
  const rand = crypto.getRandomValues(new Uint32Array(2));
  return `${dir}${TEMP_PREFIX}${rand[0].toString(36)}${rand[1].toString(36)}-${base}`;
}

/** Options for {@linkcode atomicWrite}. */
export interface AtomicWriteOptions {
  /**
   * Flush the file to disk (fsync) before the rename, so the new content survives a power cut, not only a
   * process crash.
   * @default {false}
   */
  sync?: boolean;
}

/**
 * Writes `chunks` to `path` crash-safely: a temporary file in the same folder, then a rename over `path`.
 * Returns the written file's info (taken before the rename: same inode), which saves callers a `stat`.
 *
 * @example
 * ```ts
 * import { atomicWrite } from "@sweepstore/sweepstore";
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
  const file = Deno.openSync(tmp, { write: true, createNew: true, mode: 0o644 });
  try {
    for (const chunk of list) {
      let off = 0;
      while (off < chunk.length) off += file.writeSync(chunk.subarray(off));
    }
    if (options.sync) await file.syncData();
  } catch (err) {
    file.close();
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
  const info = file.statSync();
  file.close();
  try {
    Deno.renameSync(tmp, path);
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
  return info;
}

/**
 * Writes `text` (UTF-8) to `path` crash-safely, like {@linkcode atomicWrite}.
 *
 * @example
 * ```ts
 * import { atomicWriteText } from "@sweepstore/sweepstore";
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
