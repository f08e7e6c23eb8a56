/**
 * Which files of a project go into `backup.zip`: exactly what
 * `git ls-files --cached --others --exclude-standard` lists where the project is a git repository and git
 * runs, else the same rules read by sweepstore (`_gitignore.ts`, patterns matched by the npm package
 * `ignore`): every `.gitignore` from the repository's top folder down, `.git/info/exclude`, the files in
 * git's index (tracked files are listed even where a pattern ignores them) and, in a repository, no files
 * of nested repositories. Without git the user's global excludes file (`core.excludesFile`) is not read.
 *
 * @module
 */

import { dirname, join, relative, resolve } from "node:path";
import { addIgnoreFile, isIgnored, noRules, type Rules } from "./_gitignore.ts";
import { trackedPaths } from "./_git_index.ts";

/** A project file: its path relative to the project folder (`/`-separated) and whether it is a symlink. */
export interface ProjectEntry {
  rel: string;
  symlink: boolean;
}

/** How {@linkcode listProjectFiles} found the files. */
export type ListedBy = "git" | "rules";

/** Lists the project's files with `git ls-files`; null when git is missing or this is no repository. */
async function gitLsFiles(projectDir: string, git: string): Promise<string[] | null> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(git, {
      args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
      cwd: projectDir,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
  } catch {
    return null; // git missing, or no permission to run it
  }
  if (!out.success) return null;
  const text = new TextDecoder().decode(out.stdout);
  const paths = text.split("\0").filter((p) => p !== "" && !p.endsWith("/"));
  return [...new Set(paths)]; // unmerged files are listed once per stage
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw err;
  }
}

async function lstatOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
      return null;
    }
    throw err;
  }
}

interface Repository {
  /** The work tree's top folder. */
  top: string;
  /** The git folder of this work tree (its `index`). */
  gitDir: string;
  /** The git folder shared by all work trees (`info/exclude`). */
  commonDir: string;
}

/** The repository around `dir`, if any. */
async function findRepository(dir: string): Promise<Repository | undefined> {
  for (let d = dir;; d = dirname(d)) {
    const dotGit = join(d, ".git");
    const info = await lstatOrNull(dotGit);
    if (info?.isDirectory) return { top: d, gitDir: dotGit, commonDir: dotGit };
    if (info?.isFile) { // a worktree or submodule: "gitdir: <path>"
      const m = /^gitdir:\s*(.+?)\s*$/m.exec((await readText(dotGit)) ?? "");
      if (m) {
        const gitDir = resolve(d, m[1]);
        const common = (await readText(join(gitDir, "commondir")))?.trim();
        return { top: d, gitDir, commonDir: common ? resolve(gitDir, common) : gitDir };
      }
    }
    if (dirname(d) === d) return undefined;
  }
}

/** `rules` plus the `.gitignore` of `dir` (folder `base` relative to the rules' root), if it has one. */
async function withGitignore(rules: Rules, dir: string, base: string): Promise<Rules> {
  const text = await readText(join(dir, ".gitignore"));
  return text === undefined ? rules : addIgnoreFile(rules, text, base);
}

/**
 * Walks `projectDir` applying git's rules (see the module doc) and returns its files. `skipDir` names
 * folders never entered (`Data`, `.git`, `node_modules`).
 */
async function walkWithRules(
  projectDir: string,
  skipName: (name: string) => boolean,
): Promise<ProjectEntry[]> {
  const repo = await findRepository(projectDir);
  const top = repo?.top ?? projectDir;
  let above = noRules();
  if (repo) {
    const exclude = await readText(join(repo.commonDir, "info", "exclude"));
    if (exclude !== undefined) above = addIgnoreFile(above, exclude, "");
    // .gitignore files of the folders from the repository's top down to the project folder
    const between = relative(top, projectDir).split("/").filter(Boolean);
    for (let i = 0; i < between.length; i++) {
      const base = between.slice(0, i);
      above = await withGitignore(above, join(top, ...base), base.join("/"));
    }
  }
  const prefix = relative(top, projectDir); // the project folder, relative to the rules' root
  const files: ProjectEntry[] = [];
  const walk = async (dir: string, rel: string, inherited: Rules) => {
    const rules = await withGitignore(inherited, dir, rel);
    const entries: Deno.DirEntry[] = [];
    for await (const e of Deno.readDir(dir)) entries.push(e);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (skipName(entry.name)) continue;
      const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory) {
        if (isIgnored(rules, childRel, true)) continue;
        const path = join(dir, entry.name);
        if (repo && (await lstatOrNull(join(path, ".git")))) continue; // a nested repository
        await walk(path, childRel, rules);
      } else if (!isIgnored(rules, childRel, false)) {
        const projectRel = prefix === "" ? childRel : childRel.slice(prefix.length + 1);
        files.push({ rel: projectRel, symlink: entry.isSymlink });
      }
    }
  };
  await walk(projectDir, prefix, above);
  if (repo) await addTracked(files, repo, projectDir, prefix, skipName);
  return files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** Adds the files git tracks below the project folder that the rules left out (`--cached`). */
async function addTracked(
  files: ProjectEntry[],
  repo: Repository,
  projectDir: string,
  prefix: string,
  skipName: (name: string) => boolean,
): Promise<void> {
  const tracked = await trackedPaths(repo.gitDir);
  if (!tracked) return;
  const have = new Set(files.map((f) => f.rel));
  for (const path of tracked) {
    if (prefix !== "" && !path.startsWith(`${prefix}/`)) continue;
    const rel = prefix === "" ? path : path.slice(prefix.length + 1);
    if (have.has(rel) || rel.split("/").some(skipName)) continue;
    const info = await lstatOrNull(join(projectDir, rel));
    if (info && !info.isDirectory) files.push({ rel, symlink: info.isSymlink });
  }
}

/**
 * The files of `projectDir`, relative to it, sorted; by git where it runs and the folder is in a
 * repository (`git` is the executable, `false` to never run it), else by git's rules read here.
 */
export async function listProjectFiles(
  projectDir: string,
  git: string | false,
  skipName: (name: string) => boolean,
): Promise<{ entries: ProjectEntry[]; by: ListedBy }> {
  const listed = git === false ? null : await gitLsFiles(projectDir, git);
  if (listed === null) {
    return { entries: await walkWithRules(projectDir, skipName), by: "rules" };
  }
  const entries: ProjectEntry[] = [];
  for (const rel of listed.sort()) {
    if (rel.split("/").some(skipName)) continue;
    const info = await lstatOrNull(join(projectDir, rel));
    if (info === null || info.isDirectory) continue; // deleted from the work tree, or a submodule
    entries.push({ rel, symlink: info.isSymlink });
  }
  return { entries, by: "git" };
}
