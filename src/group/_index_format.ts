/**
 * The group index's format (internal): its version, the `stat` stamps it records and when they may be
 * trusted, and the checksummed header line. The rules that keep the index never stale: `_index_file.ts`.
 *
 * @module
 */

/**
 * Whether Deno already granted `name` access to `path`. Asked first: a call without the permission would
 * make Deno prompt on a terminal, and a group load that only reads must not ask for write access.
 */
export function granted(name: "read" | "write", path: string): boolean {
  try {
    return Deno.permissions.querySync({ name, path }).state === "granted";
  } catch {
    return false;
  }
}

/** The `format` field of the header. */
export const FORMAT = "sweepstore-group-index";
/** Bumped whenever the layout changes: an index of another version is ignored. */
export const VERSION = 3; // 3: each column line has its checksum in the header
/**
 * How far before the file system's clock a file's times must lie for its entry to be trusted: Deno reports
 * ctime in whole seconds, and some servers keep coarse timestamps.
 */
export const RACY_MARGIN_MS = 2000;

/** A `config.ini`'s (or a folder's) stamp: `[ino, size, mtimeMs, ctimeMs]`. */
export type Stamp = [number, number, number, number];

/** The stamp of a `stat` result. */
export function stampOf(info: Deno.FileInfo): Stamp {
  return [info.ino ?? 0, info.size, info.mtime?.getTime() ?? 0, info.ctime?.getTime() ?? 0];
}

/** Whether two stamps are equal. */
export function sameStamp(a: Stamp | null | undefined, b: Stamp): boolean {
  return !!a && a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** Whether an entry with this stamp may be trusted at later loads (see the module documentation). */
export function settled(stamp: Stamp, fsNowMs: number): boolean {
  return Math.max(stamp[2], stamp[3] + 1000) + RACY_MARGIN_MS <= fsNowMs;
}

/**
 * A 32-bit checksum of bytes (FNV-1a's step over 32-bit words, in two lanes of four words per turn, then
 * the last bytes), as 8 hex digits: a damaged header is never taken for the listing. Each step is a
 * bijection of the state, so one damaged word always changes the sum. Fast where it runs once per
 * process (a 50,000-run header of 2.7 MB in about 4 ms, most of it before the loop is compiled).
 */
export function checksum(bytes: Uint8Array): string {
  const P = 0x01000193;
  const words = bytes.length >>> 2;
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const w = new Uint32Array(aligned.buffer, aligned.byteOffset, words);
  let h = 0x811c9dc5 ^ bytes.length;
  let g = 0x9e3779b9;
  let i = 0;
  for (; i + 4 <= words; i += 4) {
    h = Math.imul(Math.imul(h ^ w[i], P) ^ w[i + 1], P);
    g = Math.imul(Math.imul(g ^ w[i + 2], P) ^ w[i + 3], P);
  }
  for (; i < words; i++) h = Math.imul(h ^ w[i], P);
  for (i = words * 4; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], P);
  return ((h ^ Math.imul(g ^ (g >>> 15), 0x85ebca6b)) >>> 0).toString(16).padStart(8, "0");
}

export const PREFIX = '{"check":"';
export const HEAD_AT = '{"check":"01234567","head":'.length;
const encoder = new TextEncoder();

/** The header line's bytes: `{"check":"<checksum of the JSON>","head":<JSON>}`, without the newline. */
export function headerLine(head: unknown): Uint8Array {
  const json = encoder.encode(JSON.stringify(head));
  const line = new Uint8Array(HEAD_AT + json.length + 1);
  line.set(encoder.encode(`${PREFIX}${checksum(json)}","head":`));
  line.set(json, HEAD_AT);
  line[line.length - 1] = 0x7d; // }
  return line;
}
