// Session 23's review of issue 8 as a hostile user: "no lost run". A resume sweep's point claims
// (`.sweepstore/claims/`) remember the run folder that finished each point. When the user deleted that
// folder to run the point again (or a run was no longer `done`), `run --resume` said "1 to run", ran
// nothing, exited 0, and every later resume skipped the point too: it was lost for good. Now a claim
// counts only while its run folder still says `done`. Real processes: the CLI and its slots.
import { assertEquals } from "./_assert.ts";
import { cli, withTempDir } from "./_helpers.ts";

async function points(group: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of Deno.readDirSync(group)) {
    if (!/^Del\d+$/.test(e.name)) continue;
    const text = await Deno.readTextFile(`${group}/${e.name}/config.ini`);
    out.push(`${text.match(/^n = (\d+)$/m)![1]} ${text.match(/^status = (\w+)$/m)![1]}`);
  }
  return out.sort();
}

Deno.test("run --resume after a finished run's folder was deleted (or marked failed): the point runs again", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = (p) => ({ score: p.n });\n");
    const args = [
      "run",
      "sim.ts",
      "--name",
      "Del",
      "--grid",
      "n=1,2,3",
      "--resume",
      "--no-progress",
    ];
    const first = await cli(args, dir);
    assertEquals(first.code, 0, first.stderr);
    const group = `${dir}/Data/StorageManager/Del`;
    assertEquals(await points(group), ["1 done", "2 done", "3 done"]);
    for (const e of Deno.readDirSync(group)) {
      if (!/^Del\d+$/.test(e.name)) continue;
      const config = `${group}/${e.name}/config.ini`;
      const text = await Deno.readTextFile(config);
      if (/^n = 2$/m.test(text)) await Deno.remove(`${group}/${e.name}`, { recursive: true });
      if (/^n = 3$/m.test(text)) {
        await Deno.writeTextFile(config, text.replace("status = done", "status = failed"));
      }
    }
    const again = await cli(args, dir);
    assertEquals(again.code, 0, again.stderr);
    assertEquals(await points(group), ["1 done", "2 done", "3 done", "3 failed"]);
    // and once more: nothing is missing, nothing runs twice
    const third = await cli(args, dir);
    assertEquals(third.code, 0, third.stderr);
    assertEquals(await points(group), ["1 done", "2 done", "3 done", "3 failed"]);
  });
});
