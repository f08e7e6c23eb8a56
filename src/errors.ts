/**
 * The one error class that callers are expected to catch: a run folder or one of its files cannot be
 * used (corrupt, unreadable, or a name that is taken). Its message names the file and what to do.
 *
 * @module
 */

/**
 * A run folder or one of its files cannot be used; `path` names it, `cause` holds the underlying error.
 *
 * @example
 * ```ts
 * import { StorageError } from "@sweepstore/sweepstore";
 * const err = new StorageError("config.ini is corrupt", { path: "/tmp/run/config.ini" });
 * console.log(err.path);
 * ```
 */
export class StorageError extends Error {
  /** The file or folder the error is about. */
  readonly path?: string;
  /** Creates the error; `options.path` names the file, `options.cause` the underlying error. */
  constructor(message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "StorageError";
    this.path = options.path;
  }
}
