/**
 * JSON in the dialect of Python's `json` module (summary.json, `sweepstore report --json`): one owner of
 * that format, used by the summary and the CLI.
 *
 * @module
 */

/**
 * What stands for a number JSON cannot write until the text is made: a NUL, then a token drawn when this
 * module loads, so that no string a run stored can look like it (a fixed marker in a user's string was
 * written as a bare number).
 */
const TOKEN = `sweepstore-number-${crypto.randomUUID()}:`;
const SPECIAL = `\u0000${TOKEN}`;
const MARKED = new RegExp(`"\\\\u0000${TOKEN}([^"]*)"`, "g");

/**
 * JSON as Python's `json` module writes and reads it: NaN, Infinity and -Infinity as the bare tokens
 * `NaN`, `Infinity`, `-Infinity`, -0 as `-0.0`, bigints as digits — so summary.json keeps every number a
 * run folder stores (JavaScript's `JSON.parse` refuses those tokens; Python's and pandas' readers take them).
 */
export function pythonJson(value: unknown, indent = 2): string {
  const text = JSON.stringify(value, (_k, v) => {
    if (typeof v === "bigint") return `${SPECIAL}${v}`;
    if (typeof v !== "number") return v;
    if (Number.isNaN(v)) return `${SPECIAL}NaN`;
    if (v === Infinity) return `${SPECIAL}Infinity`;
    if (v === -Infinity) return `${SPECIAL}-Infinity`;
    if (Object.is(v, -0)) return `${SPECIAL}-0.0`;
    return v;
  }, indent || undefined);
  return text.replace(MARKED, "$1");
}
