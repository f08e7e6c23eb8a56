/**
 * Big groups, cold caches (issue 14): load of N runs (21 params each, bench/group_bench.ts's runs) in a fresh
 * process with the page cache dropped (`sync; echo 3 > /proc/sys/vm/drop_caches`, as root), and
 * `sweepstore ls`, warm and cold, in several rounds, with the spread of each row: "≤ 2 s cold, reliably"
 * is a count of rounds, not one figure.
 *
 *   deno run -A bench/group_cold_bench.ts [--runs 50000] [--rounds 5] [--against <tree>] [--phases]
 *     [--plain] [--lanes 64,128,512,1024] [--only <row>,…]
 *
 * Rows: the load through the index warm and cold; cold with the first 1,000 runs cached ("partly cold":
 * the runs a user just opened); `sweepstore ls` warm and cold; the stat floor — the 50,000 `stat`s of
 * the `config.ini`s alone, 256 in flight in inode order as the load makes them, in a bare child process
 * (what any load that checks every run pays), cold, and warm as one `statSync` after another; with
 * `--phases` the other steps of a cold load alone, each with the tree's own code (the index's header, its columns, the group folder's listing — which
 * the load skips while the group folder's stamp is the one the index recorded); with `--plain` the load
 * without the index. `--lanes` adds
 * the floor at each number in flight (Deno's thread pool runs them). `--only` keeps the rows whose
 * names start with the given words.
 *
 * `--against <tree>` (e.g. main's files: `git -C <main> archive HEAD | tar -x -C /tmp/base`) measures the
 * same rows with that tree's code on its own copy of the runs (an index of another format would otherwise
 * be rewritten at each turn), alternating: each round runs every row for both trees, the tree that goes
 * first switching each round. Per process: its wall time, the load's time inside the process
 * (`in`), the CPU time (user + system, `/usr/bin/time`) — the figure the other helpers' load moves
 * least — and the CPU the other processes used meanwhile (cores, from /proc/stat).
 */
const args = Deno.args;
const arg = (
  name: string,
) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(arg("--runs") ?? 50_000);
const here = new URL(".", import.meta.url).pathname;
const dataFolder = arg("--data") ?? `${here}out/group_${runs}/Data`;
const WARM_FIRST = 1_000;

if (args.includes("--child")) {
  const root = arg("--root") ?? `${here}..`;
  const { StorageManagerGroup } = await import(`${root}/mod.ts`);
  const t0 = performance.now();
  const smg = await StorageManagerGroup.load("Bench", {
    dataFolder,
    index: !args.includes("--no-index"),
  });
  console.log(
    JSON.stringify({ s: (performance.now() - t0) / 1000, runs: smg.length }),
  );
  Deno.exit(0);
}

if (args.includes("--child-floor")) { // the stats alone, in the order of the list (inode order)
  const paths = Deno.readTextFileSync(arg("--list")!).split("\n").filter(
    Boolean,
  );
  const lanes = Number(arg("--lanes"));
  const t0 = performance.now();
  if (lanes === 0) { // one synchronous stat after another, as a warm load makes them
    for (const path of paths) {
      try {
        Deno.statSync(path);
      } catch { /* not a run */ }
    }
  }
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < paths.length) {
      await Deno.stat(paths[next++]).catch(() => undefined);
    }
  }));
  console.log(
    JSON.stringify({ s: (performance.now() - t0) / 1000, runs: paths.length }),
  );
  Deno.exit(0);
}

if (args.includes("--child-phase")) { // one step of a load alone, with the tree's own code
  const root = arg("--root")!;
  const { IndexFile } = await import(`${root}/src/group/_index_file.ts`);
  const { listRunFolders } = await import(`${root}/src/group/_load.ts`);
  const group = `${dataFolder}/StorageManager/Bench`;
  const phase = arg("--child-phase");
  let t0 = performance.now();
  if (phase === "listing") listRunFolders(group);
  else {
    const file = IndexFile.open(`${group}/.sweepstore/group_index.jsonl`);
    if (!file) throw new Error("no index");
    if (phase === "columns") {
      t0 = performance.now();
      await file.columns();
    }
  }
  console.log(JSON.stringify({ s: (performance.now() - t0) / 1000 }));
  Deno.exit(0);
}

