/**
 * The group index of format 2 stays never stale where it saves the most: while the group folder's stamp is
 * unchanged its listing comes from the index, yet a run folder added, renamed or given its first
 * `config.ini` (which does not touch the group folder) is seen; columns are parsed on first use, and one
 * damaged after its header was checked is read again from the run folders; an index of format 1 is
 * ignored and rewritten. Every load is compared with one that reads every file.
 */
import { assert, assertEquals } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { RACY_MARGIN_MS, readIndex } from "../src/group/_index_file.ts";
import { groupFolder, groupIndexFile } from "../src/layout.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { loadGroupColumns } from "../src/group/index_columns.ts";
import { bothWays, makeSweepGroup } from "./_index_review.ts";

const settle = () => new Promise((r) => setTimeout(r, RACY_MARGIN_MS + 1100));

/** Loads until the index records the group folder's stamp (the folder must be settled first). */
async function settledIndex(dataFolder: string, name: string) {
  await settle();
  await bothWays(dataFolder, name);
  const index = readIndex(groupIndexFile(dataFolder, name));
  assert(index?.head.group, "the settled group folder's stamp is recorded");
  return index!.head;
}

const groupStamp = (path: string) => {
  const s = Deno.statSync(path);
  return [s.ino, s.mtime?.getTime(), s.ctime?.getTime()];
};

Deno.test("with the group folder unchanged, its listing comes from the index and every change is still seen", async () => {
  await withTempDir(async (dataFolder) => {
    await makeSweepGroup(dataFolder, "G", 4);
    const group = groupFolder(dataFolder, "G");
    await settledIndex(dataFolder, "G");
    let g = await bothWays(dataFolder, "G");
    assertEquals([g.indexUse.fromIndex, g.indexUse.read, g.indexUse.written], [4, 0, false]);

    // A folder without config.ini yet (a run being made): an extra folder of the index.
    await Deno.mkdir(`${group}/G9`);
    assertEquals((await bothWays(dataFolder, "G")).length, 4);
    const head = await settledIndex(dataFolder, "G");
    assertEquals(head.extra, ["G9"]);
    // Its config.ini appears: the group folder's stamp does not move, only the stat of G9/config.ini shows it.
    const before = groupStamp(group);
    await python(
      "import sys\nopen(sys.argv[1], 'w').write('[Parameters]\\nk = 9\\nscore = 0.25\\n')",
      [`${group}/G9/config.ini`],
    );
    assertEquals(groupStamp(group), before);
    g = await bothWays(dataFolder, "G");
    assertEquals(g.getParamList("k"), [0, 1, 2, 3, 9]);

    // A run added, one renamed and one edited in place, each after a settled index.
    await settledIndex(dataFolder, "G");
    await Deno.mkdir(`${group}/G10`);
    await Deno.writeTextFile(`${group}/G10/config.ini`, "[Parameters]\nk = 10\n");
    assertEquals((await bothWays(dataFolder, "G")).getParamList("k"), [0, 1, 2, 3, 9, 10]);
    await settledIndex(dataFolder, "G");
    await Deno.rename(`${group}/G2`, `${group}/G7`);
    assertEquals((await bothWays(dataFolder, "G")).runs.map((sm) => sm.name), [
      "G1",
      "G3",
      "G4",
      "G7",
      "G9",
      "G10",
    ]);
    await settledIndex(dataFolder, "G");
    await python(
      "import sys\np = sys.argv[1]\nt = open(p).read().replace('score = 0.5', 'score = 0.7')\nopen(p, 'w').write(t)",
      [`${group}/G3/config.ini`],
    );
    g = await bothWays(dataFolder, "G");
    assertEquals(g.indexUse.read, 1);
    assertEquals(g.getParamList("score"), [0.5, 0.7, 0.5, 0.5, 0.25, null]);

    // ls's columns see the same through the index.
    const { names, cells } = await loadGroupColumns("G", [["Parameters", "score"]], { dataFolder });
    assertEquals(names, ["G1", "G3", "G4", "G7", "G9", "G10"]);
    assertEquals(cells[0], ["0.5", "0.7", "0.5", "0.5", "0.25", null]);
  });
});

