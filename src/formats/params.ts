/**
 * Parameter values ⇄ `config.ini` text, so that Python and sweepstore read the same values.
 *
 * What {@linkcode formatParam} writes, and what PymoNNto's `load_param` (`True`/`False` → bool; text with a
 * `.` → `float()`; else `int()`; else the text) makes of it:
 * - integers with |n| < 2**53 as plain digits → `int`;
 * - every other finite number with a `.`: Python's `repr()` of the float, with `.0` added to a one-digit
 *   mantissa (`0.5`, `-0.0`, `1.0e-07`, `5.0e-324`, `1.0e+21`, `9007199254740994.0`) → `float`, the same value;
 * - `NaN`, `Infinity`, `-Infinity` as `nan`, `inf`, `-inf`: `configparser.getfloat()` and `float()` read them,
 *   PymoNNto's `load_param` gives the strings (the texts have no `.`, and `int()` refuses them);
 * - booleans as `True` / `False` → `bool`; `null` as `None` (PymoNNto: the string `"None"`);
 * - bigints as digits; {@linkcode parseParam} reads them back as numbers when they are safe integers
 *   (|n| < 2**53), else as bigints;
 * - arrays and plain objects as Python literals, the way Python's `repr()` writes them (`[1, 2.5, 'a', True,
 *   None]`, `{'x': 1, 'y': [1e-07]}`; floats inside as Python's `repr()`, integers with |n| < 2**53 as
 *   digits), which `ast.literal_eval` reads (except `nan` and `inf` inside, as for Python's own `repr()`);
 * - strings as they are (`alpha`, `50% done`, `a = b ; c # d`, lines without surrounding white space) when
 *   configparser gives back the same text and no rule below reads it as another value; otherwise, and
 *   always when they start with `[`, `(`, `{`, `'` or `"`, as Python's `repr()` of the string (`'1'`,
 *   `'True'`, `'[1]'`, `' padded'`, `'a\n  b'`), which `ast.literal_eval` reads.
 *
 * {@linkcode parseParam} reads all of this back to the exact value and type, and also what configparser and
 * PymoNNto write: `1e-07`, `None`, `[1, 2, 3]`, `{'x': 1}`, `(1, 2)`, numpy's `[1.5 2.5]` and
 * `[[1 2]\n [3 4]]`, `1_000`. In Python, this function reads every value {@linkcode formatParam} wrote back
 * exactly (lists holding `nan` or `inf` aside):
 *
 * ```python
 * import ast
 * def read_param(text):  # text: what configparser's get() returns
 *     if text in ('True', 'False'): return text == 'True'
 *     if text == 'None': return None
 *     for number in (int, float):
 *         try: return number(text)
 *         except ValueError: pass
 *     if text[:1] in ('[', '(', '{', "'", '"'):
 *         try: return ast.literal_eval(text)
 *         except (ValueError, SyntaxError): pass
 *     return text
 * ```
 *
 * {@linkcode parsePymonntoParam} is PymoNNto's own rule.
 *
 * @module
 */

export type { ParamValue } from "./_param_value.ts";
export { formatParam } from "./_param_format.ts";
export { parseParam, parsePymonntoParam } from "./_param_parse.ts";
