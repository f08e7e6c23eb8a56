/**
 * Numbers as Python's `int()` and `float()` read text (PEP 515 underscores, Unicode digits and spaces,
 * `nan`/`inf`): shared by the parameter reader (`params.ts`) and its literal reader. Internal.
 *
 * @module
 */

import { isPySpace } from "./_py_text.ts";

// Python's int() and float() syntax (PEP 515 underscores between digits), after stripping white space.
export const INT_RE = /^[-+]?\d(?:_?\d)*$/;
export const FLOAT_RE =
  /^[-+]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?$/;
export const SPECIAL_RE = /^[-+]?(?:nan|inf|infinity)$/i;

export function special(text: string): number {
  const negative = text[0] === "-";
  const word = text.replace(/^[-+]/, "").toLowerCase();
  if (word === "nan") return NaN;
  return negative ? -Infinity : Infinity;
}

/** An integer text (underscores allowed) as a number when it is a safe integer, else as a bigint. */
export function integer(text: string): number | bigint {
  const clean = text.includes("_") ? text.replaceAll("_", "") : text;
  const n = Number(clean);
  if (Number.isSafeInteger(n)) return n === 0 ? 0 : n; // "-0" is the integer 0
  return BigInt(clean);
}

const DIGIT = /\p{Nd}/u;
const ASCII_ONLY = /^[^\u0080-\uffff]*$/;
const ASCII_SPACE = /^[ \t\n\v\f\r]|[ \t\n\v\f\r]$/;
const ASCII_SPACE_EDGES = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

/**
 * What Python's `int()` and `float()` see of a text (`_PyUnicode_TransformDecimalAndSpaceToASCII`): other
 * Unicode white space becomes a space, other Unicode decimal digits their ASCII digit; stripped of ASCII
 * white space. `undefined` if a non-ASCII character remains (neither reads it).
 */
export function asciiNumberText(text: string): string | undefined {
  let out = text;
  if (!ASCII_ONLY.test(text)) {
    out = "";
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80) out += ch;
      else if (isPySpace(cp)) out += " ";
      else if (DIGIT.test(ch)) {
        // Decimal digits come in runs of ten, 0 to 9: the digit is the position in its run.
        let zero = cp;
        while (DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
        out += String((cp - zero) % 10);
      } else return undefined;
    }
  }
  return ASCII_SPACE.test(out) ? out.replace(ASCII_SPACE_EDGES, "") : out;
}

/**
 * A number as Python's `int()` (→ a number, or a bigint beyond 2**53) or else `float()` reads the text;
 * `undefined` where both refuse it.
 */
export function parseNumberText(text: string): number | bigint | undefined {
  // The common case first: plain ASCII digits as PymoNNto and formatParam write them.
  if (INT_RE.test(text)) return integer(text);
  if (FLOAT_RE.test(text)) return Number(text.includes("_") ? text.replaceAll("_", "") : text);
  const t = asciiNumberText(text);
  if (t === undefined) return undefined;
  if (INT_RE.test(t)) return integer(t);
  if (FLOAT_RE.test(t)) return Number(t.includes("_") ? t.replaceAll("_", "") : t);
  if (SPECIAL_RE.test(t)) return special(t);
  return undefined;
}
