/**
 * The report's grouping of runs by the values of some columns (`src/report_html/_grouping.ts`, sorting on
 * typed-array keys) against the plain rule it replaces: one group per distinct `oneKey` identity
 * (`valueKey`'s: -0 is 0, NaN one value, safe bigints as numbers), numbered in order of first appearance,
 * each group's runs in run order.
 */
import { assertEquals } from "./_assert.ts";
import { groupBy, oneKey, type Read, type Value } from "../src/report_html/_grouping.ts";
import { mulberry32 } from "../runner/mod.ts";

/** The rule, written plainly: a Map from the joined identities to the group's runs. */
function reference(cols: Read[], n: number): { first: number[]; groups: number[][] } {
  const ids = new Map<string, number>();
  const groups: number[][] = [];
  for (let i = 0; i < n; i++) {
    const key = JSON.stringify(cols.map((c) => {
      const k = oneKey(c(i));
      return typeof k === "number" ? ["n", Number.isNaN(k) ? "NaN" : String(k)] : ["s", k];
    }));
    let g = ids.get(key);
    if (g === undefined) ids.set(key, g = groups.push([]) - 1);
    groups[g].push(i);
  }
  return { first: groups.map((r) => r[0]), groups };
}

const VALUES: Value[] = [
  0,
  -0,
  1,
  1.5,
  -2,
  NaN,
  Infinity,
  -Infinity,
  1e308,
  5e-324,
  2n,
  2 ** 60,
  2n ** 70n,
  "a",
  "b",
  "1",
  "",
  true,
  false,
  null,
  undefined,
  [1, 2],
  [],
  { x: 1 },
  1.0000000000000002,
];

Deno.test("the report's grouping gives the groups of the plain rule, in order of first appearance, for mixed values", () => {
  const rand = mulberry32(21);
  for (
    const [n, columns, pool] of [[1, 1, 5], [300, 1, 25], [400, 2, 6], [500, 3, 4], [2000, 2, 25]]
  ) {
    const data = Array.from(
      { length: columns },
      () =>
        Array.from({ length: n }, () => VALUES[Math.floor(rand() * Math.min(pool, VALUES.length))]),
    );
    const cols: Read[] = data.map((d) => (i: number) => d[i]);
    const got = groupBy(cols, n);
    const want = reference(cols, n);
    assertEquals([...got.first], want.first, `${n} runs × ${columns}: first runs`);
    const groups = want.first.map((
      _,
      g,
    ) => [...got.order.subarray(got.start[g], got.start[g + 1])]);
    assertEquals(groups, want.groups, `${n} runs × ${columns}: each group's runs`);
    assertEquals(got.start[got.first.length], n);
  }
  const none = groupBy([() => 1], 0);
  assertEquals([none.first.length, none.start.length, none.order.length], [0, 1, 0]);
});

Deno.test("the report's grouping: 100,000 distinct decimals in two columns make 100,000 groups, each its own run", () => {
  const rand = mulberry32(7);
  const a = Float64Array.from({ length: 100_000 }, () => rand());
  const b = Float64Array.from({ length: 100_000 }, () => rand());
  const g = groupBy([(i) => a[i], (i) => b[i]], a.length);
  assertEquals(g.first.length, 100_000);
  for (let k = 0; k < 100_000; k += 997) assertEquals([g.first[k], g.order[k]], [k, k]);
});
