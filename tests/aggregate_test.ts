/**
 * aggregate(), aggregateNp() and their Student t quantile: the defaults on a real sweep with repeats (the axes
 * from the sweep records, results never axes), PymoNNto-style groups that must name their axes, NaN, one-run
 * points, and the t quantile against 40-digit references. (Against numpy and scipy: aggregate_python_test.ts.)
 */
import { assert, assertEquals, assertRejects, assertThrows } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { StorageError } from "../src/errors.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { aggregateTable, valueStats } from "../src/group/aggregate.ts";
import { tTwoSidedQuantile } from "../src/group/_student_t.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { runSweep } from "../runner/mod.ts";

const SIM = new URL("./fixtures/sims/repeat_sim.ts", import.meta.url);

/**
 * [confidence, degrees of freedom, t] with P(|T| ≤ t) = confidence, from mpmath at 40 digits (bisection on
 * the regularized incomplete beta function):
 *   mp.mp.dps = 40; tail = lambda x, nu: mp.betainc(nu / 2, 0.5, 0, nu / (nu + x * x), regularized=True)
 *   then 200 halvings of [0, 1000] for tail(x, nu) = 1 - confidence; float() of the result.
 * (scipy 1.10's t.ppf is itself off by up to 2.5e-11 relative, e.g. t.ppf(0.975, 9) = 2.2621571627409915.)
 */
const T_REFERENCE: [number, number, number][] = [
  [0.9, 1, 6.313751514675043],
  [0.9, 2, 2.9199855803537256],
  [0.9, 3, 2.3533634348018238],
  [0.9, 4, 2.1318467863266504],
  [0.9, 5, 2.0150483733330242],
  [0.9, 9, 1.8331129326562372],
  [0.9, 10, 1.8124611228116765],
  [0.9, 29, 1.6991270265334977],
  [0.9, 30, 1.6972608865939578],
  [0.9, 100, 1.6602343260853396],
  [0.9, 1000, 1.6463788172854648],
  [0.9, 10000, 1.645006018069243],
  [0.95, 1, 12.706204736174705],
  [0.95, 2, 4.302652729749464],
  [0.95, 3, 3.1824463052837095],
  [0.95, 4, 2.7764451051977943],
  [0.95, 5, 2.5705818356363155],
  [0.95, 9, 2.2621571627982053],
  [0.95, 10, 2.228138851986275],
  [0.95, 29, 2.0452296421327043],
  [0.95, 30, 2.042272456301238],
  [0.95, 100, 1.9839715185235522],
  [0.95, 1000, 1.9623390808264085],
  [0.95, 10000, 1.9602012398906263],
  [0.99, 1, 63.65674116287158],
  [0.99, 2, 9.924843200918293],
  [0.99, 3, 5.840909309733357],
  [0.99, 4, 4.604094871349993],
  [0.99, 5, 4.032142983555228],
  [0.99, 9, 3.2498355415921263],
  [0.99, 10, 3.1692726726169513],
  [0.99, 29, 2.7563859036706053],
  [0.99, 30, 2.7499956535672254],
  [0.99, 100, 2.6258905214380177],
  [0.99, 1000, 2.580754698065951],
  [0.99, 10000, 2.5763210466685287],
];

Deno.test("the t quantile matches 40-digit references to 1e-12 for 1 to 10,000 degrees of freedom", () => {
  for (const [confidence, nu, t] of T_REFERENCE) {
    const got = tTwoSidedQuantile(confidence, nu);
    assert(Math.abs(got - t) / t < 1e-12, `confidence ${confidence}, ν = ${nu}: ${got}, not ${t}`);
  }
  assertThrows(() => tTwoSidedQuantile(0.95, 0), RangeError, "whole number ≥ 1");
  assertThrows(() => tTwoSidedQuantile(1, 3), RangeError, "(0, 1)");
});

Deno.test("valueStats: std with ddof=1, sem, a Student t interval; NaN propagates or is omitted; n < 2 has no spread", () => {
  const s = valueStats([1, 2, 3, 4]);
  assertEquals([s.count, s.mean, s.min, s.max], [4, 2.5, 1, 4]);
  assert(Math.abs(s.std - Math.sqrt(5 / 3)) < 1e-15, String(s.std));
  assert(Math.abs(s.sem - Math.sqrt(5 / 3) / 2) < 1e-15, String(s.sem));
  const half = 3.1824463052837095 * s.sem;
  assert(Math.abs(s.ci[0] - (2.5 - half)) < 1e-14 && Math.abs(s.ci[1] - (2.5 + half)) < 1e-14);
  const one = valueStats([7]);
  assertEquals([one.count, one.mean, one.min, one.max], [1, 7, 7, 7]);
  assert([one.std, one.sem, ...one.ci].every(Number.isNaN));
  const none = valueStats([]);
  assertEquals(none.count, 0);
  assert([none.mean, none.std, none.min, none.max].every(Number.isNaN));
  const withNaN = valueStats([1, NaN, 3]);
  assertEquals(withNaN.count, 3);
  assert([withNaN.mean, withNaN.std, withNaN.min, withNaN.max, ...withNaN.ci].every(Number.isNaN));
  const omitted = valueStats([1, NaN, 3], 0.95, "omit");
  assertEquals([omitted.count, omitted.mean, omitted.min, omitted.max], [2, 2, 1, 3]);
  assertEquals(omitted.std, Math.SQRT2);
});

