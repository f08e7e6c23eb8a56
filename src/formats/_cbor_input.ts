/**
 * The byte level of the objects decoder (`objects.ts`): CBOR heads, lengths (checked against the bytes
 * left, so a damaged length cannot allocate gigabytes), byte and text strings. Internal.
 *
 * @module
 */

import { StorageError } from "../errors.ts";

/** The break code that ends an indefinite-length item. */
export const BREAK = 0xff;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Scratch space for {@linkcode shortUtf8}: at most one UTF-16 unit per byte, under 64 bytes. */
const UNITS = new Uint16Array(64);
/** V8 copies strings shorter than this when concatenating; longer ones become cons strings (ConsString::kMinLength). */
const CONS_MIN = 13;

/**
 * The last short ASCII strings decoded, by a hash of their bytes: a sweep's slot messages repeat the same
 * keys and words (`score`, `status`, `done`) in every run's result; each was a new string per message
 * (100,000 runs: tens of MB made, many kept past a scavenge and promoted). A slot is overwritten by the
 * next string of its hash; a hit is checked character by character.
 */
const INTERNED: (string | undefined)[] = new Array(1024).fill(undefined);

/** FNV-1a of the bytes, folded to a slot of {@linkcode INTERNED}. */
function hashOf(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h ^ (h >>> 16)) & (INTERNED.length - 1);
}

function interned(b: Uint8Array, start: number, end: number): string | undefined {
  const s = INTERNED[hashOf(b, start, end)];
  if (s === undefined || s.length !== end - start) return undefined;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== b[start + i]) return undefined;
  return s;
}

function intern(s: string, slot: number): string {
  INTERNED[slot] = s;
  return s;
}

/**
 * Decodes a short (under 64 bytes) UTF-8 string without the cost of a TextDecoder call; undefined when
 * the bytes are not strictly valid UTF-8 (then TextDecoder decides, and reports the error).
 */
