// The search methods' steps on fixed seeds, in this process (no runs): generation 0, selection, breeding,
// mutation's σ, ranking of failures and NaN, bounds and constraints always respected (property test), and
// the checks of the options.
import { assert, assertEquals, assertNotEquals, assertThrows } from "./_assert.ts";
import { Evolution, ranked } from "../runner/search/evolution.ts";
import { GridSearch, makeStrategy, RandomSearch } from "../runner/search/methods.ts";
import { fitnessOf } from "../runner/search/evaluations.ts";
import { checkSearchOptions } from "../runner/search/check_options.ts";
import type { Evaluation, SearchOptions } from "../runner/search/options.ts";
import { mulberry32 } from "../runner/sweep.ts";
import type { Params } from "../runner/sweep.ts";
import { QueryError } from "../src/group/query.ts";
import { checkSweepOptions } from "../runner/mod.ts";

const MAX = { key: "score", goal: "maximize" } as const;

function evaluate(generation: number, params: Params[], f: (p: Params) => number): Evaluation[] {
  return params.map((p, individual) => {
    const value = f(p);
    return {
      params: p,
      value,
      fitness: fitnessOf(value, "done", MAX),
      status: "done",
      path: "",
      generation,
      individual,
    };
  });
}

const BOUNDS = { a: { min: 0, max: 10 }, b: { min: 1, max: 1000, log: true, integer: true } };

Deno.test("evolution: generation 0 is the start genomes, then draws within the bounds; same seed, same generation", async () => {
  const search: SearchOptions = {
    start: [{ a: 5, b: 100 }],
    bounds: BOUNDS,
    generations: 3,
    population: 6,
  };
  const g0 = await new Evolution(search, 7).ask(0, 6);
  assertEquals(g0.length, 6);
  assertEquals(g0[0], { params: { a: 5, b: 100 }, parents: [] });
  assert(g0.slice(1).every((c) => c.params.a !== 5), "the rest are drawn, not copies of the start");
  assertEquals(await new Evolution(search, 7).ask(0, 6), g0);
  assertNotEquals(await new Evolution(search, 8).ask(0, 6), g0);
});

Deno.test("evolution: the best (1 − deathRate) survive, ranked, and the children's parents are survivors", async () => {
  const search: SearchOptions = { bounds: BOUNDS, generations: 3, population: 8, deathRate: 0.5 };
  const evo = new Evolution(search, 1);
  const g0 = (await evo.ask(0, 8)).map((c) => c.params);
  const evals = evaluate(0, g0, (p) => Number(p.a)); // larger a is better
  await evo.tell(0, evals);
  const g1 = await evo.ask(1, 8);
  const best4 = ranked(evals).slice(0, 4);
  assertEquals(g1.slice(0, 4).map((c) => c.params), best4.map((e) => e.params));
  assertEquals(g1.slice(0, 4).map((c) => c.parents), best4.map((e) => [e.individual]));
  const survivors = new Set(best4.map((e) => e.individual));
  for (const c of g1.slice(4)) {
    assertEquals(c.parents.length, 2);
    assert(c.parents.every((p) => survivors.has(p)), `parents ${c.parents} are survivors`);
  }
  // The next generation depends on the seed and the scores only, not on the order they arrived in.
  const again = new Evolution(search, 1);
  await again.ask(0, 8);
  await again.tell(0, [...evals].reverse().sort((x, y) => x.individual - y.individual));
  assertEquals(await again.ask(1, 8), g1);
});

Deno.test("evolution: with mutation 0 each gene comes from a parent; σ = |gene| × mutation", async () => {
  const parents = [{ a: 2, b: 10 }, { a: 8, b: 500 }];
  const evo0 = new Evolution({
    bounds: BOUNDS,
    population: 40,
    generations: 2,
    mutation: 0,
    deathRate: 0,
  }, 3);
  await evo0.ask(0, 2);
  await evo0.tell(0, evaluate(0, parents, () => 1));
  for (const c of (await evo0.ask(1, 40)).slice(2)) {
    assert(
      [2, 8].includes(Number(c.params.a)) && [10, 500].includes(Number(c.params.b)),
      JSON.stringify(c),
    );
  }
  // One parent, far from the bounds: a child's a is 5 + N(0, 5 × 0.1).
  const unbounded = { a: { min: -1e9, max: 1e9 }, b: { min: 1, max: 1e9 } };
  const evo = new Evolution({
    bounds: unbounded,
    population: 2001,
    generations: 2,
    mutation: 0.1,
    deathRate: 0,
  }, 4);
  await evo.ask(0, 1);
  await evo.tell(0, evaluate(0, [{ a: 5, b: 1000 }], () => 1));
  const a = (await evo.ask(1, 2001)).slice(1).map((c) => Number(c.params.a));
  const mean = a.reduce((s, x) => s + x, 0) / a.length;
  const sd = Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / (a.length - 1));
  assert(Math.abs(mean - 5) < 0.05, `mean ${mean}`);
  assert(Math.abs(sd - 0.5) < 0.05, `σ ${sd} (expected 0.5 = |5| × 0.1)`);
});

