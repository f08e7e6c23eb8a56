/**
 * The evaluator of the query language (internal): predicates built once from the parsed comparisons, which
 * then test a run without allocating. The semantics are documented in `query.ts`.
 *
 * @module
 */

import { type Literal, NAN_LITERAL, type Op, type Token } from "./_query_tokens.ts";

/** Returns a parameter's value (undefined or null if missing) for a lowercased key. */
export type Lookup = (key: string) => unknown;
/** A compiled (sub)query. */
export type Pred = (lookup: Lookup) => boolean;

/** One side of a comparison. */
export type Operand =
  | { kind: "key"; key: string; token: Token }
  | { kind: "value"; value: Literal; token: Token };

const FLIP: Record<Op, Op> = { ">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!=" };

/** Whether a value is true as Python's `bool()` says: non-zero, non-empty, not NaN. */
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

/** The predicate of `left op right`. */
export function comparisonPred(left: Operand, op: Op, right: Operand): Pred {
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

/** The predicate of a key on its own: its value is truthy. */
export function keyPred(key: string): Pred {
  return (l) => truthy(l(key));
}

/** `!inner`. */
export function notPred(inner: Pred): Pred {
  return (l) => !inner(l);
}

/**
 * All of `preds` (`&&`), as one flat predicate: a chain of a thousand `&&` is one call deep, not a thousand.
 */
export function allPred(preds: Pred[]): Pred {
  if (preds.length === 1) return preds[0];
  if (preds.length === 2) {
    const [a, b] = preds;
    return (l) => a(l) && b(l);
  }
  return (l) => {
    for (let i = 0; i < preds.length; i++) if (!preds[i](l)) return false;
    return true;
  };
}

/** Any of `preds` (`||`), as one flat predicate. */
export function anyPred(preds: Pred[]): Pred {
  if (preds.length === 1) return preds[0];
  if (preds.length === 2) {
    const [a, b] = preds;
    return (l) => a(l) || b(l);
  }
  return (l) => {
    for (let i = 0; i < preds.length; i++) if (preds[i](l)) return true;
    return false;
  };
}
