/**
 * Safe embedding of data and scripts in one HTML file (internal).
 *
 * Data goes into `<script type="application/json">` as JSON in which every `<`, `>`, `&`, U+2028 and U+2029
 * is a `\uXXXX` escape, so no value (a parameter, an error message, a stderr tail) can end the element or
 * open another; the page reads it with `JSON.parse(element.textContent)` and builds its DOM with
 * `textContent`, never `innerHTML`. Numbers JSON lacks travel as tagged objects `{"\u0000": "NaN"}`
 * (`Infinity`, `-Infinity`, `-0`, and bigints as their digits with the tag `"big"`); the page's `decode`
 * turns them back.
 *
 * @module
 */

/** The key of a tagged special number; no parameter name can be it (names are non-empty text). */
export const SPECIAL_TAG = "\u0000";

function tagged(v: unknown): unknown {
  if (typeof v === "bigint") return { [SPECIAL_TAG]: "big", v: v.toString() };
  if (typeof v !== "number") return v;
  if (Number.isNaN(v)) return { [SPECIAL_TAG]: "NaN" };
  if (v === Infinity) return { [SPECIAL_TAG]: "Infinity" };
  if (v === -Infinity) return { [SPECIAL_TAG]: "-Infinity" };
  if (Object.is(v, -0)) return { [SPECIAL_TAG]: "-0" };
  return v;
}

const UNSAFE = /[<>&\u2028\u2029]/g;

/** JSON of `value` safe inside a `<script type="application/json">` element (see the module doc). */
export function embedJson(value: unknown): string {
  const text = JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    // JSON.stringify calls toJSON first; sets and maps never occur in parameters (params are INI values).
    return tagged((this as Record<string, unknown>)[key] ?? v);
  });
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A script's text made safe inside `<script>`: `</script` and `<!--` cannot occur in it afterwards. */
export function embedScript(js: string): string {
  // Inside JavaScript strings, regular expressions and comments `<\/` and `<\!--` mean the same as the
  // unescaped forms; outside them neither can occur in valid code.
  return js.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** Text escaped for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
