/**
 * A configparser-exact INI codec: reads what Python's `configparser.ConfigParser()` (default settings) and
 * PymoNNto write, and writes what configparser reads back to the same strings.
 *
 * What configparser does, and this codec too: `key = value` or `key: value`; keys lowercased; full-line
 * comments start with `#` or `;` (no inline comments: `a = 1 ; x` is the value `1 ; x`); a value continues on
 * following lines that are indented more than its key, each stripped and joined with `\n` (blank lines
 * inside a value are kept, trailing ones dropped); `%%` reads as `%` (basic interpolation). Where configparser
 * would raise on interpolation (a lone `%` in a hand-written file, or `%(name)s` references), the text is kept
 * as it stands instead. Duplicate sections or keys, a key before any section header, and a line that is neither
 * a header, a comment, nor `key = value` are a `SyntaxError` naming the file and the line, as in configparser's
 * strict mode.
 *
 * @module
 */

/** Section → key → value text, in file order; the value is what configparser's `get()` returns. */
export type IniData = Map<string, Map<string, string>>;

const SECTION_RE = /^\[(.+)\]/;

function interpolate(raw: string): string {
  // Basic interpolation: "%%" is "%". Anything else after "%" would make configparser raise; keep the text.
  return raw.includes("%") ? raw.replace(/%%/g, "%") : raw;
}

function syntaxError(message: string, source: string | undefined, line: number): SyntaxError {
  return new SyntaxError(`${source ?? "<ini text>"}, line ${line}: ${message}`);
}

/**
 * Parses INI text as Python's configparser does. Section names are case-sensitive, keys are lowercased.
 * `source` (a file path) is named in errors.
 *
 * @example
 * ```ts
 * import { parseIni } from "@sweepstore/sweepstore";
 * const ini = parseIni("[Parameters]\nN = 100\nnote = 50%% done\n");
 * console.log(ini.get("Parameters")?.get("n"), ini.get("Parameters")?.get("note")); // "100" "50% done"
 * ```
 */
