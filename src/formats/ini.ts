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

/** Section → key → value text, in file order; the value is what configparser's `get()` returns. */
export type IniData = Map<string, Map<string, string>>;

const DEFAULT_SECTION = "DEFAULT";
/** configparser's `MAX_INTERPOLATION_DEPTH`. */
const MAX_INTERPOLATION_DEPTH = 10;

/** Whether the UTF-16 code unit `c` is white space for Python's `str.isspace()` / `str.strip()`. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Python's `s.rstrip()`. */
function rstrip(s: string): string {
  let end = s.length;
  while (end > 0 && isSpace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

function syntaxError(message: string, source: string | undefined, line: number): SyntaxError {
  return new SyntaxError(`${source ?? "<ini text>"}, line ${line}: ${message}`);
}

function quoteLine(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/**
 * `BasicInterpolation._interpolate_some()`: appends the interpolated `rest` to `out`; false where
 * configparser would raise.
 */
function interpolateSome(
  rest: string,
  lookup: (name: string) => string | undefined,
  out: string[],
  depth: number,
): boolean {
  if (depth > MAX_INTERPOLATION_DEPTH) return false;
  let pos = 0;
  while (pos < rest.length) {
    const p = rest.indexOf("%", pos);
    if (p < 0) {
      out.push(pos === 0 ? rest : rest.slice(pos));
      return true;
    }
    if (p > pos) out.push(rest.slice(pos, p));
    const next = rest.charCodeAt(p + 1);
    if (next === 37 /* % */) {
      out.push("%");
      pos = p + 2;
    } else if (next === 40 /* ( */) {
      // configparser's pattern: %\(([^)]+)\)s
      const close = rest.indexOf(")", p + 2);
      if (close < 0 || close === p + 2 || rest.charCodeAt(close + 1) !== 115 /* s */) return false;
      const value = lookup(rest.slice(p + 2, close).toLowerCase());
      if (value === undefined) return false;
      pos = close + 2;
      if (value.includes("%")) {
        if (!interpolateSome(value, lookup, out, depth + 1)) return false;
      } else out.push(value);
    } else return false;
  }
  return true;
}

/** What configparser's `get()` returns for the raw `value`, or the lenient reading where it would raise. */
function interpolate(value: string, lookup: (name: string) => string | undefined): string {
  const out: string[] = [];
  if (interpolateSome(value, lookup, out, 1)) return out.join("");
  return value.replaceAll("%%", "%");
}

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
 * import { parseIni } from "@sweepstore/sweepstore";
 * const ini = parseIni("[Parameters]\nN = 100\nnote = 50%% done\nlines = one\n\ttwo\n");
 * console.log(ini.get("Parameters")); // Map { "n" => "100", "note" => "50% done", "lines" => "one\ntwo" }
 * ```
 */
export function parseIni(text: string, source?: string): IniData {
  const data: IniData = new Map();
  let current: Map<string, string> | undefined;
  let currentName = "";
  // The value being read (configparser's `cursect[optname]`): its key and, once it spans several lines,
  // its lines; and the indentation of the last line that was no continuation (configparser's
  // `indent_level`).
  let key: string | undefined;
  let parts: string[] | undefined;
  let indentLevel = 0;
  let percent = false; // whether any value holds a "%" to interpolate

  // Joins the lines of a multi-line value as configparser does: "\n".join(lines).rstrip().
  const finish = () => {
    if (parts) {
      const joined = rstrip(parts.join("\n"));
      if (!percent && joined.includes("%")) percent = true;
      current!.set(key!, joined);
      parts = undefined;
    }
  };

  const lines = text.includes("\r") ? text.split(/\r\n|\r|\n/) : text.split("\n");
  if (lines[0].charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const length = line.length;
    let start = 0;
    while (start < length && isSpace(line.charCodeAt(start))) start++;
    if (start === length) {
      // Blank lines belong to the value being read; trailing ones are dropped when it is joined.
      if (key !== undefined) (parts ??= [current!.get(key)!]).push("");
      continue;
    }
    const first = line.charCodeAt(start);
    if (first === 35 /* # */ || first === 59 /* ; */) continue; // comments never end a value
    let end = length;
    while (isSpace(line.charCodeAt(end - 1))) end--;
    const stripped = start === 0 && end === length ? line : line.slice(start, end);
    if (key !== undefined && start > indentLevel) {
      (parts ??= [current!.get(key)!]).push(stripped);
      continue;
    }
    finish();
    indentLevel = start;
    if (first === 91 /* [ */) {
      const close = stripped.lastIndexOf("]");
      if (close > 1) {
        currentName = stripped.slice(1, close);
        key = undefined;
        const existing = data.get(currentName);
        if (existing) {
          // configparser merges repeated [DEFAULT] headers; other sections must be unique.
          if (currentName !== DEFAULT_SECTION) {
            throw syntaxError(
              `section [${currentName}] appears twice (configparser raises DuplicateSectionError)`,
              source,
              i + 1,
            );
          }
          current = existing;
        } else {
          current = new Map();
          data.set(currentName, current);
        }
        continue;
      }
    }
    if (!current) {
      throw syntaxError(
        `${quoteLine(stripped)} comes before any [section] header`,
        source,
        i + 1,
      );
    }
    let at = 0;
    while (at < stripped.length) {
      const c = stripped.charCodeAt(at);
      if (c === 61 /* = */ || c === 58 /* : */) break;
      at++;
    }
    if (at === stripped.length) {
      throw syntaxError(
        `expected "[section]", "key = value" or a comment, found ${quoteLine(stripped)}`,
        source,
        i + 1,
      );
    }
    let keyEnd = at;
    while (keyEnd > 0 && isSpace(stripped.charCodeAt(keyEnd - 1))) keyEnd--;
    if (keyEnd === 0) {
      throw syntaxError(`a value without a key: ${quoteLine(stripped)}`, source, i + 1);
    }
    key = stripped.slice(0, keyEnd).toLowerCase();
    if (current.has(key)) {
      throw syntaxError(
        `key "${key}" appears twice in [${currentName}] (keys ignore case; configparser raises ` +
          "DuplicateOptionError)",
        source,
        i + 1,
      );
    }
    let valueStart = at + 1;
    while (valueStart < stripped.length && isSpace(stripped.charCodeAt(valueStart))) valueStart++;
    const value = stripped.slice(valueStart);
    if (!percent && value.includes("%")) percent = true;
    current.set(key, value);
  }
  finish();

  const defaults = data.get(DEFAULT_SECTION);
  const hasDefaults = defaults !== undefined && defaults.size > 0;
  if (!percent && !hasDefaults) return data;
  // Interpolate (references see the raw values), and show [DEFAULT]'s keys in every other section after
  // its own.
  const rawDefaults = hasDefaults ? new Map(defaults) : undefined;
  for (const [name, section] of data) {
    const merge = rawDefaults !== undefined && name !== DEFAULT_SECTION;
    const raw = name === DEFAULT_SECTION && rawDefaults ? rawDefaults : new Map(section);
    const lookup = merge
      ? (k: string) => raw.get(k) ?? rawDefaults.get(k)
      : (k: string) => raw.get(k);
    if (percent) {
      for (const [k, v] of raw) if (v.includes("%")) section.set(k, interpolate(v, lookup));
    }
    if (merge) {
      for (const [k, v] of rawDefaults) {
        if (!raw.has(k)) section.set(k, v.includes("%") ? interpolate(v, lookup) : v);
      }
    }
  }
  return data;
}

/** Why configparser would not read `key` back as this key of the line `key = <value>`, if it would not. */
function keyProblem(key: string, value: string): string | undefined {
  if (typeof key !== "string" || key.length === 0) return "is empty";
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 10 || c === 13) return "contains a line break";
    if (c === 61 || c === 58) return 'contains "=" or ":", which configparser splits at';
  }
  if (isSpace(key.charCodeAt(0)) || isSpace(key.charCodeAt(key.length - 1))) {
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
 * import { stringifyIni } from "@sweepstore/sweepstore";
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
 * import { iniValueSurvives } from "@sweepstore/sweepstore";
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
      if (isSpace(value.charCodeAt(start)) || isSpace(value.charCodeAt(end - 1))) return false;
      const first = value.charCodeAt(start);
      if (start > 0 && (first === 35 /* # */ || first === 59 /* ; */)) return false;
    } else if (last && start > 0) return false; // a trailing empty line is dropped
    if (last) return true;
    start = end + 1;
  }
}

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
 * import { validateKey } from "@sweepstore/sweepstore";
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
  if (isSpace(key.charCodeAt(0)) || isSpace(key.charCodeAt(key.length - 1))) {
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
 * import { validateSection } from "@sweepstore/sweepstore";
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
  if (isSpace(name.charCodeAt(0)) || isSpace(name.charCodeAt(name.length - 1))) {
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
