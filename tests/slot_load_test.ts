// What a tiny run costs the pool and its slots, checked by counting, never by timing: a slot's modules load
// without the PNG/zip codecs (npm packages) and the group code, and the pool hands a slot its tasks in
// batches (strace counts the pool's writes of task frames).
import { assert, assertEquals } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";
import { straceTinySweep } from "./_engine.ts";

const root = new URL("../", import.meta.url).pathname;

interface ModuleInfo {
  specifier: string;
  dependencies?: { code?: { specifier?: string }; isDynamic?: boolean }[];
}

/** The modules `from` imports statically, from `deno info --json`. */
function staticGraph(info: { modules: ModuleInfo[] }, from: string): Set<string> {
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const visit = (specifier: string) => {
    if (seen.has(specifier)) return;
    seen.add(specifier);
    for (const dep of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (!dep.isDynamic && dep.code?.specifier) visit(dep.code.specifier);
    }
  };
  visit(from);
  return seen;
}

Deno.test("a slot's modules load without the npm codecs and the group code", async () => {
  await withTempDir(async (dir) => {
    // What slot.ts imports, loaded with no deno.json: an import of pngjs, fflate or ignore (the PNG and zip
    // codecs) cannot even be resolved then. The group code is seen in the loaded module list.
    const script = `${dir}/load.ts`;
    await Deno.writeTextFile(
      script,
      `for (const m of ["runner/task.ts", "runner/claims.ts", "runner/local/protocol.ts",
  "runner/local/_run_marks.ts"]) await import("${root}" + m);
console.log("loaded");`,
    );
    const out = await run(Deno.execPath(), ["run", "--no-config", "--allow-read", script]);
    assertEquals(out.code, 0, out.stderr);
    assertEquals(out.stdout.trim(), "loaded");
    // The static imports of claims.ts (run_record.ts loads the group only when a run is marked after the
    // pool's death, with a dynamic import).
    const info = await run(Deno.execPath(), [
      "info",
      "--no-config",
      "--json",
      `${root}runner/claims.ts`,
    ]);
    assertEquals(info.code, 0, info.stderr);
    const modules = staticGraph(JSON.parse(info.stdout), `file://${root}runner/claims.ts`);
    assert(modules.size > 3, [...modules].join(", "));
    assert(![...modules].some((m) => m.includes("/src/group/")), "claims.ts imports no group code");
  });
});

Deno.test("the pool hands a slot its tasks in batches: far fewer writes of task frames than runs", async () => {
  await withTempDir(async (dir) => {
    const runs = 200;
    // The sweep's main thread only (the pool's JavaScript), so that the slots run at full speed.
    const lines = await straceTinySweep(dir, "Batch", runs, false);
    // A task frame is a 4-byte length then the CBOR map {t: "task", …}: "\243atdtask". Tiny runs get up to 8
    // tasks queued per slot, refilled once half are used up: several per write. (Under a heavy load a run
    // can look longer than the ~3 ms below which a slot gets 4 or more; some writes still carry several.)
    const taskWrites = lines.filter((l) => l.includes("write(") && l.includes("\\243atdtask"));
    assert(taskWrites.length > 0, "the pool's writes were seen");
    assert(
      taskWrites.length < runs * 0.75,
      `${taskWrites.length} writes of task frames for ${runs} runs: tasks go in batches, not one per run`,
    );
  });
});
