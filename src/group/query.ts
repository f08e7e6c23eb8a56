/**
 * The query language of {@linkcode StorageManagerGroup.query}: parsed into a predicate, never evaluated as
 * code.
 *
 * ```
 * query      := or
 * or         := and (("||" | "or") and)*
 * and        := unary (("&&" | "and") unary)*
 * unary      := ("!" | "not") unary | "(" or ")" | comparison
 * comparison := operand (op operand)?          op: > < >= <= == !=
 * operand    := key | number | string | true | false | null | nan
 * ```
 *
 * - **Keys** are parameter names, case-insensitive: a letter or `_`, then letters, digits, `_`, `.` and `-`
 *   (`number_of_neurons`, `layer.size`, `learning-rate`). Any other name goes in backticks, with the same
 *   escapes as strings: `` `my key` > 1 ``, `` `2nd` == 0 ``, `` `true` == 1 `` (a key named like a literal).
 * - **Numbers** are decimal, with a sign, a fraction, an exponent and `_` between digits: `-1.5e-3`, `.5`,
 *   `1_000`; `inf`/`Infinity` (also `-inf`) and `nan`/`NaN`. Integers beyond 2^53 are exact (bigints).
 * - **Strings** are single- or double-quoted, with the escapes `\\ \' \" \n \t \r \0 \xHH \uHHHH \u{H…}`;
 *   `&&`, `||` and quotes inside strings are just text.
 * - **Literals**: `true`/`True`, `false`/`False`, `null`/`None`.
 * - `&&` binds tighter than `||`; `!` binds tightest and applies to a whole comparison, as Python's `not`:
 *   `!n>5` is `!(n>5)`. `and`, `or` and `not` are spelled-out forms of `&&`, `||` and `!`.
 *
 * Semantics:
 * - A comparison involving a key the run does not have (its value is `undefined` or `null`) is false, for
 *   every operator including `!=`: runs missing a key do not match. `!` negates whatever it applies to, so
 *   `!(n>5)` matches runs without `n` (as `not` would in Python: write `n<=5` to exclude them). The only
 *   comparisons that look at missingness are `key == null` (true when missing) and `key != null`.
 * - Numbers (and bigints) compare as numbers, strings as strings (ordering by UTF-16 code unit); booleans
 *   only with `==`/`!=`; values of different types are unequal and unordered (`n == "5"` is false and
 *   `n != "5"` true for the number 5; `flag > false` is always false). Parameters read from `config.ini` are
 *   already typed, so a stored `5` is a number.
 * - A NaN value is unordered and unequal to every number (IEEE): `x > 1` is false, `x != 1` true. To select
 *   NaN write `x == nan` (true only for NaN) or `x != nan` (present and not NaN).
 * - Comparing with `null`, `nan`, `true` or `false` by `<`, `>`, `<=` or `>=` can never match and is a
 *   `SyntaxError`.
 * - A key on its own is true when its value is truthy as in Python: `true`, a non-zero number, a non-empty
 *   string, list or object. A value on its own (`5`) is a `SyntaxError`.
 *
 * @module
 */

/** A parsed query: the keys it reads, and its test. */
export interface Query {
  /** The query text. */
  readonly source: string;
  /** The parameter names the query reads, lowercased, in order of first appearance. */
  readonly keys: string[];
  /**
   * Whether a run matches, given a function that returns a parameter's value (undefined or null if missing)
   * for a lowercased key. Allocates nothing.
   */
  test(lookup: (key: string) => unknown): boolean;
}

type Op = ">" | "<" | ">=" | "<=" | "==" | "!=";
type Lookup = (key: string) => unknown;
type Pred = (lookup: Lookup) => boolean;
/** A literal value: NAN_LITERAL stands for `nan`, which compares by NaN-ness. */
type Literal = number | bigint | string | boolean | null | typeof NAN_LITERAL;

const NAN_LITERAL: unique symbol = Symbol("nan");

type Token =
  | { kind: "key"; text: string; key: string; pos: number }
  | { kind: "value"; text: string; value: Literal; pos: number }
  | { kind: "op"; text: Op; pos: number }
  | { kind: "and" | "or" | "not" | "(" | ")" | "end"; text: string; pos: number };

type Operand =
  | { kind: "key"; key: string; token: Token }
  | { kind: "value"; value: Literal; token: Token };

// ---------------------------------------------------------------------------------------------------------
// Errors

