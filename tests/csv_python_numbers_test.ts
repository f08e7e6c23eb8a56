/**
 * CSV numbers keep their value and sign through Python: `toCSV` (which writes runs.csv and summary.csv), read by
 * pandas (`read_csv`, whose type guessing made `-0` the integer 0 and JavaScript's `12345678901234567000`
 * — the text of the double 12345678901234567168 — an integer of another value) and by Python's `csv` +
 * `float()`, give back the very doubles the runs returned. Real Python (/usr/bin/python3 with pandas).
 */
import { assertEquals } from "./_assert.ts";
import { toCSV } from "../src/group/report.ts";
import { withTempDir } from "./_helpers.ts";

const PY = "/usr/bin/python3";

/** Column `x` of `csv` as pandas and as csv + float() read it: each value's `repr()` and its type. */
async function readByPython(
  csv: string,
  dir: string,
): Promise<{ pandas: string[]; plain: string[] }> {
  const file = `${dir}/t.csv`;
  await Deno.writeTextFile(file, csv);
  const script = [
    "import csv, json, sys, pandas",
    "df = pandas.read_csv(sys.argv[1])",
    "p = [f'{type(v).__name__}:{v!r}' for v in df['x'].tolist()]",
    "q = [repr(float(r['x'])) for r in csv.DictReader(open(sys.argv[1], newline=''))]",
    "print(json.dumps({'pandas': p, 'plain': q}))",
  ].join("\n");
  const out = await new Deno.Command(PY, { args: ["-c", script, file], stdout: "piped" }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("CSV floats: pandas reads -0.0 and floats past 2**53 back as the same doubles", async () => {
  await withTempDir(async (dir) => {
    // one column per case: pandas guesses a type per column, so each case stands alone
    const cases: [number, string][] = [
      [-0, "float:-0.0"],
      [12345678901234567890, "float:1.2345678901234567e+19"],
      [2 ** 60, "float:1.152921504606847e+18"],
      [1e-5, "float:1e-05"],
    ];
    for (const [x, want] of cases) {
      const csv = toCSV({ columns: ["run", "x"], rows: [["R1", x], ["R2", x]] });
      const read = await readByPython(csv, dir);
      assertEquals(read.pandas, [want, want], `${x}: ${JSON.stringify(csv)}`);
      assertEquals(read.plain, [want.slice(6), want.slice(6)]);
    }
    // integers stay integers (a parameter k = 3 is not 3.0)
    const ints = await readByPython(toCSV({ columns: ["x"], rows: [[3], [2 ** 53 - 1]] }), dir);
    assertEquals(ints.pandas, ["int:3", `int:${2 ** 53 - 1}`]);
  });
});
