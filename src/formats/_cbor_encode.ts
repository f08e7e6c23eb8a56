/**
 * The encoder of the objects codec (`objects.ts`): CBOR bytes in RFC 8949 preferred serialization, written
 * in a second pass after {@linkcode analyze} has refused what cannot be stored and found shared objects.
 *
 * @module
 */

import { analyze } from "./_cbor_analyze.ts";
import { isStackOverflow, LITTLE_ENDIAN, TAG_OF } from "./_cbor_tags.ts";

const TWO_32 = 2 ** 32;
const textEncoder = new TextEncoder();

/** The size of a head whose argument is `n`. */
function headSize(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < TWO_32 ? 5 : 9;
}

/** The second pass: writes the CBOR bytes into a growing buffer. */
class Writer {
  buf: Uint8Array;
  view: DataView;
  pos = 0;
  readonly ids = new Map<object, number>();

  constructor(capacity: number, readonly shared: Set<object>) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Writes the initial byte and argument of a data item (`n` a non-negative safe integer). */
  head(major: number, n: number): void {
    this.ensure(9);
    const m = major << 5;
    if (n < 24) {
      this.buf[this.pos++] = m | n;
    } else if (n < 0x100) {
      this.buf[this.pos++] = m | 24;
      this.buf[this.pos++] = n;
    } else if (n < 0x10000) {
      this.buf[this.pos++] = m | 25;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    } else if (n < TWO_32) {
      this.buf[this.pos++] = m | 26;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    } else {
      this.buf[this.pos++] = m | 27;
      this.view.setUint32(this.pos, Math.floor(n / TWO_32));
      this.view.setUint32(this.pos + 4, n >>> 0);
      this.pos += 8;
    }
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  number(v: number): void {
    if (v >= 0 && v < 24 && (v | 0) === v && (v !== 0 || 1 / v > 0)) {
      this.ensure(1);
      this.buf[this.pos++] = v;
      return;
    }
    if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
      if (v >= 0) this.head(0, v);
      else this.head(1, -1 - v);
      return;
    }
    this.ensure(9);
    if (v !== v || Math.f16round(v) === v) {
      this.buf[this.pos++] = 0xf9;
      this.view.setFloat16(this.pos, v);
      this.pos += 2;
    } else if (Math.fround(v) === v) {
      this.buf[this.pos++] = 0xfa;
      this.view.setFloat32(this.pos, v);
      this.pos += 4;
    } else {
      this.buf[this.pos++] = 0xfb;
      this.view.setFloat64(this.pos, v);
      this.pos += 8;
    }
  }

  bigint(v: bigint): void {
    const negative = v < 0n;
    const magnitude = negative ? -1n - v : v;
    this.head(6, negative ? 3 : 2);
    if (magnitude === 0n) {
      this.head(2, 0);
      return;
    }
    let hex = magnitude.toString(16);
    if (hex.length % 2) hex = "0" + hex;
    const n = hex.length / 2;
    this.head(2, n);
    this.ensure(n);
    for (let i = 0; i < n; i++) this.buf[this.pos++] = parseInt(hex.substr(2 * i, 2), 16);
  }