/** The 1-based column of a UTF-16 index, counting code points. */
function columnOf(source: string, pos: number): number {
  return [...source.slice(0, pos)].length + 1;
}

/**
 * A SyntaxError saying what is wrong, the column (and a hint, in parentheses), then the query with a caret
 * under the column.
 */
function syntaxError(source: string, pos: number, what: string, hint?: string): SyntaxError {
  const column = columnOf(source, pos);
  // One space per white-space character keeps the caret under its column (tabs, newlines).
  const shown = source.replace(/\s/g, " ");
  return new SyntaxError(
    `${what} at column ${column}${hint ? ` (${hint})` : ""}:\n  ${shown}\n  ${
      " ".repeat(column - 1)
    }^`,
  );
}

function describe(t: Token): string {
  return t.kind === "end" ? "the end of the query" : JSON.stringify(t.text);
}

// ---------------------------------------------------------------------------------------------------------
// Tokenizer

const KEY_START = /[\p{L}_]/uy;
const KEY_REST = /[\p{L}\p{M}\p{N}_.-]*/uy;
const NUMBER = /[-+]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][-+]?\d+)?/y;
const WORD_CHARS = /[\p{L}\p{M}\p{N}_.]+/uy;
const INTEGER = /^[-+]?\d+$/;

const WORDS: Record<string, Token["kind"] | Literal> = {
  and: "and",
  or: "or",
  not: "not",
  true: true,
  True: true,
  false: false,
  False: false,
  null: null,
  None: null,
  nan: NAN_LITERAL,
  NaN: NAN_LITERAL,
  inf: Infinity,
  Infinity: Infinity,
};

function matchAt(re: RegExp, source: string, i: number): string | undefined {
  re.lastIndex = i;
  return re.exec(source)?.[0];
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || /\s/.test(c);
}

const ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  "`": "`",
  n: "\n",
  t: "\t",
  r: "\r",
  "0": "\0",
};

