/**
 * git's ignore rules, for listing a project's files where git cannot be asked (`backup.zip` without git).
 * Follows `gitignore(5)` and git's `wildmatch` with `WM_PATHNAME`, case-sensitive (`core.ignorecase=false`):
 *
 * - blank lines and lines starting with `#` are skipped; `\#` and `\!` are literal; a UTF-8 BOM is skipped;
 *   trailing spaces are dropped unless escaped (`\ `);
 * - `!` negates (re-includes) a pattern; a trailing `/` matches directories only;
 * - a pattern with a `/` at its start or middle is anchored to the folder of its file; one without matches a
 *   file or folder name at any depth below it;
 * - `*` and `?` never match `/`; `[…]` classes (`!`/`^` negation, ranges, `[:alpha:]`…) never match `/`;
 *   `**` matches across folders only where it is a whole path part (first, last, or between two `/`),
 *   elsewhere it is `*`;
 * - precedence: the deepest `.gitignore` that has a matching pattern decides, and within one file the last
 *   matching pattern; `.git/info/exclude` comes below every `.gitignore`.
 *
 * A file inside an excluded folder cannot be re-included: callers do not descend into excluded folders
 * (or use {@linkcode pathExcluded}, which checks every parent folder).
 *
 * @module
 */

interface Pattern {
  regex: RegExp;
  negated: boolean;
  dirOnly: boolean;
  /** Matched against the name only (no `/` in the pattern), else against the path below the base. */
  basename: boolean;
}

/** The patterns of one ignore file, and the folder (relative, `""` for the root) they apply below. */
export interface RuleLevel {
  base: string;
  patterns: Pattern[];
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: "A-Za-z0-9",
  alpha: "A-Za-z",
  blank: " \\t",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "\\x21-\\x7e",
  lower: "a-z",
  print: "\\x20-\\x7e",
  punct: "!-\\/:-@\\[-`{-~",
  space: " \\t\\n\\r\\f\\v",
  upper: "A-Z",
  xdigit: "0-9A-Fa-f",
};

function escapeChar(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/** Parses a `[…]` class starting at `p[i] === "["`: the regex and the index after it, or undefined. */
function parseClass(p: string, i: number): [string, number] | undefined {
  let j = i + 1;
  let negated = false;
  if (p[j] === "!" || p[j] === "^") {
    negated = true;
    j++;
  }
  let body = "";
  let first = true;
  while (j < p.length && (p[j] !== "]" || first)) {
    first = false;
    if (p[j] === "[" && p[j + 1] === ":") {
      const end = p.indexOf(":]", j + 2);
      const name = end > 0 ? p.slice(j + 2, end) : "";
      if (end > 0 && name in POSIX_CLASSES) {
        body += POSIX_CLASSES[name];
        j = end + 2;
        continue;
      }
    }
    let ch = p[j];
    if (ch === "\\" && j + 1 < p.length) ch = p[++j];
    j++;
    if (p[j] === "-" && j + 1 < p.length && p[j + 1] !== "]") {
      let hi = p[j + 1];
      j += 2;
      if (hi === "\\" && j < p.length) hi = p[j++];
      body += hi >= ch ? `${escapeChar(ch)}-${escapeChar(hi)}` : "";
      continue;
    }
    body += escapeChar(ch);
  }
  if (j >= p.length) return undefined; // no closing "]": the "[" is literal
  const cls = negated ? `[^/${body}]` : body === "" ? "(?!)" : `(?!/)[${body}]`;
  return [cls, j + 1];
}

/** The regex source of a glob (no leading `/`), as git's wildmatch with `WM_PATHNAME`. */
function globToRegex(p: string): string {
  let out = "";
  for (let i = 0; i < p.length;) {
    const ch = p[i];
    if (ch === "\\" && i + 1 < p.length) {
      out += escapeChar(p[i + 1]);
      i += 2;
    } else if (ch === "*") {
      let j = i;
      while (p[j] === "*") j++;
      const atStart = i === 0 || p[i - 1] === "/";
      if (j - i >= 2 && atStart && (j === p.length || p[j] === "/")) {
        if (j === p.length) out += ".*";
        else {
          out += "(?:.*/)?";
          j++; // the "/" after "**"
        }
      } else out += "[^/]*";
      i = j;
    } else if (ch === "?") {
      out += "[^/]";
      i++;
    } else if (ch === "[") {
      const cls = parseClass(p, i);
      out += cls ? cls[0] : "\\[";
      i = cls ? cls[1] : i + 1;
    } else {
      out += escapeChar(ch);
      i++;
    }
  }
  return out;
}

/** Drops trailing spaces that are not escaped with a backslash. */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === " ") {
    let backslashes = 0;
    for (let k = end - 2; k >= 0 && line[k] === "\\"; k--) backslashes++;
    if (backslashes % 2 === 1) break;
    end--;
  }
  return line.slice(0, end);
}

function parsePattern(raw: string): Pattern | undefined {
  let line = trimTrailingSpaces(raw);
  if (line === "" || line.startsWith("#")) return undefined;
  let negated = false;
  if (line.startsWith("!")) {
    negated = true;
    line = line.slice(1);
  }
  let dirOnly = false;
  if (line.endsWith("/") && !line.endsWith("\\/")) {
    dirOnly = true;
    line = line.replace(/\/+$/, "");
  }
  if (line === "") return undefined;
  const basename = !line.includes("/");
  if (line.startsWith("/")) line = line.slice(1);
  return { regex: new RegExp(`^${globToRegex(line)}$`, "s"), negated, dirOnly, basename };
}

/**
 * The rules of one ignore file's text, applying below `base` (a folder relative to the root, `""` for
 * the root itself).
 */
export function parseRules(text: string, base: string): RuleLevel {
  const patterns: Pattern[] = [];
  for (const raw of text.replace(/^\uFEFF/, "").split("\n")) {
    const pattern = parsePattern(raw);
    if (pattern) patterns.push(pattern);
  }
  return { base, patterns };
}

/** The decision of one level for `rel`: true (ignored), false (re-included) or undefined (no match). */
function decide(level: RuleLevel, rel: string, isDir: boolean): boolean | undefined {
  let sub: string;
  if (level.base === "") sub = rel;
  else if (rel.startsWith(`${level.base}/`)) sub = rel.slice(level.base.length + 1);
  else return undefined;
  const name = sub.slice(sub.lastIndexOf("/") + 1);
  for (let i = level.patterns.length - 1; i >= 0; i--) {
    const p = level.patterns[i];
    if (p.dirOnly && !isDir) continue;
    if (p.regex.test(p.basename ? name : sub)) return !p.negated;
  }
  return undefined;
}

/**
 * Whether `rel` (relative to the root, `/`-separated) is ignored by `levels`, given in order of increasing
 * precedence (`info/exclude`, then `.gitignore` files from the root down). Parent folders are not checked.
 */
export function isIgnored(levels: readonly RuleLevel[], rel: string, isDir: boolean): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const decision = decide(levels[i], rel, isDir);
    if (decision !== undefined) return decision;
  }
  return false;
}

/** Whether the file `rel` or one of its parent folders is ignored by `levels`. */
export function pathExcluded(levels: readonly RuleLevel[], rel: string): boolean {
  let slash = rel.indexOf("/");
  while (slash >= 0) {
    if (isIgnored(levels, rel.slice(0, slash), true)) return true;
    slash = rel.indexOf("/", slash + 1);
  }
  return isIgnored(levels, rel, false);
}
