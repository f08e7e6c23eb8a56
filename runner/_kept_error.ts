/**
 * How much of a failed run's error a sweep keeps in memory (internal, used by `_record_store.ts`): the
 * whole text stays in the run's folder (`[Run] error` in its `config.ini`, up to 64 KiB, `task.ts`
 * `errorText`); a sweep keeps at most {@linkcode KEPT_ERROR_CHARS} characters of it in its records, so
 * that 100,000 runs failing with long errors cannot hold gigabytes in the sweep's process.
 *
 * @module
 */

/** The longest error a sweep's records keep, in characters: the first and the last 1,024 of a longer one. */
export const KEPT_ERROR_CHARS = 2048;

/**
 * `error` when it is at most {@linkcode KEPT_ERROR_CHARS} long; otherwise its first and last 1,024
 * characters around a line saying how much was cut and where the whole text is (`path`'s `config.ini`,
 * `[Run] error`). The result is a new flat string (a slice would keep the whole text alive in V8).
 *
 * @example
 * ```ts ignore
 * keptError("x".repeat(70_000), "/d/StorageManager/S/S7").length; // ~2,130
 * ```
 */
export function keptError(error: string, path: string): string {
  if (error.length <= KEPT_ERROR_CHARS) return error;
  const half = KEPT_ERROR_CHARS / 2;
  const where = path ? `; the whole error is [Run] error in ${path}/config.ini` : "";
  const text = `${error.slice(0, half)}\n... (${
    error.length - 2 * half
  } characters cut here${where}) ...\n${error.slice(-half)}`;
  // encoded and decoded: a new sequential string (one byte per character where it is all Latin-1)
  return new TextDecoder().decode(new TextEncoder().encode(text));
}
