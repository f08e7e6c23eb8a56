/**
 * Validation of the names users give to runs and files, so that no name escapes its folder, hides among
 * sweepstore's temporary files, or is too long for the file system.
 *
 * Length is counted the way file systems count it: in UTF-8 bytes, at most 255 per path component (Linux's
 * `NAME_MAX`, also the limit of ext4, XFS, Btrfs, tmpfs and NFS). A name is checked together with what is
 * added to it on disk (the run number, `.npy`, and the temporary-file name of a crash-safe write), so the
 * error names the key, never a file that failed later.
 *
 * @module
 */

import { TEMP_PREFIX } from "../formats/atomic.ts";

/** The longest file or folder name, in UTF-8 bytes (`NAME_MAX` of Linux file systems). */
export const MAX_NAME_BYTES = 255;

/**
 * The bytes a crash-safe write adds to a file name: `atomicWrite` (src/formats/atomic.ts) writes
 * `<TEMP_PREFIX><two uint32 in base 36, ≤ 7 characters each>-<name>` before renaming it.
 */
export const TEMP_NAME_EXTRA_BYTES: number = TEMP_PREFIX.length + 7 + 7 + 1;

/** Options for {@linkcode validateName}. */
export interface ValidateNameOptions {
  /**
   * Bytes that are added to the name on disk: the run number's digits, a file extension, the temporary
   * file name of a crash-safe write. The name's UTF-8 bytes plus these must not exceed 255.
   * @default {0}
   */
  reserveBytes?: number;
  /**
   * What the reserved bytes are, for the error message (e.g. `'".npy" and a temporary-file name'`).
   * @default {undefined}
   */
  reserveFor?: string;
}

const encoder = new TextEncoder();

/**
 * The length of `text` in UTF-8 bytes, the unit file systems limit names in.
 *
 * @example
 * ```ts
 * import { utf8Length } from "./names.ts";
 * console.log(utf8Length("abc"), utf8Length("é"), utf8Length("😀")); // 3 2 4
 * ```
 */
export function utf8Length(text: string): number {
  // Fast path: ASCII text has one byte per UTF-16 code unit.
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.length;
  return encoder.encode(text).length;
}

/** `"name"` for messages, shortened when long (the whole of a 250-byte name helps nobody). */
function quoteName(name: string): string {
  return JSON.stringify(name.length > 60 ? `${name.slice(0, 40)}…${name.slice(-10)}` : name);
}

/**
 * Checks that `name` is safe as one file or folder name and returns it unchanged.
 * Refused, with a `TypeError` that names `what` and the name and says why: empty names, `/`, `\`, NUL or
 * other control characters, `..`, a leading `.` (hidden files, and sweepstore's temporary files), leading
 * or trailing white space, and names whose UTF-8 bytes plus `options.reserveBytes` exceed 255.
 *
 * @throws {TypeError} when the name is refused.
 *
 * @example
 * ```ts
 * import { validateName } from "./names.ts";
 * validateName("weights"); // "weights"
 * try { validateName("../etc"); } catch (e) { console.log((e as Error).message); }
 * try { validateName("é".repeat(120), "array key", { reserveBytes: 35 }); } catch (e) {
 *   console.log((e as Error).message); // … 240 bytes in UTF-8 …
 * }
 * ```
 */
export function validateName(
  name: string,
  what = "name",
  options: ValidateNameOptions = {},
): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`The ${what} must be a non-empty string`);
  }
  const reserve = options.reserveBytes ?? 0;
  let reason: string | undefined;
  if (/[/\\]/.test(name)) reason = "contains a path separator (/ or \\)";
  // deno-lint-ignore no-control-regex
  else if (/[\x00-\x1f\x7f]/.test(name)) reason = "contains a control character or newline";
  else if (name === ".") reason = 'is ".", the current folder';
  else if (name.includes("..")) reason = 'contains ".."';
  else if (name.startsWith(".")) reason = 'starts with "." (hidden and temporary files do)';
  else if (name.startsWith(TEMP_PREFIX)) reason = "looks like a temporary file";
  else if (name.trim() !== name) reason = "has leading or trailing white space";
  else if (!name.isWellFormed()) reason = "contains an unpaired UTF-16 surrogate";
  if (reason) {
    throw new TypeError(
      `Invalid ${what} ${quoteName(name)}: it ${reason}. Use letters, digits, "_", "-" and "."`,
    );
  }
  const bytes = utf8Length(name);
  if (bytes + reserve > MAX_NAME_BYTES) {
    const extra = reserve > 0
      ? ` plus ${reserve} bytes for ${options.reserveFor ?? "its suffix"}`
      : "";
    throw new TypeError(
      `Invalid ${what} ${
        quoteName(name)
      }: it is ${bytes} bytes in UTF-8${extra}, and file systems ` +
        `allow ${MAX_NAME_BYTES} bytes per file or folder name. Use ${
          /^[aeiou]/i.test(what) ? "an" : "a"
        } ${what} of at most ` +
        `${MAX_NAME_BYTES - reserve} bytes (non-ASCII characters take 2–4 bytes each)`,
    );
  }
  return name;
}