Deno.test("on a real sweep with repeats, aggregate() groups by the swept parameters from the sweep records, never by results", async () => {
  await withTempDir(async (dir) => {
    const dataFolder = `${dir}/Data`;
    const result = await runSweep({
      name: "Agg",
      simulation: SIM,
      grid: { n: [1, 3], lr: [0.1, 0.2] },
      repeats: 3,
      concurrency: 2,
      dataFolder,
      summary: false,
    });
    assertEquals(result.runs.map((r) => r.status), Array(12).fill("done"));
    const smg = await StorageManagerGroup.load("Agg", { dataFolder });
    const schema = smg.schema();
    assertEquals(schema.fromSweep, true);
    assertEquals(schema.swept, ["n", "lr"]);
    assertEquals(schema.varying, ["score", "loss"]);
    assertEquals(schema.bookkeeping, ["time"]);
    assertEquals(schema.numeric, ["score", "loss"]);
    const agg = smg.aggregate();
    assertEquals([agg.by, agg.values, agg.confidence], [["n", "lr"], ["score", "loss"], 0.95]);
    assertEquals(agg.rows.map((r) => [r.key, r.runs]), [
      [{ n: 1, lr: 0.1 }, 3],
      [{ n: 1, lr: 0.2 }, 3],
      [{ n: 3, lr: 0.1 }, 3],
      [{ n: 3, lr: 0.2 }, 3],
    ]);
    // each row holds exactly its point's runs: recompute from the runs themselves
    for (const row of agg.rows) {
      const scores = smg.query(`n==${row.key.n} && lr==${row.key.lr}`).map((sm) =>
        sm.param("score") as number
      );
      assertEquals(row.values.score.count, 3);
      const expected = scores.some(Number.isNaN) ? NaN : Math.min(...scores);
      assert(Object.is(row.values.score.min, expected), `${row.values.score.min} vs ${expected}`);
    }
    // the simulation gives NaN in repeat 1 of n = 3: its points' score statistics are NaN, unless omitted
    assert(Number.isNaN(agg.rows[2].values.score.mean));
    const omit = smg.aggregate({ nan: "omit", values: ["score"] });
    assertEquals(omit.rows[2].values.score.count, 2);
    assert(Number.isFinite(omit.rows[2].values.score.mean));
    // a coarser grouping and the table of chosen statistics
    const byN = smg.aggregate({ by: ["N"], values: ["loss"], stats: ["mean", "ci"] });
    assertEquals(byN.rows.map((r) => [r.key.n, r.runs, r.values.loss.count]), [[1, 6, 6], [
      3,
      6,
      6,
    ]]);
    const table = aggregateTable(byN);
    assertEquals(table.columns, ["n", "runs", "loss_mean", "loss_ci_low", "loss_ci_high"]);
    assertEquals(table.rows[0].slice(0, 3), [1, 6, byN.rows[0].values.loss.mean]);
    // element-wise over the saved trace: 3 repeats per point, shape kept
    const traces = await smg.aggregateNp("trace");
    assertEquals(traces.map((r) => [r.key, r.count, r.shape]), [
      [{ n: 1, lr: 0.1 }, 3, [5]],
      [{ n: 1, lr: 0.2 }, 3, [5]],
      [{ n: 3, lr: 0.1 }, 3, [5]],
      [{ n: 3, lr: 0.2 }, 3, [5]],
    ]);
    const arrays = await Promise.all(
      smg.query("n==3 && lr==0.2").map(async (sm) =>
        (await sm.loadNp("trace")).data as Float64Array
      ),
    );
    const mean4 = arrays.reduce((s, a) => s + a[4], 0) / 3;
    assert(
      Math.abs(traces[3].mean.data[4] - mean4) < 1e-12,
      `${traces[3].mean.data[4]} vs ${mean4}`,
    );
  });
});

