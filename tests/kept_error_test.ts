// A sweep keeps at most 2,048 characters of each failed run's error in memory (its result's records): the
// start and the end of a longer one, and where the whole text is — `[Run] error` in the run's config.ini,
// which keeps it (up to 64 KiB). Before, every failed run's error (up to 64 KiB, two bytes a character once
// cut) stayed in the sweep's process: 3,000 runs throwing 70 KB errors took it past 1 GB.
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { readRunSection, runSweep } from "../runner/mod.ts";
import { StorageManager } from "../mod.ts";
import { KEPT_ERROR_CHARS, keptError } from "../runner/_kept_error.ts";

const SIM = `export function simulate(p) {
  throw new Error("HEAD" + p.i + "-" + "é".repeat(20) + "x".repeat(70000) + "TAIL" + p.i);
}
`;

Deno.test("a failed run's long error: cut in the sweep's records, whole in its folder and its ended event", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.js`, SIM);
    const ended: string[] = [];
    const result = await runSweep({
      name: "Long",
      simulation: `${dir}/sim.js`,
      dataFolder: `${dir}/Data`,
      grid: { i: [1, 2, 3] },
      concurrency: 2,
      summary: false,
      onEvent: (e) => {
        if (e.type === "ended" && e.record.error) ended.push(e.record.error);
      },
    });
    assertEquals(result.runs.map((r) => r.status), ["failed", "failed", "failed"]);
    for (const r of result.runs) {
      const i = r.params.i;
      const error = r.error!;
      assert(error.length <= KEPT_ERROR_CHARS + 200, `${error.length} characters kept`);
      assert(error.startsWith(`Error: HEAD${i}-${"é".repeat(20)}x`), error.slice(0, 60));
      assert(error.includes(`TAIL${i}\n`), error.slice(-300));
      assert(error.includes(`[Run] error in ${r.path}/config.ini`), error);
      const whole = readRunSection(await StorageManager.open(r.path)).error!;
      assert(whole.length > 65_000, `${whole.length} characters in config.ini`);
      assert(
        whole.startsWith(`Error: HEAD${i}-`) && whole.includes(`TAIL${i}`),
        whole.slice(0, 40),
      );
    }
    assertEquals(ended.length, 3);
    assert(ended.every((e) => e.length > 65_000), "the ended events carry the whole error");
  });
});

Deno.test("keptError keeps short errors as they are and cuts long ones around a line saying where", () => {
  assertEquals(keptError("short", "/p"), "short");
  const exact = "y".repeat(KEPT_ERROR_CHARS);
  assertEquals(keptError(exact, "/p"), exact);
  const long = "a".repeat(1500) + "b".repeat(5000) + "c".repeat(1500);
  const kept = keptError(long, "/D/StorageManager/S/S1");
  assertEquals(
    kept,
    "a".repeat(1024) +
      "\n... (5952 characters cut here; the whole error is [Run] error in " +
      "/D/StorageManager/S/S1/config.ini) ...\n" + "c".repeat(1024),
  );
  assert(keptError(long, "").includes("(5952 characters cut here) ..."));
});
