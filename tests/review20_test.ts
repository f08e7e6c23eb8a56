/**
 * Review of the compact group columns (src/group/_column.ts, ebaf413) with real files: groups written by
 * Python's configparser the way PymoNNto writes (`str(value)`), read back through every path of the group
 * (no index, the index, index rows mixed with changed runs, writes through `at()` and `reloadRun`, runs
 * replaced by the caller, run folders vanishing while the group loads) and compared with the run layer's
 * own reading of each file (`StorageManager.fromConfigText`, which no column touches); and `reconcileRuns`
 * of a group against the per-run rule (`readRunSection`) with owners that really died (`kill -9`).
 */
import { assert, assertEquals } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { RACY_MARGIN_MS } from "../src/group/_index_file.ts";
import { RunTable } from "../src/group/_index_table.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { paramCell } from "../src/group/table.ts";
import type { ParamValue } from "../src/formats/params.ts";
import { readRunSection, reconcileRuns } from "../runner/mod.ts";
import { writeSummary } from "../runner/summary.ts";

/** Python: writes `n` runs of group `name` with tricky values, each `str()` of a Python value (PymoNNto). */
const WRITE_TRICKY = String.raw`
import configparser, os, sys, random, datetime
data, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(20)
floats = [0.1, 0.30000000000000004, 1e-05, 1e16, 1e22, 100000.0, -0.0, 0.0, 1.0, 5e-324, 1.7976931348623157e308,
          float('inf'), float('-inf'), float('nan'), 1/3, 1e21, 1e-7, 9007199254740993.0]
ints = [0, -1, 7, 2**53 - 1, 2**53, 2**53 + 1, 2**64, -2**63, 10**30, 123456789012345680000]
lits = [[1, 2.5, 'a', True, None], {'x': 1, 'y': [1e-07]}, True, False, None, 'quoted', (1, 2), "it's"]
t0 = datetime.datetime(2026, 11, 30, 21, 6, 5, 745000, tzinfo=datetime.timezone.utc)
odd_times = ["0999-01-01T00:00:00.000Z", "0001-01-01T00:00:00.000Z", "+010000-01-01T00:00:00.000Z",
             "2026-02-29T00:00:00.000Z", "2026-11-30T21:06:05.745z", "2026-11-30T24:00:00.000Z"]
for i in range(n):
    c = configparser.ConfigParser()
    c.optionxform = str
    t = t0 + datetime.timedelta(milliseconds=i * 1001)
    p = {
        'f': str(floats[i % len(floats)] if i % 3 else random.random() * 10 ** random.randint(-30, 30)),
        'i': str(ints[i % len(ints)] if i % 2 else random.randint(-10**6, 10**6)),
        'js': str(i / 8 - 3).removesuffix('.0') if i % 5 else ['-Infinity', '5e-324', '1e+21', '9007199254740992', '0'][i // 5 % 5],
        'iso': t.isoformat(timespec='milliseconds').replace('+00:00', 'Z') if i % 4 else (odd_times[i // 4 % 6] if i % 8 else t.isoformat()),
        'mix': str(i) if i < 280 else ['NaN', '-0', '1.50', 'x'][i % 4],
        'few': random.choice(['a', '0x10', '007', '1.0', '1e5', '100000', 'nan', 'inf', '-inf', 'Infinity', 'None', 'True']),
        'lit': str(lits[i % len(lits)]),
        'interp': '%(few)s and %%' if i % 2 else '50%% done',
        'seed': str(random.getrandbits(63)),
    }
    if i % 7 == 0: p['sometimes'] = str(i * 0.5)
    if i % 11 == 0: p['empty'] = ''
    if i % 13 == 0: p['lines'] = 'one %d\n  indented\n\nafter a blank' % i
    c['Parameters'] = p
    if i % 19 != 5: c['Run'] = {'status': ['done', 'failed', "'done'", 'Done'][i % 4], 'started': t.isoformat()}
    os.makedirs(os.path.join(data, 'StorageManager', name, '%s%d' % (name, i + 1)), exist_ok=True)
    with open(os.path.join(data, 'StorageManager', name, '%s%d' % (name, i + 1), 'config.ini'), 'w') as fh:
        c.write(fh)
`;

const SECTIONS = ["Parameters", "Run"];