/** Reads a quoted string or backtick key starting at `start`; returns its value and the index after it. */
function readQuoted(source: string, start: number, what: string): [string, number] {
  const quote = source[start];
  let value = "";
  let i = start + 1;
  while (true) {
    if (i >= source.length) {
      throw syntaxError(source, start, `Unterminated ${what}`, `add the closing ${quote}`);
    }
    const ch = source[i];
    if (ch === quote) return [value, i + 1];
    if (ch !== "\\") {
      value += ch;
      i++;
      continue;
    }
    const e = source[i + 1];
    if (e !== undefined && Object.hasOwn(ESCAPES, e)) {
      value += ESCAPES[e];
      i += 2;
      continue;
    }
    const hex = e === "x"
      ? /^[0-9a-fA-F]{2}/.exec(source.slice(i + 2))?.[0]
      : e === "u"
      ? /^(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F]{1,6}\})/.exec(source.slice(i + 2))?.[0]
      : undefined;
    const code = hex === undefined ? undefined : parseInt(hex.replace(/[{}]/g, ""), 16);
    if (code === undefined || code > 0x10ffff) {
      if (e === undefined) {
        throw syntaxError(source, start, `Unterminated ${what}`, `add the closing ${quote}`);
      }
      throw syntaxError(
        source,
        i,
        `Unknown escape "\\${e}" in a ${what}`,
        `valid: \\\\ \\' \\" \\\` \\n \\t \\r \\0 \\xHH \\uHHHH \\u{H…}; write \\\\ for a backslash`,
      );
    }
    value += String.fromCodePoint(code);
    i += 2 + hex!.length;
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    const two = source.slice(i, i + 2);
    if (c === "(" || c === ")") {
      tokens.push({ kind: c, text: c, pos: i++ });
    } else if (two === "&&" || two === "||") {
      tokens.push({ kind: c === "&" ? "and" : "or", text: two, pos: i });
      i += 2;
    } else if (two === "<>") {
      throw syntaxError(source, i, '"<>" is not an operator', 'write "!=" for "not equal"');
    } else if (two === "=>" || two === "=<") {
      throw syntaxError(source, i, `"${two}" is not an operator`, `write "${two[1]}="`);
    } else if (two === ">=" || two === "<=" || two === "==" || two === "!=") {
      tokens.push({ kind: "op", text: two, pos: i });
      i += 2;
    } else if (c === ">" || c === "<") {
      tokens.push({ kind: "op", text: c, pos: i++ });
    } else if (c === "!") {
      tokens.push({ kind: "not", text: "!", pos: i++ });
    } else if (c === "=") {
      throw syntaxError(source, i, 'Unexpected "="', 'write "==" to compare');
    } else if (c === "&" || c === "|") {
      throw syntaxError(source, i, `Unexpected "${c}"`, `write "${c}${c}"`);
    } else if (c === "'" || c === '"') {
      const [value, end] = readQuoted(source, i, "string");
      tokens.push({ kind: "value", text: source.slice(start, end), value, pos: start });
      i = end;
    } else if (c === "`") {
      const [name, end] = readQuoted(source, i, "backtick-quoted parameter name");
      if (name.length === 0) {
        throw syntaxError(
          source,
          start,
          "Empty parameter name ``",
          "write the name between the backticks",
        );
      }
      tokens.push({
        kind: "key",
        text: source.slice(start, end),
        key: name.toLowerCase(),
        pos: start,
      });
      i = end;
    } else if ((c === "-" || c === "+") && matchAt(KEY_START, source, i + 1)) {
      // A signed inf or nan.
      const word = source[i + 1] + (matchAt(KEY_REST, source, i + 2) ?? "");
      const value = WORDS[word];
      if (typeof value !== "number" && value !== NAN_LITERAL) {
        throw syntaxError(
          source,
          i,
          `Unexpected "${c}" before ${JSON.stringify(word)}`,
          "a sign goes only before a number",
        );
      }
      const signed = value === NAN_LITERAL ? NAN_LITERAL : c === "-" ? -value : value;
      i += 1 + word.length;
      tokens.push({ kind: "value", text: source.slice(start, i), value: signed, pos: start });
    } else {
      const num = matchAt(NUMBER, source, i);
      if (num !== undefined && /\d/.test(num)) {
        i += num.length;
        const trailing = matchAt(WORD_CHARS, source, i);
        if (trailing !== undefined) {
          throw syntaxError(
            source,
            start,
            `Malformed number ${JSON.stringify(num + trailing)}`,
            "numbers look like 12, -0.5, 1e-3; a parameter name that starts with a digit goes in " +
              "backticks: `2nd`",
          );
        }
        const digits = num.replaceAll("_", "");
        let value: number | bigint = Number(digits);
        if (INTEGER.test(digits) && !Number.isSafeInteger(value)) value = BigInt(digits);
        tokens.push({ kind: "value", text: num, value, pos: start });
        continue;
      }
      if (matchAt(KEY_START, source, i) === undefined) {
        throw syntaxError(
          source,
          i,
          `Unexpected character ${JSON.stringify(c)}`,
          "a parameter name with characters other than letters, digits, _, . and - goes in " +
            "backticks: `my key`",
        );
      }
      const word = c + (matchAt(KEY_REST, source, i + 1) ?? "");
      i += word.length;
      const w = Object.hasOwn(WORDS, word) ? WORDS[word] : undefined;
      if (w === "and" || w === "or" || w === "not") {
        tokens.push({ kind: w, text: word, pos: start });
      } else if (w !== undefined) {
        tokens.push({ kind: "value", text: word, value: w as Literal, pos: start });
      } else tokens.push({ kind: "key", text: word, key: word.toLowerCase(), pos: start });
    }
  }
  tokens.push({ kind: "end", text: "", pos: source.length });
  return tokens;
}

// ---------------------------------------------------------------------------------------------------------
// Predicates (built once; evaluating them allocates nothing)

const FLIP: Record<Op, Op> = { ">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!=" };

function truthy(v: unknown): boolean {
  if (v === true) return true;
  if (typeof v === "number") return v !== 0 && v === v;
  if (typeof v === "bigint") return v !== 0n;
  if (typeof v === "string") return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v !== null && typeof v === "object") {
    for (const _ in v) return true;
  }
  return false;
}

/** `a op b` for two present values (neither undefined nor null). */
function compareValues(op: Op, a: unknown, b: unknown): boolean {
  const numeric = (typeof a === "number" || typeof a === "bigint") &&
    (typeof b === "number" || typeof b === "bigint");
  if (numeric || (typeof a === "string" && typeof b === "string")) {
    const x = a as number, y = b as number; // number/bigint mixes compare by value at run time
    switch (op) {
      case ">":
        return x > y;
      case "<":
        return x < y;
      case ">=":
        return x >= y;
      case "<=":
        return x <= y;
      case "==":
        return x == y; // == (not ===) so that 10n == 10
      case "!=":
        return x != y;
    }
  }
  if (op === "==") return a === b;
  if (op === "!=") return a !== b;
  return false;
}

