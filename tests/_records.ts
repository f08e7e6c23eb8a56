/** Test helper: a run record equal to the original — its keys in the same order, every value the same. */
import { assert, assertEquals } from "./_assert.ts";
import type { RunRecord } from "../runner/mod.ts";

/** Asserts `actual` equals `expected`: keys in order, `Object.is` on plain values, params/result alike. */
export function assertSame(actual: RunRecord, expected: RunRecord): void {
  assertEquals(Object.keys(actual), Object.keys(expected), "the keys in the same order");
  assertEquals(actual, expected);
  for (const k of Object.keys(expected) as (keyof RunRecord)[]) {
    if (typeof expected[k] !== "object") {
      assert(Object.is(actual[k], expected[k]), `${k}: ${expected[k]}`);
    }
  }
  for (const field of ["params", "result"] as const) {
    const [a, e] = [actual[field], expected[field]];
    if (e === undefined) continue;
    assertEquals(Object.keys(a!), Object.keys(e), `${field}: the keys in the same order`);
    for (const k of Object.keys(e)) assert(Object.is(a![k], e[k]), `${field}.${k}: ${e[k]}`);
  }
}
