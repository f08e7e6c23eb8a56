/**
 * Faults found by reviewing aggregate() and aggregateNp() as a new user: a `by` that names a parameter no run
 * has (a typo, or a `[Run]` field such as `repeat`) must not silently pool every run into one row.
 */
import { assertEquals, assertRejects, assertThrows } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { StorageManager } from "../src/run/storage_manager.ts";

Deno.test("aggregate/aggregateNp refuse a `by` parameter that no run has, naming it and the parameters", async () => {
  await withTempDir(async (dataFolder) => {
    for (const [n, score] of [[1, 0.5], [1, 0.7], [2, 0.9], [2, 0.8]]) {
      const sm = await StorageManager.create("Typo", {
        dataFolder,
        params: { Parameters: { n, score } },
      });
      await sm.saveNp("trace", new Float64Array([n, score]));
    }
    const smg = await StorageManagerGroup.load("Typo", { dataFolder });
    const e = assertThrows(() => smg.aggregate({ by: ["nn"] }), RangeError, `"nn"`);
    assertEquals(e.message.includes("n, score"), true, e.message);
    assertThrows(() => smg.aggregate({ by: ["n", "Repeat"] }), RangeError, `"repeat"`);
    await assertRejects(() => smg.aggregateNp("trace", { by: ["nn"] }), RangeError, `"nn"`);
    // A parameter only some runs have is an axis (those without it form the null group); an empty group
    // has nothing to check.
    assertEquals(smg.aggregate({ by: ["n"] }).rows.length, 2);
    const empty = await StorageManagerGroup.load("None", { dataFolder });
    assertEquals(empty.aggregate({ by: ["nn"] }).rows, []);
  });
});