function isNumeric(v: unknown): v is number | bigint {
  return typeof v === "number" || typeof v === "bigint";
}

/** `key op c` for a number or bigint c. */
function keyVsNumber(key: string, op: Op, c: number | bigint): Pred {
  switch (op) {
    case ">":
      return (l) => {
        const v = l(key);
        return isNumeric(v) && v > c;
      };
    case "<":
      return (l) => {
        const v = l(key);
        return isNumeric(v) && v < c;
      };
    case ">=":
      return (l) => {
        const v = l(key);
        return isNumeric(v) && v >= c;
      };
    case "<=":
      return (l) => {
        const v = l(key);
        return isNumeric(v) && v <= c;
      };
    case "==":
      return (l) => {
        const v = l(key);
        return isNumeric(v) && v == c;
      };
    case "!=":
      return (l) => {
        const v = l(key);
        return v !== undefined && v !== null && (!isNumeric(v) || v != c);
      };
  }
}

/** `key op c` for a string c. */
function keyVsString(key: string, op: Op, c: string): Pred {
  switch (op) {
    case ">":
      return (l) => {
        const v = l(key);
        return typeof v === "string" && v > c;
      };
    case "<":
      return (l) => {
        const v = l(key);
        return typeof v === "string" && v < c;
      };
    case ">=":
      return (l) => {
        const v = l(key);
        return typeof v === "string" && v >= c;
      };
    case "<=":
      return (l) => {
        const v = l(key);
        return typeof v === "string" && v <= c;
      };
    case "==":
      return (l) => l(key) === c;
    case "!=":
      return (l) => {
        const v = l(key);
        return v !== undefined && v !== null && v !== c;
      };
  }
}

/** `key == c` or `key != c` for c a boolean, null or nan (ordering was rejected by the parser). */
function keyVsSpecial(key: string, equal: boolean, c: boolean | null | typeof NAN_LITERAL): Pred {
  if (c === null) {
    return equal ? (l) => l(key) == null : (l) => l(key) != null;
  }
  if (c === NAN_LITERAL) {
    return equal
      ? (l) => {
        const v = l(key);
        return typeof v === "number" && v !== v;
      }
      : (l) => {
        const v = l(key);
        return v !== undefined && v !== null && !(typeof v === "number" && v !== v);
      };
  }
  return equal ? (l) => l(key) === c : (l) => {
    const v = l(key);
    return v !== undefined && v !== null && v !== c;
  };
}

/** A constant comparison of two literals. */
function literalVsLiteral(op: Op, a: Literal, b: Literal): boolean {
  if (a === NAN_LITERAL || b === NAN_LITERAL) {
    const other = a === NAN_LITERAL ? b : a;
    const isNan = other === NAN_LITERAL;
    return op === "==" ? isNan : other !== null && !isNan;
  }
  if (a === null || b === null) return op === "==" ? a === b : a !== null && b !== null;
  return compareValues(op, a, b);
}

function comparisonPred(left: Operand, op: Op, right: Operand): Pred {
  if (left.kind === "value" && right.kind === "key") return comparisonPred(right, FLIP[op], left);
  if (left.kind === "key" && right.kind === "value") {
    const key = left.key, c = right.value;
    if (typeof c === "number" || typeof c === "bigint") return keyVsNumber(key, op, c);
    if (typeof c === "string") return keyVsString(key, op, c);
    return keyVsSpecial(key, op === "==", c);
  }
  if (left.kind === "key" && right.kind === "key") {
    const a = left.key, b = right.key;
    return (l) => {
      const x = l(a);
      if (x === undefined || x === null) return false;
      const y = l(b);
      if (y === undefined || y === null) return false;
      return compareValues(op, x, y);
    };
  }
  const a = (left as { value: Literal }).value, b = (right as { value: Literal }).value;
  const result = literalVsLiteral(op, a, b);
  return () => result;
}

function andPred(a: Pred, b: Pred): Pred {
  return (l) => a(l) && b(l);
}

function orPred(a: Pred, b: Pred): Pred {
  return (l) => a(l) || b(l);
}

// ---------------------------------------------------------------------------------------------------------
// Parser

