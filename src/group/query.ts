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
 *   {@linkcode QueryError}.
 * - A key on its own is true when its value is truthy as in Python: `true`, a non-zero number, a non-empty
 *   string, list or object. A value on its own (`5`) is a {@linkcode QueryError}.
 * - Parentheses nest at most 200 deep, as in Python's parser ("too many nested parentheses"); deeper
 *   nesting is a {@linkcode QueryError}, never a stack overflow. Chains of `&&`, `||` and `!` may be as long
 *   as you like.
 *
 * Errors: a query that cannot be parsed throws a {@linkcode QueryError} (a `SyntaxError`) with the
 * position, and a message that says what was expected and shows the query with a caret under the column.
 *
 * @example Parse once, test many runs, and catch a malformed query
 * ```ts
 * import { parseQuery, QueryError } from "@sweepstore/sweepstore";
 * const runs = [{ n: 500, tag: "alpha" }, { n: 2000, tag: "beta" }, { tag: "alpha" }];
 * const q = parseQuery('n>1000 || tag=="alpha" && !(n<100)');
 * console.log(runs.filter((run) => q.test((key) => run[key as keyof typeof run])).length); // 3
 * try {
 *   parseQuery("n=1000");
 * } catch (err) {
 *   if (err instanceof QueryError) console.log(err.position); // 1
 * }
 * ```
 *
 * @module
 */

import {
  allPred,
  anyPred,
  comparisonPred,
  keyPred,
  type Lookup,
  notPred,
  type Operand,
  type Pred,
} from "./_query_eval.ts";
import { type Literal, NAN_LITERAL, type Op, type Token, tokenize } from "./_query_tokens.ts";
import { QueryError } from "./query_error.ts";

export { QueryError } from "./query_error.ts";

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

/** How deep parentheses may nest: Python's parser allows 200 ("too many nested parentheses"). */
const MAX_NESTING = 200;

function describe(t: Token): string {
  return t.kind === "end" ? "the end of the query" : JSON.stringify(t.text);
}

/** A recursive-descent parser over the tokens; recursion is bounded by {@linkcode MAX_NESTING}. */
class Parser {
  i = 0;
  depth = 0;
  readonly keys = new Set<string>();
  constructor(readonly source: string, readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.i];
  }

  error(t: Token, what: string, hint?: string): QueryError {
    return new QueryError(what, this.source, t.pos, hint);
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
    const preds = [this.and()];
    while (this.peek().kind === "or") preds.push(this.and(this.tokens[this.i++]));
    return anyPred(preds);
  }

  and(after?: Token): Pred {
    const preds = [this.unary(after)];
    while (this.peek().kind === "and") preds.push(this.unary(this.tokens[this.i++]));
    return allPred(preds);
  }

  /** `!`* then a parenthesized query or a comparison; a chain of `!` is read in a loop. */
  unary(after?: Token): Pred {
    let negate = false;
    while (this.peek().kind === "not") {
      after = this.tokens[this.i++];
      negate = !negate;
    }
    const inner = this.peek().kind === "(" ? this.parenthesized() : this.comparison(after);
    return negate ? notPred(inner) : inner;
  }

  parenthesized(): Pred {
    const open = this.tokens[this.i++];
    if (++this.depth > MAX_NESTING) {
      throw this.error(
        open,
        `Parentheses nested more than ${MAX_NESTING} deep`,
        "as in Python, at most 200 levels; write the query flatter",
      );
    }
    const inner = this.or();
    const close = this.peek();
    if (close.kind !== ")") {
      throw this.error(
        close,
        `Expected ")" to close the "(" of column ${
          [...this.source.slice(0, open.pos)].length + 1
        }, found ${describe(close)}`,
      );
    }
    this.i++;
    this.depth--;
    return inner;
  }

  operand(): Operand {
    const t = this.tokens[this.i++];
    if (t.kind === "key") {
      this.keys.add(t.key);
      return { kind: "key", key: t.key, token: t };
    }
    return { kind: "value", value: (t as { value: Literal }).value, token: t };
  }

  comparison(after?: Token): Pred {
    const first = this.peek();
    if (first.kind !== "key" && first.kind !== "value") {
      const where = after ? ` after ${JSON.stringify(after.text)}` : "";
      throw this.error(
        first,
        `Expected a comparison (such as n>1000), "(" or "!"${where}, found ${describe(first)}`,
      );
    }
    const left = this.operand();
    const t = this.peek();
    if (t.kind !== "op") {
      if (left.kind === "key") return keyPred(left.key);
      throw this.error(
        t,
        `Expected a comparison operator (> < >= <= == !=) after ${describe(left.token)}, found ${
          describe(t)
        }`,
      );
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
    if (op !== "==" && op !== "!=") this.checkOrderable(t, left, right);
    return comparisonPred(left, op, right);
  }

  /** `<`, `>`, `<=` and `>=` with null, nan, true or false can never match: refused. */
  checkOrderable(opToken: Token, left: Operand, right: Operand): void {
    for (const side of [left, right]) {
      if (side.kind !== "value") continue;
      const v = side.value;
      if (v === null || v === NAN_LITERAL || typeof v === "boolean") {
        throw this.error(
          opToken,
          `${JSON.stringify(opToken.text)} never matches ${side.token.text}`,
          "only == and != compare with null, nan, true and false",
        );
      }
    }
  }
}

/**
 * Parses a query such as `"n>1000 && lr<=0.01"` or `'tag=="alpha" || !(score<0.5)'` into a reusable test
 * (see the module documentation for the grammar and semantics).
 *
 * @param source The query text.
 * @returns The parsed query: its keys and its test.
 * @throws {QueryError} When the query cannot be parsed (a `SyntaxError`; it has the `position`, and its
 *   message says what was expected and shows the query with a caret under the column).
 * @throws {TypeError} When `source` is not a string.
 *
 * @example
 * ```ts
 * import { parseQuery, QueryError } from "@sweepstore/sweepstore";
 * const q = parseQuery("n>1000 && lr<=0.01");
 * const run = new Map<string, unknown>([["n", 2000], ["lr", 0.001]]);
 * console.log(q.keys, q.test((key) => run.get(key))); // ["n", "lr"] true
 * try {
 *   parseQuery("n>");
 * } catch (err) {
 *   console.log(err instanceof QueryError && err.message);
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
  const test: (lookup: Lookup) => boolean = parser.parse();
  return { source, keys: [...parser.keys], test };
}