/** What the run layer reads from each run's file now: name → section → key → value. */
async function oracle(
  group: StorageManagerGroup,
): Promise<Map<string, Map<string, Map<string, unknown>>>> {
  const out = new Map<string, Map<string, Map<string, unknown>>>();
  for await (const e of Deno.readDir(group.path)) {
    let text: string;
    try {
      text = await Deno.readTextFile(`${group.path}/${e.name}/config.ini`);
    } catch {
      continue;
    }
    out.set(e.name, valuesOf(StorageManager.fromConfigText(`${group.path}/${e.name}`, text)));
  }
  return out;
}

function valuesOf(sm: StorageManager): Map<string, Map<string, unknown>> {
  const sections = new Map<string, Map<string, unknown>>();
  for (const section of SECTIONS) {
    const keys = sm.paramKeys({ section });
    if (keys.length) sections.set(section, new Map(keys.map((k) => [k, sm.param(k, { section })])));
  }
  return sections;
}

/** `a` and `b` the same value, `-0`, NaN and bigints included. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b);
  if (typeof a === "bigint" || typeof b === "bigint") return a === b;
  return JSON.stringify(a) === JSON.stringify(b) && typeof a === typeof b;
}

/** Every value the group gives (at(), iteration, getParamList, toTable) is the run layer's. */
async function checkGroup(
  group: StorageManagerGroup,
  label: string,
  want?: Awaited<ReturnType<typeof oracle>>,
) {
  want ??= await oracle(group);
  const names = [...group].map((sm) => sm.name);
  for (const name of names) assert(want.has(name), `${label}: ${name} is not a run on disk`);
  let i = 0;
  for (const sm of group) {
    const got = valuesOf(sm);
    const exp = want.get(sm.name)!;
    assertEquals([...got.keys()], [...exp.keys()], `${label} ${sm.name} sections`);
    for (const [section, values] of exp) {
      assertEquals([...got.get(section)!.keys()], [...values.keys()], `${label} ${sm.name} keys`);
      for (const [k, v] of values) {
        assert(
          same(got.get(section)!.get(k), v),
          `${label} ${sm.name} [${section}] ${k}: ${String(got.get(section)!.get(k))} !== ${
            String(v)
          }`,
        );
        assert(same(group.at(i)!.param(k, { section }), v), `${label} at(${i}) ${k}`);
      }
    }
    i++;
  }
  for (const section of SECTIONS) {
    for (const key of group.getAllParams({ section })) {
      const list = group.getParamList(key, { section });
      list.forEach((v, j) => {
        const exp = want.get(names[j])!.get(section)?.get(key) ?? null;
        assert(
          same(v, exp),
          `${label} getParamList ${section}.${key}[${j}] (${names[j]}): ${String(v)} !== ${
            String(exp)
          }`,
        );
      });
    }
  }
  const table = group.toTable();
  table.rows.forEach((row, j) => {
    table.columns.slice(1).forEach((key, c) => {
      const v = want.get(names[j])!.get("Parameters")?.get(key) ?? null;
      const cell = paramCell(v as ParamValue); // lists and objects as Python's JSON (NaN, -0.0 kept)
      assert(same(row[c + 1], cell), `${label} toTable ${names[j]} ${key}`);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("a PymoNNto-written group reads back as its runs do: no index, index, mixed, at() writes, reloadRun, replaced runs", async () => {
  await withTempDir(async (dataFolder) => {
    await python(WRITE_TRICKY, [dataFolder, "Tr", "320"]);
    const load = (o = {}) => StorageManagerGroup.load("Tr", { dataFolder, ...o });
    let g = await load({ index: false });
    assertEquals(g.length, 320);
    await checkGroup(g, "no index");
    g = await load();
    assert(g.indexUse.written, "an index is written (320 runs)");
    await checkGroup(g, "first load");
    await sleep(RACY_MARGIN_MS + 1100); // stamps old enough to trust: the next load rewrites it trusted
    await load();
    g = await load();
    assertEquals(g.indexUse.fromIndex, 320);
    await checkGroup(g, "from the index");
    // runs changed after the index: non-numbers into the numbers column, a near-time into the times column
    await python(
      String.raw`
import configparser, sys
for i in range(1, 60, 4):
    p = '%s/StorageManager/Tr/Tr%d/config.ini' % (sys.argv[1], i)
    c = configparser.ConfigParser(); c.optionxform = str; c.read(p)
    c['Parameters']['js'] = ['abc', '-0', '1.0', '1e5', '007', '0x10', 'nan', '-0.0'][i % 8]
    c['Parameters']['iso'] = ['2026-11-30T21:06:05.745+00:00', '2026-11-30T21:06:05Z', '1.5'][i % 3]
    c['Parameters']['late'] = str(i * 1.5)
    with open(p, 'w') as fh: c.write(fh)
`,
      [dataFolder],
    );
    g = await load();
    assertEquals(g.indexUse.read, 15);
    await checkGroup(g, "index rows and changed runs");
    // writes through at() and iteration, each read back with reloadRun
    await g.at(2)!.saveParam("js", "not a number");
    await g.at(3)!.saveParam("js", -0);
    await g.at(4)!.saveParam("iso", "2026-11-30T21:06:05.745+01:00");
    await g.at(5)!.saveParam("mix", 1e21);
    await g.at(6)!.saveParam("i", 2n ** 70n);
    await g.at(7)!.saveParam("few", "new text");
    for (const n of [2, 3, 4, 5, 6, 7]) await g.reloadRun(g.at(n)!.name);
    let k = 0;
    for (const sm of g) {
      if (k++ % 40 === 0) {
        await sm.saveParam("js", k % 80 === 1 ? "word" : k / 3);
        await g.reloadRun(sm);
      }
    }
    await checkGroup(g, "after writes and reloadRun");
    g.sortBy("js");
    await checkGroup(g, "sorted");
    g.runs = g.runs.filter((_, j) => j % 3 === 0);
    await checkGroup(g, "runs replaced");
  });
});

Deno.test("run folders vanishing while the group loads: every run kept holds exactly its file's values", async () => {
  await withTempDir(async (dataFolder) => {
    await python(WRITE_TRICKY, [dataFolder, "Va", "300"]);
    const group = `${dataFolder}/StorageManager/Va`;
    const want = await oracle(await StorageManagerGroup.load("Va", { dataFolder, index: false }));
    // a real process takes config.ini away and puts it back, again and again, in every third run
    await Deno.writeTextFile(`${group}/.flip`, "");
    const flipper = new Deno.Command("python3", {
      args: [
        "-c",
        String.raw`
import os, sys, time
g = sys.argv[1]
end = time.time() + 30
first = True
while time.time() < end and os.path.exists(g + '/.flip'):
    for i in range(1, 301, 3):
        p = '%s/Va%d/config.ini' % (g, i)
        try:
            os.rename(p, p + '.away'); os.rename(p + '.away', p)
        except FileNotFoundError:
            pass
    if first:
        open(g + '/.flipping', 'w').close()
        first = False
`,
        group,
      ],
    }).spawn();
    try {
      // the loads start once the flipper is flipping (a busy machine can start python late), and go on
      // past 12 rounds until one of them has seen a run vanish (at most 20 s: the flipper stops at 30 s)
      const started = Date.now();
      while (!(await exists(`${group}/.flipping`)) && Date.now() - started < 20_000) {
        await sleep(20);
      }
      const racing = Date.now();
      let fewer = 0;
      for (let round = 0; round < 12 || (fewer === 0 && Date.now() - racing < 20_000); round++) {
        const g = await StorageManagerGroup.load("Va", {
          dataFolder,
          index: round % 2 === 0 ? false : undefined,
        });
        if (g.length < 300) fewer++;
        await checkGroup(g, `round ${round}`, want);
      }
      assert(fewer > 0, "no load saw a run vanish: the flipper did not race the loads");
    } finally {
      await Deno.remove(`${group}/.flip`);
      await flipper.status;
    }
  });
});

Deno.test("dropEmpty keeps each form's cells of the rows that were read (codes, numbers, times, strings)", () => {
  const n = 600;
  const names = Array.from({ length: n }, (_, i) => `R${i}`);
  const table = RunTable.sized(names);
  const texts = (i: number) => ({
    c: ["a", "b", "c"][i % 3],
    x: String(i * 0.25 - 7),
    t: new Date(1.7e12 + i * 1001).toISOString(),
    s: `s${i}`,
  });
  const read = (i: number) => i % 7 !== 3; // the others vanished between stat and read
  for (let i = 0; i < n; i++) {
    if (read(i)) table.set(i, new Map([["P", new Map(Object.entries(texts(i)))]]));
  }
  table.dropEmpty();
  const kept = names.map((_, i) => i).filter(read);
  assertEquals(table.names, kept.map((i) => names[i]));
  for (const key of ["c", "x", "t", "s"] as const) {
    assertEquals(
      table.column("P", key)!.slice(),
      kept.map((i) => texts(i)[key]),
      key,
    );
  }
});

/** A real process that takes an owner lock of group `name`, prints its id and waits to be killed. */
async function ownerProcess(
  dataFolder: string,
  name: string,
): Promise<{ id: string; child: Deno.ChildProcess }> {
  const claims = new URL("../runner/claims.ts", import.meta.url).href;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { OwnerLock } from "${claims}";
       const o = await OwnerLock.acquire(${JSON.stringify(dataFolder)}, ${JSON.stringify(name)});
       console.log(o.id); setInterval(() => {}, 1e6);`,
    ],
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) text += new TextDecoder().decode((await reader.read()).value);
  reader.releaseLock();
  return { id: text.trim(), child };
}

Deno.test("reconcileRuns of a group marks exactly the runs the per-run rule marks: odd status texts, no [Run], a value nested too deep, replaced runs", async () => {
  await withTempDir(async (dataFolder) => {
    const dead = await ownerProcess(dataFolder, "Rc");
    const alive = await ownerProcess(dataFolder, "Rc");
    dead.child.kill("SIGKILL");
    await dead.child.status;
    const statuses = [
      "running",
      "'running'",
      '"running"',
      "Running",
      "RUNNING",
      "running ;",
      "  running  ",
      "done",
      "[".repeat(20000) + "]".repeat(20000), // nested too deep for the literal reader: read as its text
    ];
    const rows: string[] = [];
    for (let i = 0; i < 300; i++) {
      const status = statuses[i % statuses.length];
      const owner = i % 5 === 4 ? alive.id : i % 5 === 3 ? "" : dead.id;
      const run = i % 17 === 16
        ? ""
        : `[Run]\nstatus = ${status}\n${owner ? `owner = ${owner}\n` : ""}`;
      rows.push(`[Parameters]\nn = ${i % 4}\nscore = ${i / 7}\n${run}`);
    }
    for (const text of rows) {
      const sm = await StorageManager.create("Rc", { dataFolder });
      await Deno.writeTextFile(`${sm.path}/config.ini`, text);
    }
    // the per-run rule, on each file as it is
    // (an owner's lock lives in its group's folder: in group Rc2 neither has one, so both count as dead)
    const expected = (g: StorageManagerGroup, deadOwners = [dead.id]) =>
      [...g].filter((sm) => {
        const run = readRunSection(sm);
        return run.status === "running" && deadOwners.includes(run.owner ?? "");
      }).map((sm) => sm.path);
    try {
      let g = await StorageManagerGroup.load("Rc", { dataFolder });
      const want = expected(g);
      assert(want.length > 20, "some runs are running with a dead owner");
      const got = await reconcileRuns(g);
      assertEquals(got.interrupted, want);
      assertEquals(
        got.alive.length,
        [...g].filter((sm) =>
          readRunSection(sm).owner === alive.id &&
          readRunSection(sm).status === "running"
        ).length,
      );
      // marked on disk and in the group
      g = await StorageManagerGroup.load("Rc", { dataFolder, index: false });
      assertEquals(expected(g), []);
      // again with runs replaced by the caller, and with writeSummary
      for (const text of rows) {
        const sm = await StorageManager.create("Rc2", { dataFolder });
        await Deno.writeTextFile(`${sm.path}/config.ini`, text);
      }
      g = await StorageManagerGroup.load("Rc2", { dataFolder });
      const both = [dead.id, alive.id];
      const all = expected(g, both);
      g.runs = g.runs.filter((_, j) => j % 2 === 1);
      const replaced = expected(g, both);
      assertEquals((await reconcileRuns(g)).interrupted, replaced);
      g = await StorageManagerGroup.load("Rc2", { dataFolder });
      assertEquals(expected(g, both), all.filter((p) => !replaced.includes(p)));
      await writeSummary(g, { swept: ["n"] });
      assertEquals(
        expected(await StorageManagerGroup.load("Rc2", { dataFolder, index: false }), both),
        [],
      );
    } finally {
      alive.child.kill("SIGKILL");
      await alive.child.status;
    }
  });
});
