// Session 24's review (b) as a hostile user: a point's identity on resume. A bigint was keyed by its digits
// as a string, so `--resume` with the text '12345678901234567890' (a string parameter) found the point of
// the integer 12345678901234567890 done and never ran it. Real processes: the CLI and its slots; Python's
// configparser reads what each run stored.
import { assert, assertEquals } from "./_assert.ts";
import { cli, python, withTempDir } from "./_helpers.ts";
import { pointKey } from "../runner/mod.ts";

const READ = `
import configparser, glob, json, os, sys
out = []
for f in glob.glob(os.path.join(sys.argv[1], "*", "config.ini")):
    c = configparser.ConfigParser(interpolation=None)
    c.read(f)
    out.append(c["Parameters"]["x"])
print(json.dumps(sorted(out)))
`;

Deno.test("resume: the string '12345678901234567890' is not the point of the integer 12345678901234567890", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = () => 1;\n");
    const data = `${dir}/Data`;
    const base = ["run", `${dir}/sim.ts`, "--name", "R", "--data", data, "--no-progress"];
    const first = await cli([...base, "--grid", "x=12345678901234567890"]);
    assertEquals(first.code, 0, first.stderr);
    const again = await cli([...base, "--grid", "x='12345678901234567890'", "--resume"]);
    assertEquals(again.code, 0, again.stderr);
    assertEquals(
      JSON.parse(await python(READ, [`${data}/StorageManager/R`])),
      ["'12345678901234567890'", "12345678901234567890"],
    );
    const third = await cli([
      ...base,
      "--grid",
      "x=12345678901234567890,'12345678901234567890'",
      "--resume",
    ]);
    assertEquals(third.code, 0, third.stderr);
    assertEquals(
      third.stderr.includes("2 of 2 runs already finished, 0 to run"),
      true,
      third.stderr,
    );
  });
});

Deno.test("pointKey: a bigint is its number when safe, else distinct from the string of its digits", () => {
  assertEquals(pointKey({ x: 5n }), pointKey({ x: 5 }));
  assertEquals(
    pointKey({ x: 12345678901234567890n }) === pointKey({ x: "12345678901234567890" }),
    false,
  );
  assertEquals(pointKey({ x: 5n }) === pointKey({ x: "5" }), false);
  assertEquals(pointKey({ x: [2n ** 64n] }), '{"x":[{"$bigint":"18446744073709551616"}]}');
});

const READ_RUNS = `
import configparser, glob, json, os, sys
out = []
for f in glob.glob(os.path.join(sys.argv[1], "*", "config.ini")):
    c = configparser.ConfigParser(interpolation=None)
    c.read(f)
    out.append([c["Parameters"]["x"], int(c["Run"]["repeat"]), int(c["Run"]["seed"]), c["Run"]["status"]])
print(json.dumps(sorted(out)))
`;

Deno.test("a point that comes twice (a grid value given twice, a repeated random draw) runs as further repeats", async () => {
  await withTempDir(async (dir) => {
    // Each occurrence was repeat 0 with the same seed: identical runs; with --resume all but one were
    // taken for runs of another live sweep: one run, exit 75.
    await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = () => 1;\n");
    const data = `${dir}/Data`;
    const base = ["run", `${dir}/sim.ts`, "--data", data, "--no-progress"];
    const random = [...base, "--name", "R", "--random", "x=int:1:1", "--samples", "3", "--resume"];
    const first = await cli(random);
    assertEquals(first.code, 0, first.stdout + first.stderr);
    const runs: [string, number, number, string][] = JSON.parse(
      await python(READ_RUNS, [`${data}/StorageManager/R`]),
    );
    assertEquals(runs.map(([x, repeat, , status]) => [x, repeat, status]), [
      ["1", 0, "done"],
      ["1", 1, "done"],
      ["1", 2, "done"],
    ]);
    assertEquals(new Set(runs.map((r) => r[2])).size, 3); // three seeds
    const again = await cli(random);
    assertEquals(again.code, 0, again.stderr);
    assert(again.stderr.includes("3 of 3 runs already finished, 0 to run"), again.stderr);

    const grid = await cli([...base, "--name", "G", "--grid", "x=1,1.0,2", "--repeats", "2"]);
    assertEquals(grid.code, 0, grid.stderr);
    const g: [string, number, number, string][] = JSON.parse(
      await python(READ_RUNS, [`${data}/StorageManager/G`]),
    );
    assertEquals(g.map(([x, repeat]) => `${x}#${repeat}`), [
      "1#0",
      "1#1",
      "1#2",
      "1#3",
      "2#0",
      "2#1",
    ]);
    assertEquals(new Set(g.map((r) => r[2])).size, 6);
  });
});
