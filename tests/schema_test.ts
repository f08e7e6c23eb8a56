/**
 * groupSchema / smg.schema(): types, distinct values, ranges, missing counts and roles, on hand-made groups
 * and on a real sweep; and the two facts the analysis reads of the runner's record (the `[Run]` section's
 * name, the point's keys), checked against the runner's own code.
 */
import { assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import {
  type GroupSchema,
  groupSchema,
  type ParamSchema,
  schemaRolesOfRows,
  sweptOrVaryingOfRows,
} from "../src/group/schema.ts";
import { rowsOf } from "../src/group/group_views.ts";
import { RUNNER_SECTION, sweptParams } from "../src/group/_sweep_record.ts";
import { formatParam } from "../src/formats/params.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { pointKey, RUN_SECTION, runSweep } from "../runner/mod.ts";

const SIM = new URL("./fixtures/sims/repeat_sim.ts", import.meta.url);

/**
 * The summary's roles (`schemaRolesOfRows`) and the report's swept-or-varying list
 * (`sweptOrVaryingOfRows`) are the schema's lists, found without counting distinct values.
 */
function assertRoles(group: StorageManagerGroup, schema: GroupSchema): void {
  const { fromSweep, swept, bookkeeping, numeric, varying } = schema;
  assertEquals(schemaRolesOfRows(rowsOf(group)), { fromSweep, swept, bookkeeping, numeric });
  if (fromSweep) { // the swept names a caller knows: the same roles without reading every point record
    assertEquals(schemaRolesOfRows(rowsOf(group), swept), {
      fromSweep,
      swept,
      bookkeeping,
      numeric,
    });
  }
  assertEquals(sweptOrVaryingOfRows(rowsOf(group)), {
    fromSweep,
    params: fromSweep ? swept : varying,
  });
}

function byName(params: ParamSchema[], section = "Parameters"): Record<string, ParamSchema> {
  return Object.fromEntries(params.filter((p) => p.section === section).map((p) => [p.name, p]));
}

Deno.test("the analysis reads the runner's [Run] section and point identity as the runner writes them", () => {
  assertEquals(RUNNER_SECTION, RUN_SECTION);
  const point = pointKey({ N: 100, lr: 0.1, mode: "a" });
  const sm = StorageManager.fromConfigText(
    "/tmp/S/S1",
    `[Parameters]\nmode = a\nn = 100\nlr = 0.1\n[Run]\npoint = ${formatParam(point)}\n`,
  );
  // the sweep's order is the order of [Parameters], whatever the JSON's (sorted) order
  assertEquals(sweptParams([sm]), ["mode", "n", "lr"]);
  assertEquals(
    sweptParams([StorageManager.fromConfigText("/tmp/S/S2", "[Parameters]\nn = 1\n")]),
    undefined,
  );
  const unquoted = StorageManager.fromConfigText(
    "/tmp/S/S4",
    `[Parameters]\nn = 1\n[Run]\npoint = {"N": 1}\n`,
  );
  assertEquals(sweptParams([unquoted]), ["n"], "an unquoted point reads as a dict: its keys serve");
  const bad = StorageManager.fromConfigText(
    "/tmp/S/S3",
    "[Parameters]\nn = 1\n[Run]\npoint = [1, 2]\n",
  );
  assertEquals(sweptParams([bad]), undefined, "a point that is no JSON object is no sweep record");
});

Deno.test("schema() gives each parameter's types, distinct count, range, missing count and role", async () => {
  await withTempDir(async (dataFolder) => {
    const rows: Record<string, unknown>[] = [
      {
        n: 1,
        score: 0.5,
        tag: "a",
        mixed: 1,
        zero: 0,
        nan: NaN,
        big: 2n ** 60n,
        list: [1, 2],
        seed: 3,
      },
      { n: 2, score: 0.7, tag: "a", mixed: "x", zero: -0, nan: NaN, list: [1, 2], seed: 4 },
      { n: 2, score: NaN, tag: "a", mixed: null, zero: 0, nan: NaN, big: 5, dict: { b: 1, a: 2 } },
    ];
    for (const row of rows) {
      await StorageManager.create("Sc", {
        dataFolder,
        params: { Parameters: row as Record<string, number> },
      });
    }
    const group = await StorageManagerGroup.load("Sc", { dataFolder });
    const schema = group.schema();
    assertRoles(group, schema);
    const p = byName(schema.params);
    assertEquals(schema.runs, 3);
    assertEquals(schema.fromSweep, false);
    assertEquals(schema.swept, []);
    assertEquals(p.n, {
      name: "n",
      section: "Parameters",
      types: ["number"],
      distinct: 2,
      missing: 0,
      role: "varying",
      range: [1, 2],
    });
    assertEquals(
      [p.score.distinct, p.score.range],
      [3, [0.5, 0.7]],
      "NaN is a value, out of the range",
    );
    assertEquals([p.tag.role, p.tag.distinct, p.tag.range], ["constant", 1, undefined]);
    assertEquals([p.mixed.types, p.mixed.distinct], [["number", "string", "null"], 3]);
    assertEquals([p.zero.distinct, p.zero.role], [1, "constant"], "0 and -0 are one value");
    assertEquals([p.nan.distinct, p.nan.role, p.nan.range], [1, "constant", undefined]);
    assertEquals([p.big.types, p.big.range, p.big.missing], [
      ["number", "bigint"],
      [5, 2 ** 60],
      1,
    ]);
    assertEquals([p.list.types, p.list.distinct, p.list.missing], [["list"], 1, 1]);
    assertEquals([p.dict.types, p.dict.missing], [["dict"], 2]);
    assertEquals([p.seed.role, p.time.role], ["bookkeeping", "bookkeeping"]);
    assertEquals(schema.bookkeeping, ["time", "seed"]);
    assertEquals(
      schema.varying,
      ["n", "score", "mixed", "big", "dict"].filter((k) => p[k].distinct > 1),
    );
    assertEquals(schema.numeric, ["n", "score", "mixed", "zero", "nan", "big"]);
    // any set of runs, e.g. a query's result
    const first = groupSchema((await StorageManagerGroup.load("Sc", { dataFolder })).query("n==1"));
    const firstParams = byName(first.params);
    assertEquals([first.runs, firstParams.n.distinct, firstParams.n.role], [1, 1, "constant"]);
    assertEquals(firstParams.dict, undefined, "only the parameters these runs have");
  });
});

Deno.test("schema() of a real sweep: the swept axes come from the records, results vary, [Run] is bookkeeping", async () => {
  await withTempDir(async (dir) => {
    const dataFolder = `${dir}/Data`;
    await runSweep({
      name: "Sw",
      simulation: SIM,
      // lr has one value: still an axis of the sweep (it is in every point), though it does not vary
      grid: { n: [1, 2], lr: [0.5] },
      repeats: 2,
      dataFolder,
      summary: false,
    });
    const group = await StorageManagerGroup.load("Sw", { dataFolder });
    const schema = group.schema();
    assertRoles(group, schema);
    assertEquals(schema.fromSweep, true);
    assertEquals(schema.swept, ["n", "lr"]);
    assertEquals(schema.varying, ["score", "loss"]);
    assertEquals(schema.numeric, ["score", "loss"]);
    const p = byName(schema.params);
    assertEquals([p.n.role, p.lr.role, p.lr.distinct, p.time.role], [
      "swept",
      "swept",
      1,
      "bookkeeping",
    ]);
    const run = byName(schema.params, "Run");
    for (const field of ["status", "point", "repeat", "seed", "attempt", "duration_s"]) {
      assertEquals(run[field]?.role, "bookkeeping", field);
    }
    assertEquals([run.repeat.distinct, run.repeat.range, run.seed.distinct], [2, [0, 1], 4]);
    assertEquals(run.status.types, ["string"]);
  });
});
