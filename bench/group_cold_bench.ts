/**
 * Big groups, cold caches (issue 14): load of N runs (21 params each, bench/group_bench.ts's runs) in a fresh
 * process with the page cache dropped (`sync; echo 3 > /proc/sys/vm/drop_caches`, as root), with and without
 * the group index, and `sweepstore ls`, warm and cold.
 *
 *   deno run -A bench/group_cold_bench.ts [--runs 50000]
 */
const args = Deno.args;
const runs = args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 50_000;
const here = new URL(".", import.meta.url).pathname;
const dataFolder = `${here}out/group_${runs}/Data`;

if (args.includes("--child")) {
  const { StorageManagerGroup } = await import("../mod.ts");
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
const load = ["run", "-A", `${here}group_cold_bench.ts`, "--child", "--runs", String(runs)];
const ls = ["run", "-A", `${here}../runner/cli/cli.ts`, "ls", "--data", dataFolder];
await run(load, false); // the index exists and is settled before measuring
await new Promise((r) => setTimeout(r, 3500));
await run(load, false);
console.log(`| ${runs} runs | process wall time (s) | in-process load (s) |`);
console.log("|---|---|---|");
for (
  const [label, cmd, cold] of [
    ["load, index, warm", load, false],
    ["load, index, cold", load, true],
    ["load, no index, warm", [...load, "--no-index"], false],
    ["load, no index, cold", [...load, "--no-index"], true],
    ["`sweepstore ls`, warm", ls, false],
    ["`sweepstore ls`, cold", ls, true],
  ] as const
) {
  if (!cold) await run([...cmd], false); // warm: the files in the page cache (an earlier row dropped it)
  const r = await run([...cmd], cold);
  const inner = r.out.startsWith("{") ? JSON.parse(r.out).s.toFixed(3) : "–";
  console.log(`| ${label} | ${r.wall.toFixed(3)} | ${inner} |`);
}