  text(s: string): void {
    const n = s.length;
    if (n < 24) {
      // short ASCII fast path: byte length = string length, one-byte head
      this.ensure(1 + n);
      const buf = this.buf;
      const start = this.pos;
      let p = start + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === n) {
        buf[start] = 0x60 | n;
        this.pos = p;
        return;
      }
    }
    // UTF-8 straight into the buffer after a head sized for the worst case (3 bytes per unit),
    // moved left when the real length needs a shorter head
    const max = 3 * n;
    const room = headSize(max);
    // at least 9: head() below ensures 9 bytes from `pos`, and a buffer grown then would copy only the
    // bytes before `pos`, losing the text just encoded after it (it became zeros)
    this.ensure(Math.max(9, room + max));
    const { written } = textEncoder.encodeInto(s, this.buf.subarray(this.pos + room));
    const size = headSize(written);
    if (size < room) {
      this.buf.copyWithin(this.pos + size, this.pos + room, this.pos + room + written);
    }
    this.head(3, written);
    this.pos += written;
  }

  value(v: unknown): void {
    switch (typeof v) {
      case "number":
        return this.number(v);
      case "string":
        return this.text(v);
      case "boolean":
        this.ensure(1);
        this.buf[this.pos++] = v ? 0xf5 : 0xf4;
        return;
      case "undefined":
        this.ensure(1);
        this.buf[this.pos++] = 0xf7;
        return;
      case "bigint":
        return this.bigint(v);
      case "object":
        if (v === null) {
          this.ensure(1);
          this.buf[this.pos++] = 0xf6;
          return;
        }
        return this.object(v);
      default:
        // only reachable through a getter that returned something else on the second read
        throw new TypeError(`saveObj cannot store a ${typeof v}: store data only`);
    }
  }

  object(v: object): void {
    if (this.shared.has(v)) {
      const id = this.ids.get(v);
      if (id !== undefined) {
        this.head(6, 29);
        this.head(0, id);
        return;
      }
      if (v instanceof Map) {
        // tag 259 outside tag 28, so that Python's cbor2 shares the dict inside, not the tag
        this.head(6, 259);
        this.share(v);
        this.mapBody(v);
        return;
      }
      this.share(v);
    }
    if (Array.isArray(v)) {
      const n = v.length;
      this.head(4, n);
      for (let i = 0; i < n; i++) this.value(v[i]);
    } else if (ArrayBuffer.isView(v)) {
      const name = (v as unknown as { [Symbol.toStringTag]: string })[Symbol.toStringTag];
      const tags = TAG_OF[name];
      if (!tags) throw new TypeError(`saveObj cannot store a ${name}: store a typed array`);
      this.head(6, LITTLE_ENDIAN ? tags[0] : tags[1]);
      this.head(2, v.byteLength);
      this.raw(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    } else if (v instanceof Map) {
      this.head(6, 259);
      this.mapBody(v);
    } else if (v instanceof Set) {
      this.head(6, 258);
      this.head(4, v.size);
      for (const x of v) this.value(x);
    } else if (v instanceof Date) {
      this.head(6, 1);
      this.number(v.getTime() / 1000); // whole seconds as an integer, else a float
    } else if (v instanceof RegExp) {
      this.head(6, 27);
      this.head(4, 3);
      this.text("RegExp");
      this.text(v.source);
      this.text(v.flags);
    } else if (v instanceof Error) {
      this.head(6, 27);
      this.head(4, 2);
      this.text(String(v.name));
      this.text(String(v.message));
    } else if (
      v instanceof ArrayBuffer || Object.prototype.toString.call(v) === "[object SharedArrayBuffer]"
    ) {
      const bytes = new Uint8Array(v as ArrayBuffer);
      this.head(2, bytes.length);
      this.raw(bytes);
    } else {
      const keys = Object.keys(v);
      this.head(5, keys.length);
      for (const k of keys) {
        this.text(k);
        this.value((v as Record<string, unknown>)[k]);
      }
    }
  }

  share(v: object): void {
    this.ids.set(v, this.ids.size);
    this.head(6, 28);
  }

  mapBody(v: Map<unknown, unknown>): void {
    this.head(5, v.size);
    for (const [k, x] of v) {
      this.value(k);
      this.value(x);
    }
  }
}

/**
 * Encodes a value as CBOR bytes (the format and what is kept are in the module documentation).
 * Throws a `TypeError` naming the place of a function, symbol or other value that is not data.
 *
 * @example
 * ```ts
 * import { decodeObject, encodeObject } from "@sweepstore/sweepstore/objects";
 * const value = { ids: new Map([[1, "a"]]), tags: new Set(["x"]), when: new Date(0), n: 2n ** 80n };
 * const bytes = encodeObject(value);
 * console.log(decodeObject(bytes)); // the same structure back
 * ```
 */
export function encodeObject(value: unknown): Uint8Array {
  try {
    const { shared, binaryBytes } = analyze(value);
    const w = new Writer(binaryBytes + 256, shared);
    w.value(value);
    const spare = w.buf.length - w.pos;
    return spare > 65536 && spare > w.pos / 8 ? w.buf.slice(0, w.pos) : w.buf.subarray(0, w.pos);
  } catch (err) {
    if (isStackOverflow(err)) {
      throw new TypeError(
        "saveObj cannot store the value: it is nested too deeply for the call stack (thousands of " +
          "levels); flatten it, e.g. store a linked list as an array",
        { cause: err },
      );
    }
    throw err;
  }
}
