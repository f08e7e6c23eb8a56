// Session 24's review (a) of issue 8, "failure reasons classified": a run whose process ended with
// `Deno.exit(3)` after printing words such as "heap limit" or "allocation failed" (a config line, a
// retry message) was blamed on memory — reason `oom`, "ran out of memory (V8's heap limit, memoryMb)" —
// because any such words in its stderr counted. Now `oom` needs V8's own fatal line and a death by signal.
// Real processes: the slots, one of them really out of heap.
import { assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { runSweep } from "../runner/mod.ts";

const SIM = `export function simulate(p) {
  console.error("config: heap limit 2048 MB; out of memory? retried when an allocation failed");
  if (p.mode === "exit") Deno.exit(3);
  const hold = [];
  while (true) hold.push(new Array(1e6).fill(1.5));
}
`;

Deno.test("a run that prints 'heap limit' / 'out of memory' and exits is reason exit; a real heap exhaustion is oom", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, SIM);
    const result = await runSweep({
      name: "Words",
      simulation: `${dir}/sim.ts`,
      points: [{ mode: "exit" }, { mode: "heap" }],
      concurrency: 1,
      memoryMb: 64,
      dataFolder: `${dir}/Data`,
      summary: false,
    });
    const [exited, heap] = result.runs;
    assertEquals([exited.status, exited.reason, exited.exitCode], ["failed", "exit", 3]);
    assertEquals([heap.status, heap.reason], ["failed", "oom"]);
  });
});
