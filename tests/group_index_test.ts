/**
 * The group index (`.sweepstore/group_index.jsonl`) is never stale: runs changed by Python's configparser in
 * place, added by hand or deleted are seen; a corrupt or deleted index loses nothing; two processes loading
 * and writing at once leave a correct index. Every check compares against a load that reads every file.
 */
import { assert, assertEquals } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { RACY_MARGIN_MS, readIndex } from "../src/group/_index_file.ts";
import { groupFolder, groupIndexFile } from "../src/layout.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { INDEX_MIN_RUNS } from "../src/group/_index_load.ts";
import { loadGroupColumns } from "../src/group/index_columns.ts";
import { bothWays, makeSweepGroup } from "./_index_review.ts";

/** Lets every file written so far age past the racy margin (ctime is whole seconds in Deno). */
const settle = () => new Promise((r) => setTimeout(r, RACY_MARGIN_MS + 1100));

const CONFIGPARSER_EDIT = `
import configparser, sys
c = configparser.ConfigParser()
c.read(sys.argv[1])
c.set(sys.argv[2], sys.argv[3], sys.argv[4])
with open(sys.argv[1], 'w') as f:  # in place, as PymoNNto saves: same inode, no rename
    c.write(f)
`;

Deno.test("the index is used for unchanged runs and sees every change made by others", async () => {
  await withTempDir(async (dataFolder) => {
    await makeSweepGroup(dataFolder, "I", 5);
    const group = groupFolder(dataFolder, "I");
    let g = await bothWays(dataFolder, "I"); // writes the index; the new files are too recent to trust
    assertEquals([g.indexUse.read, g.indexUse.written], [5, true]);
    await settle();
    g = await bothWays(dataFolder, "I");
    assertEquals([g.indexUse.read, g.indexUse.written], [5, true]); // now trusted
    g = await bothWays(dataFolder, "I");
    assertEquals([g.indexUse.fromIndex, g.indexUse.read, g.indexUse.written], [5, 0, false]);

    // configparser rewrites I3 in place, same size (0.5 → 0.7): seen, and only that file is read.
    await python(CONFIGPARSER_EDIT, [`${group}/I3/config.ini`, "Parameters", "score", "0.7"]);
    g = await bothWays(dataFolder, "I");
    assertEquals(g.indexUse.read, 1);
    assertEquals(g.getParamList("score"), [0.5, 0.5, 0.7, 0.5, 0.5]);

    // A run added by hand, one deleted, one renamed.
    await Deno.mkdir(`${group}/I9`);
    await Deno.writeTextFile(`${group}/I9/config.ini`, "[Parameters]\nk = 9\nscore = 1.5\n");
    await Deno.remove(`${group}/I2`, { recursive: true });
    await Deno.rename(`${group}/I5`, `${group}/I7`);
    g = await bothWays(dataFolder, "I");
    assertEquals(g.runs.map((sm) => sm.name), ["I1", "I3", "I4", "I7", "I9"]);
    assertEquals(g.getParamList("k"), [0, 2, 3, 4, 9]);
  });
});

Deno.test("a run changed again in the second it was indexed is still seen (racy entries are not trusted)", async () => {
  await withTempDir(async (dataFolder) => {
    await makeSweepGroup(dataFolder, "R", 2);
    await settle();
    const file = `${groupFolder(dataFolder, "R")}/R1/config.ini`;
    await python(CONFIGPARSER_EDIT, [file, "Parameters", "score", "0.1"]);
    await bothWays(dataFolder, "R"); // indexes R1 right after its change
    // Same size, same second, and the mtime put back (a file system with a coarse clock, or a write within
    // the same tick): only ctime moved, within the same second. Trusting R1's fresh entry would miss it.
    await python(
      `import os, sys\nst = os.stat(sys.argv[1])\n${CONFIGPARSER_EDIT}\nos.utime(sys.argv[1], ns=(st.st_atime_ns, st.st_mtime_ns))`,
      [file, "Parameters", "score", "0.2"],
    );
    const g = await bothWays(dataFolder, "R");
    assertEquals(g.getParamList("score"), [0.2, 0.5]);
    // The same through the concurrent stat pass.
    await python(CONFIGPARSER_EDIT, [file, "Parameters", "score", "0.3"]);
    assertEquals((await bothWays(dataFolder, "R", "concurrent")).getParamList("score"), [0.3, 0.5]);
  });
});

