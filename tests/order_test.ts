import { assert, assertEquals } from "./_assert.ts";
import { compareParamValues } from "../src/group/order.ts";

const sorted = (values: unknown[], descending = false) =>
  [...values].sort((a, b) => compareParamValues(a, b, { descending }));

Deno.test("compareParamValues(): numbers, NaN, booleans, strings, other values, missing", () => {
  const values = [null, "b", 3, [1], NaN, true, -Infinity, undefined, 10n, "a", false, 0.5, {
    a: 1,
  }];
  assertEquals(sorted(values), [
    -Infinity,
    0.5,
    3,
    10n,
    NaN,
    false,
    true,
    "a",
    "b",
    [1],
    { a: 1 },
    null,
    undefined,
  ]);
  assertEquals(sorted(values, true), [
    10n,
    3,
    0.5,
    -Infinity,
    NaN,
    true,
    false,
    "b",
    "a",
    [1],
    { a: 1 },
    null,
    undefined,
  ]);
});

Deno.test("compareParamValues(): bigints and numbers compare by value, -0 equals 0, strings by code unit", () => {
  assertEquals(compareParamValues(0, -0), 0);
  assertEquals(compareParamValues(10n, 10), 0);
  assert(compareParamValues(2n ** 64n, 1.8e19) > 0);
  assert(compareParamValues(9007199254740993n, 9007199254740992) > 0, "exact beyond 2^53");
  assert(compareParamValues("B", "a") < 0, "upper case before lower case, as in Python");
  assert(
    compareParamValues(Infinity, NaN) < 0 &&
      compareParamValues(NaN, Infinity, { descending: true }) > 0,
  );
  assertEquals(compareParamValues(NaN, NaN), 0);
  assertEquals(compareParamValues(null, undefined), 0);
  assertEquals(compareParamValues([2], { a: 1 }), 0, "other values keep their order (stable sort)");
});

Deno.test("compareParamValues() is a consistent comparator: antisymmetric and transitive on mixed values", () => {
  const pool: unknown[] = [
    -1,
    0,
    -0,
    1,
    1.5,
    Infinity,
    -Infinity,
    NaN,
    3n,
    -5n,
    true,
    false,
    "",
    "a",
    "B",
    "10",
    [],
    [0],
    {},
    null,
    undefined,
  ];
  for (const descending of [false, true]) {
    const c = (a: unknown, b: unknown) => Math.sign(compareParamValues(a, b, { descending }));
    for (const a of pool) {
      for (const b of pool) {
        assertEquals(c(a, b), 0 - c(b, a), `${String(a)} vs ${String(b)}`);
        for (const d of pool) {
          if (c(a, b) <= 0 && c(b, d) <= 0) {
            assert(c(a, d) <= 0, `${String(a)} ≤ ${String(b)} ≤ ${String(d)}`);
          }
        }
      }
    }
    // Whatever the mix, a number comes first when there is one.
    const first = sorted(pool.filter((v) => typeof v !== "number" || v !== v), descending)[0];
    assert(typeof first === "bigint", String(first));
  }
});
