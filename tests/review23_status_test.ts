// Session 23's review of issue 8 as a hostile user: `sweepstore status` on a hand-edited group. Before,
// status counted only the run folders it could read and said nothing of the others: a group of 4 run
// folders, 2 of them with a corrupt config.ini (or a folder in its place), was "2 runs (2 done)", while
// `report` named the skipped files. Now status names each skipped folder on stderr (as report does) and
// says how many were not counted; a group whose every run folder is unreadable is no longer "no runs
// found". Real processes: the CLI runs the sweep, the folders are damaged by hand.
import { assert, assertEquals } from "./_assert.ts";
import { cli, withTempDir } from "./_helpers.ts";

Deno.test("status: run folders whose config.ini cannot be read are named and counted apart", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = (p) => ({ score: p.n });\n");
    const ran = await cli(
      ["run", "sim.ts", "--name", "Hand", "--grid", "n=1,2,3,4", "-j", "1", "--no-progress"],
      dir,
    );
    assertEquals(ran.code, 0, ran.stderr);
    const group = `${dir}/Data/StorageManager/Hand`;
    const runs = [...Deno.readDirSync(group)].filter((e) => /^Hand\d+$/.test(e.name))
      .map((e) => e.name).sort();
    assertEquals(runs.length, 4);
    await Deno.writeTextFile(`${group}/${runs[0]}/config.ini`, "\u0000garbage\n[[[\n");
    await Deno.remove(`${group}/${runs[1]}/config.ini`);
    await Deno.mkdir(`${group}/${runs[1]}/config.ini`);
    const res = await cli(["status", "Hand"], dir);
    assertEquals(res.code, 0, res.stderr);
    assert(res.stdout.startsWith("Hand: 2 runs (2 done)"), res.stdout);
    assert(res.stdout.includes("not counted: 2 run folders"), res.stdout);
    for (const r of runs.slice(0, 2)) assert(res.stderr.includes(`${r}/config.ini`), res.stderr);

    // every run folder unreadable: still this group's status, not "no runs found" (exit 2)
    for (const r of runs.slice(2)) await Deno.writeTextFile(`${group}/${r}/config.ini`, "junk\n");
    const all = await cli(["status", "Hand"], dir);
    assertEquals(all.code, 0, all.stderr);
    assertEquals(
      all.stdout,
      "Hand: 0 runs\nnot counted: 4 run folders whose config.ini could not be read\n",
    );
  });
});
