// Assertions for the tests, on top of node:assert (JSR's @std/assert is not reachable from here).
import nodeAssert from "node:assert/strict";

/** Fails unless `value` is truthy. */
export function assert(value: unknown, message?: string): asserts value {
  nodeAssert.ok(value, message);
}

/** Fails unless `actual` deep-equals `expected` (same types, same prototypes). */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

/** Fails unless `actual` does not deep-equal `expected`. */
export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message);
}

type ErrorClass = abstract new (...args: never[]) => Error;

function check(err: unknown, cls?: ErrorClass, includes?: string): Error {
  if (cls && !(err instanceof cls)) {
    throw new nodeAssert.AssertionError({
      message: `Expected ${cls.name}, got ${(err as Error)?.constructor?.name}: ${
        (err as Error)?.message
      }`,
    });
  }
  const e = err as Error;
  if (includes !== undefined && !String(e?.message).includes(includes)) {
    throw new nodeAssert.AssertionError({
      message: `Expected the error message to include ${
        JSON.stringify(includes)
      }, got: ${e?.message}`,
    });
  }
  return e;
}

/** Fails unless `fn` throws (an instance of `cls`, whose message includes `includes`); returns the error. */
export function assertThrows(fn: () => unknown, cls?: ErrorClass, includes?: string): Error {
  try {
    fn();
  } catch (err) {
    return check(err, cls, includes);
  }
  throw new nodeAssert.AssertionError({ message: "Expected the function to throw" });
}

/** Fails unless `fn` rejects (with an instance of `cls`, whose message includes `includes`). */
export async function assertRejects(
  fn: () => Promise<unknown>,
  cls?: ErrorClass,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return check(err, cls, includes);
  }
  throw new nodeAssert.AssertionError({ message: "Expected the promise to reject" });
}

/** Fails unless `|actual - expected| <= tolerance * max(1, |expected|)`. */
export function assertAlmostEquals(actual: number, expected: number, tolerance = 1e-12): void {
  const ok = Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)) ||
    (Number.isNaN(actual) && Number.isNaN(expected));
  nodeAssert.ok(ok, `Expected ${actual} to be within ${tolerance} of ${expected}`);
}
