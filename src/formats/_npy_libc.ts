/**
 * Big `.npy` reads and writes through libc, for processes that Deno lets use FFI (`--allow-ffi`, Linux).
 *
 * Writes: the file's
 * blocks are reserved with `fallocate` before the data is written, as `numpy.save` does — on ext4 a 100
 * MB write then skips delayed allocation's per-block reservations (~8 % of its CPU time), and the rename
 * over an existing file starts no writeback of the new one (ext4's `auto_da_alloc` flushes a renamed
 * file that still has delayed blocks: ~70 ms for 100 MB; see bench/README.md). Deno gives no file
 * descriptor of a `Deno.FsFile`, so the temporary file is opened, written and closed through libc here;
 * the rename stays with `atomic.ts`. Without `--allow-ffi` (or elsewhere than Linux, or when the write
 * permission does not cover the file) nothing happens here and the caller writes through Deno.
 *
 * Reads: the fresh buffer a big array is read into is marked for transparent huge pages
 * (`madvise(MADV_HUGEPAGE)`, as numpy does with its big allocations) before its first byte is touched: the
 * kernel then faults it in 2 MiB pages, 50 for 100 MB instead of 25,600 of 4 KiB, which is most of a big
 * read's time (on these VMs a 4 KiB fault of never-touched memory cost ~17 µs: 440 ms against 28 ms for
 * 100 MB, bench/README.md). Only the flag of the buffer's own pages changes; without `--allow-ffi`, or
 * where the kernel has THP off, the read is the same as before.
 *
 * @module
 */

/** Files smaller than this are written through Deno: a reservation gains nothing measurable there. */
export const LIBC_MIN_BYTES = 8 * 1024 * 1024;

const O_WRONLY = 0o1, O_CREAT = 0o100, O_EXCL = 0o200, O_CLOEXEC = 0o2000000;
const EINTR = 4, ENOSYS = 38, EOPNOTSUPP = 95;
const MADV_HUGEPAGE = 14;
const PAGE = 4096n;
const NAMES: Record<number, [string, string]> = {
  1: ["EPERM", "Operation not permitted"],
  2: ["ENOENT", "No such file or directory"],
  5: ["EIO", "Input/output error"],
  13: ["EACCES", "Permission denied"],
  17: ["EEXIST", "File exists"],
  27: ["EFBIG", "File too large"],
  28: ["ENOSPC", "No space left on device"],
  30: ["EROFS", "Read-only file system"],
  122: ["EDQUOT", "Disk quota exceeded"],
};

const SYMBOLS = {
  open: { parameters: ["buffer", "i32", "i32"], result: "i32" },
  fallocate: { parameters: ["i32", "i32", "i64", "i64"], result: "i32" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  fdatasync: { parameters: ["i32"], result: "i32" },
  madvise: { parameters: ["pointer", "usize", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
} as const;

type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];
let libc: Libc | null | undefined;

function granted(descriptor: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}

/** libc's functions, or null where FFI is not allowed or not Linux (asked once per process). */
function load(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  if (Deno.build.os !== "linux" || !granted({ name: "ffi" })) return null;
  try {
    libc = Deno.dlopen("libc.so.6", SYMBOLS).symbols;
  } catch {
    libc = null;
  }
  return libc;
}

/** The last libc call's failure as an Error whose `code` is the errno name (`ENOSPC`, …). */
function failure(lib: Libc, what: string): Error {
  const errno = new Deno.UnsafePointerView(lib.__errno_location()!).getInt32();
  const [code, text] = NAMES[errno] ?? [`E${errno}`, `errno ${errno}`];
  return Object.assign(new Error(`${text} (os error ${errno}) in ${what}`), { code, errno });
}

function errno(lib: Libc): number {
  return new Deno.UnsafePointerView(lib.__errno_location()!).getInt32();
}

/**
 * Creates `tmp` (exclusively, mode 0644), reserves `total` bytes with `fallocate` and writes `chunks`
 * through libc; `sync` flushes it (fdatasync). Returns false, touching nothing, when this way is not
 * available (no `--allow-ffi`, not Linux, no write permission for `tmp`, under `LIBC_MIN_BYTES`).
 *
 * @throws {Error} with `code` (`ENOSPC`, `EACCES`, …) when a call fails; `tmp` is removed then.
 */
export function writeNewFileLibc(
  tmp: string,
  chunks: readonly Uint8Array[],
  sync: boolean,
): boolean {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  if (total < LIBC_MIN_BYTES) return false;
  const lib = load();
  if (!lib || !granted({ name: "write", path: tmp })) return false;
  const fd = lib.open(
    new TextEncoder().encode(`${tmp}\0`),
    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
    0o644,
  );
  if (fd < 0) throw failure(lib, "open");
  try {
    if (lib.fallocate(fd, 0, 0n, BigInt(total)) !== 0) {
      const e = errno(lib);
      if (e !== EOPNOTSUPP && e !== ENOSYS) throw failure(lib, "fallocate");
    }
    for (const chunk of chunks) {
      let off = 0;
      while (off < chunk.length) {
        const n = Number(lib.write(fd, chunk.subarray(off), BigInt(chunk.length - off)));
        if (n < 0 && errno(lib) === EINTR) continue;
        if (n <= 0) throw failure(lib, "write");
        off += n;
      }
    }
    if (sync && lib.fdatasync(fd) !== 0) throw failure(lib, "fdatasync");
  } catch (err) {
    lib.close(fd);
    try {
      Deno.removeSync(tmp);
    } catch { /* already gone */ }
    throw err;
  }
  if (lib.close(fd) !== 0) {
    const err = failure(lib, "close");
    try {
      Deno.removeSync(tmp);
    } catch { /* already gone */ }
    throw err;
  }
  return true;
}

/**
 * Marks the whole 4 KiB pages inside `buffer` for transparent huge pages, before anything touches them
 * (see the module documentation). Does nothing under `LIBC_MIN_BYTES`, without `--allow-ffi`, off Linux,
 * or when the kernel refuses (THP not built in): the buffer works the same either way.
 */
export function adviseHugePages(buffer: Uint8Array): void {
  if (buffer.length < LIBC_MIN_BYTES) return;
  const lib = load();
  const at = lib && Deno.UnsafePointer.of(buffer);
  if (!lib || !at) return;
  const from = BigInt(Deno.UnsafePointer.value(at));
  const start = (from + PAGE - 1n) & ~(PAGE - 1n);
  const length = (from + BigInt(buffer.length) - start) & ~(PAGE - 1n);
  if (length > 0n) lib.madvise(Deno.UnsafePointer.create(start), length, MADV_HUGEPAGE);
}
