/**
 * Parameter values ⇄ `config.ini` text, so that Python and sweepstore read the same values.
 *
 * What {@linkcode formatParam} writes, and what PymoNNto's `load_param` (`True`/`False` → bool; text with a
 * `.` → `float()`; else `int()`; else the text) makes of it:
 * - integers with |n| < 2**53 as plain digits → `int`;
 * - every other finite number with a `.`: Python's `repr()` of the float, with `.0` added to a one-digit
 *   mantissa (`0.5`, `-0.0`, `1.0e-07`, `5.0e-324`, `1.0e+21`, `9007199254740994.0`) → `float`, the same value;
 * - `NaN`, `Infinity`, `-Infinity` as `nan`, `inf`, `-inf`: `configparser.getfloat()` and `float()` read them,
 *   PymoNNto's `load_param` gives the strings (the texts have no `.`, and `int()` refuses them);
 * - booleans as `True` / `False` → `bool`; `null` as `None` (PymoNNto: the string `"None"`);
 * - bigints as digits; {@linkcode parseParam} reads them back as numbers when they are safe integers
 *   (|n| < 2**53), else as bigints;
 * - arrays and plain objects as Python literals, the way Python's `repr()` writes them (`[1, 2.5, 'a', True,
 *   None]`, `{'x': 1, 'y': [1e-07]}`; floats inside as Python's `repr()`, integers with |n| < 2**53 as
 *   digits), which `ast.literal_eval` reads (except `nan` and `inf` inside, as for Python's own `repr()`);
 * - strings as they are (`alpha`, `50% done`, `a = b ; c # d`, lines without surrounding white space) when
 *   configparser gives back the same text and no rule below reads it as another value; otherwise, and
 *   always when they start with `[`, `(`, `{`, `'` or `"`, as Python's `repr()` of the string (`'1'`,
 *   `'True'`, `'[1]'`, `' padded'`, `'a\n  b'`), which `ast.literal_eval` reads.
 *
 * {@linkcode parseParam} reads all of this back to the exact value and type, and also what configparser and
 * PymoNNto write: `1e-07`, `None`, `[1, 2, 3]`, `{'x': 1}`, `(1, 2)`, numpy's `[1.5 2.5]` and
 * `[[1 2]\n [3 4]]`, `1_000`. In Python, this function reads every value {@linkcode formatParam} wrote back
 * exactly (lists holding `nan` or `inf` aside):
 *
 * ```python
 * import ast
 * def read_param(text):  # text: what configparser's get() returns
 *     if text in ('True', 'False'): return text == 'True'
 *     if text == 'None': return None
 *     for number in (int, float):
 *         try: return number(text)
 *         except ValueError: pass
 *     if text[:1] in ('[', '(', '{', "'", '"'):
 *         try: return ast.literal_eval(text)
 *         except (ValueError, SyntaxError): pass
 *     return text
 * ```
 *
 * {@linkcode parsePymonntoParam} is PymoNNto's own rule.
 *
 * @module
 */

import { iniValueSurvives } from "./ini.ts";

/** A value that `config.ini` stores and reads back exactly. */
export type ParamValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | ParamValue[]
  | { [key: string]: ParamValue };

/** Deepest nesting written: Python's parser refuses more than 200 nested brackets. */
const MAX_WRITE_DEPTH = 100;
/** Deepest nesting read, to keep the reader's recursion bounded. */
const MAX_READ_DEPTH = 1000;

// Python's int() and float() syntax (PEP 515 underscores between digits), after stripping white space.
const INT_RE = /^[-+]?\d(?:_?\d)*$/;
const FLOAT_RE =
  /^[-+]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?$/;
const SPECIAL_RE = /^[-+]?(?:nan|inf|infinity)$/i;

