/**
 * `[Run] result_keys`: which `[Parameters]` a simulation returned, so that a run record's `result` can be
 * made from the run folder alone (a SLURM task's records are; `tests/slurm_test.ts` checks that end to end).
 * Configparser reads it as any other value; a hand-edited one of the wrong type is left out.
 */
import { assertEquals } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { readResultKeys, readRunSection } from "../runner/mod.ts";
import { runTask } from "../runner/task.ts";

Deno.test("a run's [Run] result_keys name what it returned, in order; configparser reads them", async () => {
  await withTempDir(async (dataFolder) => {
    const task = { index: 0, params: { n: 3 }, repeat: 0, seed: 1, point: '{"n":3}' };
    const record = await runTask(task, (p) => ({ Loss: (p.n as number) / 4, label: "a,b" }), {
      dataFolder,
      name: "Rk",
      sweepId: "test",
    });
    assertEquals(record.result, { Loss: 0.75, label: "a,b" });
    const sm = await StorageManager.open(record.path);
    assertEquals(readResultKeys(sm), ["Loss", "label"]);
    // not a field of the typed record: the summary and the report never carry it
    assertEquals(Object.keys(readRunSection(sm)).includes("result_keys"), false);
    const out = await python(
      "import configparser, sys, ast\nc = configparser.ConfigParser()\nc.read(sys.argv[1])\n" +
        "keys = ast.literal_eval(c['Run']['result_keys'])\nprint([c['Parameters'][k] for k in keys])",
      [`${record.path}/config.ini`],
    );
    assertEquals(out.trim(), "['0.75', 'a,b']");
  });
});

Deno.test("result_keys of the wrong type (edited by hand) are ignored", () => {
  for (const value of ["3", "[1, 2]", "score", "['a', 2]"]) {
    const sm = StorageManager.fromConfigText(
      "/tmp/R/R1",
      `[Run]\nstatus = done\nresult_keys = ${value}\n`,
    );
    assertEquals(readResultKeys(sm), undefined, value);
  }
  const ok = StorageManager.fromConfigText("/tmp/R/R1", "[Run]\nresult_keys = ['a', 'b']\n");
  assertEquals(readResultKeys(ok), ["a", "b"]);
});
