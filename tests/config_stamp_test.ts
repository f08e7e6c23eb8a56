// A run's own later saves skip re-reading config.ini when its stat stamp (device, inode, size, mtime) is the
// one of the file this object last wrote, and still see every change another writer made.
import { assert, assertEquals } from "./_assert.ts";
import { fixture, python, run, withTempDir } from "./_helpers.ts";
import { StorageManager } from "../src/run/storage_manager.ts";

Deno.test("saving again after our own write reads config.ini not once (strace)", async () => {
  await withTempDir(async (dir) => {
    const log = `${dir}/strace.log`;
    const out = await run("strace", [
      ...["-f", "-e", "trace=openat", "-o", log],
      Deno.execPath(),
      "run",
      "--allow-read",
      `--allow-write=${dir}`,
      fixture("stamp_writer.ts"),
      `${dir}/Data`,
    ]);
    assertEquals(out.code, 0, out.stderr);
    const path = out.stdout.trim();
    const opens = (await Deno.readTextFile(log)).split("\n")
      .filter((l) => l.includes(`${path}/config.ini"`));
    assertEquals(opens, [], "config.ini itself is never opened: only temp files are written");
    const sm = await StorageManager.open(path);
    assertEquals([sm.param("n"), sm.param("score"), sm.param("status", { section: "Run" })], [
      1,
      0.5,
      "done",
    ]);
  });
});

Deno.test("changes by other writers between our saves are seen: in place (configparser), replaced, same size", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Stamp", { dataFolder: `${dir}/Data` });
    const file = `${sm.path}/config.ini`;
    // Python's configparser rewrites the file in place (same inode), as PymoNNto does.
    await sm.saveParam("a", 1);
    await python(
      `import configparser, sys
c = configparser.ConfigParser(); c.read(sys.argv[1]); c['Parameters']['py'] = '7'
with open(sys.argv[1], 'w') as f: c.write(f)`,
      [file],
    );
    await sm.saveParam("b", 2);
    assertEquals(await sm.loadParam("py"), 7, "configparser's in-place change survived our save");
    // Another writer replaces the file (temp + rename) with one of the same size, at once.
    await sm.saveParam("c", 1);
    const text = await Deno.readTextFile(file);
    await Deno.writeTextFile(`${file}.new`, text.replace(/^c = 1$/m, "c = 9"));
    await Deno.rename(`${file}.new`, file);
    await sm.saveParam("d", 4);
    assertEquals(await sm.loadParam("c"), 9, "the replaced file was read before our save");
    // Same inode, same size, another mtime: an in-place edit that kept the length.
    await sm.saveParam("e", 1);
    const before = await Deno.stat(file);
    const same = (await Deno.readTextFile(file)).replace(/^e = 1$/m, "e = 5");
    await Deno.writeTextFile(file, same);
    await Deno.utime(file, before.atime!, new Date(before.mtime!.getTime() + 1000));
    assertEquals((await Deno.stat(file)).ino, before.ino);
    await sm.saveParam("f", 6);
    assertEquals(await sm.loadParam("e"), 5, "the edited file was read before our save");
    assert((await Deno.readTextFile(file)).includes("f = 6"));
  });
});
