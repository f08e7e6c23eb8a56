/**
 * The CLI's value parsers: each turns one option's text into a typed value or throws a
 * {@linkcode UsageError} naming the option, the value and the fix. The option specs (`*_command.ts`) hand
 * them to the argument parser, so the values reach the commands already typed and checked, before
 * anything starts.
 *
 * @module
 */

import { type ParamValue, parseParam } from "../../src/formats/params.ts";
import { validateKey, validateSection } from "../../src/formats/ini.ts";
import { validateName } from "../../src/run/names.ts";
import { parseQuery } from "../../src/group/query.ts";
import type { ReducerName } from "../../src/group/reducers.ts";
import type { Params, RandomSpec } from "../sweep.ts";
import { UsageError } from "./errors.ts";

/** A grid from `--grid`: values per parameter. */
export type Grid = Record<string, ParamValue[]>;

/** setTimeout's largest delay (about 24.8 days); longer durations would fire at once. */
const MAX_DURATION_MS = 2_147_483_647;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * One value as written on the command line, read like a `config.ini` value (see `parseParam`): numbers
 * (`1`, `2.5`, `1e-3`, `nan`, `inf`, `-inf`, `-0` → NaN, Infinity, -Infinity, -0), `true`/`false`/`True`/
 * `False`, `None`, Python literals (`[1, 2]`, `'quoted'`), anything else as text.
 *
 * @param text The value's text.
 * @returns The value.
 *
 * @example
 * ```ts
 * import { parseCliValue } from "./_values.ts";
 * console.log(parseCliValue("inf"), parseCliValue("true"), Object.is(parseCliValue("-0"), -0)); // Infinity true true
 * ```
 */
export function parseCliValue(text: string): ParamValue {
  const t = text.trim();
  if (t === "true" || t === "false") return t === "true";
  // Python's int("-0") is 0, but on a command line "-0" means the float -0 (what config.ini writes -0.0).
  if (/^-0+$/.test(t)) return -0;
  return parseParam(text);
}

function checkedKey(option: string, item: string, key: string): string {
  try {
    return validateKey(key);
  } catch (err) {
    throw new UsageError(`${option} ${item}: ${messageOf(err)}`, "run");
  }
}

/** Splits `KEY=VALUE` at its one `=`; refuses a missing key or value and a second `=`. */
function splitPair(option: string, item: string, pair: string, form: string): [string, string] {
  const eq = pair.indexOf("=");
  if (eq <= 0 || eq === pair.length - 1) {
    throw new UsageError(`${option} ${item}: write ${form}`, "run");
  }
  if (pair.indexOf("=", eq + 1) >= 0) {
    throw new UsageError(
      `${option} ${item}: more than one "=" in ${JSON.stringify(pair)}; a key cannot contain "=" ` +
        `(configparser splits there) and a value cannot either: write ${form}`,
      "run",
    );
  }
  return [pair.slice(0, eq), pair.slice(eq + 1)];
}

function refuseDuplicate(option: string, item: string, key: string, taken: string[]): void {
  const folded = key.toLowerCase();
  const other = taken.find((k) => k.toLowerCase() === folded);
  if (other === undefined) return;
  const why = other === key
    ? `"${key}" is given twice`
    : `"${key}" and "${other}" are the same key (config.ini keys ignore case)`;
  throw new UsageError(`${option} ${item}: ${why}; give each key once`, "run");
}

function parseValues(option: string, item: string, text: string): ParamValue[] {
  const parts = text.split(",");
  if (parts.some((p) => p.trim() === "")) {
    throw new UsageError(
      `${option} ${item}: an empty value; write V1,V2,… without empty items`,
      "run",
    );
  }
  return parts.map(parseCliValue);
}

/**
 * Adds one `--grid KEY=V1,V2,…` to the grid so far. A key given twice (also in another case: config.ini
 * keys ignore case) is refused rather than merged, so that no value is dropped or doubled silently.
 *
 * @param item The option's text.
 * @param previous The grid of the earlier `--grid` options.
 * @returns A new grid with the key added.
 * @throws {UsageError} A malformed item, an invalid or repeated key, an empty value.
 *
 * @example
 * ```ts
 * import { addGridItem } from "./_values.ts";
 * console.log(addGridItem("lr=0.1,0.01", addGridItem("n=100,1000", undefined))); // { n: [100, 1000], lr: [0.1, 0.01] }
 * ```
 */