function special(text: string): number {
  const negative = text[0] === "-";
  const word = text.replace(/^[-+]/, "").toLowerCase();
  if (word === "nan") return NaN;
  return negative ? -Infinity : Infinity;
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/** Python's `repr()` of a float (the shortest text that reads back to the same double). */
function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(n);
  if (abs >= 1e-4 && abs < 1e16) {
    // Both write fixed notation here, with the same shortest digits; Python adds ".0" to integers.
    const s = String(n);
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

/** A number inside a list or dict: integers (|n| < 2**53) as digits, other numbers as Python's repr. */
function formatInnerNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 53 && !Object.is(n, -0)
    ? String(n)
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
 * import { formatParam } from "@sweepstore/sweepstore";
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

// ---------------------------------------------------------------------------------------------------------
// Reading

/** An integer text (underscores allowed) as a number when it is a safe integer, else as a bigint. */
function integer(text: string): number | bigint {
  const clean = text.includes("_") ? text.replaceAll("_", "") : text;
  const n = Number(clean);
  if (Number.isSafeInteger(n)) return n === 0 ? 0 : n; // "-0" is the integer 0
  return BigInt(clean);
}

/** Whether `cp` is white space for Python (`str.isspace()`). */
function isPySpace(cp: number): boolean {
  return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) || cp === 0x85 || cp === 0xa0 ||
    cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 ||
    cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

const DIGIT = /\p{Nd}/u;
const ASCII_ONLY = /^[^\u0080-\uffff]*$/;
const ASCII_SPACE = /^[ \t\n\v\f\r]|[ \t\n\v\f\r]$/;
const ASCII_SPACE_EDGES = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

/**
 * What Python's `int()` and `float()` see of a text (`_PyUnicode_TransformDecimalAndSpaceToASCII`): other
 * Unicode white space becomes a space, other Unicode decimal digits their ASCII digit; stripped of ASCII
 * white space. `undefined` if a non-ASCII character remains (neither reads it).
 */
function asciiNumberText(text: string): string | undefined {
  let out = text;
  if (!ASCII_ONLY.test(text)) {
    out = "";
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80) out += ch;
      else if (isPySpace(cp)) out += " ";
      else if (DIGIT.test(ch)) {
        // Decimal digits come in runs of ten, 0 to 9: the digit is the position in its run.
        let zero = cp;
        while (DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
        out += String((cp - zero) % 10);
      } else return undefined;
    }
  }
  return ASCII_SPACE.test(out) ? out.replace(ASCII_SPACE_EDGES, "") : out;
}

/**
 * A number as Python's `int()` (→ a number, or a bigint beyond 2**53) or else `float()` reads the text;
 * `undefined` where both refuse it.
 */
function parseNumberText(text: string): number | bigint | undefined {
  // The common case first: plain ASCII digits as PymoNNto and formatParam write them.
  if (INT_RE.test(text)) return integer(text);
  if (FLOAT_RE.test(text)) return Number(text.includes("_") ? text.replaceAll("_", "") : text);
  const t = asciiNumberText(text);
  if (t === undefined) return undefined;
  if (INT_RE.test(t)) return integer(t);
  if (FLOAT_RE.test(t)) return Number(t.includes("_") ? t.replaceAll("_", "") : t);
  if (SPECIAL_RE.test(t)) return special(t);
  return undefined;
}

// Python number literals: hexadecimal, octal and binary integers, decimal integers and floats.
const LITERAL_NUMBER_RE =
  /[-+]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?)(?![\w.])/y;
const WORD_RE = /[-+]?[A-Za-z_]\w*/y;
const SPACE_RE = /\s*/y;