Deno.test("ranking: failed runs and NaN rank last, after every number", () => {
  const e = (
    individual: number,
    value: number | undefined,
    status: Evaluation["status"] = "done",
  ): Evaluation => ({
    params: {},
    value,
    fitness: fitnessOf(value, status, { key: "loss", goal: "minimize" }),
    status,
    path: "",
    generation: 0,
    individual,
  });
  const order = ranked([
    e(0, NaN),
    e(1, 5),
    e(2, 3, "failed"),
    e(3, -1),
    e(4, undefined),
    e(5, 1e300),
  ]);
  assertEquals(order.map((x) => x.individual), [3, 1, 5, 0, 2, 4]);
  assertEquals(fitnessOf(NaN, "done", MAX), -Infinity);
  assertEquals(fitnessOf(2, "timeout", MAX), -Infinity);
});

Deno.test("property: every method's points respect the bounds, integers and constraints (200 random spaces)", async () => {
  const rand = mulberry32(99);
  for (let trial = 0; trial < 200; trial++) {
    const lo = -5 + rand() * 5, hi = lo + 2 + rand() * 10;
    const bounds = {
      a: { min: lo, max: hi },
      b: { min: lo, max: hi, integer: rand() < 0.5 },
      c: { min: 1e-4 + rand(), max: 2 + rand() * 100, log: true, steps: 4 },
    };
    const constraints = ["b >= a", "c < 50 or a < 0"];
    const method = (["evolution", "random", "grid"] as const)[trial % 3];
    const search: SearchOptions = {
      method,
      bounds,
      constraints,
      population: 10,
      generations: 4,
      mutation: rand() * 2,
      deathRate: rand() * 0.9,
      seed: trial,
    };
    const strategy = makeStrategy(search, trial);
    for (let g = 0; g < 4; g++) {
      const cands = await strategy.ask(g, 10);
      for (const { params: p } of cands) {
        const [a, b, c] = [Number(p.a), Number(p.b), Number(p.c)];
        const where = `trial ${trial} (${method}) g${g}: ${JSON.stringify(p)} ${
          JSON.stringify(bounds)
        }`;
        assert(a >= bounds.a.min && a <= bounds.a.max, where);
        assert(
          b >= bounds.b.min && b <= bounds.b.max && (!bounds.b.integer || Number.isInteger(b)),
          where,
        );
        assert(c >= bounds.c.min && c <= bounds.c.max, where);
        assert(b >= a && (c < 50 || a < 0), `constraint broken: ${where}`);
      }
      await strategy.tell(
        g,
        evaluate(g, cands.map((c) => c.params), () => rand() < 0.2 ? NaN : rand()),
      );
    }
  }
});

Deno.test("random and grid: exactly the asked points, deterministic per point, grid on log steps", async () => {
  const random = new RandomSearch({ bounds: BOUNDS, budget: 5 }, 2);
  const first = [...await random.ask(0, 3), ...await random.ask(1, 2)].map((c) => c.params);
  const whole = (await new RandomSearch({ bounds: BOUNDS, budget: 5 }, 2).ask(0, 5)).map((c) =>
    c.params
  );
  assertEquals(first, whole, "point k does not depend on the generation sizes");
  const grid = new GridSearch({
    method: "grid",
    bounds: { x: { min: 1, max: 100, log: true, steps: 3 }, y: { min: 0, max: 1, steps: 2 } },
  });
  assertEquals(grid.size, 6);
  assertEquals(
    (await grid.ask(0, 6)).map((c) => c.params),
    [
      { x: 1, y: 0 },
      { x: 1, y: 1 },
      { x: 10.000000000000002, y: 0 },
      { x: 10.000000000000002, y: 1 },
      { x: 100.00000000000004, y: 0 },
      { x: 100.00000000000004, y: 1 },
    ].map((p) => ({ x: Math.min(100, p.x), y: p.y })),
  );
  assertEquals(await grid.ask(1, 6), []);
});

