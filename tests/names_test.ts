// Names and paths: byte limits as the file system counts them, run folders that open() accepts, and
// file-system failures as StorageError with a code (a real full and a real read-only tmpfs).
import { assert, assertEquals, assertRejects, assertThrows } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { utf8Length, validateName } from "../src/run/names.ts";
import { StorageError } from "../src/errors.ts";

async function rejectsWithCode(fn: () => Promise<unknown>, code: string, includes: string) {
  const err = await assertRejects(fn, StorageError, includes);
  assertEquals((err as StorageError).code, code, err.message);
  return err;
}

Deno.test("array and object keys may fill 255 bytes with their extension and temp name, counted in UTF-8", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Len", { dataFolder: dir });
    // 220 ASCII bytes: "<key>.npy" is 224 bytes and its temporary file name 255.
    const longest = "a".repeat(220);
    await sm.saveNp(longest, [1, 2]);
    assertEquals((await sm.loadNp(longest)).shape, [2]);
    const tooLong = "a".repeat(221);
    const err = assertThrows(() => validateName(tooLong, "x", { reserveBytes: 35 }), TypeError);
    assert(err.message.includes("256") || err.message.includes("221 bytes"), err.message);
    // 111 characters, 222 bytes: refused with a message naming the key, not a temporary file.
    const accented = "é".repeat(111);
    assertEquals(utf8Length(accented), 222);
    for (const save of [() => sm.saveNp(accented, [1]), () => sm.saveObj(accented, 1)]) {
      const e = await assertRejects(save, TypeError, "bytes in UTF-8");
      assert(e.message.includes(`"${"é".repeat(40)}`), e.message);
      assert(!e.message.includes(".sweepstore-tmp"), e.message);
    }
    await sm.saveObj("ö".repeat(109), { ok: true }); // 218 bytes + ".cbor" + temp name = 254
    assertEquals(await sm.loadObj("ö".repeat(109)), { ok: true });
  });
});

Deno.test("frame keys, recorder names and run names count the bytes added on disk", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("F", { dataFolder: dir });
    const image = { data: new Uint8Array(4 * 4), shape: [4, 4] };
    await sm.saveFrame(image, "f".repeat(210));
    await assertRejects(() => sm.saveFrame(image, "é".repeat(106)), TypeError, "frame key");
    // Run folders: the name plus the run number (16 digits reserved) must fit in 255 bytes.
    const name = "r".repeat(239);
    const made = await StorageManager.create(name, { dataFolder: dir });
    assertEquals(made.name, `${name}1`);
    const fixed = await StorageManager.create("s".repeat(250), {
      dataFolder: dir,
      randomNr: 12345,
    });
    assertEquals(utf8Length(fixed.name), 255);
    const e = await assertRejects(
      () => StorageManager.create("ü".repeat(120), { dataFolder: dir }),
      TypeError,
      "run folder name",
    );
    assert(e.message.includes("240 bytes") && e.message.includes("at most 239"), e.message);
    // "an array key", "a run folder name": the article follows the word.
    const key = assertThrows(() => validateName("é".repeat(130), "array key"), TypeError);
    assert(key.message.includes("Use an array key of at most 255"), key.message);
    assert(e.message.includes("Use a run folder name"), e.message);
    await assertRejects(
      () => StorageManager.create("a".repeat(256), { dataFolder: dir }),
      TypeError,
      "StorageManager name",
    );
  });
});

