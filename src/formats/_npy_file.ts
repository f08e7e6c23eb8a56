/**
 * Reading a `.npy` file's bytes: exactly, and for big files in parts on several threads at once. Internal
 * to the `.npy` codec (`npy.ts`).
 *
 * @module
 */

import { StorageError, storageErrorCode } from "../errors.ts";
import {
  corrupt,
  type NpyHeader,
  parseHeader,
  pyTuple,
  readPrefix,
  truncated,
} from "./_npy_header.ts";
import { dataToNdArray } from "./_npy_data.ts";
import { adviseHugePages } from "./_npy_libc.ts";
import { itemSize, type NdArray, type TypedArray, typedArrayConstructor } from "./ndarray.ts";

/** What `readNpy` reads first: the header and, for small files, all the data with it (one read call). */
const HEAD_CHUNK = 64 * 1024;
/** From this many bytes of data on, `readNpy` reads parts of the file on several threads at once. */
const PARALLEL_MIN = 16 * 1024 * 1024;
/** At most this many threads read one file. */
const MAX_PARTS = 4;

function endedEarly(path: string, need: number): StorageError {
  return corrupt(path, `the file ended before byte ${need} (was it truncated while being read?)`);
}

/** Fills `buf` from the file's position; a file that ends first is truncated. */
function readExactSync(
  file: Deno.FsFile,
  buf: Uint8Array,
  path: string,
  fileEnd: number,
): void {
  let off = 0;
  while (off < buf.length) {
    const n = file.readSync(buf.subarray(off));
    if (n === null || n === 0) throw endedEarly(path, fileEnd);
    off += n;
  }
}

async function readExact(
  file: Deno.FsFile,
  buf: Uint8Array,
  path: string,
  fileEnd: number,
): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const n = await file.read(buf.subarray(off));
    if (n === null || n === 0) throw endedEarly(path, fileEnd);
    off += n;
  }
}

/** Opens `count` more handles on `path`, or none if the path no longer names the same file. */
function openSame(path: string, info: Deno.FileInfo, count: number): Deno.FsFile[] | null {
  const handles: Deno.FsFile[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const h = Deno.openSync(path, { read: true });
      handles.push(h);
      const other = h.statSync();
      // Files are replaced by rename, never changed in place: the same inode holds the same bytes.
      if (info.ino === null || other.ino !== info.ino || other.dev !== info.dev) {
        throw new Error("replaced");
      }
    }
    return handles;
  } catch {
    for (const h of handles) h.close();
    return null;
  }
}

/**
 * Reads `data.length` bytes from the file's current position (`pos`) into `data`. Large reads are split
 * over several handles: this thread reads the first part while Deno's I/O threads read the others, so
 * the page faults of the fresh buffer (most of the time of a big read) happen in parallel.
 */
async function readData(
  file: Deno.FsFile,
  info: Deno.FileInfo,
  path: string,
  data: Uint8Array,
  pos: number,
  fileEnd: number,
): Promise<void> {
  const cores = navigator.hardwareConcurrency ?? 1;
  const parts = data.length >= PARALLEL_MIN ? Math.min(MAX_PARTS, cores) : 1;
  const others = parts > 1 ? openSame(path, info, parts - 1) : null;
  if (!others) return readExactSync(file, data, path, fileEnd);
  const chunk = Math.ceil(data.length / parts / 4096) * 4096;
  const jobs = others.map(async (handle, k) => {
    const from = (k + 1) * chunk;
    const to = Math.min(data.length, from + chunk);
    if (from >= to) return;
    handle.seekSync(pos + from, Deno.SeekMode.Start);
    await readExact(handle, data.subarray(from, to), path, fileEnd);
  });
  let failure: unknown = undefined;
  try {
    readExactSync(file, data.subarray(0, Math.min(data.length, chunk)), path, fileEnd);
  } catch (err) {
    failure = err;
  }
  const results = await Promise.allSettled(jobs);
  for (const h of others) h.close();
  if (failure !== undefined) throw failure;
  for (const r of results) if (r.status === "rejected") throw r.reason;
}

