/**
 * Parameter values ⇄ `config.ini` text, so that Python and sweepstore read the same values.
 *
 * Written text, and what PymoNNto's `load_param` makes of it:
 * - integers (|n| < 2**53) as digits → `int`; other numbers always with a `.` (`0.5`, `1.0e-7`,
 *   `1.0e+21`, `-0.0`) → `float`; `NaN`, `Infinity`, `-Infinity` as `nan`, `inf`, `-inf` (PymoNNto gives the
 *   strings; `configparser.getfloat` gives the floats);
 * - booleans as `True` / `False` → `bool`; `null` as `None` (PymoNNto: the string `"None"`);
 * - arrays and plain objects as Python literals (`[1, 2.5, 'a', True, None]`, `{'x': 1}`), read in Python with
 *   `ast.literal_eval`;
 * - strings as they are, or as a Python string literal (`'1'`, `'True'`, `' padded '`) when the bare text would
 *   read back as another value or be changed by configparser;
 * - bigints as digits; they read back as numbers when they are safe integers, else as bigints.
 *
 * {@linkcode parseParam} reads all of this back to the exact value and type, and also what configparser and
 * PymoNNto write: `1e-07`, `None`, `[1, 2, 3]`, `{'x': 1}`, `(1, 2)`, numpy's `[1.5 2.5]`, `1_000`.
 *
 * @module
 */

/** A value that `config.ini` stores and reads back exactly. */
export type ParamValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | ParamValue[]
  | { [key: string]: ParamValue };

const INT_RE = /^[-+]?\d+(?:_\d+)*$/;
const FLOAT_RE = /^[-+]?(?:\d+(?:_\d+)*\.?(?:\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)(?:[eE][-+]?\d+)?$/;
const SPECIAL: Record<string, number> = {
  nan: NaN,
  "+nan": NaN,
  "-nan": NaN,
  inf: Infinity,
  "+inf": Infinity,
  "-inf": -Infinity,
  infinity: Infinity,
  "+infinity": Infinity,
  "-infinity": -Infinity,
};

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  if (Object.is(n, -0)) return "-0.0";
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 53) return String(n);
  const s = String(n);
  if (s.includes(".")) return s;
  const e = s.indexOf("e");
  return e < 0 ? `${s}.0` : `${s.slice(0, e)}.0${s.slice(e)}`;
}

/** A Python string literal that `ast.literal_eval` and {@linkcode parseParam} read back to `s`. */
function pyString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += ch + s[i + 1]; // a valid surrogate pair: one character
        i++;
      } else out += `\\u${c.toString(16).padStart(4, "0")}`; // a lone surrogate
    } else out += ch;
  }
  return out + quote;
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  const name = (value as object)?.constructor?.name;
  return name ? `a ${name}` : "an object without prototype";
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function formatNested(value: unknown, seen: Set<unknown>): string {
  if (value === null) return "None";
  switch (typeof value) {
    case "boolean":
      return value ? "True" : "False";
    case "number":
      return formatNumber(value);
    case "bigint":
      return value.toString();
    case "string":
      return pyString(value);
    case "object": {
      if (seen.has(value)) throw new TypeError("a cyclic structure cannot be stored in config.ini");
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = `[${value.map((v) => formatNested(v, seen)).join(", ")}]`;
      } else if (isPlainObject(value)) {
        out = `{${
          Object.entries(value).map(([k, v]) => `${pyString(k)}: ${formatNested(v, seen)}`).join(
            ", ",
          )
        }}`;
      } else {
        throw new TypeError(
          `${
            describe(value)
          } cannot be stored in config.ini: save it with saveObj() or saveNp(), ` +
            "or convert it to a plain array/object",
        );
      }
      seen.delete(value);
      return out;
    }
  }
  throw new TypeError(
    `${describe(value)} cannot be stored in config.ini: use null for "no value", or saveObj()`,
  );
}