Deno.test("runs without sweep records (PymoNNto's) must name their axes; bad options are refused by name", async () => {
  await withTempDir(async (dataFolder) => {
    for (const [n, score] of [[1, 0.5], [1, 0.7], [2, 0.9]]) {
      await StorageManager.create("Pm", { dataFolder, params: { Parameters: { n, score } } });
    }
    const smg = await StorageManagerGroup.load("Pm", { dataFolder });
    assertEquals(smg.schema().fromSweep, false);
    assertEquals(smg.schema().swept, []);
    const err = assertThrows(() => smg.aggregate(), TypeError, "no sweep record");
    assert(err.message.includes('by: ["n"]') && err.message.includes("n, score"), err.message);
    await assertRejects(() => smg.aggregateNp("w"), TypeError, "aggregateNp(): ");
    const agg = smg.aggregate({ by: ["n"] });
    assertEquals(agg.values, ["score"]);
    assertEquals(agg.rows.map((r) => [r.key.n, r.values.score.count]), [[1, 2], [2, 1]]);
    assertThrows(() => smg.aggregate({ by: ["n"], confidence: 95 }), RangeError, "confidence");
    assertThrows(
      () => smg.aggregate({ by: ["n"], stats: ["median" as never] }),
      RangeError,
      "median",
    );
    assertThrows(() => smg.aggregate({ by: ["n"], nan: "skip" as never }), RangeError, "nan");
    // A typo in values gave rows of count 0 (NaN means) instead of an error.
    const typo = assertThrows(
      () => smg.aggregate({ by: ["n"], values: ["scroe"] }),
      RangeError,
      '"scroe" named in values',
    );
    assert(typo.message.includes("n, score"), typo.message);
    assertEquals(smg.aggregate({ by: ["n"], values: ["SCORE"] }).values, ["score"]);
  });
});

Deno.test("aggregate() keeps runs that lack a by value as their own group, last; aggregateNp refuses mixed shapes by name and leaves out missing files", async () => {
  await withTempDir(async (dataFolder) => {
    const rows: [Record<string, unknown>, number[]][] = [
      [{ n: 2, score: 1 }, [1, 2]],
      [{ n: 1, score: "failed" }, [3, 4]],
      [{ score: 5 }, [5, 6, 7]],
      [{ n: 1, score: true }, [7, 8, 9]],
    ];
    for (const [params, w] of rows) {
      const sm = await StorageManager.create("Mx", {
        dataFolder,
        params: { Parameters: params as Record<string, number> },
      });
      await sm.saveNp("w", w);
    }
    const smg = await StorageManagerGroup.load("Mx", { dataFolder });
    const agg = smg.aggregate({ by: ["n"] });
    assertEquals(
      agg.rows.map((r) => [r.key.n, r.runs, r.values.score.count, r.values.score.mean]),
      [
        [1, 2, 1, 1], // "failed" is no number; true counts as 1
        [2, 1, 1, 1],
        [null, 1, 1, 5],
      ],
    );
    const err = await assertRejects(() => smg.aggregateNp("w", { by: ["n"] }), StorageError);
    assertEquals((err as StorageError).code, "unsupported");
    assert(err.message.includes("shape [2]") && err.message.includes("shape [3]"), err.message);
    const absent = await smg.aggregateNp("nothing", { by: ["n"] });
    assertEquals(absent.map((r) => [r.key.n, r.runs, r.count, r.shape]), [
      [1, 2, 0, []],
      [2, 1, 0, []],
      [null, 1, 0, []],
    ]);
  });
});

Deno.test("a by or values that is no array of names is refused with an example", async () => {
  await withTempDir(async (dataFolder) => {
    await StorageManager.create("Ty", { dataFolder, params: { Parameters: { n: 1 } } });
    const smg = await StorageManagerGroup.load("Ty", { dataFolder });
    assertThrows(() => smg.aggregate({ by: "n" as never }), TypeError, 'by: ["n"]');
    assertThrows(
      () => smg.aggregate({ by: ["n"], values: [1] as never }),
      TypeError,
      "values must be",
    );
    await assertRejects(
      () => smg.aggregateNp("w", { by: "n" as never }),
      TypeError,
      "aggregateNp()",
    );
    assertThrows(() => valueStats([1, 2], 1.5), RangeError, "confidence");
  });
});

Deno.test("aggregateTable names each column once: a by parameter called runs or loss_mean keeps its name", () => {
  const stats = {
    count: 2,
    mean: 1,
    std: 0,
    sem: 0,
    ci: [1, 1] as [number, number],
    min: 1,
    max: 1,
  };
  const table = aggregateTable({
    by: ["runs", "loss_mean", "loss_ci_low"],
    values: ["loss"],
    stats: ["mean", "ci", "count"],
    confidence: 0.95,
    rows: [{ key: { runs: 5, loss_mean: 3, loss_ci_low: 0 }, runs: 2, values: { loss: stats } }],
  });
  assertEquals(table.columns, [
    "runs",
    "loss_mean",
    "loss_ci_low",
    "n_runs",
    "stat_loss_mean",
    "stat_loss_ci_low",
    "loss_ci_high",
    "loss_count",
  ]);
  assertEquals(table.rows, [[5, 3, 0, 2, 1, 1, 1, 2]]);
});
