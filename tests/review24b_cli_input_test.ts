// Session 24's review (b) as a hostile user: bad command lines end in exit 2 with one line naming the
// option and the fix. Real processes: the CLI over a sweep it ran.
import { assert, assertEquals } from "./_assert.ts";
import { cli, withTempDir } from "./_helpers.ts";

Deno.test("report --section that no run has (a typo, another case): exit 2 naming it, not an empty table", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = () => 1;\n");
    const data = `${dir}/Data`;
    const sweep = await cli([
      "run",
      `${dir}/sim.ts`,
      "--name",
      "S",
      "--grid",
      "n=1,2",
      "--data",
      data,
    ]);
    assertEquals(sweep.code, 0, sweep.stderr);
    for (const section of ["run", "Parameter", "Nope"]) {
      for (const format of [[], ["--csv"], ["--json"]]) {
        const res = await cli(["report", "S", "--section", section, ...format, "--data", data]);
        assertEquals(res.code, 2, `${section} ${format}: ${res.stdout}${res.stderr}`);
        assertEquals(res.stdout, "");
        assert(res.stderr.startsWith(`sweepstore: --section ${section}: `), res.stderr);
        assert(res.stderr.includes("case-sensitive"), res.stderr);
        assertEquals(res.stderr.trim().split("\n").length, 1, res.stderr);
      }
    }
    const ok = await cli([
      "report",
      "S",
      "--section",
      "Run",
      "--columns",
      "status",
      "--data",
      data,
    ]);
    assertEquals(ok.code, 0, ok.stderr);
    assertEquals(ok.stdout.split("\n").filter((l) => l.includes("done")).length, 2, ok.stdout);
  });
});
