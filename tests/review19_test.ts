// A hostile review of session 18's merged changes as a new user would try them: each test failed before its fix.
import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { expandSweep } from "../runner/sweep.ts";
import { checkSweepOptions } from "../runner/sweep_options.ts";
import { addRandomItem } from "../runner/cli/_points.ts";
import { UsageError } from "../runner/cli/errors.ts";
import { cli, python, withTempDir } from "./_helpers.ts";
import { StorageManager, StorageManagerGroup } from "../mod.ts";

const draws = (random: Parameters<typeof expandSweep>[0]["random"], samples: number) =>
  expandSweep({ random, samples, seed: 1 }).map((t) => t.params.k as number);

Deno.test("random ranges: wide integer ranges reach every number, huge float ranges stay finite, log ends kept", () => {
  // One 32-bit draw times 2^40 + 1 gave only multiples of 256: no odd number ever came.
  const wide = draws({ k: { min: 0, max: 2 ** 40, integer: true } }, 4000);
  const odd = wide.filter((k) => k % 2 === 1).length / wide.length;
  assert(odd > 0.45 && odd < 0.55, `odd numbers: ${odd}`);
  assert(wide.every((k) => Number.isSafeInteger(k) && k >= 0 && k <= 2 ** 40));
  // max − min overflowed: every draw of { min: -1e308, max: 1e308 } was Infinity.
  const huge = draws({ k: { min: -1e308, max: 1e308 } }, 1000);
  assert(huge.every((k) => Number.isFinite(k) && k >= -1e308 && k <= 1e308), `${huge.slice(0, 3)}`);
  assert(huge.some((k) => k < 0) && huge.some((k) => k > 0));
  // exp(log(0.1)) is 0.10000000000000002: a log range of one value drew a number above its max.
  assertEquals(draws({ k: { min: 0.1, max: 0.1, log: true } }, 3), [0.1, 0.1, 0.1]);
  // Integer bounds beyond 2^53 − 1: ±1e308 gave max every time, and such numbers are stored as floats.
  const unsafe = { k: { min: 0, max: 2 ** 60, integer: true } };
  assertThrows(() => expandSweep({ random: unsafe, samples: 1 }), TypeError, "within ±");
  assertThrows(
    () => checkSweepOptions({ name: "S", simulation: "sim.ts", random: unsafe, samples: 1 }),
    RangeError,
    "random.k with integer: true needs whole-number min and max within ±9007199254740991",
  );
  assertThrows(() => addRandomItem("k=int:-1e308:1e308", undefined), UsageError, "within ±");
  assertEquals(addRandomItem("k=int:-9007199254740991:9007199254740991", undefined).k, {
    min: -9007199254740991,
    max: 9007199254740991,
    log: false,
    integer: true,
  });
});

Deno.test("--random int:MIN:MAX:log draws log-uniform whole numbers (as --evolve's :log:int), refused with MIN 0", () => {
  // Before: "MIN and MAX must be finite numbers": the library's { integer: true, log: true } had no CLI form.
  const spec = { min: 1, max: 1000, log: true, integer: true };
  assertEquals(addRandomItem("n=int:1:1000:log", undefined), { n: spec });
  assertEquals(addRandomItem("n=log:1:1000:int", undefined), { n: spec });
  assertThrows(
    () => addRandomItem("n=int:0:10:log", undefined),
    UsageError,
    "log sampling needs MIN > 0",
  );
  assertThrows(() => addRandomItem("n=int:1.5:10:log", undefined), UsageError, "whole numbers");
  assertThrows(() => addRandomItem("n=int:1:10:lin", undefined), UsageError, "MIN and MAX");
});

Deno.test("a parameter named run: the group's tables, report --csv and --json keep the run folder's name (run_run)", async () => {
  await withTempDir(async (dataFolder) => {
    for (const [run, score] of [[7, 0.5], [8, 0.25]]) {
      await StorageManager.create("Rn", { dataFolder, params: { Parameters: { run, score } } });
    }
    const smg = await StorageManagerGroup.load("Rn", { dataFolder });
    const table = smg.toTable(["run", "score"]);
    assertEquals(table.columns, ["run_run", "run", "score"]);
    assertEquals(table.rows.map((r) => r.slice(1)), [[7, 0.5], [8, 0.25]]);
    // --json made one object per run keyed by column: the second "run" (the parameter) replaced the name.
    const json = await cli([
      "report",
      "Rn",
      "--data",
      dataFolder,
      "--json",
      "--columns",
      "run,score",
    ]);
    assertEquals(json.code, 0, json.stderr);
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    assertEquals(
      rows.map((r) => [r.run_run, r.run]),
      smg.runs.map((sm) => [sm.name, sm.param("run")]),
    );
    const file = `${dataFolder}/rn.csv`;
    const csv = await cli(["report", "Rn", "--data", dataFolder, "--csv", "-o", file]);
    assertEquals(csv.code, 0, csv.stderr);
    const header = JSON.parse(
      await python(
        "import csv, json, sys; print(json.dumps(next(csv.reader(open(sys.argv[1])))))",
        [
          file,
        ],
      ),
    ) as string[];
    assertEquals(new Set(header).size, header.length, `report --csv: ${header}`);
  });
});
