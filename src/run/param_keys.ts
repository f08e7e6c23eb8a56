/**
 * Parameter keys as configparser sees them. configparser stores every key through `optionxform`, which is
 * `str.lower()` by default (PymoNNto keeps the default), so `Score` and `score` are one key: the second
 * write replaces the first, and a file holding both is one that configparser refuses to read
 * (`DuplicateOptionError`). sweepstore therefore:
 *
 * - folds keys to lower case on the way in (saving `Score` when `score` exists replaces `score`, as in
 *   configparser and PymoNNto; reading is case-insensitive);
 * - refuses, in one call, two keys of one section that fold to the same key (`{ Score: 1, score: 2 }`),
 *   naming both: silently keeping one of them would lose a value;
 * - refuses keys with an upper-case letter outside ASCII (`Ä`, `İ`, `Σ`, …): their lower-case form depends
 *   on the Unicode version of the reader (Python 3.11 and Deno differ on 27 letters), on the context
 *   (final `ς`) or changes the key's length (`İ` → `i̇`), so Python could look for another key than the one
 *   written. Their lower-case spelling (`ä`) is accepted.
 *
 * @module
 */

import { validateKey } from "../formats/ini.ts";

/** The first character of `key` whose lower-case form is not safe to rely on, or undefined. */
function unsafeLetter(key: string): string | undefined {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(key)) return undefined; // ASCII folds the same everywhere
  for (const ch of key) {
    if (ch.codePointAt(0)! >= 0x80 && ch.toLowerCase() !== ch) return ch;
  }
  return undefined;
}

/**
 * The key configparser stores for `key` (lower-cased, as its default `optionxform`), after checking that it
 * is a valid key (see `validateKey`) and that its lower-case form does not depend on who lowercases it.
 *
 * @throws {TypeError} a key that `validateKey` refuses, or one with an upper-case letter outside ASCII.
 *
 * @example
 * ```ts
 * import { paramKey } from "./param_keys.ts";
 * console.log(paramKey("LearningRate")); // "learningrate"
 * try { paramKey("Ärger"); } catch (e) { console.log((e as Error).message); } // refused: write "ärger"
 * ```
 */
export function paramKey(key: string): string {
  const folded = validateKey(key);
  const bad = unsafeLetter(key);
  if (bad !== undefined) {
    throw new TypeError(
      `Invalid parameter key ${JSON.stringify(key)}: it contains the upper-case letter "${bad}" ` +
        `(U+${
          bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")
        }) outside ASCII, whose ` +
        "lower-case form differs between Python versions and Unicode tables; configparser lowercases " +
        "every key, so write the key in lower case" +
        (folded.length === key.length ? ` (${JSON.stringify(folded)})` : ""),
    );
  }
  return folded;
}

/**
 * Checks the keys of one section (as given to `saveParamDict`, a sweep's grid or a returned result) and
 * returns them folded, in order, as `[folded, original]` pairs. Two keys that configparser would store as
 * one (`Score`, `score`) are refused.
 *
 * @param keys the keys as the caller wrote them.
 * @param where where they go, for the message, e.g. `"[Parameters]"` or `"the grid"`.
 * @throws {TypeError} an invalid key (see {@linkcode paramKey}), or two keys that fold to one.
 *
 * @example
 * ```ts
 * import { checkParamKeys } from "@sweepstore/sweepstore";
 * console.log(checkParamKeys(["N", "lr"], "[Parameters]")); // [["n", "N"], ["lr", "lr"]]
 * try { checkParamKeys(["Score", "score"], "[Parameters]"); } catch (e) { console.log((e as Error).message); }
 * ```
 */
export function checkParamKeys(keys: Iterable<string>, where: string): [string, string][] {
  const seen = new Map<string, string>();
  const out: [string, string][] = [];
  for (const key of keys) {
    const folded = paramKey(key);
    const first = seen.get(folded);
    if (first !== undefined) {
      throw new TypeError(
        `Parameters ${JSON.stringify(first)} and ${
          JSON.stringify(key)
        } in ${where} are the same key ` +
          `for configparser, which lowercases keys (both are stored as ${
            JSON.stringify(folded)
          }): ` +
          "rename one of them, or keep only one",
      );
    }
    seen.set(folded, key);
    out.push([folded, key]);
  }
  return out;
}
