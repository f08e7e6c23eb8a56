/**
 * Runs every benchmark in turn and prints their tables (the figures in bench/README.md).
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
