/**
 * Reading parameter values from `config.ini` text (`parseParam`), and PymoNNto's own typing rule
 * (`parsePymonntoParam`, its `load_param`). Internal; re-exported by `params.ts`.
 *
 * @module
 */

import type { ParamValue } from "./_param_value.ts";
import { LiteralReader } from "./_py_literal_reader.ts";
import { asciiNumberText, FLOAT_RE, INT_RE, parseNumberText } from "./_py_numbers.ts";

/**
 * Reads the `config.ini` text of a parameter (as configparser's `get()` returns it): the exact value and
 * type {@linkcode formatParam} wrote, and what configparser, PymoNNto and numpy write.
 *
 * - `True`, `False` → boolean; `None` → null;
 * - what Python's `int()` reads (`42`, `-7`, `007`, `1_000`, other Unicode digits) → a number, or a bigint
 *   beyond 2**53;
 * - what Python's `float()` reads (`2.5`, `1e-07`, `1.0e+21`, `.5`, `nan`, `inf`, `-Infinity`) → a number;
 * - a complete Python literal of lists, tuples (→ arrays; `(x)` is `x`), dicts (keys → strings), strings
 *   (either quote, with escapes), numbers (also `0x1f`, `0o7`, `0b1`), `True`/`False`/`None`/`nan`/`inf`, and
 *   numpy's `str()` of arrays (`[1.5 2.5]`, `[[1 2]\n [3 4]]`, `['a' 'b']`: items separated by white space
 *   only, so adjacent strings are separate items, not joined as in Python);
 * - anything else (`alpha`, `50percent done`, `[1, 2, ..., 9]`, `{1, 2}`) → the text itself.
 *
 * @param text The value text.
 * @returns The value.
 *
 * @example
 * ```ts
 * import { parseParam } from "@sweepstore/sweepstore/params";
 * console.log(parseParam("1.0e-07"), parseParam("None"), parseParam("[1, 'a']"), parseParam("[1.5 2.5]"));
 * console.log(parseParam("50percent done"), parseParam("'1'")); // 50percent done 1
 * ```
 */
export function parseParam(text: string): ParamValue {
  if (text === "True") return true;
  if (text === "False") return false;
  if (text === "None") return null;
  const first = text.charCodeAt(0);
  if (first !== first) return ""; // NaN: the empty text
  if (
    (first >= 48 && first <= 57) || first === 45 /* - */ || first === 43 /* + */ ||
    first === 46 /* . */ || ((first | 32) === 110 /* n */) || ((first | 32) === 105 /* i */) ||
    first <= 32 || first >= 0x80 // white space, or other Unicode digits and spaces
  ) {
    const n = parseNumberText(text);
    if (n !== undefined) return n;
  }
  if (
    first === 91 /* [ */ || first === 40 /* ( */ || first === 123 /* { */ || first === 39 /* ' */ ||
    first === 34 /* " */
  ) {
    const reader = new LiteralReader(text);
    try {
      const value = reader.value(0);
      reader.skip();
      if (reader.pos === text.length) return value;
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
    }
  }
  return text;
}

/**
 * PymoNNto's `load_param` rule, as Python runs it on the text configparser returns: exactly `True` or
 * `False` → boolean; text containing `.` → Python's `float()` of it; otherwise Python's `int()` of it
 * (refused beyond 4300 digits, Python's limit); where that fails, the text itself. So `1e-07`, `nan`, `inf`
 * and `None` stay strings, `007` is 7 and `1_000` is 1000. Integers beyond 2**53 are rounded to the nearest
 * number (Python keeps them exact).
 *
 * @param text The value text.
 * @returns What PymoNNto's `load_param` returns.
 *
 * @example
 * ```ts
 * import { parsePymonntoParam } from "@sweepstore/sweepstore/params";
 * console.log(parsePymonntoParam("1e-07"), parsePymonntoParam("2.5"), parsePymonntoParam("007")); // 1e-07 2.5 7
 * ```
 */
export function parsePymonntoParam(text: string): string | number | boolean {
  if (text === "True") return true;
  if (text === "False") return false;
  const t = asciiNumberText(text);
  if (t === undefined) return text;
  if (text.includes(".")) {
    return FLOAT_RE.test(t) ? Number(t.replaceAll("_", "")) : text;
  }
  if (INT_RE.test(t) && t.replace(/[-+_]/g, "").length <= 4300) {
    const n = Number(t.replaceAll("_", ""));
    return n === 0 ? 0 : n;
  }
  return text;
}