Deno.test("a column damaged after the header was checked is read again from the run folders", async () => {
  await withTempDir(async (dataFolder) => {
    await makeSweepGroup(dataFolder, "D", 3);
    await settledIndex(dataFolder, "D");
    const file = groupIndexFile(dataFolder, "D");
    const text = await Deno.readTextFile(file);
    // The same length, so every line still ends where the header says; the first column is no JSON now.
    await Deno.writeTextFile(file, `{${text.slice(1)}`);
    const g = await bothWays(dataFolder, "D");
    assertEquals(g.indexUse.fromIndex, 3); // the header was good: the runs came from the index…
    assertEquals(g.getParamList("k"), [0, 1, 2]); // …and their values from the run folders
    assertEquals(g.toTable(undefined, { section: "Run" }).rows.length, 3);
  });
});

Deno.test("an index of format 1 (header first) is ignored and rewritten", async () => {
  await withTempDir(async (dataFolder) => {
    await makeSweepGroup(dataFolder, "V", 2);
    await settle();
    const file = groupIndexFile(dataFolder, "V");
    // What format 1 wrote: a header line, then one line per column (here one with other values).
    const v1 = [
      JSON.stringify({
        format: "sweepstore-group-index",
        version: 1,
        names: ["V1", "V2"],
        stamps: [null, null],
        shapes: [[["Parameters", ["k"]]]],
        shapeIds: [0, 0],
        columns: [["Parameters", "k"]],
      }),
      JSON.stringify(["7", "8"]),
      "",
    ].join("\n");
    await Deno.writeTextFile(file, v1);
    const g = await bothWays(dataFolder, "V");
    assertEquals([g.indexUse.read, g.indexUse.written], [2, true]);
    assertEquals(g.getParamList("k"), [0, 1]);
    assert(readIndex(file) !== undefined);
  });
});

Deno.test("runs made on demand fill their parameters on first use and behave as loaded ones", async () => {
  await withTempDir(async (dataFolder) => {
    await makeSweepGroup(dataFolder, "Z", 3);
    const g = await StorageManagerGroup.load("Z", { dataFolder });
    const [a, b] = g.query("k>=1");
    assertEquals([a.name, a.param("k"), a.paramKeys(), a.sections()], [
      "Z2",
      1,
      ["time", "k", "score"],
      ["Parameters", "Run"],
    ]);
    await b.saveParam("score", 3); // reads and rewrites the file under its lock
    assertEquals((await StorageManager.open(b.path)).param("score"), 3);
    assertEquals(b.param("k"), 2);
    await g.reloadRun(b);
    assertEquals(g.getParamList("score"), [0.5, 0.5, 3]);
  });
});

Deno.test("files written into the group folder (a summary) get the index a new header over the same column lines", async () => {
  await withTempDir(async (dataFolder) => {
    await makeSweepGroup(dataFolder, "S", 5);
    const group = groupFolder(dataFolder, "S");
    const before = await settledIndex(dataFolder, "S");
    const file = groupIndexFile(dataFolder, "S");
    const columnBytes = () => {
      const bytes = Deno.readFileSync(file);
      return bytes.subarray(0, bytes.lastIndexOf(10, bytes.length - 2) + 1);
    };
    const columns = columnBytes();
    await Deno.writeTextFile(`${group}/summary.csv`, "run\n"); // the group folder's stamp moves
    await Deno.writeTextFile(`${group}/S2/config.ini`, "[Parameters]\nk = 22\n"); // and a run changes
    await settle();
    let g = await bothWays(dataFolder, "S");
    assertEquals([g.indexUse.read, g.indexUse.written], [1, true]); // a changed run: a full rewrite
    const mid = await settledIndex(dataFolder, "S"); // recorded the folder's stamp
    const rewritten = columnBytes();
    assert(rewritten.length !== columns.length, "S2's new value went into its column");
    await Deno.writeTextFile(`${group}/report.html`, "<p>"); // now the folder's stamp alone moves
    await settle();
    g = await bothWays(dataFolder, "S");
    assertEquals([g.indexUse.fromIndex, g.indexUse.read, g.indexUse.written], [5, 0, true]);
    const after = readIndex(file)!.head;
    assertEquals(columnBytes(), rewritten, "the column lines are copied as they were");
    const { group: _g1, ...midRest } = mid;
    const { group: newStamp, ...afterRest } = after;
    assertEquals(afterRest, midRest, "only the group folder's stamp differs");
    assertEquals([newStamp![0], newStamp![2], newStamp![3]], groupStamp(group));
    assert(before.group && newStamp![2] !== before.group[2]);
    g = await bothWays(dataFolder, "S");
    assertEquals([g.indexUse.fromIndex, g.indexUse.read, g.indexUse.written], [5, 0, false]);
    assertEquals(g.getParamList("k"), [0, 22, 2, 3, 4]);
  });
});
