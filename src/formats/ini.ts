/**
 * A configparser-exact INI codec: reads what Python's `configparser.ConfigParser()` (default settings) and
 * PymoNNto write, and writes what configparser reads back to the same strings.
 *
 * Reading follows configparser's `read()` line by line (`configparser.py`, Python 3.11):
 * - lines end at `\n`, `\r\n` or `\r` (Python's universal newlines); a leading byte order mark is skipped;
 * - white space is Python's (`str.isspace()`: also `\v`, `\f`, `\x1c`–`\x1f`, `\x85`, no-break and other
 *   Unicode spaces), values and keys are stripped of it;
 * - `[name]` starts a section (the name runs to the last `]` of the line, as configparser's greedy pattern);
 *   `key = value` or `key: value` (the first `=` or `:` splits) starts a value; keys are lowercased;
 * - lines whose first non-space character is `#` or `;` are comments, also inside a multi-line value; there
 *   are no inline comments (`a = 1 ; x` is the value `1 ; x`);
 * - a line indented deeper than the line that started the value continues it; blank lines inside a value
 *   are kept, trailing ones dropped; the parts are joined with `\n`;
 * - `[DEFAULT]` holds defaults: every other section shows them after its own keys, its own values winning,
 *   as `configparser`'s `get()` and `dict(parser[section])` do; `DEFAULT` itself is kept as a section;
 * - values are interpolated as `BasicInterpolation.before_get()` does: `%%` reads as `%`, `%(name)s` as the
 *   value of `name` in the same section or `[DEFAULT]` (nested up to 10 levels). Where configparser's `get()`
 *   would raise instead (a lone `%` as in a hand-written `50% done`, a reference to a missing key, deeper
 *   nesting), the value is its text with only `%%` read as `%`.
 *
 * Malformed text is a `SyntaxError` naming the source and the line, where configparser (strict, the default)
 * raises: a key line before any section header (`MissingSectionHeaderError`), a section or a key that
 * appears twice (`DuplicateSectionError`, `DuplicateOptionError`, keys compared lowercased), a line that is
 * neither a header, a comment nor `key = value`, and an empty key (`ParsingError`).
 *
 * @module
 */

import { type IniData, readRawIni } from "./_ini_read.ts";
import { resolveValues } from "./_ini_interpolation.ts";

export type { IniData };
export { iniValueSurvives, stringifyIni } from "./_ini_write.ts";
export { validateKey, validateSection } from "./_ini_names.ts";

/**
 * Parses INI text as Python's `configparser.ConfigParser().read()` does, and returns each value as `get()`
 * would (see the module documentation for the exact rules). Section names are case-sensitive, keys are
 * lowercased. `source` (a file path) is named in errors.
 *
 * @param text The INI text.
 * @param source The file the text comes from, named in errors.
 * @returns Section → key → value, in file order.
 * @throws {SyntaxError} Where configparser raises a parsing error: "<source>, line <n>: <what is wrong>".
 *
 * @example
 * ```ts
 * import { parseIni } from "@sweepstore/sweepstore/ini";
 * const ini = parseIni("[Parameters]\nN = 100\nnote = 50%% done\nlines = one\n\ttwo\n");
 * console.log(ini.get("Parameters")); // Map { "n" => "100", "note" => "50% done", "lines" => "one\ntwo" }
 * ```
 */
export function parseIni(text: string, source?: string): IniData {
  const { data, percent } = readRawIni(text, source);
  resolveValues(data, percent);
  return data;
}
