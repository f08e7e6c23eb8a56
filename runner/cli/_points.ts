/**
 * The parsers of a sweep's points on the command line: `--grid`, `--point`, `--random` and the values in
 * them. Each refuses bad input with a {@linkcode UsageError} naming the option, the item and the fix.
 *
 * @module
 */

import { type ParamValue, parseParam } from "../../src/formats/params.ts";
import { paramKey } from "../../src/run/param_keys.ts";
import type { Params, RandomSpec } from "../sweep.ts";
import { messageOf, UsageError } from "./errors.ts";
import { decimalNumber } from "./_values.ts";
import { literalEnd } from "../../src/formats/_py_literal_reader.ts";

/** A grid from `--grid`: values per parameter. */
export type Grid = Record<string, ParamValue[]>;

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
 * import { parseCliValue } from "./_points.ts";
 * console.log(parseCliValue("inf"), parseCliValue("true"), Object.is(parseCliValue("-0"), -0)); // Infinity true true
 * ```
 */
export function parseCliValue(text: string): ParamValue {
  const t = text.trim();
  if (t === "true" || t === "false") return t === "true";
  // Python's int("-0") is 0, but on a command line "-0" means the float -0 (what config.ini writes -0.0).
  if (/^-0+$/.test(t)) return -0;
  // configparser strips a value's surrounding white space: `x=[1, 2], [3, 4]` is two lists, not a list
  // and the text " [3, 4]" (quote a value to keep its spaces: ' a ')
  return parseParam(t);
}

function checkedKey(option: string, item: string, key: string): string {
  try {
    return paramKey(key);
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

function refuseDuplicate(
  option: string,
  item: string,
  key: string,
  taken: string[],
  fix = "give each key once",
): void {
  const folded = key.toLowerCase();
  const other = taken.find((k) => k.toLowerCase() === folded);
  if (other === undefined) return;
  const why = other === key
    ? `"${key}" is given twice`
    : `"${key}" and "${other}" are the same key (config.ini keys ignore case)`;
  throw new UsageError(`${option} ${item}: ${why}; ${fix}`, "run");
}

/**
 * `text` split at its commas, except those inside a Python literal that begins an item (`[1, 2]`,
 * `{'a': 1}`, `'a,b'`) or, with `afterKey`, begins an item's value after its `KEY=`: `--grid x=[1, 2],[3]`
 * has two values. A bracket or quote that does not form a whole literal is plain text, split at commas.
 */
export function splitItems(text: string, afterKey = false): string[] {
  const items: string[] = [];
  let start = 0;
  while (true) {
    const comma = text.indexOf(",", start);
    const eq = afterKey ? text.indexOf("=", start) : -1;
    const valueAt = eq >= 0 && (comma < 0 || eq < comma) ? eq + 1 : start;
    const end = literalEnd(text, valueAt, ",") ?? text.indexOf(",", valueAt);
    if (end < 0 || end === text.length) {
      items.push(text.slice(start));
      return items;
    }
    items.push(text.slice(start, end));
    start = end + 1;
  }
}

function parseValues(option: string, item: string, text: string): ParamValue[] {
  const parts = splitItems(text);
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
 * import { addGridItem } from "./_points.ts";
 * console.log(addGridItem("lr=0.1,0.01", addGridItem("n=100,1000", undefined))); // { n: [100, 1000], lr: [0.1, 0.01] }
 * ```
 */
export function addGridItem(item: string, previous: Grid | undefined): Grid {
  const form = "KEY=VALUE1,VALUE2,… (e.g. --grid n=100,1000)";
  const [key, text] = splitPair("--grid", item, item, form);
  checkedKey("--grid", item, key);
  const fix =
    `give all values of a key in one --grid ${key}=V1,V2,… (repeats are refused, not merged)`;
  refuseDuplicate("--grid", item, key, Object.keys(previous ?? {}), fix);
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
 * import { addPointItem } from "./_points.ts";
 * console.log(addPointItem("n=10,mode=fast", undefined)); // [ { n: 10, mode: "fast" } ]
 * ```
 */
export function addPointItem(item: string, previous: Params[] | undefined): Params[] {
  const point: Params = {};
  for (const pair of splitItems(item, true)) {
    const [key, text] = splitPair("--point", item, pair, "K=V,K2=V2 (e.g. --point n=10,lr=0.1)");
    checkedKey("--point", item, key);
    refuseDuplicate("--point", item, key, Object.keys(point));
    point[key] = parseCliValue(text);
  }
  return [...(previous ?? []), point];
}

function randomRange(item: string, kind: string | undefined, rest: string): RandomSpec {
  const parts = rest.split(":");
  // int:MIN:MAX:log (or log:MIN:MAX:int): log-uniform whole numbers, the `--evolve` suffix
  const both = parts.length === 3 && (kind === "int" && parts[2] === "log" ||
    kind === "log" && parts[2] === "int");
  if (both) parts.pop();
  const [min, max] = parts.map(decimalNumber);
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
  if ((kind === "log" || both) && min <= 0) {
    throw new UsageError(`--random ${item}: log sampling needs MIN > 0`, "run");
  }
  if ((kind === "int" || both) && !(Number.isSafeInteger(min) && Number.isSafeInteger(max))) {
    throw new UsageError(
      `--random ${item}: int: needs whole numbers MIN and MAX within ±${Number.MAX_SAFE_INTEGER}`,
      "run",
    );
  }
  return { min, max, log: kind === "log" || both, integer: kind === "int" || both };
}

/**
 * Adds one `--random KEY=SPEC` (`MIN:MAX`, `log:MIN:MAX`, `int:MIN:MAX`, `int:MIN:MAX:log` or
 * `choice:A,B,C`).
 *
 * @param item The option's text.
 * @param previous The specs of the earlier `--random` options.
 * @returns A new record with the key added.
 * @throws {UsageError} A malformed spec, MIN > MAX, log with MIN ≤ 0, an invalid or repeated key.
 *
 * @example
 * ```ts
 * import { addRandomItem } from "./_points.ts";
 * console.log(addRandomItem("lr=log:0.001:0.1", undefined)); // { lr: { min: 0.001, max: 0.1, log: true, integer: false } }
 * ```
 */
export function addRandomItem(
  item: string,
  previous: Record<string, RandomSpec> | undefined,
): Record<string, RandomSpec> {
  const m = /^([^=]+)=(?:(log|int|choice):)?(.+)$/.exec(item);
  const bare = /^[^=]+=(log|int|choice):$/.exec(item)?.[1];
  if (bare) {
    throw new UsageError(
      `--random ${item}: ${bare}: needs ${
        bare === "choice"
          ? "the values to draw from, e.g. choice:0.1,0.2"
          : "MIN:MAX, e.g. " + bare + ":1:100"
      }`,
      "run",
    );
  }
  if (!m) {
    throw new UsageError(
      `--random ${item}: write KEY=MIN:MAX, KEY=log:MIN:MAX, KEY=int:MIN:MAX, KEY=int:MIN:MAX:log or ` +
        `KEY=choice:A,B`,
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
