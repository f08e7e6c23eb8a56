/**
 * `backup.zip`: the project's files at the time of a run, and the git commit they came from.
 *
 * @module
 */

import { join, relative } from "node:path";
import { type Zippable, zipSync } from "fflate";
import ignore, { type Ignore } from "ignore";
import { atomicWrite, TEMP_PREFIX } from "./atomic.ts";

/** Options for {@linkcode createBackupZip}. */
export interface BackupOptions {
  /**
   * More gitignore-style patterns to leave out, relative to the project folder.
   * @default {[]}
   */
  exclude?: string[];
  /**
   * Files larger than this are left out (and listed in the result's `skipped`).
   * @default {52428800} (50 MiB)
   */
  maxFileBytes?: number;
  /**
   * Deflate level, 0 (store) to 9.
   * @default {6}
   */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

/** What {@linkcode createBackupZip} wrote. */
export interface BackupResult {
  /** The zip file. */
  path: string;
  /** How many files it holds. */
  files: number;
  /** Their total size before compression. */
  bytes: number;
  /** Files left out for their size, and symbolic links, relative to the project folder. */
  skipped: string[];
}

/** Folders never backed up, wherever they are. */
const ALWAYS_SKIPPED_DIRS = new Set(["Data", ".git", "node_modules"]);

interface Rules {
  base: string; // relative folder of the .gitignore ("" for the project root)
  ig: Ignore;
}

function ignored(rules: Rules[], rel: string, isDir: boolean): boolean {
  for (const { base, ig } of rules) {
    const sub = base === ""
      ? rel
      : rel.startsWith(`${base}/`)
      ? rel.slice(base.length + 1)
      : undefined;
    if (sub === undefined || sub === "") continue;
    if (ig.ignores(isDir ? `${sub}/` : sub)) return true;
  }
  return false;
}

async function readRules(dir: string, base: string): Promise<Rules | undefined> {
  try {
    const text = await Deno.readTextFile(join(dir, ".gitignore"));
    return { base, ig: ignore().add(text) };
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

/**
 * Zips the files of `projectDir` into `zipPath` crash-safely. Left out: folders named `Data`, `.git` and
 * `node_modules` (anywhere), what the project's `.gitignore` files ignore (nested ones too, with git's
 * rules), `options.exclude` patterns, `.zip` files, sweepstore's temporary files, symbolic links and files
 * over `maxFileBytes`. File modification times are kept.
 *
 * @example
 * ```ts
 * import { createBackupZip } from "@sweepstore/sweepstore";
 * const project = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${project}/sim.ts`, "export {};\n");
 * const result = await createBackupZip(project, `${project}/backup.zip`);
 * console.log(result.files); // 1
 * ```
 */
export async function createBackupZip(
  projectDir: string,
  zipPath: string,
  options: BackupOptions = {},
): Promise<BackupResult> {
  const maxBytes = options.maxFileBytes ?? 50 * 1024 * 1024;
  const level = options.level ?? 6;
  const root: Rules[] = options.exclude?.length
    ? [{ base: "", ig: ignore().add(options.exclude) }]
    : [];
  const files: Zippable = {};
  const skipped: string[] = [];
  let count = 0, bytes = 0;
  const zipRel = relative(projectDir, zipPath);

  const walk = async (dir: string, rel: string, inherited: Rules[]) => {
    const own = await readRules(dir, rel);
    const rules = own ? [...inherited, own] : inherited;
    const entries: Deno.DirEntry[] = [];
    for await (const e of Deno.readDir(dir)) entries.push(e);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isSymlink) {
        skipped.push(childRel);
        continue;
      }
      if (entry.isDirectory) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || ignored(rules, childRel, true)) continue;
        await walk(path, childRel, rules);
        continue;
      }
      if (!entry.isFile) continue;
      if (
        childRel === zipRel || entry.name.endsWith(".zip") || entry.name.startsWith(TEMP_PREFIX) ||
        ignored(rules, childRel, false)
      ) continue;
      const info = await Deno.stat(path);
      if (info.size > maxBytes) {
        skipped.push(childRel);
        continue;
      }
      const data = await Deno.readFile(path);
      files[childRel] = [data, { mtime: info.mtime ?? undefined, level }];
      count++;
      bytes += data.length;
    }
  };
  await walk(projectDir, "", root);
  const zipped = zipSync(files, { level });
  await atomicWrite(zipPath, zipped);
  return { path: zipPath, files: count, bytes, skipped };
}

/** The git commit of a project and whether its work tree has changes. */
export interface GitInfo {
  /** The commit hash of HEAD. */
  commit: string;
  /** Whether `git status --porcelain` lists any change (untracked files included). */
  dirty: boolean;
}

async function git(dir: string, args: string[]): Promise<string | null> {
  try {
    const out = await new Deno.Command("git", {
      args,
      cwd: dir,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout) : null;
  } catch {
    return null; // git missing, or no permission to run it
  }
}

/**
 * The git commit of `projectDir` and whether it has uncommitted changes; `null` when git is missing, not
 * allowed to run, or the folder is not in a repository with a commit.
 *
 * @example
 * ```ts
 * import { gitInfo } from "@sweepstore/sweepstore";
 * console.log(await gitInfo(await Deno.makeTempDir())); // null (not a repository)
 * ```
 */
export async function gitInfo(projectDir: string): Promise<GitInfo | null> {
  const head = await git(projectDir, ["rev-parse", "--verify", "-q", "HEAD"]);
  if (!head) return null;
  const status = await git(projectDir, ["status", "--porcelain"]);
  if (status === null) return null;
  return { commit: head.trim(), dirty: status.trim().length > 0 };
}
