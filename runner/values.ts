/**
 * What a sweep may put into a run folder's `config.ini`, checked once: parameter keys (valid for
 * configparser, and unique when case is folded, as configparser folds it) and values (what the storage
 * layer's `formatParam` can write; the rest is refused naming the key and the type). Used for the sweep's
 * points before anything starts, and for what `simulate` returns.
 *
 * @module
 */

import { paramKey } from "../src/run/param_keys.ts";
import { formatParam, type ParamValue, parseParam } from "../src/formats/params.ts";

/**
 * `simulate` returned something a run folder cannot store; the run fails with reason `result`.
 *
 * @example
 * ```ts
 * import { checkResult, ResultError } from "@sweepstore/sweepstore/runner";
 * try {
 *   checkResult({ when: new Date() });
 * } catch (err) {
 *   console.log(err instanceof ResultError, (err as Error).message); // true, names the key and the type
 * }
 * ```
 */
export class ResultError extends TypeError {
  /** Creates the error; the message names the key and the type. */
  constructor(message: string) {
    super(message);
    this.name = "ResultError";
  }
}

/** A value's type as a user would name it: `number`, `bigint`, `Date`, `Map`, `array`, `null`, … */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value !== "object") return typeof value;
  const proto = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return "object";
  return (value as object).constructor?.name ?? "object";
}

/**
 * Checks the keys and values of one set of parameters (a point, a grid, a result): every key valid for
 * `config.ini`, no two keys equal when case is folded, every value storable. `where` names the option
 * (`"grid"`, `"points[3]"`, `"the result of simulate()"`). Returns the lowercased keys. The longest
 * point (each key with its longest value) may take at most 8 MiB of `config.ini` text.
 *
 * @throws {TypeError} Naming the option, the key, the type and the fix; or naming the option when its
 * values take more than 8 MiB of `config.ini` text.
 *
 * @example
 * ```ts
 * import { checkParams } from "@sweepstore/sweepstore/runner";
 * checkParams("points[0]", { n: 1, lr: NaN }); // fine
 * try { checkParams("grid", { Score: 1, score: 2 }); } catch (e) { console.log((e as Error).message); }
 * ```
 */
export function checkParams(
  where: string,
  params: Record<string, unknown>,
  values: (key: string, value: unknown) => unknown[] = (_k, v) => [v],
): string[] {
  const seen = new Map<string, string>();
  let chars = 0; // of the longest point: each key with its longest value
  for (const [key, value] of Object.entries(params)) {
    let lower: string;
    try {
      lower = paramKey(key); // configparser's rules, and no upper-case letter outside ASCII
    } catch (err) {
      throw new TypeError(`${where}: ${(err as Error).message}`);
    }
    checkNotCreationTime(where, key, lower);
    const other = seen.get(lower);
    if (other !== undefined) {
      throw new TypeError(
        `${where}: the keys "${other}" and "${key}" are the same key in config.ini (configparser ` +
          "ignores case): rename one of them",
      );
    }
    seen.set(lower, key);
    let longest = 0;
    for (const v of values(key, value)) longest = Math.max(longest, storableChars(where, key, v));
    chars += key.length + longest;
  }
  if (chars > MAX_VALUES_CHARS) {
    throw new TypeError(
      `${where}: its values take ${chars} characters in config.ini (at most ${MAX_VALUES_CHARS}): ` +
        "every reader of the group reads config.ini whole; keep large data in files of the run " +
        "(sm.saveNp(), sm.saveObj()) and put a summary or a file name in config.ini",
    );
  }
  return [...seen.keys()];
}

/**
 * The most characters one point's parameters, or one run's results, may take in `config.ini` (8 MiB):
 * larger data belongs in `.npy` / object files. (It also keeps every slot protocol message well within
 * its 64 MiB frame: a 70 MB result once ended the sweep's process with an uncaught error.)
 */
const MAX_VALUES_CHARS = 8 * 1024 * 1024;

/**
 * Refuses a parameter or result named `time` (in any case): in `config.ini` that key is the run's
 * creation time in epoch seconds, PymoNNto's first key (written when the folder is made), which a
 * parameter of that name would overwrite without a word.
 *
 * @throws {TypeError} Naming the option and a free name to use.
 *
 * @example
 * ```ts
 * import { checkNotCreationTime } from "@sweepstore/sweepstore/runner";
 * try { checkNotCreationTime("grid", "Time"); } catch (e) { console.log((e as Error).message); }
 * ```
 */