/** An operating-system failure reading `path`, as a `StorageError` naming it (code by `storageErrorCode`). */
export function readFailure(err: unknown, path: string): StorageError {
  const code = storageErrorCode(err) ?? "io";
  const message = err instanceof Error ? err.message : String(err);
  const advice = code === "permission"
    ? "check the file's permissions, or grant Deno --allow-read for it"
    : "check that it is a readable .npy file";
  return new StorageError(`Cannot read ${path} (${message}): ${advice}`, {
    path,
    code,
    cause: err,
  });
}

/**
 * Checks that `into` can take the data of `header` (same typed-array type, enough elements) and returns
 * the bytes to read into: its first `count` elements.
 */
function destination(into: TypedArray, header: NpyHeader, path: string): Uint8Array {
  const want = typedArrayConstructor(header.dtype);
  if (into.constructor !== want) {
    throw new TypeError(
      `Cannot read ${path} into a ${into.constructor.name}: the file holds ${header.dtype} ` +
        `(${pyTuple(header.shape)}); pass a ${want.name} of at least ${header.count} elements`,
    );
  }
  if (into.length < header.count) {
    throw new RangeError(
      `Cannot read ${path} into a ${want.name} of ${into.length} elements: it holds ${header.count} ` +
        `(shape ${pyTuple(header.shape)}); pass a bigger one`,
    );
  }
  const size = itemSize(header.dtype);
  return new Uint8Array(into.buffer, into.byteOffset, header.count * size);
}

/**
 * Reads the open `.npy` file `path`: the header first, then the data into a buffer of its own, or into
 * `into` (its memory reused: no fresh pages to fault in). Fortran-ordered files and float16 without
 * `Float16Array` are converted first and then copied into `into`.
 */
export async function readOpenNpy(
  file: Deno.FsFile,
  path: string,
  into?: TypedArray,
): Promise<NdArray> {
  // Synchronous reads: they skip the hand-off to Deno's thread pool, which costs more than it saves.
  const info = file.statSync();
  const size = info.size;
  let head = new Uint8Array(Math.min(size, HEAD_CHUNK));
  let got = 0;
  while (got < head.length) {
    const n = file.readSync(head.subarray(got));
    if (n === null || n === 0) break;
    got += n;
  }
  head = head.subarray(0, got);
  const { end: headerEnd } = readPrefix(head, path);
  if (headerEnd > head.length) {
    if (headerEnd > size) throw truncated(path, size, headerEnd, "the header");
    const whole = new Uint8Array(headerEnd);
    whole.set(head);
    readExactSync(file, whole.subarray(head.length), path, headerEnd);
    head = whole;
  }
  const header = parseHeader(head, path);
  const nbytes = header.count * itemSize(header.dtype);
  const end = header.dataOffset + nbytes;
  if (end > size) {
    throw truncated(path, size, end, `the data of shape ${pyTuple(header.shape)}`);
  }
  const target = into ? destination(into, header, path) : undefined;
  const direct = target && !header.fortran &&
    (header.dtype !== "float16" || typeof Float16Array !== "undefined");
  const data = direct ? target : new Uint8Array(nbytes);
  if (!direct) adviseHugePages(data); // with --allow-ffi: 2 MiB pages, faulted in 512× fewer times
  const inHead = Math.min(nbytes, head.length - header.dataOffset);
  data.set(head.subarray(header.dataOffset, header.dataOffset + inHead));
  if (inHead < nbytes) {
    await readData(file, info, path, data.subarray(inHead), head.length, end);
  }
  const array = dataToNdArray(data, header, true);
  if (!target || direct) return array;
  const out = into!.subarray(0, header.count);
  // deno-lint-ignore no-explicit-any -- same typed-array type, checked by destination()
  (out as any).set(array.data);
  return { ...array, data: out };
}
