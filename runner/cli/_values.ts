/**
 * The CLI's option value parsers (those of a sweep's points are in `_points.ts`): each turns one option's
 * text into a typed value or throws a {@linkcode UsageError} naming the option, the value and the fix.
 * The option specs (`_*_command.ts`) hand them to the argument parser, so the values reach the commands
 * typed and checked, before anything starts.
 *
 * @module
 */

import { validateKey, validateSection } from "../../src/formats/ini.ts";
import { validateName } from "../../src/run/names.ts";
import { MAX_NUMBER_DIGITS } from "../../src/run/data_folder.ts";

/** A sweep name is the prefix of its run folders (`<name><nr>`): room is kept for the number. */
const SWEEP_NAME_RESERVE = {
  reserveBytes: MAX_NUMBER_DIGITS,
  reserveFor: "the run number of its run folders",
};
import { parseQuery } from "../../src/group/query.ts";
import type { ReducerName } from "../../src/group/reducers.ts";
import { messageOf, UsageError } from "./errors.ts";
import { MAX_DURATION_MS } from "../sweep_options.ts";

/**
 * A decimal number as written on the command line (`12`, `-0.5`, `1e-5`, `.5`), else NaN: no hex, octal,
 * binary or `Infinity` as `Number()` would take (`0x10` is no range bound of 16).
 *
 * @example
 * ```ts
 * import { decimalNumber } from "./_values.ts";
 * console.log(decimalNumber("1e-5"), decimalNumber("0x10")); // 0.00001 NaN
 * ```
 */
export function decimalNumber(text: string): number {
  const t = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : NaN;
}

/**
 * A parser for a whole-number option of at least `min` (decimal digits only).
 *
 * @param flag The option's name, for the message (e.g. `"--repeats"`).
 * @param min The smallest value allowed.
 * @param what What the number is, for the message.
 * @returns The parser.
 *
 * @example
 * ```ts
 * import { wholeNumber } from "./_values.ts";
 * console.log(wholeNumber("--repeats", 1)("3")); // 3
 * ```
 */
export function wholeNumber(flag: string, min: number, what = ""): (text: string) => number {
  return (text) => {
    const n = /^\s*\+?\d+\s*$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n) || n < min) {
      throw new UsageError(
        `${flag} ${text}: expected a whole number ≥ ${min}${what ? ` (${what})` : ""}`,
      );
    }
    return n;
  };
}

/**
 * A parser for a duration option: `90` (seconds), `90s`, `500ms`, `5m`, `2h`; in milliseconds.
 *
 * @param flag The option's name, for the message.
 * @param allowZero Whether `0` is allowed.
 * @returns The parser (milliseconds).
 *
 * @example
 * ```ts
 * import { duration } from "./_values.ts";
 * console.log(duration("--timeout", false)("1.5m")); // 90000
 * ```
 */
export function duration(flag: string, allowZero: boolean): (text: string) => number {
  return (text) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m?.[2] ?? "s"] ?? 1000;
    const ms = m ? Math.round(Number(m[1]) * unit) : NaN;
    if (!(ms >= (allowZero ? 0 : 1) && ms <= MAX_DURATION_MS)) {
      throw new UsageError(
        `${flag} ${text}: write a duration${allowZero ? "" : " above 0"} like 90, 90s, 500ms, 5m ` +
          `or 2h (at most 24 days)`,
      );
    }
    return ms;
  };
}

/**
 * Checks a sweep name (as `validateName`: one folder name, no `/`, `..`, leading `.`).
 *
 * @param text The name.
 * @returns The name.
 * @throws {UsageError} An invalid name.
 *
 * @example
 * ```ts
 * import { sweepName } from "./_values.ts";
 * console.log(sweepName("MySweep")); // "MySweep"
 * ```
 */
export function sweepName(text: string): string {
  try {
    return validateName(text, "sweep name", SWEEP_NAME_RESERVE);
  } catch (err) {
    throw new UsageError(messageOf(err));
  }
}

