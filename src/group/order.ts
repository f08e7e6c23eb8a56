/**
 * The one order of parameter values across runs, used by {@linkcode StorageManagerGroup.sortBy}, the sweep
 * summary and `sweepstore report --sort`. A parameter may hold numbers in most runs and a string, `nan`,
 * `None` or nothing in others (a run that failed, a result written by hand); this order puts the values that
 * can be ranked first and never lets another kind of value come out on top.
 *
 * @module
 */

/** Options for {@linkcode compareParamValues}. */
export interface ParamOrderOptions {
  /**
   * Largest first: numbers (and booleans, strings) in descending order. NaN, non-numbers and missing
   * values stay after the numbers.
   * @default {false}
   */
  descending?: boolean;
}

/** The kinds of value, in the order they sort: numbers, NaN, booleans, strings, other values, missing. */
const NUMBER = 0, NAN = 1, BOOLEAN = 2, STRING = 3, OTHER = 4, MISSING = 5;

function kind(v: unknown): number {
  switch (typeof v) {
    case "number":
      return v === v ? NUMBER : NAN;
    case "bigint":
      return NUMBER;
    case "boolean":
      return BOOLEAN;
    case "string":
      return STRING;
    case "undefined":
      return MISSING;
    default:
      return v === null ? MISSING : OTHER;
  }
}

/**
 * Compares two parameter values for sorting runs (a comparator for `Array.prototype.sort`): negative when
 * `a` goes first, positive when `b` does, 0 when their order is left as it was (sorts are stable).
 *
 * The order, ascending:
 * 1. **numbers** (and bigints) by value, `-inf` first and `inf` last, `-0` equal to `0`;
 * 2. **NaN** after every number, as numpy's `np.sort` and pandas' `sort_values` put it;
 * 3. **booleans** (`false` before `true`): not numbers here, though Python counts them as 0 and 1;
 * 4. **strings** by UTF-16 code unit (`"B"` before `"a"`), as JavaScript and Python compare them;
 * 5. **other values** (lists, objects), equal among themselves;
 * 6. **missing** values (`undefined`, `null`, Python's `None`) last.
 *
 * With `descending`, each kind is reversed within itself (largest number first, `true` before `false`,
 * strings from `"z"` down) but the kinds keep their places: NaN, non-numbers and missing values still come
 * after every number. So a run whose `score` is a string, NaN or missing never ranks first, in either
 * direction: only a number is ever the "best" run.
 *
 * PymoNNto's `sort_by` gives missing values `-inf`, which puts them first ascending and last descending;
 * here they are last both ways (as pandas' `na_position="last"`), so the first run of either direction
 * holds a number whenever any run does.
 *
 * @param a The value of one run, as {@linkcode StorageManager.param} returns it.
 * @param b The value of another run.
 * @param options `descending` for largest first.
 * @returns A negative number, 0 or a positive number, as `Array.prototype.sort` expects.
 *
 * @example Sort mixed values: numbers first, then NaN, a string, and missing values
 * ```ts
 * import { compareParamValues } from "@sweepstore/sweepstore";
 * const scores = [0.5, "failed", null, NaN, 0.9, -1];
 * console.log([...scores].sort((a, b) => compareParamValues(a, b)));
 * // [-1, 0.5, 0.9, NaN, "failed", null]
 * console.log([...scores].sort((a, b) => compareParamValues(a, b, { descending: true })));
 * // [0.9, 0.5, -1, NaN, "failed", null]
 * ```
 */
export function compareParamValues(a: unknown, b: unknown, options?: ParamOrderOptions): number {
  const ka = kind(a), kb = kind(b);
  if (ka !== kb) return ka - kb;
  if (ka !== NUMBER && ka !== BOOLEAN && ka !== STRING) return 0;
  // Same kind: number/bigint mixes compare by value with < and >.
  const x = a as number | string, y = b as number | string;
  const c = x < y ? -1 : x > y ? 1 : 0;
  return options?.descending ? 0 - c : c; // 0 - c: never -0
}
