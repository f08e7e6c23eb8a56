import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { expandSweep, pointKey } from "../runner/sweep.ts";

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
