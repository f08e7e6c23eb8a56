// Session 24's review (b) as a hostile user: lists and objects in table cells. summary.csv, `report --csv`,
// `report --json`, `smg.toTable()` and `aggregateTable` wrote a list or object parameter with
// `JSON.stringify`: NaN and Infinity inside became `null`, -0 became `0`, and an integer past 2**53 (a
// bigint) threw "Do not know how to serialize a BigInt": a sweep over such a list wrote no summary at all
// (exit 1), and `report` of such a group exited 2 as if the command line were wrong. runs.csv already kept
// them (Python's JSON dialect, as summary.json). Real processes: a sweep with its slots, the CLI, Python.
import { assert, assertEquals } from "./_assert.ts";
import { cli, python, withTempDir } from "./_helpers.ts";
import { runSweep } from "../runner/mod.ts";
import { aggregateTable, StorageManagerGroup } from "../mod.ts";

const SIM = `export const simulate = () => ({ score: 1, res: [NaN, -0, Infinity, 2n ** 70n] });\n`;

// Each cell read as Python reads it: pandas reads the CSV, Python's json the cell (NaN, Infinity, -0.0
// and big integers are JSON to Python); numbers as their repr, exact.
const READ_CELLS = `
import json, math, sys
import pandas as pd
def show(v):
    if isinstance(v, list): return [show(x) for x in v]
    if isinstance(v, float) and v == 0: return "-0.0" if math.copysign(1, v) < 0 else "0.0"
    if isinstance(v, float) and math.isnan(v): return "nan"
    return repr(v)  # ints as their digits (exact past 2**53)
out = {}
for name, column in zip(sys.argv[1::2], sys.argv[2::2]):
    if name.endswith(".json"):
        cells = [row[column] for row in json.load(open(name))]
    else:
        cells = list(pd.read_csv(name, dtype=str, keep_default_na=False)[column])
    out[name.rsplit("/", 1)[-1] + ":" + column] = sorted((show(json.loads(c)) for c in cells), key=str)
print(json.dumps(out))
`;

Deno.test("lists with NaN, ±inf, -0 and big integers keep them in summary.csv, report --csv/--json and tables", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, SIM);
    const dataFolder = `${dir}/Data`;
    const result = await runSweep({
      name: "L",
      dataFolder,
      simulation: `${dir}/sim.ts`,
      grid: { x: [[12345678901234567890n], [NaN, -0]] },
      repeats: 2,
      concurrency: 1,
    });
    assertEquals(result.runs.map((r) => r.status), ["done", "done", "done", "done"]);
    const group = `${dataFolder}/StorageManager/L`;
    // summary.csv was not written at all ("Do not know how to serialize a BigInt")
    const csv = await cli(["report", "L", "--csv", "-o", `${dir}/r.csv`, "--data", dataFolder]);
    assertEquals(csv.code, 0, csv.stderr);
    const json = await cli(["report", "L", "--json", "-o", `${dir}/r.json`, "--data", dataFolder]);
    assertEquals(json.code, 0, json.stderr);
    const cells = JSON.parse(
      await python(READ_CELLS, [
        ...[`${group}/summary.csv`, "x", `${group}/runs.csv`, "x", `${group}/runs.csv`, "res"],
        ...[
          `${dir}/r.csv`,
          "x",
          `${dir}/r.csv`,
          "res",
          `${dir}/r.json`,
          "x",
          `${dir}/r.json`,
          "res",
        ],
      ], "/usr/bin/python3"), // Debian's python3 has pandas (CI's python3 on PATH may not)
    );
    const x2 = [["12345678901234567890"], ["nan", "-0.0"]];
    const x4 = [x2[0], x2[0], x2[1], x2[1]];
    const res = Array(4).fill(["nan", "-0.0", "inf", "1180591620717411303424"]);
    assertEquals(cells, {
      "summary.csv:x": x2,
      "runs.csv:x": x4,
      "runs.csv:res": res,
      "r.csv:x": x4,
      "r.csv:res": res,
      "r.json:x": x4,
      "r.json:res": res,
    });

    const smg = await StorageManagerGroup.load("L", { dataFolder });
    const table = smg.toTable(["x", "res"]);
    assert(
      table.rows.every((r) => r[2] === "[NaN,-0.0,Infinity,1180591620717411303424]"),
      JSON.stringify(table.rows, (_k, v) => typeof v === "bigint" ? String(v) : v),
    );
    const agg = aggregateTable(smg.aggregate({ values: ["score"] }));
    assertEquals(agg.rows.map((r) => r[0]).sort(), ["[12345678901234567890]", "[NaN,-0.0]"]);
  });
});
