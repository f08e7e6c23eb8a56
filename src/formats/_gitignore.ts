/**
 * git's ignore rules, for listing a project's files where git cannot be asked (`backup.zip` without git).
 * The pattern matching itself (`gitignore(5)`: negation, anchoring, directory patterns, `*`, `?`, `**`,
 * `[…]`, escapes) is the npm package `ignore` (case-sensitive, as git with `core.ignorecase=false`); this
 * file only puts the ignore files of several folders into one rule set with git's precedence. `ignore`
 * must be 7.0.10 or later: 7.0.5 read bracket expressions as JavaScript classes and so differed from git on
 * `[!q]` (negation), `[[:digit:]]` (POSIX classes) and `[]]` (a `]` first), which `tests/backup_git_test.ts`
 * compares with real git.
 *
 * Precedence: in git the deepest `.gitignore` that has a matching pattern decides, within one file the last
 * matching pattern, and `.git/info/exclude` comes below every `.gitignore`. That is the same as one list of
 * patterns, `info/exclude` first and then the `.gitignore` files from the root down, where the last
 * matching pattern decides, if each pattern of `<base>/.gitignore` is rewritten relative to the root:
 * `p` without an inner `/` becomes `<base>/**\/p` (any depth below `base`), an anchored `p` becomes
 * `<base>/p`. `ignore` also applies git's "a file inside an excluded folder cannot be re-included".
 *
 * @module
 */

import ignore, { type Ignore } from "ignore";

/** The ignore rules known at one folder: its own ignore file and those of the folders above it. */
export type Rules = Ignore;

/** Rules without any pattern. */
export function noRules(): Rules {
  // allowRelativePaths: a file named "..." is a path like any other, not an error.
  return ignore({ ignoreCase: false, allowRelativePaths: true });
}

/** Drops trailing spaces that are not escaped with a backslash (git does this before anything else). */
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

/** A folder path as a literal glob: `\`, `*`, `?`, `[` escaped, and a leading `!` or `#`. */
function literalGlob(path: string): string {
  return path.replace(/[\\*?[]/g, "\\$&").replace(/^[!#]/, "\\$&");
}

/** One line of the ignore file of folder `base` (relative, not `""`), rewritten relative to the root. */
function rebase(raw: string, base: string): string | undefined {
  let line = trimTrailingSpaces(raw);
  if (line === "" || line.startsWith("#")) return undefined;
  const negation = line.startsWith("!") ? "!" : "";
  line = line.slice(negation.length);
  if (line === "" || line === "/") return undefined;
  const anchored = line.replace(/\/+$/, "").includes("/");
  const below = anchored ? line.replace(/^\//, "") : `**/${line}`;
  return `${negation}${literalGlob(base)}/${below}`;
}

/**
 * `rules` plus the patterns of the ignore file `text` of folder `base` (relative to the root of `rules`,
 * `/`-separated, `""` for the root itself), which take precedence over them. `rules` is not changed.
 */
export function addIgnoreFile(rules: Rules, text: string, base: string): Rules {
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  const patterns = base === "" ? lines : lines.flatMap((line) => rebase(line, base) ?? []);
  return noRules().add(rules).add(patterns);
}

/**
 * Whether `rel` (relative to the root of `rules`, `/`-separated) is ignored: by a pattern that matches it
 * or one of its parent folders. `isDir` says whether it is a folder (for patterns ending in `/`).
 */
export function isIgnored(rules: Rules, rel: string, isDir: boolean): boolean {
  return rules.ignores(isDir ? `${rel}/` : rel);
}