Deno.test("a corrupt, foreign, truncated or deleted index is ignored and rebuilt", async () => {
  await withTempDir(async (dataFolder) => {
    await makeSweepGroup(dataFolder, "C", 3);
    await settle();
    await bothWays(dataFolder, "C");
    const file = groupIndexFile(dataFolder, "C");
    const good = await Deno.readTextFile(file);
    assert(readIndex(file) !== undefined);
    const lines = good.split("\n");
    const bad = [
      "not json at all",
      "{}\n[]",
      good.slice(0, Math.floor(good.length / 2)), // truncated
      good.replace(/"names":\["C1"/, '"names":["C9"'), // a name the columns do not fit
      [lines[0], '["0.5"]', ...lines.slice(2)].join("\n"), // a column of the wrong length
      good.replace(/"version":\d+/, '"version":99'), // another version (its checksum no longer fits either)
    ];
    for (const text of bad) {
      await Deno.writeTextFile(file, text);
      const g = await bothWays(dataFolder, "C");
      assertEquals(g.length, 3);
      assertEquals(g.indexUse.written, true, text.slice(0, 40));
    }
    await Deno.remove(file);
    assertEquals((await bothWays(dataFolder, "C")).length, 3);
    // A temporary file left by a writer that crashed is not an index and not a run.
    const crashed = `${file.slice(0, file.lastIndexOf("/"))}/.sweepstore-tmp-crashed-index`;
    await Deno.writeTextFile(crashed, "{half");
    assertEquals((await bothWays(dataFolder, "C")).length, 3);
    // …and once untouched for an hour, the next index written removes it (a recent one may be live).
    assert(await Deno.stat(crashed).then(() => true, () => false));
    const old = new Date(Date.now() - 2 * 3_600_000);
    await Deno.utime(crashed, old, old);
    await Deno.remove(file);
    await bothWays(dataFolder, "C");
    assertEquals(await Deno.stat(crashed).then(() => true, () => false), false);
  });
});

const RACER = `
import { StorageManager } from "${new URL("../src/run/storage_manager.ts", import.meta.url).href}";
import { StorageManagerGroup } from "${new URL("../src/group/group.ts", import.meta.url).href}";
const [dataFolder, who, rounds] = Deno.args;
for (let i = 0; i < Number(rounds); i++) {
  const g = await StorageManagerGroup.load("P", { dataFolder });
  await StorageManager.create("P", { dataFolder, params: { Parameters: { who, i } } });
  await g.at(i % g.length)!.saveParam(\`seen_\${who}\`, i);
}
`;

Deno.test("two processes loading, adding and changing runs at once leave a correct index", async () => {
  await withTempDir(async (dataFolder) => {
    await makeSweepGroup(dataFolder, "P", 4);
    const script = `${dataFolder}/racer.ts`;
    await Deno.writeTextFile(script, RACER);
    const racer = (who: string) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-read",
          "--allow-write",
          `--config=${new URL("../deno.json", import.meta.url).pathname}`,
          script,
          dataFolder,
          who,
          "25",
        ],
      }).output();
    const [a, b] = await Promise.all([racer("a"), racer("b")]);
    assertEquals(
      [a.code, b.code],
      [0, 0],
      new TextDecoder().decode(a.stderr) + new TextDecoder().decode(b.stderr),
    );
    assert(readIndex(groupIndexFile(dataFolder, "P")) !== undefined);
    const g = await bothWays(dataFolder, "P");
    assertEquals(g.length, 54);
    await settle();
    await bothWays(dataFolder, "P");
    assertEquals((await bothWays(dataFolder, "P")).indexUse.read, 0);
  });
});

