/**
 * `runSectionsOf(group)` (runner/run_record.ts) gives every run's `readRunSection` record from the group's
 * columns: the same object for odd `[Run]` sections (wrong types, unknown states, unreadable values, bigints,
 * parents, a numeric slurm_job, no section), in the group's current order, and over replaced `runs`.
 */
import { join } from "node:path";
import { assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { StorageManager, StorageManagerGroup } from "../mod.ts";
import { readRunSection, runSectionsOf } from "../runner/mod.ts";
import { collectReport } from "../src/report_html/_report_data.ts";

const RUN_TEXTS = [
  "[Run]\nstatus = done\nattempt = 1\nseed = 12345678901234567890\nstarted = 2026-11-30T21:06:05.745Z\n",
  "[Run]\nstatus = weird\nreason = nonsense\nindex = x\nrepeat = 2.5\nparents = [1, 2]\nslurm_job = 77\n",
  "[Run]\nstatus = failed\nreason = exit\nexit_code = 3\nerror = 'two\\nlines'\nparents = [1, 'a']\n",
  "[Run]\nstatus = [unclosed\nduration_s = 1.5e-05\nhost = node1\ngit_commit = abc\n",
  "",
  "[Run]\nstatus = interrupted\nreason = interrupted\nsignal = SIGTERM\nfinished = 2026-01-01T00:00:00Z\n",
];

Deno.test("runSectionsOf reads every run's record as readRunSection does", async () => {
  await withTempDir(async (dir) => {
    const dataFolder = join(dir, "Data");
    for (let k = 0; k < 300; k++) {
      const sm = await StorageManager.create("RS", { dataFolder, params: { Parameters: { k } } });
      const text = RUN_TEXTS[k % RUN_TEXTS.length].replace("attempt = 1", `attempt = ${k}`);
      await Deno.writeTextFile(join(sm.path, "config.ini"), `[Parameters]\nk = ${k}\n${text}`);
    }
    const group = await StorageManagerGroup.load("RS", { dataFolder });
    assertEquals(group.length, 300);
    group.sortBy("k", { descending: true });
    const expected = Array.from({ length: group.length }, (_, i) => readRunSection(group.at(i)!));
    const recordAt = runSectionsOf(group);
    assertEquals(Array.from({ length: group.length }, (_, i) => recordAt(i)), expected);
    assertEquals(expected[299].attempt, 0);
    assertEquals(expected.filter((r) => r.slurm_job === "77").length, 50);
    // a caller's replaced runs: read through them
    group.runs.reverse();
    const replaced = runSectionsOf(group);
    assertEquals(replaced(0), readRunSection(group.runs[0]));
    assertEquals(replaced(299), expected[0]);
  });
});

Deno.test("the report's data through runRecords (facts from four fields of unlisted runs) equals runRecord's", async () => {
  await withTempDir(async (dir) => {
    const dataFolder = join(dir, "Data");
    for (let k = 0; k < 40; k++) {
      const sm = await StorageManager.create("RR", { dataFolder, params: { Parameters: { k } } });
      const status = ["done", "failed", "weird", "interrupted"][k % 4];
      const run =
        `[Run]\nstatus = ${status}\nreason = exit\nstarted = 2026-01-0${1 + (k % 9)}T00:00:00Z\n` +
        (k % 5 ? `finished = 2026-02-${10 + (k % 19)}T00:00:00.000Z\n` : "") +
        (k % 7 === 0 ? `git_commit = c${k % 3}\n` : "") + `attempt = ${k}\n`;
      await Deno.writeTextFile(
        join(sm.path, "config.ini"),
        `[Parameters]\nk = ${k}\nscore = ${k % 13}\n${run}`,
      );
    }
    const group = await StorageManagerGroup.load("RR", { dataFolder });
    const options = { reportDir: dir, objective: "score", goal: "maximize" as const, maxRuns: 7 };
    const perRun = await collectReport(group, { ...options, runRecord: readRunSection });
    const columns = await collectReport(group, {
      ...options,
      runRecord: readRunSection,
      runRecords: runSectionsOf,
    });
    assertEquals(columns.facts, perRun.facts);
    assertEquals(columns.runs.record, perRun.runs.record);
    assertEquals(columns.runs.name, perRun.runs.name);
    assertEquals(columns.facts.commits.length, 3);
  });
});
