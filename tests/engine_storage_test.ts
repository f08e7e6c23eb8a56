// A full disk during a sweep is blamed on storage, naming the path, with no empty run folders left behind.
import { assert, assertEquals } from "./_assert.ts";
import { withFullDisk } from "./_helpers.ts";
import { runSweep, type SweepEvent } from "../runner/mod.ts";

const SIMS = new URL("./fixtures/sims/engine_sims.ts", import.meta.url);

Deno.test("a full disk (a 1 MiB tmpfs): runs fail with reason storage naming the path, no empty folders, a clear result", async () => {
  await withFullDisk("Full", async (data) => {
    const warnings: SweepEvent[] = [];
    const result = await runSweep({
      name: "Full",
      simulation: SIMS,
      points: [{ mode: "sleep", ms: 1 }, { mode: "sleep", ms: 2 }],
      concurrency: 1,
      dataFolder: data,
      onEvent: (e) => e.type === "warning" && warnings.push(e),
    });
    assertEquals(result.runs.map((r) => [r.status, r.reason]), [
      ["failed", "storage"],
      ["failed", "storage"],
    ]);
    for (const r of result.runs) {
      assert(r.error!.includes(`${data}/StorageManager/Full`), r.error);
      assert(!r.error!.includes("could not be loaded"), r.error);
    }
    const left = [];
    for await (const e of Deno.readDir(`${data}/StorageManager/Full`)) {
      if (!e.name.startsWith(".")) left.push(e.name);
    }
    assertEquals(left, [], "no run folder without its config.ini");
    assertEquals(result.summary, undefined);
    assert(warnings.some((w) => w.type === "warning" && w.message.includes("summary")));
  });
});
