// Session 23's review of issue 8 as a hostile user: bad command lines end in exit 2 with one line naming
// the option, before anything starts. `--data ''` was taken as the working directory: `run` made
// StorageManager/<name>/ beside the project's files (outside any Data folder) and exited 0, and the other
// commands read from there. Real processes: the CLI in a project folder.
import { assert, assertEquals } from "./_assert.ts";
import { cli, withTempDir } from "./_helpers.ts";

Deno.test("--data '' (or blanks) is refused by every command: exit 2 naming --data, no folder made", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = () => 1;\n");
    const commands = [
      ["run", "sim.ts", "--name", "E", "--grid", "n=1", "--no-progress"],
      ["status", "E"],
      ["report", "E"],
      ["ls"],
      ["plot", "E", "--x", "n", "--y", "score"],
      ["collect", "E"],
    ];
    for (const args of commands) {
      for (const data of ["", "  "]) {
        const res = await cli([...args, "--data", data], dir);
        assertEquals(res.code, 2, `${args[0]}: ${res.stdout}${res.stderr}`);
        assert(res.stderr.startsWith("sweepstore: --data is empty"), res.stderr);
        assertEquals(res.stderr.trim().split("\n").length, 1, res.stderr);
      }
    }
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["sim.ts"]);
  });
});