/** A recursive-descent reader of the Python literals that `formatParam`, Python and numpy write. */
class LiteralReader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new SyntaxError(`${what} at position ${this.pos} of ${JSON.stringify(this.text)}`);
  }

  skip(): void {
    SPACE_RE.lastIndex = this.pos;
    SPACE_RE.test(this.text);
    this.pos = SPACE_RE.lastIndex;
  }

  value(depth: number): ParamValue {
    if (depth > MAX_READ_DEPTH) this.fail("nesting too deep");
    this.skip();
    const ch = this.text[this.pos];
    if (ch === "[") return this.sequence("]", depth);
    if (ch === "(") return this.sequence(")", depth);
    if (ch === "{") return this.dict(depth);
    if (ch === "'" || ch === '"') return this.string();
    LITERAL_NUMBER_RE.lastIndex = this.pos;
    let m = LITERAL_NUMBER_RE.exec(this.text);
    if (m) {
      this.pos += m[0].length;
      return this.number(m[0]);
    }
    WORD_RE.lastIndex = this.pos;
    m = WORD_RE.exec(this.text);
    if (!m) this.fail("expected a value");
    const word = m[0];
    this.pos += word.length;
    if (word === "True") return true;
    if (word === "False") return false;
    if (word === "None") return null;
    if (SPECIAL_RE.test(word)) return special(word); // Python and numpy write nan, inf, -inf
    this.fail(`unexpected ${JSON.stringify(word)}`);
  }

  number(text: string): number | bigint {
    const clean = text.replaceAll("_", "");
    const sign = clean[0] === "-" || clean[0] === "+" ? clean[0] : "";
    const body = sign ? clean.slice(1) : clean;
    if (/^0[xXoObB]/.test(body)) {
      const magnitude = BigInt(body);
      const n = sign === "-" ? -magnitude : magnitude;
      return Number.isSafeInteger(Number(n)) ? Number(n) : n;
    }
    return INT_RE.test(clean) ? integer(clean) : Number(clean);
  }

  /** A list, or a tuple (an array too); `(x)` without a comma is just `x`, as in Python. */
  sequence(close: string, depth: number): ParamValue {
    this.pos++; // the opening bracket
    const items: ParamValue[] = [];
    let comma = false;
    this.skip();
    while (this.text[this.pos] !== close) {
      if (this.pos >= this.text.length) this.fail(`missing "${close}"`);
      items.push(this.value(depth + 1));
      this.skip();
      // Python separates items with ",", numpy ("[1.5 2.5]", "['a' 'b']") with white space only.
      if (this.text[this.pos] === ",") {
        comma = true;
        this.pos++;
        this.skip();
      }
    }
    this.pos++;
    return close === ")" && items.length === 1 && !comma ? items[0] : items;
  }

  dict(depth: number): { [key: string]: ParamValue } {
    this.pos++;
    const out: { [key: string]: ParamValue } = {};
    this.skip();
    while (this.text[this.pos] !== "}") {
      if (this.pos >= this.text.length) this.fail('missing "}"');
      const key = this.value(depth + 1);
      if (typeof key === "object" && key !== null) {
        this.fail("a dict key must be a string or number");
      }
      this.skip();
      if (this.text[this.pos] !== ":") this.fail('expected ":"');
      this.pos++;
      const name = key === null
        ? "None"
        : key === true
        ? "True"
        : key === false
        ? "False"
        : String(key);
      // defineProperty: a key "__proto__" is an own key, as in Python, not the prototype.
      Object.defineProperty(out, name, {
        value: this.value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skip();
      if (this.text[this.pos] === ",") {
        this.pos++;
        this.skip();
      } else if (this.text[this.pos] !== "}") this.fail('expected "," or "}"');
    }
    this.pos++;
    return out;
  }

  hex(length: number): number {
    const h = this.text.slice(this.pos, this.pos + length);
    if (h.length !== length || !/^[0-9a-fA-F]+$/.test(h)) this.fail("a bad \\x, \\u or \\U escape");
    this.pos += length;
    return parseInt(h, 16);
  }

  string(): string {
    const quote = this.text[this.pos++];
    let out = "";
    while (true) {
      const end = this.pos;
      // Copy the run of plain characters at once.
      let i = end;
      while (i < this.text.length) {
        const ch = this.text[i];
        if (ch === quote || ch === "\\" || ch === "\n") break;
        i++;
      }
      out += this.text.slice(end, i);
      this.pos = i;
      if (this.pos >= this.text.length) this.fail("unterminated string");
      const ch = this.text[this.pos++];
      if (ch === quote) return out;
      if (ch === "\n") this.fail("a line break in a string");
      const e = this.text[this.pos++];
      switch (e) {
        case "n":
          out += "\n";
          break;
        case "t":
          out += "\t";
          break;
        case "r":
          out += "\r";
          break;
        case "\\":
        case "'":
        case '"':
          out += e;
          break;
        case "x":
          out += String.fromCharCode(this.hex(2));
          break;
        case "u":
          out += String.fromCharCode(this.hex(4));
          break;
        case "U": {
          const cp = this.hex(8);
          if (cp > 0x10ffff) this.fail("a \\U escape beyond U+10FFFF");
          out += String.fromCodePoint(cp);
          break;
        }
        case "a":
          out += "\x07";
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "v":
          out += "\v";
          break;
        case "\n":
          break; // a line continuation
        case "N":
          this.fail("a \\N{name} escape (not supported)");
          break;
        case undefined:
          this.fail("unterminated string");
          break;
        default:
          if (e >= "0" && e <= "7") {
            const m = /^[0-7]{1,3}/.exec(this.text.slice(this.pos - 1, this.pos + 2))!;
            this.pos += m[0].length - 1;
            out += String.fromCharCode(parseInt(m[0], 8));
          } else out += `\\${e}`; // Python keeps unknown escapes as they are
      }
    }
  }
}

/**
 * Reads the `config.ini` text of a parameter (as configparser's `get()` returns it): the exact value and
 * type {@linkcode formatParam} wrote, and what configparser, PymoNNto and numpy write.
 *
 * - `True`, `False` → boolean; `None` → null;
 * - what Python's `int()` reads (`42`, `-7`, `007`, `1_000`, other Unicode digits) → a number, or a bigint
 *   beyond 2**53;
 * - what Python's `float()` reads (`2.5`, `1e-07`, `1.0e+21`, `.5`, `nan`, `inf`, `-Infinity`) → a number;
 * - a complete Python literal of lists, tuples (→ arrays; `(x)` is `x`), dicts (keys → strings), strings
 *   (either quote, with escapes), numbers (also `0x1f`, `0o7`, `0b1`), `True`/`False`/`None`/`nan`/`inf`, and
 *   numpy's `str()` of arrays (`[1.5 2.5]`, `[[1 2]\n [3 4]]`, `['a' 'b']`: items separated by white space
 *   only, so adjacent strings are separate items, not joined as in Python);
 * - anything else (`alpha`, `50percent done`, `[1, 2, ..., 9]`, `{1, 2}`) → the text itself.
 *
 * @param text The value text.
 * @returns The value.
 *
 * @example
 * ```ts
 * import { parseParam } from "@sweepstore/sweepstore";
 * console.log(parseParam("1.0e-07"), parseParam("None"), parseParam("[1, 'a']"), parseParam("[1.5 2.5]"));
 * console.log(parseParam("50percent done"), parseParam("'1'")); // 50percent done 1
 * ```
 */
export function parseParam(text: string): ParamValue {
  if (text === "True") return true;
  if (text === "False") return false;
  if (text === "None") return null;
  const first = text.charCodeAt(0);
  if (first !== first) return ""; // NaN: the empty text
  if (
    (first >= 48 && first <= 57) || first === 45 /* - */ || first === 43 /* + */ ||
    first === 46 /* . */ || ((first | 32) === 110 /* n */) || ((first | 32) === 105 /* i */) ||
    first <= 32 || first >= 0x80 // white space, or other Unicode digits and spaces
  ) {
    const n = parseNumberText(text);
    if (n !== undefined) return n;
  }
  if (
    first === 91 /* [ */ || first === 40 /* ( */ || first === 123 /* { */ || first === 39 /* ' */ ||
    first === 34 /* " */
  ) {
    const reader = new LiteralReader(text);
    try {
      const value = reader.value(0);
      reader.skip();
      if (reader.pos === text.length) return value;
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
    }
  }
  return text;
}

// ---------------------------------------------------------------------------------------------------------
// PymoNNto's rule

/**
 * PymoNNto's `load_param` rule, as Python runs it on the text configparser returns: exactly `True` or
 * `False` → boolean; text containing `.` → Python's `float()` of it; otherwise Python's `int()` of it
 * (refused beyond 4300 digits, Python's limit); where that fails, the text itself. So `1e-07`, `nan`, `inf`
 * and `None` stay strings, `007` is 7 and `1_000` is 1000. Integers beyond 2**53 are rounded to the nearest
 * number (Python keeps them exact).
 *
 * @param text The value text.
 * @returns What PymoNNto's `load_param` returns.
 *
 * @example
 * ```ts
 * import { parsePymonntoParam } from "@sweepstore/sweepstore";
 * console.log(parsePymonntoParam("1e-07"), parsePymonntoParam("2.5"), parsePymonntoParam("007")); // 1e-07 2.5 7
 * ```
 */
export function parsePymonntoParam(text: string): string | number | boolean {
  if (text === "True") return true;
  if (text === "False") return false;
  const t = asciiNumberText(text);
  if (t === undefined) return text;
  if (text.includes(".")) {
    return FLOAT_RE.test(t) ? Number(t.replaceAll("_", "")) : text;
  }
  if (INT_RE.test(t) && t.replace(/[-+_]/g, "").length <= 4300) {
    const n = Number(t.replaceAll("_", ""));
    return n === 0 ? 0 : n;
  }
  return text;
}