Deno.test("open() refuses what is not a run folder with not_a_run or not_found, naming the path", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("O", { dataFolder: `${dir}/Data` });
    for (const path of ["/", dir, `${dir}/Data/StorageManager/O`, `${dir}/Data`]) {
      const err = await rejectsWithCode(
        () => StorageManager.open(path),
        "not_a_run",
        "A run folder is",
      );
      assert(err.message.startsWith(path === "/" ? "/ is not a run folder" : path), err.message);
    }
    await rejectsWithCode(
      () => StorageManager.open(`${sm.path}/config.ini`),
      "not_a_run",
      "is a file",
    );
    await rejectsWithCode(() => StorageManager.open(`${dir}/nope`), "not_found", `${dir}/nope`);
    await Deno.mkdir(`${dir}/Data/StorageManager/O/.sweepstore`);
    await rejectsWithCode(
      () => StorageManager.open(`${dir}/Data/StorageManager/O/.sweepstore`),
      "not_a_run",
      "not a run folder",
    );
    // A folder where runs live but without config.ini (PymoNNto's, or one being created) opens empty.
    await Deno.mkdir(`${dir}/Data/StorageManager/O/O7`);
    assertEquals((await StorageManager.open(`${dir}/Data/StorageManager/O/O7`)).sections(), []);
    // Any folder with a config.ini opens, wherever it is.
    await Deno.mkdir(`${dir}/elsewhere`);
    await Deno.copyFile(`${sm.path}/config.ini`, `${dir}/elsewhere/config.ini`);
    assert(typeof (await StorageManager.open(`${dir}/elsewhere`)).param("time") === "number");
  });
});

const isRoot = Deno.uid() === 0;

async function withTmpfs(fn: (mnt: string) => Promise<void>) {
  await withTempDir(async (dir) => {
    const mnt = `${dir}/mnt`;
    await Deno.mkdir(mnt);
    const mounted = await run("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", mnt]);
    assertEquals(mounted.code, 0, mounted.stderr);
    try {
      await fn(mnt);
    } finally {
      await run("umount", ["-l", mnt]);
    }
  });
}

Deno.test({
  name: "a full disk is a StorageError no_space naming the file; config.ini stays intact",
  ignore: !isRoot,
  fn: () =>
    withTmpfs(async (mnt) => {
      const sm = await StorageManager.create("Full", { dataFolder: mnt });
      await sm.saveParam("kept", 1);
      const big = new Float64Array(100_000); // 800 kB > 512 kB
      const e = await rejectsWithCode(() => sm.saveNp("big", big), "no_space", `array "big"`);
      assert(
        e.message.includes(`${sm.path}/big.npy`) && e.message.includes("disk is full"),
        e.message,
      );
      await rejectsWithCode(() => sm.saveObj("big", big), "no_space", `object "big"`);
      // Fill the disk to the last byte, then save a parameter.
      const filler = await Deno.open(`${mnt}/filler`, { write: true, create: true });
      try {
        const chunk = new Uint8Array(4096);
        while (true) await filler.write(chunk);
      } catch {
        /* full */
      } finally {
        filler.close();
      }
      await rejectsWithCode(() => sm.saveParam("x", "y".repeat(8192)), "no_space", "config.ini");
      await rejectsWithCode(
        () => StorageManager.create("Full", { dataFolder: mnt }),
        "no_space",
        "",
      );
      await Deno.remove(`${mnt}/filler`);
      assertEquals(await (await StorageManager.open(sm.path)).loadParam("kept"), 1);
    }),
});

Deno.test({
  name: "a read-only file system is a StorageError permission naming the file",
  ignore: !isRoot,
  fn: () =>
    withTmpfs(async (mnt) => {
      const sm = await StorageManager.create("Ro", { dataFolder: mnt });
      await sm.saveFrame({ data: new Uint8Array(16), shape: [4, 4] });
      const remount = await run("mount", ["-o", "remount,ro", mnt]);
      assertEquals(remount.code, 0, remount.stderr);
      await rejectsWithCode(() => sm.saveParam("a", 1), "permission", "config.ini");
      await rejectsWithCode(() => sm.saveNp("a", [1]), "permission", "a.npy");
      await rejectsWithCode(
        () => sm.saveFrame({ data: new Uint8Array(16), shape: [4, 4] }),
        "permission",
        "frame",
      );
      await rejectsWithCode(
        () => StorageManager.create("Ro", { dataFolder: mnt }),
        "permission",
        "Cannot create a run folder",
      );
      assertEquals(
        await sm.loadParam("time", { default: null }) !== null,
        true,
        "reading still works",
      );
    }),
});