Deno.test("checkSearchOptions refuses bad searches with messages naming the option", () => {
  const objective = { key: "score", goal: "maximize" } as const;
  const bad: [SearchOptions, string][] = [
    [{ bounds: { x: { min: 0, max: 1 } } }, "needs generations or budget"],
    [
      { bounds: { x: { min: 2, max: 1 } }, generations: 1 },
      "search.bounds.x needs finite min <= max",
    ],
    [{ bounds: { x: { min: 0, max: 1, log: true } }, generations: 1 }, "log: true needs min > 0"],
    [{ bounds: { x: { min: 0, max: 1 } }, generations: 1, deathRate: 1 }, "search.deathRate"],
    [{ bounds: { x: { min: 0, max: 1 } }, generations: 1, population: 0 }, "search.population"],
    [{ generations: 1 }, "search needs genes"],
    [
      { start: [{ x: 1 }], generations: 1, method: "random" },
      'method "random" needs bounds for every gene',
    ],
    [
      { bounds: { x: { min: 0, max: 1 } }, generations: 1, method: "annealing" as "grid" },
      "search.method",
    ],
  ];
  for (const [search, message] of bad) {
    const err = assertThrows(() => checkSearchOptions(search, objective)) as Error;
    assert(err.message.includes(message), `${err.message} should say ${message}`);
  }
  assertThrows(
    () =>
      checkSearchOptions({
        bounds: { x: { min: 0, max: 1 } },
        generations: 1,
        constraints: ["x >"],
      }, objective),
    QueryError,
    "search.constraints[0]",
  );
  assertThrows(
    () => checkSearchOptions({ bounds: { x: { min: 0, max: 1 } }, generations: 1 }, undefined),
    TypeError,
    "a search needs objective",
  );
  assertThrows(
    () =>
      checkSweepOptions({
        name: "S",
        simulation: "./sim.ts",
        grid: { n: [1] },
        search: { bounds: { x: { min: 0, max: 1 } }, generations: 1 },
        objective,
      }),
    TypeError,
    "grid cannot be combined with search",
  );
  // A start genome that breaks a constraint is refused when the search starts.
  const evo = new Evolution({
    start: [{ x: 0.9 }],
    bounds: { x: { min: 0, max: 1 } },
    constraints: ["x < 0.5"],
  }, 0);
  assertThrows(() => evo.ask(0, 2), RangeError, "search.start[0]");
});

Deno.test("a search draws whole numbers as a random sweep does: log-uniform over [min − ½, max + ½] rounded, ends included", async () => {
  const { SearchSpace } = await import("../runner/search/space.ts");
  const bounds = { n: { min: 1, max: 4, log: true, integer: true } };
  const space = new SearchSpace({ bounds } as SearchOptions);
  const rand = mulberry32(7);
  const draws = 40_000;
  const seen = new Map<number, number>();
  for (let i = 0; i < draws; i++) {
    const v = space.sampleGene("n", rand);
    seen.set(v, (seen.get(v) ?? 0) + 1);
  }
  // Optuna's IntDistribution(log=True): P(k) = (ln(k + ½) − ln(k − ½)) / (ln 4.5 − ln 0.5)
  const whole = Math.log(4.5) - Math.log(0.5);
  for (let k = 1; k <= 4; k++) {
    const want = (Math.log(k + 0.5) - Math.log(k - 0.5)) / whole;
    const got = (seen.get(k) ?? 0) / draws;
    assert(Math.abs(got - want) < 0.01, `P(${k}) = ${got}, want ${want.toFixed(4)}`);
  }
  assertEquals([...seen.keys()].sort(), [1, 2, 3, 4]);
  // the rule itself, draw by draw, from equal generators
  const a = mulberry32(11), b = mulberry32(11);
  for (let i = 0; i < 200; i++) {
    assertEquals(space.sampleGene("n", a), drawOnce(b));
  }
  function drawOnce(r: () => number) {
    return Math.round(Math.exp(Math.log(0.5) + r() * whole));
  }
});

Deno.test("search bounds of an integer gene beyond ±(2^53 − 1) are refused (not stored exactly)", () => {
  assertThrows(
    () =>
      checkSearchOptions({ bounds: { n: { min: -1e308, max: 1e308, integer: true } } }, {
        key: "score",
        goal: "maximize",
      }),
    RangeError,
    "within ±9007199254740991",
  );
});
