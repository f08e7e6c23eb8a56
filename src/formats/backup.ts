/**
 * `backup.zip`: the project's files at the time of a run, and the git commit they came from.
 *
 * @module
 */

import { relative } from "node:path";
import { type Zippable, zipSync } from "fflate";
import { atomicWrite, TEMP_PREFIX } from "./atomic.ts";
import { StorageError, storageErrorCode } from "../errors.ts";
import { DATA_FOLDER } from "../layout.ts";
import { addIgnoreFile, isIgnored, noRules } from "./_gitignore.ts";
import { listProjectFiles } from "./_project_files.ts";

/** Options for {@linkcode createBackupZip}. */
export interface BackupOptions {
  /**
   * More gitignore-style patterns to leave out, relative to the project folder (applied after git's list;
   * a pattern that matches a folder leaves out everything in it).
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
  /**
   * The git executable that lists the project's files (`git ls-files`); `false` to never run git and read
   * the ignore rules directly.
   * @default {"git"}
   */
  git?: string | false;
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
  /** Whether git listed the files (`"git"`) or sweepstore read the ignore rules (`"rules"`). */
  listedBy: "git" | "rules";
}

/** Names never backed up, wherever they are: the runs themselves, git's folder, npm's packages. */
const ALWAYS_SKIPPED = new Set([DATA_FOLDER, ".git", "node_modules"]);

function skipName(name: string): boolean {
  return ALWAYS_SKIPPED.has(name) || name.startsWith(TEMP_PREFIX);
}

/**
 * Zips the files of `projectDir` into `zipPath` crash-safely. The files are exactly those
 * `git ls-files --cached --others --exclude-standard` lists (tracked files, and untracked ones that no
 * `.gitignore`, `.git/info/exclude` or global excludes file ignores) where the project is in a git
 * repository and git runs; else the same rules are read from the `.gitignore` files (nested ones with
 * git's precedence, negations, anchored and directory patterns) and `.git/info/exclude`. Always left out:
 * anything inside a folder named `Data`, `.git` or `node_modules`, `options.exclude` patterns, `.zip`
 * files, sweepstore's temporary files, symbolic links and files over `maxFileBytes` (those two are listed
 * in `skipped`). File modification times are kept.
 *
 * @throws {StorageError} when a file cannot be read or the zip cannot be written (`code` says why).
 *
 * @example
 * ```ts
 * import { createBackupZip } from "@sweepstore/sweepstore/backup";
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
  const exclude = addIgnoreFile(noRules(), (options.exclude ?? []).join("\n"), "");
  const zipRel = relative(projectDir, zipPath);
  const files: Zippable = {};
  const skipped: string[] = [];
  let count = 0, bytes = 0;
  try {
    const { entries, by } = await listProjectFiles(projectDir, options.git ?? "git", skipName);
    for (const { rel, symlink } of entries) {
      if (rel === zipRel || rel.endsWith(".zip") || isIgnored(exclude, rel, false)) continue;
      if (symlink) {
        skipped.push(rel);
        continue;
      }
      const info = await Deno.stat(`${projectDir}/${rel}`);
      if (!info.isFile) continue;
      if (info.size > maxBytes) {
        skipped.push(rel);
        continue;
      }
      const data = await Deno.readFile(`${projectDir}/${rel}`);
      files[rel] = [data, { mtime: info.mtime ?? undefined, level }];
      count++;
      bytes += data.length;
    }
    await atomicWrite(zipPath, zipSync(files, { level }));
    return { path: zipPath, files: count, bytes, skipped, listedBy: by };
  } catch (err) {
    if (err instanceof StorageError || err instanceof TypeError) throw err;
    throw new StorageError(
      `Cannot back up ${projectDir} into ${zipPath}: ${(err as Error).message}`,
      { path: zipPath, cause: err, code: storageErrorCode(err) ?? "io" },
    );
  }
}

/** The git commit of a project and whether its work tree has changes. */
export interface GitInfo {
  /** The commit hash of HEAD. */
  commit: string;
  /** Whether `git status --porcelain` lists any change (untracked files included). */
  dirty: boolean;
}

async function git(dir: string, args: string[], exe: string): Promise<string | null> {
  try {
    const out = await new Deno.Command(exe, {
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

/** Options for {@linkcode gitInfo}. */
export interface GitInfoOptions {
  /**
   * The git executable; `false` never runs git (the result is then `null`).
   * @default {"git"}
   */
  git?: string | false;
}

/**
 * The git commit of `projectDir` and whether it has uncommitted changes; `null` when git is missing, not
 * allowed to run, or the folder is not in a repository with a commit.
 *
 * @example
 * ```ts
 * import { gitInfo } from "@sweepstore/sweepstore/backup";
 * console.log(await gitInfo(await Deno.makeTempDir())); // null (not a repository)
 * ```
 */
export async function gitInfo(
  projectDir: string,
  options: GitInfoOptions = {},
): Promise<GitInfo | null> {
  const exe = options.git ?? "git";
  if (exe === false) return null;
  const head = await git(projectDir, ["rev-parse", "--verify", "-q", "HEAD"], exe);
  if (!head) return null;
  const status = await git(projectDir, ["status", "--porcelain"], exe);
  if (status === null) return null;
  return { commit: head.trim(), dirty: status.trim().length > 0 };
}
