/**
 * Turns the operating system's errors met in a run folder into `StorageError`s whose message names the
 * file and what was being done, and whose `code` says the kind (see `storageErrorCode`).
 *
 * @module
 */

import { StorageError, storageErrorCode } from "../errors.ts";

/**
 * `err` as a `StorageError`: programming errors (`TypeError`, `RangeError`) pass through unchanged; a
 * `StorageError` of a lower layer (a codec, `atomicWrite`) keeps its code and path and gets `doing` in front,
 * so the message names the key as well as the file; file-system errors are wrapped with `doing` ("Cannot
 * write …") and their code; anything else is wrapped with code `io`.
 */
export function fsError(err: unknown, doing: string, path: string): Error {
  if (err instanceof TypeError || err instanceof RangeError) return err;
  if (err instanceof StorageError) {
    if (err.message.startsWith(doing)) return err;
    return new StorageError(`${doing}: ${err.message}`, {
      path: err.path ?? path,
      code: err.code,
      cause: err,
    });
  }
  const code = storageErrorCode(err) ?? "io";
  // Deno's NotADirectory text ("Not a directory (os error 20): mkdir '…'") says less than this does; a
  // recursive mkdir says "File exists" when a file is on the folder's own path
  const onFolder = err instanceof Deno.errors.AlreadyExists && /: mkdir '/.test(err.message);
  const inTheWay = err instanceof Deno.errors.NotADirectory || onFolder;
  const reason = onFolder
    ? `a file is where the folder ${path} should be`
    : inTheWay
    ? "a file is in the way on this path"
    : err instanceof Error
    ? err.message
    : String(err);
  const advice = code === "no_space"
    ? ": the disk is full, free some space"
    : code === "permission"
    ? ": check the folder's permissions (and Deno's --allow-read/--allow-write)"
    : inTheWay
    ? ": move away a file where a folder should be"
    : "";
  return new StorageError(`${doing}: ${reason}${advice}`, { path, code, cause: err });
}
