/**
 * StorageManager: creating 10,000 enumerated runs, and saveParam() on a run that holds 1,000 params.
 *
 *   deno run --allow-read --allow-write --allow-run bench/storage_bench.ts [--runs 10000]
 *
 * Before/after a change, on a shared machine whose load varies by 3× from one minute to the next:
 *
 *   deno run --allow-read --allow-write bench/storage_bench.ts --against /path/to/other/tree/mod.ts
 *
 * runs the same operations from both trees in small alternating blocks and prints the medians side by side.
 */
import { StorageManager } from "../mod.ts";
import { compareAgainst } from "./_storage_ab.ts";

const args = Deno.args;
const runs = Number(args[args.indexOf("--runs") + 1] || 0) || 10_000;
const against = args.includes("--against") ? args[args.indexOf("--against") + 1] : undefined;
if (against) {
  await compareAgainst(new URL(against, `file://${Deno.cwd()}/`).href, StorageManager);
  Deno.exit(0);
}
const root = await Deno.makeTempDir({ prefix: "sweepstore-bench-" });
try {
  // Warm-up: the file system's first thousands of folders in a fresh temp dir are slower (measured 4× here),
  // which is not sweepstore's doing; both measured series below run after it.
  for (let i = 0; i < 3000; i++) await StorageManager.create("Warm", { dataFolder: root });

  // 1. Creating runs: exclusive mkdir of <Name><n> + config.ini with `time` (one crash-safe write).
  let t0 = performance.now();
  for (let i = 0; i < runs; i++) await StorageManager.create("Enum", { dataFolder: root });
  const enumS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    await StorageManager.create("Rnd", { dataFolder: root, randomNr: true });
  }
  const rndS = (performance.now() - t0) / 1000;

  // A new process creating the 10,001st enumerated run: one directory listing, no probing.
  t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { StorageManager } from "${new URL("../mod.ts", import.meta.url)}";` +
      `const t = performance.now(); const sm = await StorageManager.create("Enum", { dataFolder: "${root}" });` +
      `console.log(sm.name, (performance.now() - t).toFixed(1));`,
    ],
    stdout: "piped",
  }).output();
  const [nextName, nextMs] = new TextDecoder().decode(out.stdout).trim().split(" ");

  // 2. saveParam() on a run holding 1,000 params: re-read (if changed) + merge + crash-safe rewrite.
  const sm = await StorageManager.create("Params", { dataFolder: root });
  const dict: Record<string, number> = {};
  for (let i = 0; i < 1000; i++) dict[`param_${i}`] = i * 0.5;
  await sm.saveParamDict(dict);
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    await sm.saveParam("score", i / 300);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const loadTimes: number[] = [];
  const other = await StorageManager.open(sm.path);
  for (let i = 0; i < 300; i++) {
    await sm.saveParam("score", i); // changes the file, so loadParam must re-read and re-parse
    const t = performance.now();
    await other.loadParam("score");
    loadTimes.push(performance.now() - t);
  }
  loadTimes.sort((a, b) => a - b);

  console.log("| what | figure |");
  console.log("|---|---|");
  console.log(
    `| create ${runs} enumerated runs | ${enumS.toFixed(2)} s = ${
      (runs / enumS).toFixed(0)
    } runs/s |`,
  );
  console.log(
    `| create ${runs} random-named runs | ${rndS.toFixed(2)} s = ${
      (runs / rndS).toFixed(0)
    } runs/s |`,
  );
  console.log(`| a new process creates the next enumerated run (${nextName}) | ${nextMs} ms |`);
  console.log(
    `| saveParam() on a run with 1,000 params (median, p95) | ${times[150].toFixed(2)} ms, ${
      times[285].toFixed(2)
    } ms |`,
  );
  console.log(
    `| loadParam() after another writer changed that file (median) | ${
      loadTimes[150].toFixed(2)
    } ms |`,
  );
} finally {
  await Deno.remove(root, { recursive: true });
}
