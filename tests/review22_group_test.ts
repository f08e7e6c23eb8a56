/**
 * Review 22: hand-edited config.ini texts through a group loaded from its folders and from its index —
 * every [Run] record by runSectionsOf equals readRunSection's (odd sections, DEFAULT, duplicate keys, key
 * case, colons, continuation lines, underscores, signs, nan/inf, -0.0, 17+ digits), values and texts of
 * a parameter of formatParam's and hand-written decimals read back exactly, and queries and sorting on them.
 */
import { join } from "node:path";
import { assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { StorageManager, StorageManagerGroup } from "../mod.ts";
import { readRunSection, runSectionsOf } from "../runner/mod.ts";
import { loadRunTable } from "../src/group/_index_load.ts";
import { RACY_MARGIN_MS } from "../src/group/_index_file.ts";
import { groupFolder, groupIndexFile } from "../src/layout.ts";
import { formatParam, parseParam } from "../src/formats/params.ts";

const RUNS = [
  "[run]\nstatus = done\n",
  "[Run]\nSTATUS = done\nAttempt = 3\n",
  "[Run]\nstatus: failed\nreason: exit\nexit_code: 2\n",
  "[DEFAULT]\nstatus = failed\nseed = 7\n[Run]\nattempt = 1\n",
  "[Run]\nstatus = failed\nerror = line1\n  line2\nreason = exception\n",
  "[Run]\nattempt = 1_000\nseed = +5\nrepeat = 01\nindex = 1e-05\nduration_s = -0.0\nexit_code = nan\n",
  "[Run]\nattempt = 1e400\nseed = -1e400\nduration_s = 12345678901234567890\nindex = 0.1000000000000000055511151231257827\n",
  "[Run]\nstatus = done ; a comment\n; status = failed\n# x\n",
  "[Run]\nstatus = 'done'\nparents = [1.5e-05, -0.0]\nslurm_job = 1_2\nhost = 'node 1'\n",
  "[Run]\nstarted = 2026-11-30T21:06:05.745Z\nfinished = 2026-11-30T21:06:05.745+00:00\nduration_s = 1.0e+21\n",
  "[Run]\nstatus = timeout\nreason = timeout\nduration_s = inf\nattempt = -0\nrepeat = 2.0\n",
  "[Run]\nstatus = interrupted\nsignal = 15\nseed = 9007199254740993\nindex = -9007199254740993\n",
];
const LR = [
  "1e-05",
  "1.5e-05",
  "0.0001",
  "1e-4",
  "1.0",
  "01",
  "+1",
  "1_000",
  "nan",
  "-0",
  "-0.0",
  "1.0e+21",
  "1e+21",
  "0.30000000000000004",
  "0.1000000000000000055511151231257827",
  "9.999999999999999e-05",
  "5e-324",
  "-inf",
];

async function makeRuns(dataFolder: string): Promise<void> {
  for (let k = 0; k < 240; k++) {
    const sm = await StorageManager.create("H", { dataFolder });
    const lr = k < 200 ? formatParam(10 ** (-6 + (k % 97) / 20)) : LR[k % LR.length];
    await Deno.writeTextFile(
      join(sm.path, "config.ini"),
      `[Parameters]\nk = ${k}\nlr = ${lr}\n${RUNS[k % RUNS.length]}`,
    );
  }
}

function check(group: StorageManagerGroup, pass: string): void {
  assertEquals(group.length, 240, pass);
  for (const order of ["load", "sorted"]) {
    if (order === "sorted") group.sortBy("lr", { descending: true });
    const expected = Array.from({ length: group.length }, (_, i) => readRunSection(group.at(i)!));
    const recordAt = runSectionsOf(group);
    assertEquals(
      Array.from({ length: group.length }, (_, i) => recordAt(i)),
      expected,
      `${pass} ${order}`,
    );
  }
  // every lr text as in the file, its value parseParam's of it
  for (let i = 0; i < group.length; i++) {
    const sm = group.at(i)!;
    const text = Deno.readTextFileSync(join(sm.path, "config.ini")).split("\n")[2].slice(5);
    const got = group.getParamList("lr")[i];
    const want = parseParam(text);
    assertEquals(
      Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)),
      true,
      `${pass}: ${text} → ${String(got)}`,
    );
  }
  const small = group.query("lr < 1e-4").map((sm) => sm.param("lr"));
  const all = group.getParamList("lr").filter((v) => typeof v === "number" && v < 1e-4);
  assertEquals(small.length, all.length, pass);
}

Deno.test("hand-edited [Run] sections and lr texts: the same records and values from the folders and from the index", async () => {
  await withTempDir(async (dir) => {
    const dataFolder = join(dir, "Data");
    await makeRuns(dataFolder);
    await Deno.mkdir(join(groupFolder(dataFolder, "H"), ".sweepstore"), { recursive: true });
    check(await StorageManagerGroup.load("H", { dataFolder }), "folders");
    await new Promise((r) => setTimeout(r, RACY_MARGIN_MS + 1100));
    const path = groupFolder(dataFolder, "H");
    await loadRunTable(path, groupIndexFile(dataFolder, "H"), {});
    const { index } = await loadRunTable(path, groupIndexFile(dataFolder, "H"), {});
    assertEquals(index.fromIndex, 240);
    check(await StorageManagerGroup.load("H", { dataFolder }), "index");
  });
});