interface Sample {
  wall: number;
  inner: number | null;
  cpu: number;
  /** The other processes' CPU while it ran, in cores (of 2 here). */
  others: number;
}

async function dropCaches(): Promise<void> {
  await new Deno.Command("sync").output();
  await Deno.writeTextFile("/proc/sys/vm/drop_caches", "3");
}

/**
 * The machine's busy CPU time so far, in s (/proc/stat, 100 ticks a second). The load average is no
 * measure of the others here: it counts tasks waiting on the disk, the cold stats' own 256 threads too.
 */
function busySeconds(): number {
  const cpu = Deno.readTextFileSync("/proc/stat").split("\n")[0].trim().split(
    /\s+/,
  ).slice(1);
  const [user, nice, system, , , irq, softirq, steal] = cpu.map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}

/** One child process under `/usr/bin/time`, after `prepare` (dropping the cache…). */
async function measure(
  cmd: string[],
  prepare: () => Promise<void>,
): Promise<Sample> {
  await prepare();
  const times = await Deno.makeTempFile();
  const t0 = performance.now();
  const busy0 = busySeconds();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%U %S", "-o", times, Deno.execPath(), ...cmd],
    stderr: "inherit",
  }).output();
  const busy = busySeconds() - busy0;
  const wall = (performance.now() - t0) / 1000;
  if (!out.success) throw new Error(`${cmd.join(" ")} failed`);
  const [user, sys] = Deno.readTextFileSync(times).trim().split("\n").pop()!
    .split(" ").map(Number);
  Deno.removeSync(times);
  const text = new TextDecoder().decode(out.stdout).trim();
  const inner = text.startsWith("{") ? JSON.parse(text).s : null;
  return {
    wall,
    inner,
    cpu: user + sys,
    others: Math.max(0, busy - user - sys) / wall,
  };
}

try {
  Deno.statSync(`${dataFolder}/StorageManager/Bench`);
} catch {
  const gen = [
    "run",
    "-A",
    `${here}group_bench.ts`,
    "--runs",
    String(runs),
    "--generate-only",
  ];
  await new Deno.Command(Deno.execPath(), {
    args: gen,
    stdout: "inherit",
    stderr: "inherit",
  })
    .output();
}
const against = arg("--against");
const trees: { name: string; root: string; data: string }[] = [
  { name: "this tree", root: `${here}..`, data: dataFolder },
];
if (against) {
  const copy = `${dataFolder}_against`;
  try {
    Deno.statSync(`${copy}/StorageManager/Bench`);
  } catch { // the same runs, copied (cp: in the listing order, as bench/out/group_50000 was here)
    await new Deno.Command("cp", { args: ["-a", dataFolder, copy] }).output();
  }
  trees.push({ name: against, root: against, data: copy });
}
const group = (data: string) => `${data}/StorageManager/Bench`;

