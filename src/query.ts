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
 * operand    := key | number | string | true | false | null
 * ```
 *
 * Keys are parameter names (letters, digits, `_` and `.`, not starting with a digit; case-insensitive).
 * Numbers are decimal (`-1.5e-3`), strings are single- or double-quoted with backslash escapes,
 * `true`/`false` and `null` may also be written `True`/`False`/`None`.
 *
 * Semantics: a comparison with a key the run does not have is false (so runs missing a key do not match),
 * except `key == null` (true when missing) and `key != null` (true when present). Numbers compare as
 * numbers, strings as strings (ordering is by code unit); booleans only with `==`/`!=`; values of different
 * types are unequal and unordered. A key on its own is true when its value is `true`, a non-zero number or
 * a non-empty string. `!` negates whatever it applies to, so `!(n>5)` also matches runs without `n`.
 *
 * @module
 */

/** A parsed query: the keys it reads, and its test. */
export interface Query {
  /** The query text. */
  readonly source: string;
  /** The parameter names the query reads, lowercased. */
  readonly keys: string[];
  /** Whether a run matches, given a function that returns a parameter's value (undefined/null if missing). */
  test(lookup: (key: string) => unknown): boolean;
}

type TokenKind =
  | "key"
  | "number"
  | "string"
  | "literal"
  | "op"
  | "and"
  | "or"
  | "not"
  | "("
  | ")"
  | "end";

interface Token {
  kind: TokenKind;
  text: string;
  value?: unknown;
  pos: number;
}

const OPS = [">=", "<=", "==", "!=", ">", "<"];
type Op = ">=" | "<=" | "==" | "!=" | ">" | "<";

function syntaxError(source: string, pos: number, message: string): SyntaxError {
  return new SyntaxError(
    `${message} at column ${pos + 1} of the query:\n  ${source}\n  ${" ".repeat(pos)}^`,
  );
}

function describe(t: Token): string {
  return t.kind === "end" ? "the end of the query" : JSON.stringify(t.text);
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    const rest = source.slice(i);
    if (c === "(" || c === ")") {
      tokens.push({ kind: c, text: c, pos: i++ });
      continue;
    }
    if (rest.startsWith("&&") || rest.startsWith("||")) {
      tokens.push({ kind: c === "&" ? "and" : "or", text: rest.slice(0, 2), pos: i });
      i += 2;
      continue;
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (op) {
      tokens.push({ kind: "op", text: op, pos: i });
      i += op.length;
      continue;
    }
    if (c === "!") {
      tokens.push({ kind: "not", text: "!", pos: i++ });
      continue;
    }
    if (c === "=") throw syntaxError(source, i, 'Unexpected "=" (write "==" to compare)');
    if (c === "&" || c === "|") {
      throw syntaxError(source, i, `Unexpected "${c}" (write "${c}${c}")`);
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(rest) ??
      (/^[-+](?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(rest));
    if (num && (c !== "-" && c !== "+" || !/[\w.)]$/.test(source.slice(0, i).trimEnd()))) {
      if (/^[A-Za-z_]/.test(source.slice(i + num[0].length))) {
        throw syntaxError(
          source,
          i,
          `Malformed number ${JSON.stringify(num[0] + source[i + num[0].length])}`,
        );
      }
      tokens.push({ kind: "number", text: num[0], value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let value = "";
      i++;
      while (true) {
        if (i >= source.length) throw syntaxError(source, start, "Unterminated string");
        const ch = source[i++];
        if (ch === c) break;
        if (ch === "\\") {
          if (i >= source.length) throw syntaxError(source, start, "Unterminated string");
          const e = source[i++];
          value += ({ n: "\n", t: "\t", r: "\r" } as Record<string, string>)[e] ?? e;
        } else value += ch;
      }
      tokens.push({ kind: "string", text: source.slice(start, i), value, pos: start });
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (word) {
      const w = word[0];
      i += w.length;
      if (w === "and" || w === "or" || w === "not") tokens.push({ kind: w, text: w, pos: start });
      else if (w === "true" || w === "True") {
        tokens.push({ kind: "literal", text: w, value: true, pos: start });
      } else if (w === "false" || w === "False") {
        tokens.push({ kind: "literal", text: w, value: false, pos: start });
      } else if (w === "null" || w === "None") {
        tokens.push({ kind: "literal", text: w, value: null, pos: start });
      } else tokens.push({ kind: "key", text: w, value: w.toLowerCase(), pos: start });
      continue;
    }
    throw syntaxError(source, i, `Unexpected character ${JSON.stringify(c)}`);
  }
  tokens.push({ kind: "end", text: "", pos: source.length });
  return tokens;
}

type Lookup = (key: string) => unknown;
type Eval = (lookup: Lookup) => unknown;
type Pred = (lookup: Lookup) => boolean;

const MISSING = Symbol("missing");

function present(v: unknown): unknown {
  return v === undefined || v === null ? MISSING : v;
}

function truthy(v: unknown): boolean {
  if (v === true) return true;
  if (typeof v === "number") return v !== 0 && !Number.isNaN(v);
  if (typeof v === "bigint") return v !== 0n;
  if (typeof v === "string") return v.length > 0;
  return false;
}

function compare(op: Op, a: unknown, b: unknown): boolean {
  const numeric = (typeof a === "number" || typeof a === "bigint") &&
    (typeof b === "number" || typeof b === "bigint");
  if (numeric || (typeof a === "string" && typeof b === "string")) {
    // deno-lint-ignore no-explicit-any
    const x = a as any, y = b as any;
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
        return x == y; // number == bigint compares by value
      case "!=":
        return x != y;
    }
  }
  if (op === "==") return a === b;
  if (op === "!=") return a !== b;
  return false;
}

class Parser {
  i = 0;
  keys = new Set<string>();
  constructor(readonly source: string, readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.i];
  }
  next(): Token {
    return this.tokens[this.i++];
  }

  parse(): Pred {
    if (this.peek().kind === "end") throw syntaxError(this.source, 0, "The query is empty");
    const pred = this.or();
    const t = this.peek();
    if (t.kind !== "end") {
      throw syntaxError(this.source, t.pos, `Expected "&&", "||" or the end, found ${describe(t)}`);
    }
    return pred;
  }

  or(): Pred {
    const parts = [this.and()];
    while (this.peek().kind === "or") {
      this.next();
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0] : (l) => parts.some((p) => p(l));
  }

  and(): Pred {
    const parts = [this.unary()];
    while (this.peek().kind === "and") {
      this.next();
      parts.push(this.unary());
    }
    return parts.length === 1 ? parts[0] : (l) => parts.every((p) => p(l));
  }

  unary(): Pred {
    const t = this.peek();
    if (t.kind === "not") {
      this.next();
      const inner = this.unary();
      return (l) => !inner(l);
    }
    if (t.kind === "(") {
      this.next();
      const inner = this.or();
      const close = this.next();
      if (close.kind !== ")") {
        throw syntaxError(
          this.source,
          close.pos,
          `Expected ")" to close the "(" at column ${t.pos + 1}, found ${describe(close)}`,
        );
      }
      return inner;
    }
    return this.comparison();
  }

  operand(after?: Token): { eval: Eval; literal?: { value: unknown } } {
    const t = this.next();
    switch (t.kind) {
      case "key": {
        const key = t.value as string;
        this.keys.add(key);
        return { eval: (l) => present(l(key)) };
      }
      case "number":
      case "string":
      case "literal": {
        const value = t.value;
        return { eval: () => value, literal: { value } };
      }
    }
    const where = after ? `after "${after.text}"` : "";
    throw syntaxError(
      this.source,
      t.pos,
      `Expected a parameter name or a value${where ? " " + where : ""}, found ${describe(t)}`,
    );
  }

  comparison(): Pred {
    const left = this.operand();
    const t = this.peek();
    if (t.kind !== "op") {
      if (left.literal) {
        throw syntaxError(
          this.source,
          t.pos,
          `Expected a comparison operator (> < >= <= == !=), found ${describe(t)}`,
        );
      }
      return (l) => truthy(left.eval(l));
    }
    this.next();
    const op = t.text as Op;
    const right = this.operand(t);
    const nullSide = left.literal?.value === null
      ? right
      : right.literal?.value === null
      ? left
      : undefined;
    if (nullSide) {
      if (op !== "==" && op !== "!=") {
        throw syntaxError(this.source, t.pos, `Only == and != compare with null`);
      }
      return op === "=="
        ? (l) => nullSide.eval(l) === MISSING || nullSide.eval(l) === null
        : (l) => nullSide.eval(l) !== MISSING && nullSide.eval(l) !== null;
    }
    const a = left.eval, b = right.eval;
    return (l) => {
      const x = a(l);
      if (x === MISSING) return false;
      const y = b(l);
      if (y === MISSING) return false;
      return compare(op, x, y);
    };
  }
}

/**
 * Parses a query such as `"n>1000 && lr<=0.01"` or `'tag=="alpha" || !(score<0.5)'` (see the module
 * documentation for the grammar and semantics). A malformed query throws a `SyntaxError` whose message
 * shows the query with a caret under the position.
 *
 * @example
 * ```ts
 * import { parseQuery } from "@sweepstore/sweepstore";
 * const q = parseQuery("n>1000 && lr<=0.01");
 * const run = { n: 2000, lr: 0.001 } as Record<string, unknown>;
 * console.log(q.keys, q.test((k) => run[k])); // ["n", "lr"] true
 * ```
 */
export function parseQuery(source: string): Query {
  if (typeof source !== "string") throw new TypeError("A query must be a string");
  const parser = new Parser(source, tokenize(source));
  const pred = parser.parse();
  return { source, keys: [...parser.keys], test: pred };
}
