/**
 * The writer of the INI codec (`ini.ts`): text that configparser's `read()` gives back as the same values,
 * as configparser's `write()` writes it. Internal; the public functions are re-exported by `ini.ts`.
 *
 * @module
 */

import { DEFAULT_SECTION, type IniData } from "./_ini_read.ts";
import { isPySpace } from "./_py_text.ts";

/** Why configparser would not read `key` back as this key of the line `key = <value>`, if it would not. */
function keyProblem(key: string, value: string): string | undefined {
  if (typeof key !== "string" || key.length === 0) return "is empty";
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 10 || c === 13) return "contains a line break";
    if (c === 61 || c === 58) return 'contains "=" or ":", which configparser splits at';
  }
  if (isPySpace(key.charCodeAt(0)) || isPySpace(key.charCodeAt(key.length - 1))) {
    return "has leading or trailing white space";
  }
  const first = key[0];
  if (first === "#" || first === ";") return 'starts with "#" or ";" (a comment)';
  if (first === "[") {
    const newline = value.indexOf("\n");
    const line = `${key} = ${newline < 0 ? value : value.slice(0, newline)}`;
    if (line.lastIndexOf("]") > 1) {
      return 'starts with "[" and the line would read as a section header';
    }
  }
  if (key.toLowerCase() !== key) return "is not lowercase (configparser lowercases keys)";
  return undefined;
}

function writeSection(name: string, section: Map<string, string>): string {
  if (typeof name !== "string" || name.length === 0 || /[\r\n]/.test(name)) {
    throw new TypeError(
      `Cannot write section name ${JSON.stringify(name)}: it must be non-empty without line breaks`,
    );
  }
  let out = `[${name}]\n`;
  for (const [key, value] of section) {
    if (typeof value !== "string") {
      throw new TypeError(
        `Cannot write key "${key}" in [${name}]: its value is ${typeof value}, not text (use formatParam())`,
      );
    }
    const problem = keyProblem(key, value);
    if (problem) {
      throw new TypeError(
        `Cannot write key ${
          JSON.stringify(key)
        } in [${name}]: it ${problem}. Check keys with validateKey()`,
      );
    }
    if (value.includes("\r")) {
      throw new TypeError(
        `Cannot write key "${key}" in [${name}]: its value contains "\\r", which starts a new line when ` +
          "configparser reads the file (use formatParam())",
      );
    }
    let text = value.includes("%") ? value.replaceAll("%", "%%") : value;
    if (text.includes("\n")) text = text.replaceAll("\n", "\n\t");
    out += `${key} = ${text}\n`;
  }
  return `${out}\n`;
}

/**
 * Writes INI text exactly as configparser's `write()` would for the same values: `[DEFAULT]` first if
 * present, then the sections in order, each `key = value` with `%` written as `%%`, multi-line values on
 * continuation lines starting with a tab, and a blank line after each section.
 *
 * Values that configparser cannot hold exactly are written as `write()` writes them, and read back changed
 * as configparser reads them (see {@linkcode iniValueSurvives}); {@linkcode formatParam} never makes such
 * values. Keys must be lowercase. Data that {@linkcode parseIni} read from a file with `[DEFAULT]` shows the
 * defaults in every section; written back, they are repeated there, and configparser reads the same values.
 * Values interpolated when read (`%(name)s`) are written as the text they gave.
 *
 * @param data Section → key → value text.
 * @returns The INI text.
 * @throws {TypeError} For what would change the file's structure: a key configparser would read as another
 * key, a section or comment (see {@linkcode validateKey}), a section name with a line break, a value with a
 * `\r`, or a value that is not a string.
 *
 * @example
 * ```ts
 * import { stringifyIni } from "@sweepstore/sweepstore/ini";
 * const text = stringifyIni(new Map([["Parameters", new Map([["a", "1"], ["s", "50% done"]])]]));
 * console.log(JSON.stringify(text)); // "[Parameters]\na = 1\ns = 50%% done\n\n"
 * ```
 */
export function stringifyIni(data: IniData): string {
  let out = "";
  const defaults = data.get(DEFAULT_SECTION);
  if (defaults) out += writeSection(DEFAULT_SECTION, defaults);
  for (const [name, section] of data) {
    if (name !== DEFAULT_SECTION) out += writeSection(name, section);
  }
  return out;
}

/**
 * Whether configparser reads `value` back as exactly `value` after {@linkcode stringifyIni} wrote it:
 * no line starts or ends with white space, no continuation line starts with `#` or `;` (a comment), no
 * trailing empty line, no `\r`, and no unpaired UTF-16 surrogate (a UTF-8 file cannot hold one).
 *
 * @param value A value text.
 * @returns Whether it survives a write and a read unchanged.
 *
 * @example
 * ```ts
 * import { iniValueSurvives } from "@sweepstore/sweepstore/ini";
 * console.log(iniValueSurvives("two\nlines"), iniValueSurvives(" padded")); // true false
 * ```
 */
export function iniValueSurvives(value: string): boolean {
  if (value.includes("\r") || !value.isWellFormed()) return false;
  let start = 0;
  while (true) {
    let end = value.indexOf("\n", start);
    const last = end < 0;
    if (last) end = value.length;
    if (end > start) {
      if (isPySpace(value.charCodeAt(start)) || isPySpace(value.charCodeAt(end - 1))) return false;
      const first = value.charCodeAt(start);
      if (start > 0 && (first === 35 /* # */ || first === 59 /* ; */)) return false;
    } else if (last && start > 0) return false; // a trailing empty line is dropped
    if (last) return true;
    start = end + 1;
  }
}
