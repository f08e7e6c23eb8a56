/**
 * The documented error kinds of sweepstore, the ones callers catch by kind:
 *
 * | class | thrown when | fields |
 * | --- | --- | --- |
 * | {@linkcode StorageError} | a run folder or one of its files cannot be used: corrupt, unreadable, not a run folder, a name that is taken, a full disk | `code`, `path`, `cause` |
 * | `QueryError` (`src/group/query.ts`) | a query string (`"n>1000"`) cannot be parsed | `position` |
 * | `SimulationLoadError` (runner) | the simulation module cannot be imported | |
 * | `UsageError` (CLI) | a command line is wrong; the CLI prints its message and exits with `exitCode` | `exitCode` |
 *
 * `TypeError` and `RangeError` remain for programming errors: a value of the wrong type or out of range
 * passed to a function (a bad key, a negative concurrency, a value that cannot be stored).
 *
 * @module
 */

/**
 * What went wrong with a file or folder, for code that reacts to the kind:
 * - `corrupt`: the file exists but cannot be decoded (a torn or foreign `config.ini`, `.npy`, `.cbor`);
 * - `not_found`: the file or folder does not exist;
 * - `not_a_run`: a folder that is not a run folder (no `config.ini`, or outside `<Data>/StorageManager/`);
 * - `exists`: a name that is taken;
 * - `no_space`: the disk (or quota) is full (ENOSPC, EDQUOT);
 * - `permission`: the operating system or Deno's permissions refused access (EACCES, EPERM, EROFS);
 * - `unsupported`: a valid file that this version cannot read (an unknown dtype, a pickle opcode);
 * - `io`: any other input/output failure.
 */
export type StorageErrorCode =
  | "corrupt"
  | "not_found"
  | "not_a_run"
  | "exists"
  | "no_space"
  | "permission"
  | "unsupported"
  | "io";

/** Options of {@linkcode StorageError}. */
export interface StorageErrorOptions {
  /** The file or folder the error is about. */
  path?: string;
  /** The underlying error. */
  cause?: unknown;
  /**
   * The kind of failure.
   * @default {classified from `cause` by {@linkcode storageErrorCode}, else `"io"`}
   */
  code?: StorageErrorCode;
}

/**
 * A run folder or one of its files cannot be used; `path` names it, `code` says what kind of failure it
 * is, `cause` holds the underlying error. Its message names the file and what to do.
 *
 * @example
 * ```ts
 * import { StorageError } from "@sweepstore/sweepstore";
 * const err = new StorageError("config.ini is corrupt", { path: "/tmp/run/config.ini", code: "corrupt" });
 * console.log(err.code, err.path); // "corrupt" "/tmp/run/config.ini"
 * ```
 */
export class StorageError extends Error {
  /** The file or folder the error is about. */
  readonly path?: string;
  /** The kind of failure (see {@linkcode StorageErrorCode}). */
  readonly code: StorageErrorCode;
  /** Creates the error; `options.path` names the file, `options.cause` the underlying error. */
  constructor(message: string, options: StorageErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "StorageError";
    this.path = options.path;
    this.code = options.code ?? storageErrorCode(options.cause) ?? "io";
  }
}

/**
 * The {@linkcode StorageErrorCode} of an operating-system error (Deno's error classes and Node's `code`
 * strings), or `undefined` when `err` is not one.
 *
 * @example
 * ```ts
 * import { storageErrorCode } from "@sweepstore/sweepstore";
 * console.log(storageErrorCode(new Deno.errors.NotFound("x"))); // "not_found"
 * ```
 */
export function storageErrorCode(err: unknown): StorageErrorCode | undefined {
  if (err instanceof StorageError) return err.code;
  if (err instanceof Deno.errors.NotFound) return "not_found";
  if (err instanceof Deno.errors.AlreadyExists) return "exists";
  if (err instanceof Deno.errors.PermissionDenied || err instanceof Deno.errors.NotCapable) {
    return "permission";
  }
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : "";
  if (
    code === "ENOSPC" || code === "EDQUOT" || /\bENOSPC\b|No space left|os error 28\b/.test(message)
  ) {
    return "no_space";
  }
  if (code === "EROFS" || /\bEROFS\b|Read-only file system|os error 30\b/.test(message)) {
    return "permission";
  }
  if (code === "EACCES" || code === "EPERM") return "permission";
  if (code === "ENOENT") return "not_found";
  if (err instanceof Error && (err.name === "Error" || err.name in Deno.errors)) {
    return err.name in Deno.errors ? "io" : undefined;
  }
  return undefined;
}
