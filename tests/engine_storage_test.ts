// A full disk during a sweep is blamed on storage, naming the path, with no empty run folders left behind.
import { assert, assertEquals } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";
import { runSweep, type SweepEvent } from "../runner/mod.ts";

const SIMS = new URL("./fixtures/sims/engine_sims.ts", import.meta.url);

Deno.test("a full disk (a 1 MiB tmpfs): runs fail with reason storage naming the path, no empty folders, a clear result", async () => {
  await withTempDir(async (dir) => {
    const mount = await run("mount", ["-t", "tmpfs", "-o", "size=1M", "tmpfs", dir]);
    assertEquals(mount.code, 0, `mounting a tmpfs needs root: ${mount.stderr}`);
    try {
      const data = `${dir}/Data`;
      await Deno.mkdir(`${data}/StorageManager/Full`, { recursive: true });
      // Fill the disk: what is left is less than a config.ini.
      const filler = await Deno.open(`${dir}/filler`, { write: true, create: true });
      const block = new Uint8Array(4096);
      try {
        while (true) await filler.write(block);
      } catch (err) {
        assert(String(err).includes("No space left"), String(err));
      } finally {
        filler.close();
      }
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
    } finally {
      await run("umount", ["-l", dir]);
    }
  });
});
