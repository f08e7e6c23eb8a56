/**
 * Validation of the names users give to runs and files, so that no name escapes its folder or hides
 * among sweepstore's temporary files.
 *
 * @module
 */

import { TEMP_PREFIX } from "../formats/atomic.ts";

/**
 * Checks that `name` is safe as one file or folder name and returns it unchanged.
 * Refused, with a `TypeError` that says why: empty names, `/`, `\`, NUL or other control characters,
 * `.` and `..`, a leading `.` (hidden files, and sweepstore's temporary files), leading or trailing
 * white space, and names longer than 200 characters.
 *
 * @example
 * ```ts
 * import { validateName } from "@sweepstore/sweepstore";
 * validateName("weights"); // "weights"
 * try { validateName("../etc"); } catch (e) { console.log((e as Error).message); }
 * ```
 */
export function validateName(name: string, what = "name"): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`The ${what} must be a non-empty string`);
  }
  let reason: string | undefined;
  if (name.length > 200) reason = "is longer than 200 characters";
  else if (/[/\\]/.test(name)) reason = "contains a path separator (/ or \\)";
  // deno-lint-ignore no-control-regex
  else if (/[\x00-\x1f\x7f]/.test(name)) reason = "contains a control character or newline";
  else if (name === "." || name === ".." || name.includes("..")) reason = 'contains ".."';
  else if (name.startsWith(".")) reason = 'starts with "." (hidden and temporary files do)';
  else if (name.startsWith(TEMP_PREFIX)) reason = "looks like a temporary file";
  else if (name.trim() !== name) reason = "has leading or trailing white space";
  if (reason) {
    throw new TypeError(
      `Invalid ${what} ${
        JSON.stringify(name)
      }: it ${reason}. Use letters, digits, "_", "-" and "."`,
    );
  }
  return name;
}
