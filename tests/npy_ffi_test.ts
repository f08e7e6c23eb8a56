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