export function addGridItem(item: string, previous: Grid | undefined): Grid {
  const form = "KEY=VALUE1,VALUE2,… (e.g. --grid n=100,1000)";
  const [key, text] = splitPair("--grid", item, item, form);
  checkedKey("--grid", item, key);
  refuseDuplicate("--grid", item, key, Object.keys(previous ?? {}));
  return { ...previous, [key]: parseValues("--grid", item, text) };
}

/**
 * Adds one `--point K=V,K2=V2` to the points so far.
 *
 * @param item The option's text.
 * @param previous The points of the earlier `--point` options.
 * @returns A new list with the point added.
 * @throws {UsageError} A malformed pair, an invalid or repeated key.
 *
 * @example
 * ```ts
 * import { addPointItem } from "./_values.ts";
 * console.log(addPointItem("n=10,mode=fast", undefined)); // [ { n: 10, mode: "fast" } ]
 * ```
 */
export function addPointItem(item: string, previous: Params[] | undefined): Params[] {
  const point: Params = {};
  for (const pair of item.split(",")) {
    const [key, text] = splitPair("--point", item, pair, "K=V,K2=V2 (e.g. --point n=10,lr=0.1)");
    checkedKey("--point", item, key);
    refuseDuplicate("--point", item, key, Object.keys(point));
    point[key] = parseCliValue(text);
  }
  return [...(previous ?? []), point];
}

function randomRange(item: string, kind: string | undefined, rest: string): RandomSpec {
  const parts = rest.split(":");
  const [min, max] = parts.map((p) => (p.trim() === "" ? NaN : Number(p)));
  if (parts.length !== 2 || !Number.isFinite(min) || !Number.isFinite(max)) {
    throw new UsageError(
      `--random ${item}: MIN and MAX must be finite numbers (KEY=MIN:MAX)`,
      "run",
    );
  }
  if (min > max) {
    throw new UsageError(
      `--random ${item}: MIN ${min} is larger than MAX ${max}; write the smaller number first`,
      "run",
    );
  }
  if (kind === "log" && min <= 0) {
    throw new UsageError(`--random ${item}: log sampling needs MIN > 0`, "run");
  }
  return { min, max, log: kind === "log", integer: kind === "int" };
}

/**
 * Adds one `--random KEY=SPEC` (`MIN:MAX`, `log:MIN:MAX`, `int:MIN:MAX` or `choice:A,B,C`).
 *
 * @param item The option's text.
 * @param previous The specs of the earlier `--random` options.
 * @returns A new record with the key added.
 * @throws {UsageError} A malformed spec, MIN > MAX, log with MIN ≤ 0, an invalid or repeated key.
 *
 * @example
 * ```ts
 * import { addRandomItem } from "./_values.ts";
 * console.log(addRandomItem("lr=log:0.001:0.1", undefined)); // { lr: { min: 0.001, max: 0.1, log: true, integer: false } }
 * ```
 */
export function addRandomItem(
  item: string,
  previous: Record<string, RandomSpec> | undefined,
): Record<string, RandomSpec> {
  const m = /^([^=]+)=(?:(log|int|choice):)?(.+)$/.exec(item);
  if (!m) {
    throw new UsageError(
      `--random ${item}: write KEY=MIN:MAX, KEY=log:MIN:MAX, KEY=int:MIN:MAX or KEY=choice:A,B`,
      "run",
    );
  }
  const [, key, kind, rest] = m;
  checkedKey("--random", item, key);
  refuseDuplicate("--random", item, key, Object.keys(previous ?? {}));
  const spec: RandomSpec = kind === "choice"
    ? { choices: parseValues("--random", item, rest) }
    : randomRange(item, kind, rest);
  return { ...previous, [key]: spec };
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
    return validateName(text, "sweep name");
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
    if (err instanceof RangeError) {
      throw new UsageError(
        `--where: the query is nested too deeply (${text.length} characters); ` +
          `write it with fewer parentheses`,
        "report",
      );
    }
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
