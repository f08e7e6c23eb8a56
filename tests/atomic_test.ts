import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";
import { atomicWrite, atomicWriteText, TEMP_PREFIX } from "../src/formats/atomic.ts";
import { StorageError } from "../src/errors.ts";
import { writeNpy } from "../src/formats/npy.ts";

/**
 * Mounts a small tmpfs at `<dir>/disk` for `fn` and unmounts it afterwards; false (with a message) where
 * this process may not mount (not root, or a container without CAP_SYS_ADMIN).
 */
async function withTmpfs(
  dir: string,
  options: string,
  fn: (disk: string) => Promise<void>,
): Promise<boolean> {
  const disk = `${dir}/disk`;
  await Deno.mkdir(disk);
  const mounted = await run("mount", ["-t", "tmpfs", "-o", options, "tmpfs", disk]);
  if (mounted.code !== 0) {
    console.log(
      `SKIPPED: cannot mount a tmpfs here (${mounted.stderr.trim()}); run the tests as root`,
    );
    return false;
  }
  try {
    await fn(disk);
  } finally {
    const unmounted = await run("umount", [disk]);
    assertEquals(unmounted.code, 0, `umount ${disk}: ${unmounted.stderr}`);
  }
  return true;
}

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("a write to a full disk keeps the old file, leaves no temp file and says no_space", async () => {
  await withTempDir(async (dir) => {
    await withTmpfs(dir, "size=64k", async (disk) => {
      const path = `${disk}/weights.npy`;
      await writeNpy(path, new Float64Array([1, 2, 3]));
      const before = await Deno.readFile(path);
      // 200 KB do not fit on a 64 KB disk: the write fails part-way
      const err = await assertRejects(
        () => writeNpy(path, new Float64Array(25_000)),
        StorageError,
        path,
      );
      assertEquals((err as StorageError).code, "no_space");
      assertEquals((err as StorageError).path, path);
      assert(!err.message.includes(TEMP_PREFIX), `the message names the temp file: ${err.message}`);
      assert(err.message.includes("disk is full"), err.message);
      assertEquals(await Deno.readFile(path), before, "the old file is intact");
      assertEquals(await names(disk), ["weights.npy"], "no temp file is left");
      // a new file that does not fit leaves nothing at all
      const err2 = await assertRejects(
        () => atomicWrite(`${disk}/new.bin`, new Uint8Array(100_000)),
        StorageError,
      );
      assertEquals((err2 as StorageError).code, "no_space");
      assertEquals(await names(disk), ["weights.npy"]);
    });
  });
});

Deno.test("a write to a read-only file system keeps the old file and says permission", async () => {
  await withTempDir(async (dir) => {
    await withTmpfs(dir, "size=64k", async (disk) => {
      const path = `${disk}/config.ini`;
      await atomicWriteText(path, "[Parameters]\na = 1\n");
      const remount = await run("mount", ["-o", "remount,ro", disk]);
      assertEquals(remount.code, 0, remount.stderr);
      const err = await assertRejects(
        () => atomicWriteText(path, "[Parameters]\na = 2\n"),
        StorageError,
        path,
      );
      assertEquals((err as StorageError).code, "permission");
      assert(!err.message.includes(TEMP_PREFIX), err.message);
      assert(err.message.includes("writable"), err.message);
      assertEquals(await Deno.readTextFile(path), "[Parameters]\na = 1\n");
      assertEquals(await names(disk), ["config.ini"]);
    });
  });
});

Deno.test("a write into a missing folder names the target file and says not_found", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/missing/out.csv`;
    const err = await assertRejects(() => atomicWriteText(path, "a\n"), StorageError, path);
    assertEquals((err as StorageError).code, "not_found");
    assert(!err.message.includes(TEMP_PREFIX), err.message);
  });
});

Deno.test("a target name of 255 bytes is written: the temp name is shortened, not refused", async () => {
  await withTempDir(async (dir) => {
    for (const name of ["a".repeat(255), "é".repeat(127)]) {
      await atomicWriteText(`${dir}/${name}`, "x");
      assertEquals(await Deno.readTextFile(`${dir}/${name}`), "x");
    }
    assertEquals((await names(dir)).length, 2, "no temp file is left");
  });
});