function shortUtf8(b: Uint8Array, start: number, end: number): string | undefined {
  if (end - start < CONS_MIN) {
    const known = interned(b, start, end);
    if (known !== undefined) return known;
    let ascii = "";
    let i = start;
    for (; i < end; i++) {
      const c = b[i];
      if (c >= 0x80) break;
      ascii += String.fromCharCode(c);
    }
    if (i === end) return intern(ascii, hashOf(b, start, end));
  }
  // From 13 characters on, `+=` makes V8 cons strings: a run folder's path decoded so was a chain of ~50
  // nodes (1.5 KB) kept with every run record of a sweep. One fromCharCode call makes one flat string.
  const units = UNITS;
  let n = 0;
  let i = start;
  while (i < end) {
    const c = b[i++];
    if (c < 0x80) {
      units[n++] = c;
      continue;
    }
    let cp: number;
    let more: number;
    if ((c & 0xe0) === 0xc0) {
      cp = c & 0x1f;
      more = 1;
    } else if ((c & 0xf0) === 0xe0) {
      cp = c & 0x0f;
      more = 2;
    } else if ((c & 0xf8) === 0xf0) {
      cp = c & 0x07;
      more = 3;
    } else {
      return undefined;
    }
    if (i + more > end) return undefined;
    for (let k = 0; k < more; k++) {
      const x = b[i++];
      if ((x & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (x & 0x3f);
    }
    // overlong forms, surrogates and code points beyond U+10FFFF are invalid UTF-8
    if (cp < (more === 1 ? 0x80 : more === 2 ? 0x800 : 0x10000)) return undefined;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units[n++] = 0xd800 | (cp >> 10);
      units[n++] = 0xdc00 | (cp & 0x3ff);
    } else {
      units[n++] = cp;
    }
  }
  return String.fromCharCode.apply(null, units.subarray(0, n) as unknown as number[]);
}

/** The input of a decode: the bytes, the position, and the reads of CBOR heads, lengths and strings. */
export class CborInput {
  pos = 0;
  readonly view: DataView;
  readonly bytes: Uint8Array;

  constructor(input: Uint8Array, readonly source: string | undefined) {
    // a plain view: on a Node Buffer (a Uint8Array subclass) slice() would not copy
    this.bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }

  /** Throws a `StorageError` naming the file: `corrupt` bytes, or (`unsupported`) a valid item it cannot read. */
  fail(what: string, at = this.pos, code: "corrupt" | "unsupported" = "corrupt"): never {
    throw new StorageError(
      `${this.source ?? "<cbor bytes>"} is not valid sweepstore CBOR (${what}, at byte ${at}): ` +
        (code === "corrupt"
          ? "the file is corrupt, truncated or was not written by saveObj"
          : "it was written by another program than saveObj, or by a newer sweepstore"),
      { path: this.source, code },
    );
  }

  need(n: number): void {
    if (n > this.bytes.length - this.pos) this.fail("the data ends too early");
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  /** Reads the argument of a head with additional information `ai`; -1 for an indefinite length. */
  arg(ai: number): number | bigint {
    if (ai < 24) return ai;
    const v = this.view;
    let n: number | bigint;
    switch (ai) {
      case 24:
        return this.u8();
      case 25:
        this.need(2);
        n = v.getUint16(this.pos);
        this.pos += 2;
        return n;
      case 26:
        this.need(4);
        n = v.getUint32(this.pos);
        this.pos += 4;
        return n;
      case 27: {
        this.need(8);
        const big = v.getBigUint64(this.pos);
        this.pos += 8;
        return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      }
      case 31:
        return -1;
      default:
        return this.fail(`a reserved additional information value ${ai}`, this.pos - 1);
    }
  }

  /** A length or count: at most what the remaining bytes can hold (guards against huge allocations). */
  length(ai: number, unit: number): number {
    const at = this.pos - 1;
    const n = this.arg(ai);
    if (typeof n === "bigint" || n < 0 || n * unit > this.bytes.length - this.pos) {
      this.fail(
        `a length of ${n} where ${this.bytes.length - this.pos} bytes remain: the data ends too ` +
          "early or the length is damaged",
        at,
      );
    }
    return n;
  }

  /** The content of a byte string (joined if it came in chunks), as a view into the input. */
  byteContent(ai: number): Uint8Array {
    if (ai !== 31) {
      const n = this.length(ai, 1);
      const out = this.bytes.subarray(this.pos, this.pos + n);
      this.pos += n;
      return out;
    }
    const parts: Uint8Array[] = [];
    while (this.peek() !== BREAK) {
      const ib = this.u8();
      if (ib >> 5 !== 2 || (ib & 31) === 31) {
        this.fail("a chunk of a byte string that is not bytes");
      }
      parts.push(this.byteContent(ib & 31));
    }
    this.pos++;
    const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  /** Reads a byte string item (for the tags that wrap one). */
  byteString(what: string): Uint8Array {
    const ib = this.u8();
    if (ib >> 5 !== 2) this.fail(`${what} without a byte string`, this.pos - 1);
    return this.byteContent(ib & 31);
  }

  textContent(ai: number): string {
    if (ai === 31) {
      let out = "";
      while (this.peek() !== BREAK) {
        const ib = this.u8();
        if (ib >> 5 !== 3 || (ib & 31) === 31) {
          this.fail("a chunk of a text string that is not text");
        }
        out += this.textContent(ib & 31);
      }
      this.pos++;
      return out;
    }
    const n = this.length(ai, 1);
    const start = this.pos;
    const end = start + n;
    const b = this.bytes;
    if (n < 64) {
      const s = shortUtf8(b, start, end);
      if (s !== undefined) {
        this.pos = end;
        return s;
      }
    }
    try {
      const s = utf8.decode(b.subarray(start, end));
      this.pos = end;
      return s;
    } catch {
      return this.fail("a text string that is not valid UTF-8", start);
    }
  }

  peek(): number {
    this.need(1);
    return this.bytes[this.pos];
  }

  /** If the next item is tag `tag`, consumes its head and returns true. */
  takeTag(tag: number): boolean {
    const save = this.pos;
    if (this.pos >= this.bytes.length || this.bytes[this.pos] >> 5 !== 6) return false;
    const ib = this.u8();
    if (this.arg(ib & 31) === tag) return true;
    this.pos = save;
    return false;
  }

  /** If the next item has major type `major`, consumes its head and returns its additional info. */
  takeMajor(major: number): number {
    if (this.pos < this.bytes.length && this.bytes[this.pos] >> 5 === major) {
      return this.bytes[this.pos++] & 31;
    }
    return -1;
  }
}
