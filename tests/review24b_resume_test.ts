// Session 24's review (b) as a hostile user: a point's identity on resume. A bigint was keyed by its digits
// as a string, so `--resume` with the text '12345678901234567890' (a string parameter) found the point of
// the integer 12345678901234567890 done and never ran it. Real processes: the CLI and its slots; Python's
// configparser reads what each run stored.
import { assertEquals } from "./_assert.ts";
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
