/**
 * Python's idea of white space (`str.isspace()`, `str.strip()`), which configparser and Python's `int()`
 * and `float()` use: one owner for the INI codec and the parameter reader. Internal.
 *
 * @module
 */

/**
 * Whether the character `c` (a UTF-16 code unit or a code point: every such character is in the BMP) is
 * white space for Python's `str.isspace()`: ASCII white space, `\x1c`–`\x1f`, `\x85`, no-break and the
 * other Unicode spaces, line and paragraph separators.
 */
export function isPySpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Python's `s.rstrip()`. */
export function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}