export function checkNotCreationTime(
  where: string,
  key: string,
  lower: string = key.toLowerCase(),
): void {
  if (lower !== "time") return;
  throw new TypeError(
    `${where}: "${key}" is the run's creation time in config.ini (epoch seconds, written when the ` +
      'folder is made, as PymoNNto does): name yours otherwise, e.g. "sim_time" or "t_max"',
  );
}

/**
 * Checks that `value` can be stored as parameter `key`; throws a TypeError naming the option, key and type.
 *
 * @example
 * ```ts
 * import { checkStorable } from "@sweepstore/sweepstore/runner";
 * checkStorable("grid", "n", 5n); // fine: bigints are stored
 * try { checkStorable("grid", "when", new Date()); } catch (e) { console.log((e as Error).message); }
 * ```
 */
export function checkStorable(where: string, key: string, value: unknown): void {
  storableChars(where, key, value);
}

/** {@linkcode checkStorable}, returning the length of the value's `config.ini` text. */
function storableChars(where: string, key: string, value: unknown): number {
  let text: string;
  try {
    text = formatParam(value);
  } catch (err) {
    throw new TypeError(
      `${where}: "${key}" is ${typeName(value)}, which config.ini cannot store (${
        (err as Error).message
      }); use numbers, strings, booleans, null, bigints, or arrays and plain objects of them`,
    );
  }
  const bad = illFormed(value);
  if (bad !== undefined) {
    throw new TypeError(
      `${where}: "${key}" holds a string with a lone surrogate (${
        JSON.stringify(bad.slice(0, 40))
      }), which is not valid UTF-8: the slot protocol and the SLURM sweep file (CBOR) cannot carry ` +
        "it; fix the string (e.g. with toWellFormed())",
    );
  }
  return text.length;
}

/** The first string (or object key) in `value` that is not well-formed UTF-16, if any (`value` is acyclic). */
function illFormed(value: unknown): string | undefined {
  if (typeof value === "string") return value.isWellFormed() ? undefined : value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const bad = illFormed(v);
      if (bad !== undefined) return bad;
    }
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const bad = k.isWellFormed() ? illFormed(v) : k;
      if (bad !== undefined) return bad;
    }
  }
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * What `simulate` returned, as the values its run folder stores and reads back (so the run's record agrees
 * with its folder): a number becomes `{ score }`, an object is checked key by key, nothing is `undefined`.
 *
 * `point` is the run's parameters: a result key equal to one of them once lowercased (as configparser
 * folds keys) would overwrite the swept value in `config.ini`, and is refused.
 *
 * @throws {ResultError} For a return value of another kind, an invalid or colliding key (also with a key
 * of `point`), a value that cannot be stored (naming the key and the type), or results taking more than
 * 8 MiB of `config.ini` text.
 *
 * @example
 * ```ts
 * import { checkResult } from "@sweepstore/sweepstore/runner";
 * console.log(checkResult(0.5), checkResult({ loss: NaN, n: 3 })); // { score: 0.5 } { loss: NaN, n: 3 }
 * ```
 */
export function checkResult(
  value: unknown,
  point: Record<string, unknown> = {},
): Record<string, ParamValue> | undefined {
  if (value === undefined || value === null) return undefined;
  const dict = typeof value === "number" ? { score: value } : value;
  if (!isPlainObject(dict)) {
    throw new ResultError(
      `simulate() returned ${
        typeName(value)
      }: return an object of results, a number (saved as score), ` +
        "or nothing",
    );
  }
  const out: Record<string, ParamValue> = {};
  try {
    checkParams("the result of simulate()", dict);
  } catch (err) {
    throw new ResultError((err as Error).message);
  }
  const pointKeys = new Map(Object.keys(point).map((k) => [paramKey(k), k]));
  for (const k of Object.keys(dict)) {
    const same = pointKeys.get(paramKey(k));
    if (same !== undefined) {
      throw new ResultError(
        `simulate() returned "${k}", which is also a parameter of this point ("${same}"): it would ` +
          `overwrite the swept value in config.ini (configparser folds keys to lower case); return it ` +
          `under another name, e.g. "${paramKey(k)}_result"`,
      );
    }
  }
  for (const [k, v] of Object.entries(dict)) out[k] = parseParam(formatParam(v));
  return out;
}
