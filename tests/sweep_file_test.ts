/** The SLURM sweep file read on its own: files of another version or without tasks are StorageErrors. */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { readSweepFile, type SweepFile, writeSweepFile } from "../runner/slurm/sweep_file.ts";
import type { SweepTask } from "../runner/sweep.ts";
import { StorageError } from "../src/errors.ts";

Deno.test("readSweepFile() refuses another version (unsupported) and a file without tasks (corrupt), naming the file", async () => {
  await withTempDir(async (dir) => {
    const cases: [string, string][] = [
      ['{"version": 7, "id": "S-0", "tasks": []}', "unsupported"],
      ['{"id": "S-0", "tasks": []}', "corrupt"],
      ['{"version": 1, "id": "S-0"}', "corrupt"],
      ["null", "corrupt"],
    ];
    for (const [text, code] of cases) {
      const path = `${dir}/S-0.json`;
      await Deno.writeTextFile(path, text);
      const err = await assertRejects(() => readSweepFile(path), StorageError, path);
      assert(err instanceof StorageError);
      assertEquals([err.code, err.path], [code, path], text);
    }
  });
});

Deno.test("readSweepFile() reads back what writeSweepFile() wrote", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/S-1.json`;
    const tasks: SweepTask[] = [{
      index: 0,
      params: { n: NaN },
      repeat: 0,
      seed: 1,
      point: '{"n":NaN}',
    }];
    const file: SweepFile = {
      version: 2,
      id: "S-1",
      name: "S",
      dataFolder: dir,
      simulation: "file:///sim.ts",
      chunk: 1,
      retries: 0,
      tasks,
      swept: ["n"],
      jobs: [],
      created: new Date(0).toISOString(),
    };
    await writeSweepFile(path, file);
    const back = await readSweepFile(path);
    assertEquals([back.version, back.id, back.tasks], [2, "S-1", tasks]);
  });
});
