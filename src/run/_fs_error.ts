/**
 * Turns the operating system's errors met in a run folder into `StorageError`s whose message names the
 * file and what was being done, and whose `code` says the kind (see `storageErrorCode`).
 *
 * @module
 */

import { StorageError, storageErrorCode } from "../errors.ts";

/**
 * `err` as a `StorageError`: our own errors and programming errors (`StorageError`, `TypeError`,
 * `RangeError`) pass through unchanged, file-system errors are wrapped with `doing` ("Cannot write …") and
 * their code; anything else is wrapped with code `io`.
 */
export function fsError(err: unknown, doing: string, path: string): Error {
  if (err instanceof StorageError || err instanceof TypeError || err instanceof RangeError) {
    return err;
  }
  const code = storageErrorCode(err) ?? "io";
  const reason = err instanceof Error ? err.message : String(err);
  const advice = code === "no_space"
    ? ": the disk is full, free some space"
    : code === "permission"
    ? ": check the folder's permissions (and Deno's --allow-read/--allow-write)"
    : "";
  return new StorageError(`${doing}: ${reason}${advice}`, { path, code, cause: err });
}
