/**
 * Writing parameter values as `config.ini` text (`formatParam`): Python's `repr()` of floats and strings,
 * Python literals for lists and dicts, and bare strings where configparser and the readers give them back
 * unchanged. Internal; re-exported by `params.ts`.
 *
 * @module
 */

import { iniValueSurvives } from "./_ini_write.ts";
import { parseParam } from "./_param_parse.ts";

/** Deepest nesting written: Python's parser refuses more than 200 nested brackets. */
const MAX_WRITE_DEPTH = 100;

/**
 * `String(n)` of a finite number, made without V8's number-to-string cache: `String`, `+ ""` and
 * `toString` put each text they make in that cache, and so in the old generation, where it stays until
 * the next full GC (~27 MB for the 700,000 numbers of a 100,000-run group's index or runs.csv);
 * `JSON.stringify` writes the same digits (ECMA-262: a finite number's JSON text is its `ToString`) into a
 * young string.
 */
export function numberText(n: number): string {
  return Number.isFinite(n) ? JSON.stringify(n) : String(n);
}

/** Python's `repr()` of a float (the shortest text that reads back to the same double). */
function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(n);
  if (abs >= 1e-4 && abs < 1e16) {
    // Both write fixed notation here, with the same shortest digits; Python adds ".0" to integers.
    const s = numberText(n);
    return Number.isInteger(n) ? `${s}.0` : s;
  }
  const sign = n < 0 ? "-" : "";
  const [mantissa, exponent] = abs.toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(exponent);
  const point = exp + 1; // digits before the decimal point
  if (point <= -4 || point > 16) {
    const e = Math.abs(exp);
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ""}e${
      exp < 0 ? "-" : "+"
    }${e < 10 ? `0${e}` : e}`;
  }
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A number inside a list or dict, and a CSV cell: integers (|n| < 2**53) as digits, other numbers as
 * Python's repr (so `-0.0`, and `1.2345678901234567e+19` where JavaScript writes the digits of an integer
 * that is not the double's value).
 */
export function formatInnerNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 53 && !Object.is(n, -0)
    ? numberText(n)
    : pyFloatRepr(n);
}

/** A number on its own: as inside a list, but a one-digit mantissa gets `.0` so that PymoNNto sees a `.`. */
function formatNumber(n: number): string {
  const text = formatInnerNumber(n);
  const e = text.indexOf("e");
  return e > 0 && !text.includes(".") ? `${text.slice(0, e)}.0${text.slice(e)}` : text;
}

/** Characters Python's `str.isprintable()` refuses (its `repr()` escapes them), besides ASCII controls. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** Python's `repr()` of a string, which `ast.literal_eval` and {@linkcode parseParam} read back. */
function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  if (PLAIN_ASCII.test(s) && !s.includes(quote) && !s.includes("\\")) return quote + s + quote;
  let out = quote;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      out += c === 92 ? "\\\\" : s[i] === quote ? `\\${quote}` : s[i];
      continue;
    }
    if (c === 9) out += "\\t";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else {
      let cp = c;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const low = s.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) cp = (c - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
      }
      const ch = String.fromCodePoint(cp);
      if (cp > 0xffff) i++;
      if (cp < 0x20 || cp === 0x7f || NOT_PRINTABLE.test(ch)) {
        out += cp <= 0xff
          ? `\\x${cp.toString(16).padStart(2, "0")}`
          : cp <= 0xffff
          ? `\\u${cp.toString(16).padStart(4, "0")}`
          : `\\U${cp.toString(16).padStart(8, "0")}`;
      } else out += ch;
    }
  }
  return out + quote;
}

// Characters a string written bare may not hold, although configparser keeps them: invisible controls,
// line separators of other tools, a byte order mark.
// deno-lint-ignore no-control-regex
const NOT_BARE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

/** First characters of Python literals that are no numbers: strings starting so are always quoted. */
const LITERAL_START = /^[[({'"]/;

function formatString(s: string): string {
  return !LITERAL_START.test(s) && iniValueSurvives(s) && !NOT_BARE.test(s) && parseParam(s) === s
    ? s
    : pyRepr(s);
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  const name = (value as object).constructor?.name;
  if (!name) return "an object with an unusual prototype";
  if (ArrayBuffer.isView(value)) return `a ${name} (save arrays with saveNp())`;
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function refuse(value: unknown, path: string, advice: string): never {
  throw new TypeError(
    `${describe(value)}${path ? ` (at ${path})` : ""} cannot be stored in config.ini: ${advice}`,
  );
}

function formatNested(value: unknown, path: string, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case "string":
      return pyRepr(value);
    case "number":
      return formatInnerNumber(value);
    case "boolean":
      return value ? "True" : "False";
    case "bigint":
      return value.toString();
    case "object": {
      if (value === null) return "None";
      if (seen.has(value)) {
        throw new TypeError(
          `a cyclic structure${path ? ` (at ${path})` : ""} cannot be stored in config.ini: ` +
            "save it with saveObj()",
        );
      }
      if (depth >= MAX_WRITE_DEPTH) {
        throw new TypeError(
          `a structure nested deeper than ${MAX_WRITE_DEPTH} levels cannot be stored in config.ini ` +
            "(Python could not read it back): save it with saveObj()",
        );
      }
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        const parts: string[] = [];
        for (let i = 0; i < value.length; i++) {
          parts.push(
            formatNested(i in value ? value[i] : undefined, `${path}[${i}]`, depth + 1, seen),
          );
        }
        out = `[${parts.join(", ")}]`;
      } else if (isPlainObject(value)) {
        if (Object.getOwnPropertySymbols(value).length > 0) {
          refuse(value, path, "its symbol keys would be lost; use string keys, or saveObj()");
        }
        const parts: string[] = [];
        for (const [k, v] of Object.entries(value)) {
          const at = /^[A-Za-z_$][\w$]*$/.test(k)
            ? `${path}.${k}`
            : `${path}[${JSON.stringify(k)}]`;
          parts.push(`${pyRepr(k)}: ${formatNested(v, at, depth + 1, seen)}`);
        }
        out = `{${parts.join(", ")}}`;
      } else {
        refuse(
          value,
          path,
          "save it with saveObj() (or saveNp() for arrays), or convert it to plain arrays and objects",
        );
      }
      seen.delete(value);
      return out;
    }
  }
  refuse(
    value,
    path,
    value === undefined
      ? 'use null for "no value", or saveObj() to keep undefined'
      : "save it with saveObj(), or store a plain value",
  );
}

/**
 * The `config.ini` text of a parameter value: what {@linkcode parseParam} reads back to the same value and
 * type, what PymoNNto's `load_param` reads as the same number or boolean, and what configparser gives back
 * unchanged (see the module documentation for each type).
 *
 * @param value A {@linkcode ParamValue}.
 * @returns The value text (to be written by {@linkcode stringifyIni}, which escapes `%`).
 * @throws {TypeError} For values `config.ini` cannot hold: undefined, functions, symbols, Map, Set, Date,
 * typed arrays, class instances, cyclic or too deeply nested structures (the message names where in the
 * value); save those with `saveObj()`.
 *
 * @example
 * ```ts
 * import { formatParam } from "@sweepstore/sweepstore/params";
 * console.log(formatParam(1e-7), formatParam(3), formatParam(true), formatParam(null)); // 1.0e-07 3 True None
 * console.log(formatParam([1, 0.5, "a"]), formatParam("alpha"), formatParam("1")); // [1, 0.5, 'a'] alpha '1'
 * ```
 */
export function formatParam(value: unknown): string {
  switch (typeof value) {
    case "string":
      return formatString(value);
    case "number":
      return formatNumber(value);
    default:
      return formatNested(value, "", 0, new Set());
  }
}
