/**
 * The tokenizer of the query language (internal): query text → tokens, or a {@linkcode QueryError} at the
 * first character that starts no token. The grammar and the token syntax are documented in `query.ts`.
 *
 * @module
 */

import { QueryError } from "./query_error.ts";

/** A comparison operator. */
export type Op = ">" | "<" | ">=" | "<=" | "==" | "!=";

/** Stands for the literal `nan`, which compares by NaN-ness rather than by value. */
export const NAN_LITERAL: unique symbol = Symbol("nan");

/** A literal value of a query. */
export type Literal = number | bigint | string | boolean | null | typeof NAN_LITERAL;

/** One token, with its text and its 0-based position in the query. */
export type Token =
  | { kind: "key"; text: string; key: string; pos: number }
  | { kind: "value"; text: string; value: Literal; pos: number }
  | { kind: "op"; text: Op; pos: number }
  | { kind: "and" | "or" | "not" | "(" | ")" | "end"; text: string; pos: number };

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

function matchAt(re: RegExp, source: string, i: number): string | undefined {
  re.lastIndex = i;
  return re.exec(source)?.[0];
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || /\s/.test(c);
}

/** The escape `\…` at `i` of a quoted text: its value and length, or undefined when not an escape. */
function readEscape(source: string, i: number): [string, number] | undefined {
  const e = source[i + 1];
  if (e !== undefined && Object.hasOwn(ESCAPES, e)) return [ESCAPES[e], 2];
  const hex = e === "x"
    ? /^[0-9a-fA-F]{2}/.exec(source.slice(i + 2, i + 4))?.[0]
    : e === "u"
    ? /^(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F]{1,6}\})/.exec(source.slice(i + 2, i + 10))?.[0]
    : undefined;
  const code = hex === undefined ? undefined : parseInt(hex.replace(/[{}]/g, ""), 16);
  if (code === undefined || code > 0x10ffff) return undefined;
  return [String.fromCodePoint(code), 2 + hex!.length];
}

/** Reads a quoted string or backtick key starting at `start`; returns its value and the index after it. */
function readQuoted(source: string, start: number, what: string): [string, number] {
  const quote = source[start];
  let value = "";
  let i = start + 1;
  while (true) {
    if (i >= source.length) {
      throw new QueryError(`Unterminated ${what}`, source, start, `add the closing ${quote}`);
    }
    const ch = source[i];
    if (ch === quote) return [value, i + 1];
    if (ch !== "\\") {
      value += ch;
      i++;
      continue;
    }
    const escape = readEscape(source, i);
    if (escape === undefined) {
      const e = source[i + 1];
      if (e === undefined) {
        throw new QueryError(`Unterminated ${what}`, source, start, `add the closing ${quote}`);
      }
      throw new QueryError(
        `Unknown escape "\\${e}" in a ${what}`,
        source,
        i,
        `valid: \\\\ \\' \\" \\\` \\n \\t \\r \\0 \\xHH \\uHHHH \\u{H…}; write \\\\ for a backslash`,
      );
    }
    value += escape[0];
    i += escape[1];
  }
}

/** An operator or punctuation token at `i`, or undefined when `i` starts none. */
function readOperator(source: string, i: number): Token | undefined {
  const c = source[i];
  const two = source.slice(i, i + 2);
  if (c === "(" || c === ")") return { kind: c, text: c, pos: i };
  if (two === "&&" || two === "||") return { kind: c === "&" ? "and" : "or", text: two, pos: i };
  if (two === "<>") {
    throw new QueryError('"<>" is not an operator', source, i, 'write "!=" for "not equal"');
  }
  if (two === "=>" || two === "=<") {
    throw new QueryError(`"${two}" is not an operator`, source, i, `write "${two[1]}="`);
  }
  if (two === ">=" || two === "<=" || two === "==" || two === "!=") {
    return { kind: "op", text: two, pos: i };
  }
  if (c === ">" || c === "<") return { kind: "op", text: c, pos: i };
  if (c === "!") return { kind: "not", text: "!", pos: i };
  if (c === "=") throw new QueryError('Unexpected "="', source, i, 'write "==" to compare');
  if (c === "&" || c === "|") {
    throw new QueryError(`Unexpected "${c}"`, source, i, `write "${c}${c}"`);
  }
  return undefined;
}

