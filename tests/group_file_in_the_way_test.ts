/**
 * A file where a group's folder should be (`Data/StorageManager/<name>` a file): `StorageManagerGroup.load`,
 * `sweepstore report` and `sweepstore status` say so, naming it and the fix, with exit 1 — before, the raw
 * "Not a directory (os error 20): readdir …".
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { StorageError, StorageManagerGroup } from "../mod.ts";
import { cli, withTempDir } from "./_helpers.ts";

Deno.test("a file where the group's folder should be: load, report and status name it and the fix", async () => {
  await withTempDir(async (data) => {
    const file = `${data}/StorageManager/G`;
    await Deno.mkdir(`${data}/StorageManager`, { recursive: true });
    await Deno.writeTextFile(file, "not a folder\n");
    const err = (await assertRejects(
      () => StorageManagerGroup.load("G", { dataFolder: data }),
      StorageError,
    )) as StorageError;
    assertEquals(err.path, file);
    assert(
      err.message.includes("a file is in the way") && err.message.includes("move away"),
      err.message,
    );
    for (const command of ["report", "status"]) {
      const out = await cli([command, "G", "--data", data]);
      const said = out.stdout + out.stderr;
      assertEquals(out.code, 1, said);
      assert(said.includes(file) && said.includes("move away"), said);
      assert(!said.includes("os error"), `a raw OS message: ${said}`);
    }
  });
});
