/**
 * Big groups, cold caches (issue 14): load of N runs (21 params each, bench/group_bench.ts's runs) in a fresh
 * process with the page cache dropped (`sync; echo 3 > /proc/sys/vm/drop_caches`, as root), with and without
 * the group index, and `sweepstore ls`, warm and cold.
 *
 *   deno run -A bench/group_cold_bench.ts [--runs 50000] [--no-plain] [--against <tree>] [--repeat 1]
 *
 * `--no-plain` skips the rows without the index (11–17 s cold); `--against <tree>` (e.g. main's files:
 * `git -C <main> archive HEAD | tar -x -C /tmp/base`) measures the same rows with that tree's code on its
 * own copy of the runs (an index of another format would otherwise be rewritten at each turn), each row
 * alternating between the two. Each process prints its in-process time; the process wall time includes
 * starting Deno and loading the modules (also from a cold page cache).
 */
const args = Deno.args;
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(arg("--runs") ?? 50_000);
const here = new URL(".", import.meta.url).pathname;
const dataFolder = arg("--data") ?? `${here}out/group_${runs}/Data`;

if (args.includes("--child")) {
  const root = arg("--root") ?? `${here}..`;
  const { StorageManagerGroup } = await import(`${root}/mod.ts`);
  const t0 = performance.now();
  const smg = await StorageManagerGroup.load("Bench", {
    dataFolder,
    index: !args.includes("--no-index"),
  });
  console.log(
    JSON.stringify({ s: (performance.now() - t0) / 1000, runs: smg.length, use: smg.indexUse }),
  );
  Deno.exit(0);
}

async function run(cmd: string[], cold: boolean): Promise<{ wall: number; out: string }> {
  if (cold) {
    await new Deno.Command("sync").output();
    await Deno.writeTextFile("/proc/sys/vm/drop_caches", "3");
  }
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), { args: cmd, stderr: "inherit" }).output();
  return {
    wall: (performance.now() - t0) / 1000,
    out: new TextDecoder().decode(out.stdout).trim(),
  };
}

try {
  Deno.statSync(`${dataFolder}/StorageManager/Bench`);
} catch {
  const gen = ["run", "-A", `${here}group_bench.ts`, "--runs", String(runs), "--generate-only"];
  await new Deno.Command(Deno.execPath(), { args: gen, stdout: "inherit", stderr: "inherit" })
    .output();
}
const against = arg("--against");
const trees: [string, string, string][] = [["this tree", `${here}..`, dataFolder]];
if (against) {
  const copy = `${dataFolder}_against`;
  try {
    Deno.statSync(`${copy}/StorageManager/Bench`);
  } catch { // the same runs, copied (cp: in the listing order, as bench/out/group_50000 was here)
    await new Deno.Command("cp", { args: ["-a", dataFolder, copy] }).output();
  }
  trees.push([against, against, copy]);
}
const loadOf = (root: string, data: string) => [
  "run",
  "-A",
  `--config=${root}/deno.json`,
  `${here}group_cold_bench.ts`,
  "--child",
  "--runs",
  String(runs),
  "--root",
  root,
  "--data",
  data,
];
const lsOf = (root: string, data: string) => [
  "run",
  "-A",
  `${root}/runner/cli/cli.ts`,
  "ls",
  "--data",
  data,
];
for (const [, root, data] of trees) {
  await run(loadOf(root, data), false); // the index exists and is settled before measuring
  await new Promise((r) => setTimeout(r, 3500));
  await run(loadOf(root, data), false);
  await run(loadOf(root, data), false);
}
console.log(`| ${runs} runs | code | process wall time (s) | in-process load (s) |`);
console.log("|---|---|---|---|");
const rows: [string, (root: string, data: string) => string[], boolean][] = [
  ["load, index, warm", loadOf, false],
  ["load, index, cold", loadOf, true],
  ["`sweepstore ls`, warm", lsOf, false],
  ["`sweepstore ls`, cold", lsOf, true],
];
if (!args.includes("--no-plain")) {
  rows.splice(2, 0, ["load, no index, warm", (r, d) => [...loadOf(r, d), "--no-index"], false], [
    "load, no index, cold",
    (r, d) => [...loadOf(r, d), "--no-index"],
    true,
  ]);
}
for (let rep = 0; rep < Number(arg("--repeat") ?? 1); rep++) {
  for (const [label, cmd, cold] of rows) {
    for (const [name, root, data] of trees) {
      if (!cold) await run(cmd(root, data), false); // warm: the files in the page cache
      const r = await run(cmd(root, data), cold);
      const inner = r.out.startsWith("{") ? JSON.parse(r.out).s.toFixed(3) : "–";
      console.log(`| ${label} | ${name} | ${r.wall.toFixed(3)} | ${inner} |`);
    }
  }
}