/**
 * Checks a `--where` query by parsing it (a deeply nested query is refused, not a crash).
 *
 * @param text The query, e.g. `"n>1000 && lr<=0.01"`.
 * @returns The query text.
 * @throws {UsageError} A query that does not parse.
 *
 * @example
 * ```ts
 * import { whereQuery } from "./_values.ts";
 * console.log(whereQuery("n>1000 && lr<=0.01")); // "n>1000 && lr<=0.01"
 * ```
 */
export function whereQuery(text: string): string {
  try {
    parseQuery(text);
    return text;
  } catch (err) {
    // A QueryError's message shows the query with a caret under the mistake (deep nesting included).
    throw new UsageError(`--where: ${messageOf(err)}`, "report");
  }
}

/**
 * A parser for an option that names a parameter (`plot --x n`): a valid `config.ini` key, so that it is
 * also safe in a file name.
 *
 * @param flag The option's name, for the message.
 * @returns The parser (the name unchanged).
 *
 * @example
 * ```ts
 * import { paramName } from "./_values.ts";
 * console.log(paramName("--x")("n")); // "n"
 * ```
 */
export function paramName(flag: string): (text: string) => string {
  return (text) => {
    try {
      validateKey(text);
      return text;
    } catch (err) {
      throw new UsageError(`${flag} ${text}: ${messageOf(err)}`);
    }
  };
}

/**
 * Checks a `--section` name (as `validateSection`).
 *
 * @param text The section's name.
 * @returns The name.
 * @throws {UsageError} An invalid section name.
 *
 * @example
 * ```ts
 * import { sectionName } from "./_values.ts";
 * console.log(sectionName("Run")); // "Run"
 * ```
 */
export function sectionName(text: string): string {
  try {
    validateSection(text);
    return text;
  } catch (err) {
    throw new UsageError(`--section ${text}: ${messageOf(err)}`, "report");
  }
}

/** The reducers `plot --reducer` offers (a compile error here: reducers.ts has a name to list). */
const REDUCERS: Record<ReducerName, true> = {
  mean: true,
  average: true,
  std: true,
  median: true,
  min: true,
  max: true,
  sum: true,
  count: true,
  nanmean: true,
  nanstd: true,
  nanmedian: true,
  nanmin: true,
  nanmax: true,
  nansum: true,
};

/** The reducer names, for the help. */
export const REDUCER_NAMES: readonly string[] = Object.keys(REDUCERS);

function isReducerName(text: string): text is ReducerName {
  return Object.hasOwn(REDUCERS, text);
}

/**
 * Checks a `--reducer` name.
 *
 * @param text The name.
 * @returns The reducer's name.
 * @throws {UsageError} An unknown name (the valid ones are listed).
 *
 * @example
 * ```ts
 * import { reducerName } from "./_values.ts";
 * console.log(reducerName("median")); // "median"
 * ```
 */
export function reducerName(text: string): ReducerName {
  if (isReducerName(text)) return text;
  throw new UsageError(`--reducer ${text}: use one of ${REDUCER_NAMES.join(", ")}`, "plot");
}

/**
 * A comma-separated list of names (`--columns a,b`), empty items dropped.
 *
 * @param text The list.
 * @returns The names.
 *
 * @example
 * ```ts
 * import { nameList } from "./_values.ts";
 * console.log(nameList("score, n,")); // [ "score", "n" ]
 * ```
 */
export function nameList(text: string): string[] {
  return text.split(",").map((c) => c.trim()).filter(Boolean);
}

/**
 * A permission option's value: `--allow-net` alone (`""` or `true`) → `true`, `--allow-net=a,b` → the list.
 *
 * @param text The option's value.
 * @returns `true` or the list.
 *
 * @example
 * ```ts
 * import { permissionValue } from "./_values.ts";
 * console.log(permissionValue(""), permissionValue("example.com,localhost")); // true [ "example.com", "localhost" ]
 * ```
 */
export function permissionValue(text: string): true | string[] {
  return text === "" ? true : text.split(",");
}
