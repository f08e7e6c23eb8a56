/**
 * Shared by the hostile review tests of the group index (`group_index_review*_test.ts`): a plain group of
 * 200+ PymoNNto-style runs, real `/usr/bin/python3` configparser edits in place, and `check`, which compares
 * a load through the index with one that reads every file (`index: false`, the truth) and with ls's columns.
 */
import { assert, assertEquals } from "./_assert.ts";
import { run } from "./_helpers.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { RACY_MARGIN_MS, readIndex } from "../src/group/_index_file.ts";
import { groupFolder, groupIndexFile, sweepstoreFolder } from "../src/layout.ts";
import { loadGroupColumns } from "../src/group/index_columns.ts";
import { INDEX_MIN_RUNS } from "../src/group/_index_load.ts";

export const N = INDEX_MIN_RUNS + 20;
/** Every file written so far ages past the racy margin (Deno's ctime is whole seconds). */
export const settle = () => new Promise((r) => setTimeout(r, RACY_MARGIN_MS + 1100));

/** The system's Python (configparser, os.utime), as PymoNNto users run it. */
export async function py(script: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("/usr/bin/python3", { args: ["-c", script, ...args] })
    .output();
  const dec = new TextDecoder();
  if (out.code !== 0) throw new Error(`python failed: ${dec.decode(out.stderr)}`);
  return dec.decode(out.stdout);
}

export async function sh(cmd: string, ...args: string[]): Promise<void> {
  const r = await run(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
}

/** configparser sets `[section] key = value` and writes the file in place (same inode), as PymoNNto. */
export const EDIT = `
import configparser, os, sys
p, section, key, value = sys.argv[1:5]
keep = len(sys.argv) > 5  # put the old mtime back (touch -d style)
st = os.stat(p)
c = configparser.ConfigParser()
c.read(p)
c.set(section, key, value)
with open(p, 'w') as f:
    c.write(f)
if keep:
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
`;

/** A plain group of `n` PymoNNto-style runs (no bookkeeping folder: the index comes with 200+ runs). */
export function makeGroup(dataFolder: string, name: string, n = N): string {
  const group = groupFolder(dataFolder, name);
  for (let i = 1; i <= n; i++) {
    Deno.mkdirSync(`${group}/${name}${i}`, { recursive: true });
    Deno.writeTextFileSync(
      `${group}/${name}${i}/config.ini`,
      `[Parameters]\ntime = 1700000000.5\nk = ${i}\nscore = 0.5\n\n[Run]\nstatus = done\n\n`,
    );
  }
  return group;
}

/** Everything a caller sees of a group: names, all values, errors, runs made on demand. */
export function view(g: StorageManagerGroup) {
  return {
    names: [...g].map((sm) => sm.name),
    table: g.toTable(),
    run: g.toTable(undefined, { section: "Run" }),
    errors: g.errors.map((e) => e.path),
    lazy: [...g].map((sm) => [sm.name, sm.sections(), sm.paramKeys(), sm.param("score")]),
    query: g.query("score>0.6").map((sm) => [sm.name, sm.param("k")]),
  };
}

/** Loads through the index and without it, and ls's columns: all must agree. */
export async function check(
  dataFolder: string,
  name: string,
  why: string,
  readMode: "auto" | "concurrent" = "auto",
) {
  const indexed = await StorageManagerGroup.load(name, { dataFolder, readMode });
  const truth = await StorageManagerGroup.load(name, { dataFolder, index: false });
  assertEquals(view(indexed), view(truth), why);
  const cols = await loadGroupColumns(name, [["Run", "status"], ["Parameters", "score"]], {
    dataFolder,
  });
  assertEquals(cols.names, truth.runs.map((sm) => sm.name), `ls names: ${why}`);
  assertEquals(
    cols.cells[1],
    truth.runs.map((sm) =>
      sm.loadParam("score", { default: null }) === null ? null : String(sm.param("score"))
    ),
    `ls values: ${why}`,
  );
  return indexed;
}

/** Loads until the index is settled (its stamps trusted, the group folder's recorded). */
export async function settledIndex(dataFolder: string, name: string) {
  // A first index also makes `.sweepstore` in the group folder: its stamp settles one round later.
  for (let round = 0; round < 3; round++) {
    await settle();
    await check(dataFolder, name, "settling");
    if (readIndex(groupIndexFile(dataFolder, name))?.head.group) break;
  }
  const g = await check(dataFolder, name, "settled");
  assertEquals([g.indexUse.read, g.indexUse.written], [0, false], "a settled index reads nothing");
  assert(readIndex(groupIndexFile(dataFolder, name))?.head.group, "group stamp recorded");
}
/** A child process's script that loads group "Q" (of `Deno.args[0]`) and prints its length. */
export const LOADER = `
import { StorageManagerGroup } from "${new URL("../src/group/group.ts", import.meta.url).href}";
const g = await StorageManagerGroup.load("Q", { dataFolder: Deno.args[0] });
console.log(g.length);
`;

/** The group as a plain value, read through the index and without it: both must be equal. */
export async function bothWays(
  dataFolder: string,
  name: string,
  readMode: "auto" | "concurrent" = "auto",
): Promise<StorageManagerGroup> {
  const indexed = await StorageManagerGroup.load(name, { dataFolder, readMode });
  const plain = await StorageManagerGroup.load(name, { dataFolder, index: false });
  const view = (g: StorageManagerGroup) => ({
    table: g.toTable(),
    run: g.toTable(undefined, { section: "Run" }),
    errors: g.errors.map((e) => e.path),
  });
  assertEquals(view(indexed), view(plain));
  return indexed;
}

/** Runs of a group that has sweepstore's bookkeeping folder (as a sweep's has): it gets an index. */
export async function makeSweepGroup(dataFolder: string, name: string, n: number): Promise<void> {
  await Deno.mkdir(sweepstoreFolder(dataFolder, name), { recursive: true });
  for (let i = 0; i < n; i++) {
    await StorageManager.create(name, {
      dataFolder,
      params: { Parameters: { k: i, score: 0.5 }, Run: { status: "done" } },
    });
  }
}
