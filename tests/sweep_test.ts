import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { expandSweep, pointKey } from "../runner/sweep.ts";
import { checkSweepOptions } from "../runner/sweep_options.ts";

Deno.test("expandSweep() makes the cartesian product of the grid, last parameter fastest, then points", () => {
  const tasks = expandSweep({
    grid: { n: [100, 1000], lr: [0.1, 0.01] },
    points: [{ n: 5, lr: 1 }],
  });
  assertEquals(tasks.map((t) => t.params), [
    { n: 100, lr: 0.1 },
    { n: 100, lr: 0.01 },
    { n: 1000, lr: 0.1 },
    { n: 1000, lr: 0.01 },
    { n: 5, lr: 1 },
  ]);
  assertEquals(tasks.map((t) => t.index), [0, 1, 2, 3, 4]);
});

Deno.test("repeats give each run its own seed, stable across calls and independent of the point's order", () => {
  const a = expandSweep({ grid: { n: [1, 2] }, repeats: 3, seed: 42 });
  const b = expandSweep({ grid: { n: [2, 1] }, repeats: 3, seed: 42 });
  assertEquals(a.length, 6);
  assertEquals(new Set(a.map((t) => t.seed)).size, 6);
  const seedOf = (ts: typeof a, n: number, r: number) =>
    ts.find((t) => t.params.n === n && t.repeat === r)!.seed;
  assertEquals(seedOf(a, 2, 1), seedOf(b, 2, 1));
  assert(
    seedOf(a, 1, 0) !== expandSweep({ grid: { n: [1] }, seed: 43 })[0].seed,
    "another sweep seed, other seeds",
  );
});

Deno.test("random sampling draws uniform, log-uniform, integer and choice values reproducibly", () => {
  const spec = {
    random: {
      lr: { min: 1e-4, max: 1e-1, log: true },
      n: { choices: [10, 100] },
      k: { min: 1, max: 5, integer: true },
    },
    samples: 200,
    seed: 7,
  };
  const tasks = expandSweep(spec);
  assertEquals(tasks.length, 200);
  assertEquals(tasks.map((t) => t.params), expandSweep(spec).map((t) => t.params));
  const lr = tasks.map((t) => t.params.lr as number);
  assert(lr.every((v) => v >= 1e-4 && v <= 1e-1));
  const decades = [0, 0, 0];
  for (const v of lr) decades[Math.min(2, Math.floor(Math.log10(v / 1e-4)))]++;
  assert(decades.every((d) => d > 40), `log-uniform: about a third per decade, got ${decades}`);
  assert(tasks.every((t) => [10, 100].includes(t.params.n as number)));
  assert(
    tasks.every((t) =>
      Number.isInteger(t.params.k) && (t.params.k as number) >= 1 && (t.params.k as number) <= 5
    ),
  );
});

Deno.test("integer random parameters: each whole number of min…max equally likely, ends included", () => {
  const count = (spec: { min: number; max: number; integer: true; log?: boolean }) => {
    const tally = new Map<number, number>();
    for (const t of expandSweep({ random: { k: spec }, samples: 30_000, seed: 3 })) {
      const k = t.params.k as number;
      tally.set(k, (tally.get(k) ?? 0) + 1);
    }
    return tally;
  };
  // Rounding a uniform draw over [1, 3] gave 1 and 3 a quarter each and 2 a half.
  const uniform = count({ min: 1, max: 3, integer: true });
  assertEquals([...uniform.keys()].sort(), [1, 2, 3]);
  for (const [k, n] of uniform) assert(Math.abs(n / 30_000 - 1 / 3) < 0.02, `${k}: ${n} of 30,000`);
  // Log-uniform over [0.5, 10.5]: P(1) = ln(1.5/0.5) / ln(10.5/0.5) ≈ 0.361, P(10) = ln(10.5/9.5) / … ≈ 0.033.
  const log = count({ min: 1, max: 10, integer: true, log: true });
  const p1 = Math.log(3) / Math.log(21), p10 = Math.log(10.5 / 9.5) / Math.log(21);
  assert(Math.abs(log.get(1)! / 30_000 - p1) < 0.02, `1: ${log.get(1)}`);
  assert(Math.abs(log.get(10)! / 30_000 - p10) < 0.01, `10: ${log.get(10)}`);
  assert([...log.keys()].every((k) => Number.isInteger(k) && k >= 1 && k <= 10));
  assertThrows(
    () => expandSweep({ random: { k: { min: 1.5, max: 3, integer: true } }, samples: 1 }),
    TypeError,
    "whole-number min and max",
  );
  // Checked before anything starts (the CLI made the group folder before expanding).
  assertThrows(
    () =>
      checkSweepOptions({
        name: "S",
        simulation: "sim.ts",
        random: { k: { min: 1, max: 2.5, integer: true } },
        samples: 1,
      }),
    RangeError,
    "random.k with integer: true needs whole-number min and max",
  );
});

Deno.test("pointKey() is canonical: key order and case do not matter", () => {
  assertEquals(
    pointKey({ b: 1, A: [1, { y: 2, x: 1 }] }),
    pointKey({ a: [1, { x: 1, y: 2 }], B: 1 }),
  );
});

Deno.test("expandSweep() refuses empty sweeps and bad specs with clear errors", () => {
  assertThrows(() => expandSweep({}), TypeError, "no points");
  assertThrows(() => expandSweep({ grid: { n: [] } }), TypeError, "grid.n");
  assertThrows(() => expandSweep({ grid: { n: [1] }, repeats: 0 }), TypeError, "repeats");
  assertThrows(
    () => expandSweep({ random: { lr: { min: 0, max: 1, log: true } } }),
    TypeError,
    "min > 0",
  );
});