Deno.test("ls's two columns come from the index, and a run changed since is read again", async () => {
  await withTempDir(async (dataFolder) => {
    await makeSweepGroup(dataFolder, "L", 4);
    const wanted = [["Run", "status"], ["Parameters", "k"]] as const;
    assertEquals((await loadGroupColumns("L", wanted, { dataFolder })).cells, [
      ["done", "done", "done", "done"],
      ["0", "1", "2", "3"],
    ]);
    await settle();
    await bothWays(dataFolder, "L"); // a settled index
    const file = `${groupFolder(dataFolder, "L")}/L2/config.ini`;
    await python(CONFIGPARSER_EDIT, [file, "Run", "status", "failed"]);
    await Deno.remove(`${groupFolder(dataFolder, "L")}/L4`, { recursive: true });
    const { names, cells } = await loadGroupColumns("L", wanted, { dataFolder });
    assertEquals(names, ["L1", "L2", "L3"]);
    assertEquals(cells[0], ["done", "failed", "done"]);
  });
});

Deno.test("a small plain group gets no index and no hidden folder; a big one does", async () => {
  await withTempDir(async (dataFolder) => {
    for (let i = 0; i < 3; i++) await StorageManager.create("S", { dataFolder });
    assertEquals((await StorageManagerGroup.load("S", { dataFolder })).indexUse.written, false);
    assertEquals([...Deno.readDirSync(groupFolder(dataFolder, "S"))].length, 3);
    for (let i = 0; i < INDEX_MIN_RUNS; i++) await StorageManager.create("B", { dataFolder });
    assertEquals((await StorageManagerGroup.load("B", { dataFolder })).indexUse.written, true);
  });
});

Deno.test("a load with read permission only works and writes no index", async () => {
  await withTempDir(async (dataFolder) => {
    for (let i = 0; i < INDEX_MIN_RUNS; i++) await StorageManager.create("RO", { dataFolder });
    const script = `${dataFolder}/ro.ts`;
    await Deno.writeTextFile(
      script,
      `import { StorageManagerGroup } from "${
        new URL("../src/group/group.ts", import.meta.url).href
      }";
const g = await StorageManagerGroup.load("RO", { dataFolder: Deno.args[0] });
console.log(JSON.stringify([g.length, g.indexUse.written]));`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        `--config=${new URL("../deno.json", import.meta.url).pathname}`,
        script,
        dataFolder,
      ],
      stdin: "null",
    }).output();
    assertEquals(new TextDecoder().decode(out.stdout).trim(), `[${INDEX_MIN_RUNS},false]`);
    assertEquals(
      [...Deno.readDirSync(groupFolder(dataFolder, "RO"))].some((e) => e.name.startsWith(".")),
      false,
    );
  });
});

Deno.test("runs made on demand: at(), iteration, query() and reloadRun() agree with runs", async () => {
  await withTempDir(async (dataFolder) => {
    await makeSweepGroup(dataFolder, "D", 3);
    const g = await StorageManagerGroup.load("D", { dataFolder });
    g.sortBy("k", { descending: true });
    assertEquals([...g].map((sm) => sm.name), ["D3", "D2", "D1"]);
    assertEquals(g.at(-1)?.param("k"), 0);
    assertEquals(g.at(3), undefined);
    assertEquals(g.query("k>=1").map((sm) => sm.path), [`${g.path}/D3`, `${g.path}/D2`]);
    await g.at(0)!.saveParam("score", 9);
    assertEquals(g.getParamList("score"), [0.5, 0.5, 0.5]); // the group's values are those read at load
    await g.reloadRun("D3");
    assertEquals(g.getParamList("score"), [9, 0.5, 0.5]);
    const runs = g.runs; // from now on the group reads through these objects
    assertEquals(runs.map((sm) => sm.name), ["D3", "D2", "D1"]);
    await runs[1].saveParam("score", 7);
    assertEquals(g.getParamList("score"), [9, 7, 0.5]);
    g.runs = g.query("score>1");
    assertEquals(g.getParamList("k"), [2, 1]);
  });
});
