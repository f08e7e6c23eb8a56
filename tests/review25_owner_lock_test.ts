// Session 25's review of the owner locks (runner/claims.ts): a file where the group's
// `.sweepstore/owners` folder should be. `sweepstore run` said only "File exists (os error 17): mkdir …",
// with no fix; now it names the folder and says to move the file away. Real processes: the CLI, its slots.
import { assert, assertEquals } from "./_assert.ts";
import { cli, withTempDir } from "./_helpers.ts";

Deno.test("a file where the owners folder should be: sweepstore run names it and the fix", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/sim.ts`,
      "export function simulate(p) { return { score: p.x }; }\n",
    );
    const data = `${dir}/Data`;
    const owners = `${data}/StorageManager/F/.sweepstore/owners`;
    await Deno.mkdir(`${data}/StorageManager/F/.sweepstore`, { recursive: true });
    await Deno.writeTextFile(owners, "not a folder");
    const out = await cli([
      "run",
      `${dir}/sim.ts`,
      "--name",
      "F",
      "--grid",
      "x=1,2",
      "-j",
      "2",
      "--data",
      data,
      "--no-progress",
    ]);
    assertEquals(out.code, 1, out.stdout + out.stderr);
    assert(out.stderr.includes(`a file is where the folder ${owners} should be`), out.stderr);
    assert(out.stderr.includes("move away a file"), out.stderr);
    assert(!/\n\s+at /.test(out.stderr), `a stack trace: ${out.stderr}`);
    assertEquals(await Deno.readTextFile(owners), "not a folder"); // left as it was
  });
});