/** Whether configparser gives back `s` unchanged when it is written bare (continuation lines and all). */
function survivesIni(s: string): boolean {
  if (s.includes("\r")) return false;
  const lines = s.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() !== line) return false;
    // deno-lint-ignore no-control-regex
    if (/[\x00-\x08\x0b-\x1f\x7f]/.test(line)) return false;
    if (i > 0 && (line[0] === "#" || line[0] === ";")) return false; // a comment inside a value is dropped
  }
  return lines[lines.length - 1] !== "" || lines.length === 1;
}

/**
 * The `config.ini` text of a parameter value. Throws a `TypeError` for values `config.ini` cannot hold
 * (undefined, functions, Map, Set, Date, typed arrays, class instances, cycles): save those with `saveObj`.
 *
 * @example
 * ```ts
 * import { formatParam } from "@sweepstore/sweepstore";
 * console.log(formatParam(1e-7), formatParam(true), formatParam([1, "a"]), formatParam("1")); // 1.0e-7 True [1, 'a'] '1'
 * ```
 */
export function formatParam(value: unknown): string {
  if (typeof value === "string") {
    if (survivesIni(value)) {
      let back: ParamValue;
      try {
        back = parseParam(value);
      } catch {
        back = null;
      }
      if (back === value) return value;
    }
    return pyString(value);
  }
  return formatNested(value, new Set());
}

function parseNumberText(text: string): number | bigint | undefined {
  if (INT_RE.test(text)) {
    const clean = text.replaceAll("_", "");
    const n = Number(clean);
    return Number.isSafeInteger(n) ? n : BigInt(clean);
  }
  if (FLOAT_RE.test(text) && /\d/.test(text)) return Number(text.replaceAll("_", ""));
  const special = SPECIAL[text.toLowerCase()];
  return special;
}

