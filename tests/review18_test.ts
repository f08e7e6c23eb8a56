// A hostile review of session 18's changes as a new user would try them: each test failed before its fix.
import { assertEquals } from "./_assert.ts";
import { cli, fixture, python, withTempDir } from "./_helpers.ts";

Deno.test("swept parameters named runs, n_runs, failed, n_failed and n: every header names each column once (Python's csv)", async () => {
  await withTempDir(async (dir) => {
    const out = await cli([
      ...["run", fixture("sims/tiny.ts"), "--name", "Pts", "--data", `${dir}/Data`],
      ...["--grid", "k=1,2", "--grid", "runs=3", "--grid", "n_runs=4", "--grid", "n=5"],
      ...["--grid", "failed=0", "--grid", "n_failed=6", "--repeats", "2", "--no-progress"],
    ]);
    assertEquals(out.code, 0, out.stderr);
    const header = (out.stdout.split("\n").find((l) => l.startsWith("k ")) ?? "").trim()
      .split(/\s{2,}/);
    assertEquals(new Set(header).size, header.length, `the printed table: ${header}`);
    const csv = `${dir}/Data/StorageManager/Pts/summary.csv`;
    const names = JSON.parse(
      await python(
        "import csv, json, sys; print(json.dumps(next(csv.reader(open(sys.argv[1])))))",
        [
          csv,
        ],
      ),
    ) as string[];
    assertEquals(new Set(names).size, names.length, `summary.csv: ${names}`);
    assertEquals(names.slice(0, 6), ["k", "runs", "n_runs", "n", "failed", "n_failed"]);
  });
});
