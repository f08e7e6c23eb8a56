/**
 * {@linkcode QueryError}: the error of a query that cannot be parsed.
 *
 * @module
 */

/** The 1-based column of a UTF-16 index, counting code points (an emoji is one column). */
function columnOf(source: string, pos: number): number {
  return [...source.slice(0, pos)].length + 1;
}

/** Characters of a long query shown either side of the problem. */
const CONTEXT = 60;

/**
 * The query as shown under the message (white space as spaces, so the caret stays under its column) and
 * the spaces before the caret. A query longer than 2 × {@linkcode CONTEXT} + 1 characters is cut to
 * {@linkcode CONTEXT} characters either side of the column, with `…` where text was left out.
 */
function excerpt(query: string, column: number): [string, string] {
  const chars = [...query.replace(/\s/g, " ")];
  if (chars.length <= 2 * CONTEXT + 1) return [chars.join(""), " ".repeat(column - 1)];
  const from = Math.max(0, column - 1 - CONTEXT), to = Math.min(chars.length, column + CONTEXT);
  const before = from > 0 ? "…" : "", after = to < chars.length ? "…" : "";
  return [
    before + chars.slice(from, to).join("") + after,
    " ".repeat(before.length + column - 1 - from),
  ];
}

/**
 * A query (for {@linkcode parseQuery}, {@linkcode StorageManagerGroup.query}, `sweepstore report --where`)
 * that cannot be parsed. It extends `SyntaxError`, so code that catches `SyntaxError` keeps working.
 *
 * The message says what is wrong and what was expected, the column, a hint in parentheses where one helps,
 * then the query on its own line (white space shown as spaces; a query of more than 121 characters cut to
 * 60 either side of the column, with `…`) with a caret under the column:
 *
 * ```
 * Expected a value or a parameter name after ">", found the end of the query at column 3:
 *   n>
 *     ^
 * ```
 *
 * @example Catch a malformed query and point at the mistake
 * ```ts
 * import { parseQuery, QueryError } from "@sweepstore/sweepstore";
 * try {
 *   parseQuery("n => 5");
 * } catch (err) {
 *   if (!(err instanceof QueryError)) throw err;
 *   console.log(err.position, err.column, err.query); // 2 3 "n => 5"
 *   console.log(err instanceof SyntaxError); // true
 * }
 * ```
 */
export class QueryError extends SyntaxError {
  /** The query text as it was given. */
  readonly query: string;
  /** Where in {@linkcode QueryError.query} the problem is: a 0-based UTF-16 index (a JavaScript string index). */
  readonly position: number;
  /** The 1-based column of {@linkcode QueryError.position} as the message shows it, counting code points. */
  readonly column: number;

  /**
   * Makes the error and its message with the caret.
   *
   * @param what What is wrong, e.g. `Unexpected "="`.
   * @param query The query text.
   * @param position The 0-based UTF-16 index of the problem in `query` (its length for the end).
   * @param hint What to do, shown in parentheses, e.g. `write "==" to compare`.
   *
   * @example
   * ```ts
   * import { QueryError } from "@sweepstore/sweepstore";
   * console.log(new QueryError('Unexpected "="', "n=1", 1, 'write "==" to compare').message);
   * // Unexpected "=" at column 2 (write "==" to compare):
   * //   n=1
   * //    ^
   * ```
   */
  constructor(what: string, query: string, position: number, hint?: string) {
    const column = columnOf(query, position);
    const [shown, caret] = excerpt(query, column);
    super(`${what} at column ${column}${hint ? ` (${hint})` : ""}:\n  ${shown}\n  ${caret}^`);
    this.name = "QueryError";
    this.query = query;
    this.position = position;
    this.column = column;
  }
}