/** The `config.ini`s in inode order (the order the load stats them in), written once per tree. */
function statList(data: string): string {
  const list = `${data}/../stat_order.txt`;
  try {
    Deno.statSync(list);
    return list;
  } catch { /* made below */ }
  const files = [...Deno.readDirSync(group(data))]
    .filter((e) => e.isDirectory && !e.name.startsWith("."))
    .map((e) => `${group(data)}/${e.name}/config.ini`)
    .map((f) => ({ f, ino: Deno.statSync(f).ino ?? 0 }))
    .sort((a, b) => a.ino - b.ino);
  Deno.writeTextFileSync(list, files.map((x) => x.f).join("\n") + "\n");
  return list;
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
const floorOf = (lanes: number) => (_root: string, data: string) => [
  "run",
  "-A",
  `${here}group_cold_bench.ts`,
  "--child-floor",
  "--list",
  statList(data),
  "--lanes",
  String(lanes),
];

for (const { root, data } of trees) { // the index exists and is settled before measuring
  await measure(loadOf(root, data), async () => {});
  await new Promise((r) => setTimeout(r, 3500));
  await measure(loadOf(root, data), async () => {});
  await measure(loadOf(root, data), async () => {});
  statList(data);
}

type Prepare = (data: string) => Promise<void>;
const warm: Prepare = async () => {};
const cold: Prepare = () => dropCaches();
const partly: Prepare = async (data) => { // cold, then the first runs' files stat'ed (cached)
  await dropCaches();
  for (let i = 1; i <= WARM_FIRST; i++) {
    Deno.statSync(`${group(data)}/Bench${i}/config.ini`);
  }
};
const rows: [string, (root: string, data: string) => string[], Prepare][] = [
  ["load, index, warm", loadOf, warm],
  ["load, index, cold", loadOf, cold],
  [
    `load, index, cold but the first ${WARM_FIRST.toLocaleString("en")} runs`,
    loadOf,
    partly,
  ],
  ["ls, warm", lsOf, warm],
  ["ls, cold", lsOf, cold],
  ["stat floor (256 in flight), cold", floorOf(256), cold],
  // what any load or `ls` that checks every run pays on a warm cache: a process doing only the stats
  ["stat floor (statSync, one after another), warm", floorOf(0), warm],
];
const phaseOf = (phase: string) => (root: string, data: string) => [
  "run",
  "-A",
  `--config=${root}/deno.json`,
  `${here}group_cold_bench.ts`,
  "--child-phase",
  phase,
  "--root",
  root,
  "--data",
  data,
];
if (args.includes("--phases")) {
  rows.push(
    ["step: index header (open, read, parse), cold", phaseOf("header"), cold],
    [
      "step: index columns (one read after the header), cold",
      phaseOf("columns"),
      cold,
    ],
    ["step: group folder listing, cold", phaseOf("listing"), cold],
  );
}
if (args.includes("--plain")) {
  const plain = (r: string, d: string) => [...loadOf(r, d), "--no-index"];
  rows.push(["load, no index, warm", plain, warm], [
    "load, no index, cold",
    plain,
    cold,
  ]);
}
for (
  const lanes of (arg("--lanes") ?? "").split(",").filter(Boolean).map(Number)
) {
  rows.push([`stat floor (${lanes} in flight), cold`, floorOf(lanes), cold]);
}
const only = arg("--only")?.split(",");
const kept = only ? rows.filter(([label]) => only.some((w) => label.startsWith(w))) : rows;

const samples = new Map<string, Sample[]>();
const rounds = Number(arg("--rounds") ?? 5);
console.log(
  "| round | row | code | wall (s) | in process (s) | CPU (s) | others' CPU (cores) |",
);
console.log("|---|---|---|---|---|---|---|");
for (let round = 1; round <= rounds; round++) {
  const order = round % 2 ? trees : [...trees].reverse();
  for (const [label, cmd, prepare] of kept) {
    for (const { name, root, data } of order) {
      if (prepare === warm) await measure(cmd(root, data), () => warm(data)); // in the page cache
      const s = await measure(cmd(root, data), () => prepare(data));
      const key = `${label}\u0000${name}`;
      samples.set(key, [...(samples.get(key) ?? []), s]);
      const inner = s.inner === null ? "–" : s.inner.toFixed(3);
      console.log(
        `| ${round} | ${label} | ${name} | ${s.wall.toFixed(3)} | ${inner} | ${
          s.cpu.toFixed(2)
        } | ${s.others.toFixed(2)} |`,
      );
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const spread = (xs: number[]) =>
  `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
console.log(
  `\n| ${runs} runs, ${rounds} rounds | code | wall (s): median (min–max) | in process (s) | ≤ 2 s in process | CPU (s) | others' CPU (cores) |`,
);
console.log("|---|---|---|---|---|---|---|");
for (const [key, xs] of samples) {
  const [label, name] = key.split("\u0000");
  const inner = xs.map((s) => s.inner).filter((x): x is number => x !== null);
  const met = inner.length ? `${inner.filter((x) => x <= 2).length} of ${inner.length}` : "–";
  console.log(
    `| ${label} | ${name} | ${spread(xs.map((s) => s.wall))} | ${
      inner.length ? spread(inner) : "–"
    } | ${met} | ${spread(xs.map((s) => s.cpu))} | ${spread(xs.map((s) => s.others))} |`,
  );
}