/** A recursive-descent reader of the Python literals that `formatParam` and Python's `str()` write. */
class LiteralReader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new SyntaxError(`${what} at position ${this.pos} of ${JSON.stringify(this.text)}`);
  }

  skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  value(): ParamValue {
    this.skip();
    const ch = this.text[this.pos];
    if (ch === "[") return this.sequence("]");
    if (ch === "(") return this.sequence(")");
    if (ch === "{") return this.dict();
    if (ch === "'" || ch === '"') return this.string();
    const rest = this.text.slice(this.pos);
    const m = /^[-+]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d+)?(?![\w.])/.exec(rest) ??
      /^[-+]?[A-Za-z_]\w*/.exec(rest);
    if (!m) this.fail("expected a value");
    this.pos += m[0].length;
    const word = m[0];
    if (word === "True") return true;
    if (word === "False") return false;
    if (word === "None") return null;
    const n = parseNumberText(word);
    if (n === undefined) this.fail(`unexpected ${JSON.stringify(word)}`);
    return n;
  }

  sequence(close: string): ParamValue[] {
    this.pos++; // the opening bracket
    const items: ParamValue[] = [];
    this.skip();
    while (this.text[this.pos] !== close) {
      if (this.pos >= this.text.length) this.fail(`missing "${close}"`);
      if (this.text.startsWith("...", this.pos)) this.fail("an abbreviated numpy array (...)");
      items.push(this.value());
      this.skip();
      if (this.text[this.pos] === ",") {
        this.pos++;
        this.skip();
      } // numpy writes "[1.5 2.5]": elements separated by white space only
    }
    this.pos++;
    return items;
  }

  dict(): { [key: string]: ParamValue } {
    this.pos++;
    const out: { [key: string]: ParamValue } = {};
    this.skip();
    while (this.text[this.pos] !== "}") {
      if (this.pos >= this.text.length) this.fail('missing "}"');
      const key = this.value();
      if (typeof key === "object" && key !== null) {
        this.fail("a dict key must be a string or number");
      }
      this.skip();
      if (this.text[this.pos] !== ":") this.fail('expected ":"');
      this.pos++;
      Object.defineProperty(out, String(key), {
        value: this.value(),
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

  string(): string {
    const quote = this.text[this.pos++];
    let out = "";
    while (true) {
      if (this.pos >= this.text.length) this.fail("unterminated string");
      const ch = this.text[this.pos++];
      if (ch === quote) return out;
      if (ch === "\n") this.fail("newline in a string");
      if (ch !== "\\") {
        out += ch;
        continue;
      }
      const e = this.text[this.pos++];
      const hex = (len: number) => {
        const h = this.text.slice(this.pos, this.pos + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) this.fail("a bad \\x, \\u or \\U escape");
        this.pos += len;
        return parseInt(h, 16);
      };
      switch (e) {
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
        case "0":
        case "1":
        case "2":
        case "3":
        case "4":
        case "5":
        case "6":
        case "7": {
          const m = /^[0-7]{1,3}/.exec(this.text.slice(this.pos - 1))!;
          this.pos += m[0].length - 1;
          out += String.fromCharCode(parseInt(m[0], 8));
          break;
        }
        case "x":
          out += String.fromCharCode(hex(2));
          break;
        case "u":
          out += String.fromCharCode(hex(4));
          break;
        case "U":
          out += String.fromCodePoint(hex(8));
          break;
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
        case "\\":
        case "'":
        case '"':
          out += e;
          break;
        case "\n":
          break;
        default:
          out += `\\${e}`; // Python keeps unknown escapes as they are
      }
    }
  }
}

/**
 * Reads the `config.ini` text of a parameter: the exact value {@linkcode formatParam} wrote, and what
 * configparser or PymoNNto wrote (`True`, `None`, `1e-07`, `[1, 2, 3]`, `{'x': 1}`, numpy's `[1.5 2.5]`).
 * Text that is no number, boolean, `None` or complete Python literal is a string.
 *
 * @example
 * ```ts
 * import { parseParam } from "@sweepstore/sweepstore";
 * console.log(parseParam("1.0e-07"), parseParam("None"), parseParam("[1, 'a']"), parseParam("50percent done"));
 * ```
 */
export function parseParam(text: string): ParamValue {
  if (text === "True") return true;
  if (text === "False") return false;
  if (text === "None") return null;
  const first = text[0];
  if (first === undefined) return "";
  if (
    (first >= "0" && first <= "9") || first === "-" || first === "+" || first === "." ||
    first === "n" ||
    first === "i" || first === "N" || first === "I"
  ) {
    const n = parseNumberText(text);
    if (n !== undefined) return n;
  }
  if (first === "[" || first === "(" || first === "{" || first === "'" || first === '"') {
    const reader = new LiteralReader(text);
    try {
      const value = reader.value();
      reader.skip();
      if (reader.pos === text.length) return value;
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
    }
  }
  return text;
}

/**
 * PymoNNto's own `load_param` rule, for comparison: `True`/`False` → boolean; text containing `.` → a float
 * (as Python's `float()` reads it, else the text); otherwise an integer (as Python's `int()`), else the text.
 *
 * @example
 * ```ts
 * import { parsePymonntoParam } from "@sweepstore/sweepstore";
 * console.log(parsePymonntoParam("1e-07"), parsePymonntoParam("2.5"), parsePymonntoParam("007")); // "1e-07" 2.5 7
 * ```
 */
export function parsePymonntoParam(text: string): string | number | boolean {
  if (text === "True" || text === "False") return text === "True";
  const t = text.trim();
  if (text.includes(".")) {
    if (FLOAT_RE.test(t) && /\d/.test(t)) return Number(t.replaceAll("_", ""));
    const special = SPECIAL[t.toLowerCase()];
    return special !== undefined ? special : text;
  }
  if (INT_RE.test(t)) return Number(t.replaceAll("_", ""));
  return text;
}
