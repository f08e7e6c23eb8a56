/**
 * A recursive-descent reader of the Python literals that `formatParam`, Python's `repr()` and numpy's
 * `str()` write (lists, tuples, dicts, strings with escapes, numbers, `True`/`False`/`None`, `nan`/`inf`),
 * for the parameter reader (`params.ts`). Never `eval`. Internal.
 *
 * @module
 */

import type { ParamValue } from "./_param_value.ts";
import { INT_RE, integer, special, SPECIAL_RE } from "./_py_numbers.ts";

/** Escapes that stand for one fixed text; `\<newline>` continues the line. */
const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "\n": "",
};

/** Deepest nesting read, to keep the reader's recursion bounded. */
const MAX_READ_DEPTH = 1000;

// Python number literals: hexadecimal, octal and binary integers, decimal integers and floats.
const LITERAL_NUMBER_RE =
  /[-+]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?)(?![\w.])/y;
const WORD_RE = /[-+]?[A-Za-z_]\w*/y;
const SPACE_RE = /\s*/y;

/** A recursive-descent reader of the Python literals that `formatParam`, Python and numpy write. */
export class LiteralReader {
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
      out += this.escape(this.text[this.pos++]);
    }
  }

  /** The text of the escape `\e` in a string, as Python reads it (the character after `\` is read). */
  escape(e: string | undefined): string {
    const simple = e === undefined ? undefined : SIMPLE_ESCAPES[e];
    if (simple !== undefined) return simple;
    switch (e) {
      case "x":
        return String.fromCharCode(this.hex(2));
      case "u":
        return String.fromCharCode(this.hex(4));
      case "U": {
        const cp = this.hex(8);
        if (cp > 0x10ffff) this.fail("a \\U escape beyond U+10FFFF");
        return String.fromCodePoint(cp);
      }
      case "N":
        return this.fail("a \\N{name} escape (not supported)");
      case undefined:
        return this.fail("unterminated string");
    }
    if (e >= "0" && e <= "7") {
      const m = /^[0-7]{1,3}/.exec(this.text.slice(this.pos - 1, this.pos + 2))!;
      this.pos += m[0].length - 1;
      return String.fromCharCode(parseInt(m[0], 8));
    }
    return `\\${e}`; // Python keeps unknown escapes as they are
  }
}

/**
 * Where a Python literal (list, tuple, dict or quoted string) that starts at `at` (after white space) ends,
 * when it is followed only by white space and then `stop` or the end of `text`; else undefined (no literal
 * there, or one that does not parse). For lists of values written on one line (`[1, 2],'a,b'`), whose
 * separator may also occur inside a literal.
 */
export function literalEnd(text: string, at: number, stop: string): number | undefined {
  const reader = new LiteralReader(text);
  reader.pos = at;
  reader.skip();
  if (!"[({'\"".includes(text[reader.pos] ?? "x")) return undefined;
  try {
    reader.value(0);
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
  reader.skip();
  return reader.pos === text.length || text[reader.pos] === stop ? reader.pos : undefined;
}
