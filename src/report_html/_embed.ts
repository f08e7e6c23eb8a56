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

/** About this many characters per piece of a long array's JSON (see {@linkcode embedPieces}). */
const PIECE_CHARS = 32_000;

/** An array element's JSON (`null` for what JSON writes as null in an array). */
function elementJson(v: unknown): string {
  return v === undefined || typeof v === "function" || typeof v === "symbol"
    ? "null"
    : embedJson(v);
}

/**
 * `embedJson(value)` in pieces, byte for byte the same text once joined: an array of more than a few
 * elements a few at a time (about `PIECE_CHARS` characters a piece: a report's column of 10,000 runs' records,
 * 3.4 M characters, was one text, its escaped copy and its UTF-8 bytes, made in V8's large-object space,
 * which only a full GC frees), and down to `depth` levels a plain object one property at a time.
 */
export function* embedPieces(value: unknown, depth = 0): Generator<string> {
  if (Array.isArray(value) && value.length > 16) {
    yield "[";
    let perPiece = 1; // then as many as fit the piece's characters, by the last piece's elements
    for (let start = 0; start < value.length;) {
      const end = Math.min(value.length, start + perPiece);
      let piece = "";
      for (let i = start; i < end; i++) piece += (i ? "," : "") + elementJson(value[i]);
      yield piece;
      const fit = Math.floor(PIECE_CHARS / (piece.length / (end - start))); // elements of this length
      perPiece = Math.max(1, Math.min(2 * perPiece, fit, 4096)); // at most doubled: elements vary
      start = end;
    }
    yield "]";
  } else if (
    depth > 0 && typeof value === "object" && value !== null &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    let open = "{";
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const t = tagged(v);
      if (t === undefined || typeof t === "function" || typeof t === "symbol") continue; // as JSON does
      yield `${open}${embedJson(key)}:`;
      yield* embedPieces(v, depth - 1);
      open = ",";
    }
    yield open === "{" ? "{}" : "}";
  } else yield embedJson(value);
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
