/**
 * The CLI's terminal and file output, and the checks of its folders before anything starts: writing to
 * stdout/stderr (never failing once the terminal is gone, e.g. after SIGHUP), `-o FILE`, the Data folder,
 * and the sweep summary text.
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import { atomicWriteText, TEMP_PREFIX } from "../../src/formats/atomic.ts";
import { StorageError } from "../../src/errors.ts";
import { messageOf, UsageError } from "./errors.ts";
import { findDataFolder } from "../../src/run/data_folder.ts";
import { groupFolder } from "../../src/layout.ts";
import type { SweepSummary } from "../summary.ts";

const encoder = new TextEncoder();

function writeAllSync(file: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  try {
    while (bytes.length) bytes = bytes.subarray(file.writeSync(bytes));
  } catch {
    // The terminal or pipe is gone (SIGHUP, a closed pager): nothing left to tell.
  }
}

/**
 * Writes text to stderr; never throws (the terminal may be gone).
 *
 * @example
 * ```ts
 * import { writeErr } from "./_output.ts";
 * writeErr("a note\n");
 * ```
 */
export function writeErr(text: string): void {
  writeAllSync(Deno.stderr, text);
}

/**
 * Writes text to stdout; never throws (the terminal or pipe may be gone).
 *
 * @example
 * ```ts
 * import { writeOut } from "./_output.ts";
 * writeOut("a line\n");
 * ```
 */
export function writeOut(text: string): void {
  writeAllSync(Deno.stdout, text);
}

/**
 * The absolute path of an `-o` file, checked before anything is written: its folder must exist (a typo is
 * not made into folders) and the path must not be a folder.
 *
 * @param file The `-o` value.
 * @returns The absolute path.
 * @throws {StorageError} A missing folder, a file where the folder should be, a folder at the path.
 *
 * @example
 * ```ts
 * import { outputPath } from "./_output.ts";
 * console.log(await outputPath("table.csv")); // <working directory>/table.csv
 * ```
 */
export async function outputPath(file: string): Promise<string> {
  const path = resolve(file);
  const folder = dirname(path);
  const info = await Deno.stat(folder).catch(() => undefined);
  if (!info?.isDirectory) {
    throw new StorageError(
      `cannot write ${path}: the folder ${folder} ${
        info ? "is not a folder" : "does not exist"
      }; ` +
        `create it or give another -o path`,
      { path: folder, code: "not_found" },
    );
  }
  if ((await Deno.stat(path).catch(() => undefined))?.isDirectory) {
    throw new StorageError(
      `cannot write ${path}: it is a folder; give -o the path of a file`,
      { path, code: "exists" },
    );
  }
  return path;
}

/**
 * Writes `text` to `file` (atomically), or to stdout without a file. A missing folder, a folder where a
 * file should be, or a write the system refuses is a `StorageError` naming the path and the fix.
 *
 * @param text What to write.
 * @param file The file, or undefined for stdout.
 * @throws {StorageError} The file cannot be written.
 *
 * @example
 * ```ts
 * import { writeOutput } from "./_output.ts";
 * const dir = await Deno.makeTempDir();
 * await writeOutput("a,b\n1,2\n", `${dir}/table.csv`);
 * ```
 */
export async function writeOutput(text: string, file: string | undefined): Promise<void> {
  if (file === undefined) return writeOut(text);
  const path = await outputPath(file);
  try {
    await atomicWriteText(path, text);
  } catch (err) {
    throw new StorageError(`cannot write ${path}: ${messageOf(err)}`, {
      path,
      cause: err,
    });
  }
  writeErr(`wrote ${path}\n`);
}

/**
 * The Data folder of `--data`, or the one found upwards from the working directory (else `./Data`).
 *
 * @param value The `--data` option.
 * @returns An absolute path.
 * @throws {UsageError} When `value` is empty (it would be the working directory).
 *
 * @example
 * ```ts
 * import { dataFolderOf } from "./_output.ts";
 * console.log(await dataFolderOf("/tmp/Data")); // "/tmp/Data"
 * ```
 */
export async function dataFolderOf(value: string | undefined): Promise<string> {
  if (value !== undefined && value.trim() === "") {
    // resolve("") is the working directory: its StorageManager/ would be made beside the project's files
    throw new UsageError(
      "--data is empty: give the Data folder's path (e.g. --data ./Data), or leave --data out",
    );
  }
  return value !== undefined ? resolve(value) : await findDataFolder();
}

/**
 * Checks, before a sweep starts, that its group folder can be created and written: a read-only Data
 * folder, a file where a folder is expected or a missing permission is a `StorageError` naming the
 * folder and the fix, and no run folder is made.
 *
 * @param dataFolder The Data folder.
 * @param name The sweep's name.
 * @throws {StorageError} The folder cannot be written.
 *
 * @example
 * ```ts
 * import { ensureWritableGroup } from "./_output.ts";
 * await ensureWritableGroup(await Deno.makeTempDir(), "Demo");
 * ```
 */
export async function ensureWritableGroup(dataFolder: string, name: string): Promise<void> {
  const folder = groupFolder(dataFolder, name);
  // A mistyped --data creates at most the Data folder itself, never a whole path of folders.
  const parent = dirname(dataFolder);
  const parentInfo = await Deno.stat(parent).catch(() => undefined);
  if (!parentInfo?.isDirectory) {
    throw new StorageError(
      `the folder ${parent} that should hold the Data folder ${dataFolder} does not exist; ` +
        "check --data, or create it first",
      { path: parent, code: "not_found" },
    );
  }
  try {
    await Deno.mkdir(folder, { recursive: true });
    const probe = await Deno.makeTempFile({ dir: folder, prefix: TEMP_PREFIX });
    await Deno.remove(probe);
  } catch (err) {
    const why = err instanceof Deno.errors.AlreadyExists || err instanceof Deno.errors.NotADirectory
      ? "a file is in the way of the folder"
      : messageOf(err);
    throw new StorageError(
      `cannot write the sweep's folder ${folder} (${why}); make the Data folder ${dataFolder} ` +
        `writable or choose another with --data`,
      { path: folder, cause: err },
    );
  }
}

/**
 * The summary of a sweep as the CLI prints it: counts, the table and where the files are.
 *
 * @param name The sweep's name.
 * @param summary The summary (`result.summary`).
 * @param note Appended to the counts line (e.g. `" (interrupted)"`).
 * @returns The text, ending with a newline.
 *
 * @example
 * ```ts
 * import { summaryText } from "./_output.ts";
 * const text = summaryText("Demo", {
 *   table: "run  score\n", counts: { done: 1 }, files: { csv: "/d/summary.csv", json: "/d/summary.json" },
 * });
 * console.log(text.includes("Demo: 1 done")); // true
 * ```
 */
export function summaryText(name: string, summary: SweepSummary, note = ""): string {
  const line = Object.entries(summary.counts).map(([k, v]) => `${v} ${k}`).join(", ");
  const files = [
    summary.files.csv,
    summary.files.runs,
    summary.files.json,
    summary.files.svg,
    summary.files.html,
  ]
    .filter(Boolean);
  return `\n${name}: ${line}${note}\n${summary.table}summary: ${files.join("\n         ")}\n`;
}
