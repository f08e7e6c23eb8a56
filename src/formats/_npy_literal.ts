/**
 * A parser of the Python literals a `.npy` header holds (dicts, tuples, lists, strings, integers, `True`,
 * `False`, `None`): the subset numpy writes, read without `eval`. Internal to the `.npy` codec.
 *
 * @module
 */

/** A Python literal as read: dicts have string keys, tuples are arrays. */
export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

class LiteralParser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new SyntaxError(`${what} at character ${this.pos}`);
  }

  skip(): void {
    const t = this.text;
    while (this.pos < t.length && " \t\r\n".includes(t[this.pos])) this.pos++;
  }

  value(): PyValue {
    this.skip();
    const t = this.text;
    const c = t[this.pos];
    if (c === "{") return this.dict();
    if (c === "(" || c === "[") return this.sequence(c === "(" ? ")" : "]");
    if (c === "'" || c === '"') return this.string();
    const m = /^(?:[-+]?\d+[lL]?|[A-Za-z_]\w*)/.exec(t.slice(this.pos, this.pos + 40));
    if (!m) this.fail(c === undefined ? "unexpected end" : `unexpected ${JSON.stringify(c)}`);
    this.pos += m[0].length;
    const word = m[0];
    if (word === "True") return true;
    if (word === "False") return false;
    if (word === "None") return null;
    if (/^[-+]?\d/.test(word)) return Number(word.replace(/[lL]$/, "")); // Python 2 wrote longs as 3L
    this.pos -= word.length;
    return this.fail(`unexpected name ${word}`);
  }

  string(): string {
    const t = this.text;
    const quote = t[this.pos++];
    let out = "";
    while (this.pos < t.length && t[this.pos] !== quote) {
      if (t[this.pos] === "\\") this.pos++; // an escaped character stands for itself (enough for dtypes)
      out += t[this.pos++];
    }
    if (this.pos >= t.length) this.fail("unterminated string");
    this.pos++;
    return out;
  }

  sequence(close: string): PyValue[] {
    this.pos++;
    const items: PyValue[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.pos] === close) break;
      items.push(this.value());
      this.skip();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== close) this.fail(`expected , or ${close}`);
    }
    this.pos++;
    return items;
  }

  dict(): { [key: string]: PyValue } {
    this.pos++;
    const out: { [key: string]: PyValue } = {};
    for (;;) {
      this.skip();
      if (this.text[this.pos] === "}") break;
      const key = this.value();
      if (typeof key !== "string") this.fail("dict keys must be strings");
      this.skip();
      if (this.text[this.pos++] !== ":") this.fail("expected :");
      out[key] = this.value();
      this.skip();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== "}") this.fail("expected , or }");
    }
    this.pos++;
    return out;
  }
}

/**
 * Reads `text` as one Python literal followed by nothing but white space.
 * @throws {SyntaxError} Naming what is wrong and the character position.
 */
export function readPyLiteral(text: string): PyValue {
  const parser = new LiteralParser(text);
  const value = parser.value();
  parser.skip();
  if (parser.pos !== text.length) parser.fail("unexpected text after the dict");
  return value;
}