export function parseIni(text: string, source?: string): IniData {
  const data: IniData = new Map();
  let section: Map<string, string> | undefined;
  let sectionName = "";
  // The value being read: its key, its lines, the indentation of its key line.
  let key: string | undefined;
  let lines: string[] = [];
  let keyIndent = 0;

  const flush = () => {
    if (section && key !== undefined) {
      while (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
      section.set(key, interpolate(lines.length === 1 ? lines[0] : lines.join("\n")));
    }
    key = undefined;
    lines = [];
  };

  const all = text.includes("\r") ? text.split(/\r\n|\n|\r/) : text.split("\n");
  if (all.length > 0 && all[0].charCodeAt(0) === 0xfeff) all[0] = all[0].slice(1);
  for (let i = 0; i < all.length; i++) {
    const line = all[i];
    // Indentation and the first non-blank character, without allocating (this loop runs for every line of
    // every run when a group of thousands of runs is loaded).
    let indent = 0;
    while (
      indent < line.length && (line.charCodeAt(indent) === 32 || line.charCodeAt(indent) === 9)
    ) indent++;
    if (indent === line.length) {
      // Blank lines belong to a value being continued; trailing ones are dropped at flush.
      if (key !== undefined) lines.push("");
      continue;
    }
    const first = line[indent];
    if (first === "#" || first === ";") {
      // Full-line comments; inside a multi-line value configparser skips them too.
      continue;
    }
    const stripped = indent === 0 && line.charCodeAt(line.length - 1) > 32 ? line : line.trim();
    if (key !== undefined && indent > keyIndent) {
      lines.push(stripped);
      continue;
    }
    flush();
    if (first === "[") {
      const header = SECTION_RE.exec(stripped);
      if (header) {
        sectionName = header[1];
        if (data.has(sectionName)) {
          throw syntaxError(`section [${sectionName}] appears twice`, source, i + 1);
        }
        section = new Map();
        data.set(sectionName, section);
        continue;
      }
    }
    const eq = stripped.indexOf("=");
    const colon = stripped.indexOf(":");
    const at = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
    if (at <= 0) {
      throw syntaxError(
        `expected "[section]" or "key = value", found ${JSON.stringify(stripped.slice(0, 60))}`,
        source,
        i + 1,
      );
    }
    if (!section) {
      throw syntaxError(
        `"${stripped.slice(0, 40)}" comes before any [section] header`,
        source,
        i + 1,
      );
    }
    const name = stripped.slice(0, at).trim().toLowerCase();
    if (section.has(name)) {
      throw syntaxError(`key "${name}" appears twice in [${sectionName}]`, source, i + 1);
    }
    key = name;
    keyIndent = indent;
    lines = [stripped.slice(at + 1).trim()];
  }
  flush();
  return data;
}

/**
 * Writes INI text exactly as configparser's `write()` would for the same values: `key = value`, `%` as
 * `%%`, multi-line values on tab-indented continuation lines, a blank line after each section.
 *
 * @example
 * ```ts
 * import { stringifyIni } from "@sweepstore/sweepstore";
 * const text = stringifyIni(new Map([["Parameters", new Map([["a", "1"], ["s", "50% done"]])]]));
 * console.log(text); // "[Parameters]\na = 1\ns = 50%% done\n\n"
 * ```
 */
export function stringifyIni(data: IniData): string {
  let out = "";
  for (const [name, section] of data) {
    out += `[${name}]\n`;
    for (const [key, value] of section) {
      const escaped = value.includes("%") ? value.replace(/%/g, "%%") : value;
      out += `${key} = ${escaped.includes("\n") ? escaped.replace(/\n/g, "\n\t") : escaped}\n`;
    }
    out += "\n";
  }
  return out;
}

/**
 * Checks that `key` can be an INI key that reads back as itself and is safe as a name; returns it
 * lowercased (configparser's keys are case-insensitive). Refused with a `TypeError`: empty keys, `=`,
 * `:`, a leading `[`, `#` or `;`, newlines and other control characters, leading/trailing white space,
 * `/`, `\` and `..`.
 *
 * @example
 * ```ts
 * import { validateKey } from "@sweepstore/sweepstore";
 * console.log(validateKey("NumberOfNeurons")); // "numberofneurons"
 * ```
 */
export function validateKey(key: string): string {
  if (typeof key !== "string" || key.length === 0) {
    throw new TypeError("A parameter key must be a non-empty string");
  }
  let reason: string | undefined;
  if (/[=:]/.test(key)) reason = 'contains "=" or ":" (the ini separators)';
  // deno-lint-ignore no-control-regex
  else if (/[\x00-\x1f\x7f]/.test(key)) reason = "contains a newline or control character";
  else if (key.trim() !== key) reason = "has leading or trailing white space";
  else if (/^[[#;]/.test(key)) reason = 'starts with "[", "#" or ";"';
  else if (/[/\\]/.test(key) || key.includes("..")) reason = 'contains "/", "\\" or ".."';
  if (reason) {
    throw new TypeError(
      `Invalid parameter key ${
        JSON.stringify(key)
      }: it ${reason}. Use letters, digits, "_", "-" and "."`,
    );
  }
  return key.toLowerCase();
}

// deno-lint-ignore no-control-regex
const BAD_SECTION_CHARS = /[[\]\x00-\x1f\x7f]/;

/**
 * Checks that `name` can be an INI section name that reads back as itself; returns it unchanged.
 *
 * @example
 * ```ts
 * import { validateSection } from "@sweepstore/sweepstore";
 * console.log(validateSection("Run")); // "Run"
 * ```
 */
export function validateSection(name: string): string {
  if (
    typeof name !== "string" || name.length === 0 || BAD_SECTION_CHARS.test(name) ||
    name.trim() !== name
  ) {
    throw new TypeError(
      `Invalid section name ${
        JSON.stringify(name)
      }: use a non-empty name without "[", "]", newlines ` +
        "or surrounding spaces",
    );
  }
  if (name === "DEFAULT") {
    throw new TypeError('The section name "DEFAULT" is special in configparser: choose another');
  }
  return name;
}
