// Session 24's review (b) as a hostile user: values given on the command line reach the simulation and
// config.ini as written. `--grid x=[1, 2],[3,4]` (the help lists `[1, 2]` and `'text'` as values) was split
// at every comma: four runs with the strings '[1', ' 2]', '[3' and '4]'; `'a,b'` became two strings with a
// quote each. Real processes: the CLI runs the sweep, Python's configparser and ast read the run folders.
import { assertEquals } from "./_assert.ts";
import { cli, python, withTempDir } from "./_helpers.ts";

const READ_POINTS = `
import ast, configparser, json, os, sys
group = sys.argv[1]
points = []
for run in sorted(os.listdir(group)):
    ini = os.path.join(group, run, "config.ini")
    if not os.path.isfile(ini):
        continue
    cp = configparser.ConfigParser()
    cp.read(ini)
    p = cp["Parameters"]
    points.append({k: ast.literal_eval(p[k]) if p[k][:1] in "[{('\\"" else p[k] for k in ("x", "y")})
print(json.dumps(sorted(points, key=json.dumps)))
`;

Deno.test("--grid and --point values that are lists, dicts or quoted text with commas stay whole", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = () => 1;\n");
    const data = `${dir}/Data`;
    const grid = await cli([
      ...["run", `${dir}/sim.ts`, "--name", "G", "--data", data, "--no-progress"],
      ...["--grid", "x=[1, 2],[3,4]", "--grid", "y='a,b',{'k': [5, 6]}"],
    ]);
    assertEquals(grid.code, 0, grid.stderr);
    assertEquals(JSON.parse(await python(READ_POINTS, [`${data}/StorageManager/G`])), [
      { x: [1, 2], y: "a,b" },
      { x: [1, 2], y: { k: [5, 6] } },
      { x: [3, 4], y: "a,b" },
      { x: [3, 4], y: { k: [5, 6] } },
    ]);

    const point = await cli([
      ...["run", `${dir}/sim.ts`, "--name", "P", "--data", data, "--no-progress"],
      ...["--point", "x=[7, 8],y='c,d'", "--point", "y=(1, 2),x=9"],
    ]);
    assertEquals(point.code, 0, point.stderr);
    assertEquals(JSON.parse(await python(READ_POINTS, [`${data}/StorageManager/P`])), [
      { x: "9", y: [1, 2] },
      { x: [7, 8], y: "c,d" },
    ]);
  });
});

Deno.test("values after ', ' are read as config.ini reads them, their surrounding spaces stripped", async () => {
  await withTempDir(async (dir) => {
    // `x=[1, 2], [3, 4]` gave the list [1, 2] and the text " [3, 4]"; `'a', 'b'` the text " 'b'" with
    // its quotes: configparser strips a value's spaces, so a list or quoted text after ", " was text.
    await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = () => 1;\n");
    const data = `${dir}/Data`;
    const res = await cli([
      ...["run", `${dir}/sim.ts`, "--name", "G", "--data", data, "--no-progress"],
      ...["--grid", "x=[1, 2], [3, 4]", "--grid", "y='a', 'b', c, ' d '"],
    ]);
    assertEquals(res.code, 0, res.stderr);
    const points: { x: unknown; y: unknown }[] = JSON.parse(
      await python(READ_POINTS, [`${data}/StorageManager/G`]),
    );
    assertEquals(new Set(points.map((p) => JSON.stringify(p.x))), new Set(["[1,2]", "[3,4]"]));
    assertEquals(new Set(points.map((p) => p.y)), new Set(["a", "b", "c", " d "]));
  });
});
