/**
 * The line reader of the INI codec (`ini.ts`): configparser's `read()` (Python 3.11, default settings) line
 * by line, giving each section's raw values; `_ini_interpolation.ts` then gives them as `get()` does.
 * Internal.
 *
 * @module
 */

import { isPySpace, pyRstrip } from "./_py_text.ts";

/** Section → key → value text, in file order; the value is what configparser's `get()` returns. */
export type IniData = Map<string, Map<string, string>>;

/** configparser's section of defaults for all other sections. */
export const DEFAULT_SECTION = "DEFAULT";

function syntaxError(message: string, source: string | undefined, line: number): SyntaxError {
  return new SyntaxError(`${source ?? "<ini text>"}, line ${line}: ${message}`);
}

function quoteLine(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/** The state of one read: the sections so far and the value being read. */
class IniReader {
  readonly data: IniData = new Map();
  current: Map<string, string> | undefined;
  currentName = "";
  /** The key of the value being read (configparser's `cursect[optname]`). */
  key: string | undefined;
  /** The lines of the value being read, once it spans several. */
  parts: string[] | undefined;
  /** The indentation of the last line that was no continuation (configparser's `indent_level`). */
  indentLevel = 0;
  /** Whether any value holds a "%" to interpolate. */
  percent = false;

  constructor(readonly source: string | undefined) {}

  /** Joins the lines of a multi-line value as configparser does: "\n".join(lines).rstrip(). */
  finishValue(): void {
    if (this.parts) {
      const joined = pyRstrip(this.parts.join("\n"));
      if (!this.percent && joined.includes("%")) this.percent = true;
      this.current!.set(this.key!, joined);
      this.parts = undefined;
    }
  }

  /** Adds a line to the value being read. */
  continueValue(text: string): void {
    (this.parts ??= [this.current!.get(this.key!)!]).push(text);
  }

  line(line: string, n: number): void {
    const length = line.length;
    let start = 0;
    while (start < length && isPySpace(line.charCodeAt(start))) start++;
    if (start === length) {
      // Blank lines belong to the value being read; trailing ones are dropped when it is joined.
      if (this.key !== undefined) this.continueValue("");
      return;
    }
    const first = line.charCodeAt(start);
    if (first === 35 /* # */ || first === 59 /* ; */) return; // comments never end a value
    let end = length;
    while (isPySpace(line.charCodeAt(end - 1))) end--;
    const stripped = start === 0 && end === length ? line : line.slice(start, end);
    if (this.key !== undefined && start > this.indentLevel) return this.continueValue(stripped);
    this.finishValue();
    this.indentLevel = start;
    if (first === 91 /* [ */ && this.header(stripped, n)) return;
    this.option(stripped, n);
  }

  /** A `[name]` line (the name runs to the last `]`); false if the line is no header. */
  header(stripped: string, n: number): boolean {
    const close = stripped.lastIndexOf("]");
    if (close <= 1) return false;
    this.currentName = stripped.slice(1, close);
    this.key = undefined;
    const existing = this.data.get(this.currentName);
    if (!existing) {
      this.current = new Map();
      this.data.set(this.currentName, this.current);
      return true;
    }
    // configparser merges repeated [DEFAULT] headers; other sections must be unique.
    if (this.currentName !== DEFAULT_SECTION) {
      throw syntaxError(
        `section [${this.currentName}] appears twice (configparser raises DuplicateSectionError)`,
        this.source,
        n,
      );
    }
    this.current = existing;
    return true;
  }

  /** A `key = value` or `key: value` line (the first `=` or `:` splits); keys are lowercased. */
  option(stripped: string, n: number): void {
    const current = this.current;
    if (!current) {
      throw syntaxError(`${quoteLine(stripped)} comes before any [section] header`, this.source, n);
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
        this.source,
        n,
      );
    }
    let keyEnd = at;
    while (keyEnd > 0 && isPySpace(stripped.charCodeAt(keyEnd - 1))) keyEnd--;
    if (keyEnd === 0) {
      throw syntaxError(`a value without a key: ${quoteLine(stripped)}`, this.source, n);
    }
    const key = stripped.slice(0, keyEnd).toLowerCase();
    if (current.has(key)) {
      throw syntaxError(
        `key "${key}" appears twice in [${this.currentName}] (keys ignore case; configparser raises ` +
          "DuplicateOptionError)",
        this.source,
        n,
      );
    }
    this.key = key;
    let valueStart = at + 1;
    while (valueStart < stripped.length && isPySpace(stripped.charCodeAt(valueStart))) valueStart++;
    const value = stripped.slice(valueStart);
    if (!this.percent && value.includes("%")) this.percent = true;
    current.set(key, value);
  }
}

/**
 * Reads INI text as configparser's `read()` does: the raw values (not yet interpolated, no defaults
 * merged), and whether any value holds a `%`.
 * @throws {SyntaxError} Where configparser raises a parsing error: "<source>, line <n>: <what is wrong>".
 */
export function readRawIni(text: string, source?: string): { data: IniData; percent: boolean } {
  const reader = new IniReader(source);
  const lines = text.includes("\r") ? text.split(/\r\n|\r|\n/) : text.split("\n");
  if (lines[0].charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  for (let i = 0; i < lines.length; i++) reader.line(lines[i], i + 1);
  reader.finishValue();
  return { data: reader.data, percent: reader.percent };
}
