/**
 * Issue 8 point 10: the V8 heap a sweep's `result.runs` costs per record, made from the compact record
 * store (`runner/_record_store.ts`) for 100,000 tiny runs' records — as the runner makes them (`reason` and
 * `error` set, undefined for a done run) and without those two keys — measured as `heapUsed` after forced
 * GCs before and after the records are made; with `--against DIR`, the same measured by another tree (e.g.
 * `git archive` of main) in its own process, printed side by side.
 *
 *   deno run --allow-read --allow-run --v8-flags=--expose-gc bench/record_bytes_bench.ts [--records 100000]
 *     [--against DIR]
 */
import { RecordStore } from "../runner/_record_store.ts";

const args = Deno.args;
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const n = Number(arg("--records") ?? 100000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc (the heap is measured after forced GCs)");

/** Heap bytes per record and ms to make them, for records with or without `reason`/`error` keys. */
function measure(runnerShape: boolean): { bytes: number; ms: number } {
  const store = new RecordStore([], n);
  for (let i = 0; i < n; i++) {
    const r: Record<string, unknown> = {
      index: i,
      params: { k: i },
      repeat: 0,
      path: `/home/u/Data/StorageManager/Scale/Scale${1000 + 37 * i}`,
      status: "done",
      durationMs: 0.25 + i / 1000,
      attempts: 1,
      seed: (2654435761 * (i + 1)) >>> 0,
    };
    if (runnerShape) [r.reason, r.error] = [undefined, undefined];
    r.result = { score: i / 7 };
    store.set(i, r as never);
  }
  gc!(), gc!();
  const before = Deno.memoryUsage().heapUsed;
  const t = performance.now();
  const records = store.records();
  const ms = performance.now() - t;
  gc!(), gc!();
  const bytes = (Deno.memoryUsage().heapUsed - before) / records.length;
  return { bytes: Math.round(bytes), ms: Math.round(ms) };
}

const against = arg("--against");
if (args.includes("--one")) {
  console.log(JSON.stringify({ runner: measure(true), bare: measure(false) }));
} else {
  const here = { runner: measure(true), bare: measure(false) };
  console.log(`${n} records: heap bytes per record (ms to make them all)`);
  const line = (name: string, r: typeof here) =>
    console.log(
      `${
        name.padEnd(12)
      } runner's shape ${r.runner.bytes} B (${r.runner.ms} ms)   without reason/error ${r.bare.bytes} B (${r.bare.ms} ms)`,
    );
  line("this tree", here);
  if (against) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--v8-flags=--expose-gc",
        `${against}/bench/record_bytes_bench.ts`,
        "--records",
        String(n),
        "--one",
      ],
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    line("--against", JSON.parse(new TextDecoder().decode(out.stdout)));
  }
}
