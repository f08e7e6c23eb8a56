/**
 * Runs every benchmark in turn and prints their tables (the figures in bench/README.md). As root: the cold
 * cache rows drop the page cache.
 *
 *   deno task bench
 */
const here = new URL(".", import.meta.url);
const benches: [string, string[], string[]?][] = [
  ["npy_bench.ts", []],
  ["storage_bench.ts", []],
  ["group_bench.ts", []],
  ["group_bench.ts", ["--runs", "100000", "--no-python"]],
  ["query_bench.ts", []],
  ["runner_bench.ts", []],
  ["search/search_bench.ts", []],
  // puppeteer-core reads the environment and the OS (it drives chromium over a pipe, no network).
  ["report_html_bench.ts", [], ["--allow-env", "--allow-sys"]],
  ["aggregate_bench.ts", []],
  // Cold caches: drops the page cache (root) and reads /proc/stat, for which Deno asks for all access.
  ["group_cold_bench.ts", ["--rounds", "3"], ["--allow-all"]],
  // Issue 8 point 10: the parent's peak RSS (/proc/self/status: all access again).
  ["sweep_memory_bench.ts", ["--points", "100000"], ["--allow-all"]],
  // ... and the shapes of sweep the one-parameter case does not show (not met yet: bench/README.md).
  ["sweep_memory_bench.ts", ["--points", "100000", "--shape", "random3"], ["--allow-all"]],
  ["sweep_memory_bench.ts", ["--points", "100000", "--shape", "repeats5"], ["--allow-all"]],
];
for (const [file, args, flags = []] of benches) {
  console.log(`\n## ${file} ${args.join(" ")}\n`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-run",
      ...flags,
      new URL(file, here).pathname,
      ...args,
    ],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    console.error(`${file} failed (exit ${code})`);
    Deno.exit(1);
  }
}