/** A string literal or a backtick-quoted key at `i`. */
function readQuotedToken(source: string, i: number): Token {
  if (source[i] !== "`") {
    const [value, end] = readQuoted(source, i, "string");
    return { kind: "value", text: source.slice(i, end), value, pos: i };
  }
  const [name, end] = readQuoted(source, i, "backtick-quoted parameter name");
  if (name.length === 0) {
    throw new QueryError(
      "Empty parameter name ``",
      source,
      i,
      "write the name between the backticks",
    );
  }
  return { kind: "key", text: source.slice(i, end), key: name.toLowerCase(), pos: i };
}

/** A signed `inf` or `nan` at `i` (a sign followed by a letter). */
function readSignedWord(source: string, i: number): Token {
  const c = source[i];
  const word = source[i + 1] + (matchAt(KEY_REST, source, i + 2) ?? "");
  const value = WORDS[word];
  if (typeof value !== "number" && value !== NAN_LITERAL) {
    throw new QueryError(
      `Unexpected "${c}" before ${JSON.stringify(word)}`,
      source,
      i,
      "a sign goes only before a number",
    );
  }
  const signed = value === NAN_LITERAL ? NAN_LITERAL : c === "-" ? -value : value;
  return { kind: "value", text: source.slice(i, i + 1 + word.length), value: signed, pos: i };
}

/** A number at `i`, or undefined when none starts there. Integers beyond 2^53 become bigints. */
function readNumber(source: string, i: number): Token | undefined {
  const num = matchAt(NUMBER, source, i);
  if (num === undefined || !/\d/.test(num)) return undefined;
  const trailing = matchAt(WORD_CHARS, source, i + num.length);
  if (trailing !== undefined) {
    throw new QueryError(
      `Malformed number ${JSON.stringify(num + trailing)}`,
      source,
      i,
      "numbers look like 12, -0.5, 1e-3; a parameter name that starts with a digit goes in " +
        "backticks: `2nd`",
    );
  }
  const digits = num.replaceAll("_", "");
  let value: number | bigint = Number(digits);
  if (INTEGER.test(digits) && !Number.isSafeInteger(value)) value = BigInt(digits);
  return { kind: "value", text: num, value, pos: i };
}

/** A key, a word operator (`and`, `or`, `not`) or a word literal (`true`, `None`, `nan`…) at `i`. */
function readWord(source: string, i: number): Token {
  if (matchAt(KEY_START, source, i) === undefined) {
    throw new QueryError(
      `Unexpected character ${JSON.stringify(source[i])}`,
      source,
      i,
      "a parameter name with characters other than letters, digits, _, . and - goes in " +
        "backticks: `my key`",
    );
  }
  const word = source[i] + (matchAt(KEY_REST, source, i + 1) ?? "");
  const w = Object.hasOwn(WORDS, word) ? WORDS[word] : undefined;
  if (w === "and" || w === "or" || w === "not") return { kind: w, text: word, pos: i };
  if (w !== undefined) return { kind: "value", text: word, value: w as Literal, pos: i };
  return { kind: "key", text: word, key: word.toLowerCase(), pos: i };
}

/**
 * Splits a query into tokens, ending with an `end` token at the query's length.
 *
 * @throws {QueryError} At the first character that starts no token, with what to write instead.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    let token = readOperator(source, i);
    if (token === undefined) {
      if (c === "'" || c === '"' || c === "`") token = readQuotedToken(source, i);
      else if ((c === "-" || c === "+") && matchAt(KEY_START, source, i + 1)) {
        token = readSignedWord(source, i);
      } else token = readNumber(source, i) ?? readWord(source, i);
    }
    tokens.push(token);
    i += token.text.length;
  }
  tokens.push({ kind: "end", text: "", pos: source.length });
  return tokens;
}
