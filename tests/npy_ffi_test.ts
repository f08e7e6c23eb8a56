// Big .npy writes through libc with fallocate, in processes started with --allow-ffi: the same bytes as
// np.save, a real full disk refused cleanly, and no fallocate (nor libc) without --allow-ffi.
import { assert, assertEquals } from "./_assert.ts";
import { fixture, python, run, withTempDir } from "./_helpers.ts";

/** Runs the writer fixture under strace (fallocate calls logged); returns its JSON and the strace log. */
async function write(path: string, ffi: boolean, log: string) {
  const dir = path.slice(0, path.lastIndexOf("/"));
  const out = await run("strace", [
    ...["-f", "-e", "trace=fallocate", "-o", log],
    Deno.execPath(),
    "run",
    `--allow-read`,
    `--allow-write=${dir}`,
    ...(ffi ? ["--allow-ffi"] : []),
    fixture("npy_ffi_write.ts"),
    path,
  ]);
  assertEquals(out.code, 0, out.stderr);
  return { result: JSON.parse(out.stdout), fallocate: await Deno.readTextFile(log) };
}

Deno.test("writeNpy with --allow-ffi reserves the blocks with fallocate and writes np.save's bytes", async () => {
  await withTempDir(async (dir) => {
    const { result, fallocate } = await write(`${dir}/a.npy`, true, `${dir}/strace.log`);
    assertEquals(result, { ok: true });
    assert(/fallocate\(\d+, 0, 0, 10485888\)\s+= 0/.test(fallocate), fallocate);
    const check = await python(
      `import numpy as np, sys, os
a = (np.arange(10 * 1024 * 1024 // 8) * 0.5).reshape(-1, 1024)
np.save(sys.argv[2], a)
print(open(sys.argv[1], 'rb').read() == open(sys.argv[2], 'rb').read(), sorted(os.listdir(sys.argv[3])))`,
      [`${dir}/a.npy`, `${dir}/np.npy`, dir],
    );
    assertEquals(check.trim(), "True ['a.npy', 'np.npy', 'strace.log']");
  });
});

Deno.test("writeNpy without --allow-ffi calls no fallocate (the opt-in is the permission)", async () => {
  await withTempDir(async (dir) => {
    const { result, fallocate } = await write(`${dir}/a.npy`, false, `${dir}/strace.log`);
    assertEquals(result, { ok: true });
    assert(!fallocate.includes("fallocate("), fallocate);
  });
});

Deno.test("writeNpy with --allow-ffi on a full disk: no_space, the old file intact, no temp file", async () => {
  await withTempDir(async (dir) => {
    const disk = `${dir}/disk`;
    await Deno.mkdir(disk);
    const mounted = await run("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", disk]);
    if (mounted.code !== 0) {
      console.log(`SKIPPED: cannot mount a tmpfs here (${mounted.stderr.trim()}); run as root`);
      return;
    }
    try {
      const path = `${disk}/big.npy`;
      await Deno.writeTextFile(path, "the old file");
      const { result, fallocate } = await write(path, true, `${dir}/strace.log`);
      assertEquals(result.code, "no_space", JSON.stringify(result));
      assert(
        result.message.includes(path) && !result.message.includes(".sweepstore-tmp"),
        result.message,
      );
      assert(/fallocate\(.*ENOSPC/.test(fallocate), fallocate);
      assertEquals(await Deno.readTextFile(path), "the old file");
      const names = [];
      for await (const e of Deno.readDir(disk)) names.push(e.name);
      assertEquals(names, ["big.npy"], "no temporary file is left");
    } finally {
      const un = await run("umount", [disk]);
      assertEquals(un.code, 0, un.stderr);
    }
  });
});

/**
 * Runs the writer fixture on `path` and returns its pid (the write happens on its main thread, whose id
 * is the pid that ext4's tracepoints record).
 */
async function writeFixture(path: string, ffi: boolean): Promise<number> {
  const dir = path.slice(0, path.lastIndexOf("/"));
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      `--allow-write=${dir}`,
      ...(ffi ? ["--allow-ffi"] : []),
      fixture("npy_ffi_write.ts"),
      path,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = await child.output();
  const dec = new TextDecoder();
  assertEquals(out.code, 0, dec.decode(out.stderr));
  assertEquals(JSON.parse(dec.decode(out.stdout)), { ok: true });
  return child.pid;
}

/** A shell command's result (tracefs under /sys needs --allow-all in Deno, a child process does not). */
const sh = (script: string) => run("sh", ["-c", script]);

Deno.test("writeNpy over an existing file on ext4: ext4 flushes the new file at the rename, not with --allow-ffi", async () => {
  await withTempDir(async (dir) => {
    const fs = await run("stat", ["-f", "-c", "%T", dir]);
    // A tracing instance of its own: other users of tracefs see nothing of it.
    const tracing = `/sys/kernel/tracing/instances/sweepstore-npy-${crypto.randomUUID()}`;
    const made = await run("mkdir", [tracing]);
    if (made.code !== 0) {
      console.log(`SKIPPED: no tracefs instance here (${made.stderr.trim()}); run as root`);
      return;
    }
    // ext4's auto_da_alloc: renaming a file that still holds delayed-allocation blocks over another
    // starts its writeback (ext4_alloc_da_blocks, logged with the number of such blocks).
    const event = `${tracing}/events/ext4/ext4_alloc_da_blocks/enable`;
    try {
      const enabled = await sh(`echo 1 > ${event}`);
      if (fs.stdout.trim() !== "ext2/ext3" || enabled.code !== 0) {
        console.log(`SKIPPED: ${dir} is on ${fs.stdout.trim()}, not ext4 (or no ext4 tracepoints)`);
        return;
      }
      const path = `${dir}/a.npy`;
      await writeFixture(path, false); // a new file: nothing to replace
      const plain = await writeFixture(path, false);
      const ffi = await writeFixture(path, true);
      const log = (await run("cat", [`${tracing}/trace`])).stdout.split("\n");
      const flushed = (pid: number) =>
        log.filter((line) =>
          new RegExp(`-${pid}\\s.*ext4_alloc_da_blocks:.*reserved_data_blocks [1-9]`).test(line)
        );
      assert(
        flushed(plain).length > 0,
        `without --allow-ffi the rename flushes the file:\n${log.join("\n")}`,
      );
      assertEquals(flushed(ffi), [], "with --allow-ffi (fallocate) nothing is left to flush");
    } finally {
      await sh(`echo 0 > ${event}`);
      const removed = await run("rmdir", [tracing]);
      assertEquals(removed.code, 0, removed.stderr);
    }
  });
});
