/**
 * The checks of `config.ini` key and section names (`validateKey`, `validateSection`): names configparser
 * reads back as themselves and that are safe in file names. Internal; re-exported by `ini.ts`.
 *
 * @module
 */

import { DEFAULT_SECTION } from "./_ini_read.ts";
import { isPySpace } from "./_py_text.ts";

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;

function refuse(what: string, name: string, reason: string, advice: string): never {
  throw new TypeError(`Invalid ${what} ${JSON.stringify(name)}: it ${reason}. ${advice}`);
}

/**
 * Checks that `key` can be a `config.ini` key that configparser reads back as itself, and a safe file
 * name part in a run folder; returns it lowercased (configparser's keys ignore case).
 *
 * Refused: empty keys, `=` and `:` (configparser splits there), a leading `[`, `]`, `#` or `;` (a header
 * or a comment), line breaks and other control characters, leading or trailing white space (Python's
 * definition), `/`, `\` and `..` (they could leave the folder), and unpaired UTF-16 surrogates.
 *
 * @param key The key as the caller wrote it.
 * @returns The key lowercased.
 * @throws {TypeError} Naming the key and what is wrong with it.
 *
 * @example
 * ```ts
 * import { validateKey } from "@sweepstore/sweepstore/ini";
 * console.log(validateKey("NumberOfNeurons")); // "numberofneurons"
 * ```
 */
export function validateKey(key: string): string {
  const advice = 'Use letters, digits, "_", "-" and "." (keys are case-insensitive)';
  if (typeof key !== "string") {
    throw new TypeError(`A parameter key must be a string, not ${typeof key}`);
  }
  if (key.length === 0) refuse("parameter key", key, "is empty", advice);
  if (key.includes("=") || key.includes(":")) {
    refuse(
      "parameter key",
      key,
      'contains "=" or ":", where configparser splits key and value',
      advice,
    );
  }
  if (CONTROL.test(key)) {
    refuse("parameter key", key, "contains a line break or another control character", advice);
  }
  if (isPySpace(key.charCodeAt(0)) || isPySpace(key.charCodeAt(key.length - 1))) {
    refuse("parameter key", key, "has leading or trailing white space", advice);
  }
  if ("[]#;".includes(key[0])) {
    refuse(
      "parameter key",
      key,
      'starts with "[", "]", "#" or ";" (configparser reads a section header or a comment)',
      advice,
    );
  }
  if (key.includes("/") || key.includes("\\") || key.includes("..")) {
    refuse(
      "parameter key",
      key,
      'contains "/", "\\" or "..", which could leave the run folder',
      advice,
    );
  }
  if (!key.isWellFormed()) {
    refuse("parameter key", key, "contains an unpaired UTF-16 surrogate", advice);
  }
  return key.toLowerCase();
}

/**
 * Checks that `name` can be a `config.ini` section name that configparser reads back as itself; returns
 * it unchanged (section names are case-sensitive).
 *
 * Refused: empty names, `[` and `]`, line breaks and other control characters, leading or trailing white
 * space, unpaired UTF-16 surrogates, and `DEFAULT` (configparser's section of defaults for all others).
 *
 * @param name The section name.
 * @returns The same name.
 * @throws {TypeError} Naming the section and what is wrong with it.
 *
 * @example
 * ```ts
 * import { validateSection } from "@sweepstore/sweepstore/ini";
 * console.log(validateSection("Run")); // "Run"
 * ```
 */
export function validateSection(name: string): string {
  const advice = 'Use letters, digits, spaces, "_", "-" and "."';
  if (typeof name !== "string") {
    throw new TypeError(`A section name must be a string, not ${typeof name}`);
  }
  if (name.length === 0) refuse("section name", name, "is empty", advice);
  if (name.includes("[") || name.includes("]")) {
    refuse("section name", name, 'contains "[" or "]"', advice);
  }
  if (CONTROL.test(name)) {
    refuse("section name", name, "contains a line break or another control character", advice);
  }
  if (isPySpace(name.charCodeAt(0)) || isPySpace(name.charCodeAt(name.length - 1))) {
    refuse("section name", name, "has leading or trailing white space", advice);
  }
  if (!name.isWellFormed()) {
    refuse("section name", name, "contains an unpaired UTF-16 surrogate", advice);
  }
  if (name === DEFAULT_SECTION) {
    refuse(
      "section name",
      name,
      "is configparser's section of defaults for all other sections",
      "Choose another name",
    );
  }
  return name;
}
