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
export const VERSION = 4; // 3: each column line has its checksum in the header; 4: the checksum's length
// mixed in last (columns checksummed as they are streamed)
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
 * the last words and bytes, then the length), as 8 hex digits: a damaged header or column is never taken
 * for the data. Each step is a bijection of the state, so one damaged word always changes the sum. Fast
 * where it runs once per process (a 50,000-run header of 2.7 MB in about 4 ms). The same as
 * {@linkcode Checksum} over the bytes in any pieces.
 */
export function checksum(bytes: Uint8Array): string {
  return new Checksum().update(bytes).digest();
}

const P = 0x01000193;

/**
 * {@linkcode checksum} made piece by piece (the index writer streams each column line: no line whole in
 * memory). The length is mixed in last, so that it need not be known before the first piece.
 */
export class Checksum {
  #h = 0x811c9dc5;
  #g = 0x9e3779b9;
  #length = 0;
  /** Bytes of an unfinished 16-byte turn. */
  readonly #carry = new Uint8Array(16);
  #carried = 0;

  /** Adds the next bytes. */
  update(bytes: Uint8Array): this {
    this.#length += bytes.length;
    let at = 0;
    if (this.#carried) {
      at = Math.min(16 - this.#carried, bytes.length);
      this.#carry.set(bytes.subarray(0, at), this.#carried);
      this.#carried += at;
      if (this.#carried < 16) return this;
      this.#turns(this.#carry);
      this.#carried = 0;
    }
    const whole = (bytes.length - at) & ~15;
    if (whole) this.#turns(bytes.subarray(at, at + whole));
    this.#carry.set(bytes.subarray(at + whole));
    this.#carried = bytes.length - at - whole;
    return this;
  }

  /** Whole turns of four words (`bytes.length` a multiple of 16). */
  #turns(bytes: Uint8Array): void {
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    const w = new Uint32Array(aligned.buffer, aligned.byteOffset, bytes.length >>> 2);
    let h = this.#h, g = this.#g;
    for (let i = 0; i < w.length; i += 4) {
      h = Math.imul(Math.imul(h ^ w[i], P) ^ w[i + 1], P);
      g = Math.imul(Math.imul(g ^ w[i + 2], P) ^ w[i + 3], P);
    }
    this.#h = h;
    this.#g = g;
  }

  /** The checksum of all bytes added, as 8 hex digits. */
  digest(): string {
    const rest = this.#carry.subarray(0, this.#carried);
    const words = rest.length >>> 2;
    const w = new Uint32Array(this.#carry.buffer, 0, words);
    let h = this.#h;
    for (let i = 0; i < words; i++) h = Math.imul(h ^ w[i], P);
    for (let i = words * 4; i < rest.length; i++) h = Math.imul(h ^ rest[i], P);
    h = Math.imul(h ^ this.#length, P);
    const g = this.#g;
    return ((h ^ Math.imul(g ^ (g >>> 15), 0x85ebca6b)) >>> 0).toString(16).padStart(8, "0");
  }
}

export const PREFIX = '{"check":"';
export const HEAD_AT = '{"check":"01234567","head":'.length;