class Parser {
  i = 0;
  readonly keys = new Set<string>();
  constructor(readonly source: string, readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.i];
  }

  error(t: Token, what: string, hint?: string): SyntaxError {
    return syntaxError(this.source, t.pos, what, hint);
  }

  parse(): Pred {
    if (this.peek().kind === "end") {
      throw this.error(this.peek(), "The query is empty", "write a comparison such as n>1000");
    }
    const pred = this.or();
    const t = this.peek();
    if (t.kind === ")") throw this.error(t, 'Unmatched ")"', 'there is no "(" to close');
    if (t.kind !== "end") {
      throw this.error(t, `Expected "&&", "||" or the end of the query, found ${describe(t)}`);
    }
    return pred;
  }

  or(): Pred {
    let pred = this.and();
    while (this.peek().kind === "or") {
      const t = this.tokens[this.i++];
      pred = orPred(pred, this.and(t));
    }
    return pred;
  }

  and(after?: Token): Pred {
    let pred = this.unary(after);
    while (this.peek().kind === "and") {
      const t = this.tokens[this.i++];
      pred = andPred(pred, this.unary(t));
    }
    return pred;
  }

  unary(after?: Token): Pred {
    const t = this.peek();
    if (t.kind === "not") {
      this.i++;
      const inner = this.unary(t);
      return (l) => !inner(l);
    }
    if (t.kind === "(") {
      this.i++;
      const inner = this.or();
      const close = this.peek();
      if (close.kind !== ")") {
        throw this.error(
          close,
          `Expected ")" to close the "(" of column ${columnOf(this.source, t.pos)}, found ${
            describe(close)
          }`,
        );
      }
      this.i++;
      return inner;
    }
    if (t.kind !== "key" && t.kind !== "value") {
      const where = after ? ` after ${JSON.stringify(after.text)}` : "";
      throw this.error(
        t,
        `Expected a comparison (such as n>1000), "(" or "!"${where}, found ${describe(t)}`,
      );
    }
    return this.comparison();
  }

  operand(): Operand {
    const t = this.tokens[this.i++];
    if (t.kind === "key") {
      this.keys.add(t.key);
      return { kind: "key", key: t.key, token: t };
    }
    return { kind: "value", value: (t as { value: Literal }).value, token: t };
  }

  comparison(): Pred {
    const left = this.operand();
    const t = this.peek();
    if (t.kind !== "op") {
      if (left.kind === "value") {
        throw this.error(
          t,
          `Expected a comparison operator (> < >= <= == !=) after ${describe(left.token)}, found ${
            describe(t)
          }`,
        );
      }
      const key = left.key;
      return (l) => truthy(l(key));
    }
    this.i++;
    const op = t.text as Op;
    const next = this.peek();
    if (next.kind !== "key" && next.kind !== "value") {
      throw this.error(
        next,
        `Expected a value or a parameter name after ${JSON.stringify(op)}, found ${describe(next)}`,
      );
    }
    const right = this.operand();
    if (op !== "==" && op !== "!=") {
      for (const side of [left, right]) {
        if (side.kind !== "value") continue;
        const v = side.value;
        if (v === null || v === NAN_LITERAL || typeof v === "boolean") {
          throw this.error(
            t,
            `${JSON.stringify(op)} never matches ${side.token.text}`,
            "only == and != compare with null, nan, true and false",
          );
        }
      }
    }
    return comparisonPred(left, op, right);
  }
}

/**
 * Parses a query such as `"n>1000 && lr<=0.01"` or `'tag=="alpha" || !(score<0.5)'` into a reusable test
 * (see the module documentation for the grammar and semantics). A malformed query throws a `SyntaxError`
 * whose message says what was expected and shows the query with a caret under the column.
 *
 * @example
 * ```ts
 * import { parseQuery } from "@sweepstore/sweepstore";
 * const q = parseQuery("n>1000 && lr<=0.01");
 * const run = new Map<string, unknown>([["n", 2000], ["lr", 0.001]]);
 * console.log(q.keys, q.test((key) => run.get(key))); // ["n", "lr"] true
 * try {
 *   parseQuery("n>");
 * } catch (err) {
 *   console.log((err as SyntaxError).message);
 *   // Expected a value or a parameter name after ">", found the end of the query at column 3:
 *   //   n>
 *   //     ^
 * }
 * ```
 */
export function parseQuery(source: string): Query {
  if (typeof source !== "string") {
    throw new TypeError(`A query must be a string, got ${typeof source}`);
  }
  const parser = new Parser(source, tokenize(source));
  const test = parser.parse();
  return { source, keys: [...parser.keys], test };
}
