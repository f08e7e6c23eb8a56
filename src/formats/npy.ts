/**
 * The `.npy` codec: numpy's array file format, written byte for byte as `numpy.save` writes it (format 1.0,
 * or 2.0 for headers over 64 KiB; header padded so the data starts at a multiple of 64 bytes, with numpy's
 * spare room for growing the first axis) and read from any numpy file of a supported dtype: little- or
 * big-endian, C or Fortran order, format 1.0, 2.0 or 3.0.
 *
 * Supported dtypes: bool, int8–int64, uint8–uint64 (64-bit as BigInt arrays), float16 (as `Float16Array`
 * where the runtime has it, else read as `Float32Array`), float32, float64. Others (complex, strings,
 * objects, structured, datetime) are refused with an error that names the file and the dtype.
 *
 * @module
 */

import { atomicWrite } from "./atomic.ts";
import { StorageError } from "../errors.ts";
import {
  type ArrayInput,
  type DType,
  itemSize,
  type NdArray,
  toNdArray,
  type TypedArray,
  typedArrayConstructor,
} from "./ndarray.ts";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HAS_FLOAT16 = typeof Float16Array !== "undefined";
/** What `readNpy` reads first: the header and, for small files, all the data with it (one read call). */
const HEAD_CHUNK = 64 * 1024;
/** From this many bytes of data on, `readNpy` reads parts of the file on several threads at once. */
const PARALLEL_MIN = 16 * 1024 * 1024;
/** At most this many threads read one file. */
const MAX_PARTS = 4;

const DESCR: Record<DType, string> = {
  bool: "|b1",
  int8: "|i1",
  uint8: "|u1",
  int16: "<i2",
  uint16: "<u2",
  float16: "<f2",
  int32: "<i4",
  uint32: "<u4",
  float32: "<f4",
  int64: "<i8",
  uint64: "<u8",
  float64: "<f8",
};

const KIND: Record<string, DType> = {
  b1: "bool",
  i1: "int8",
  u1: "uint8",
  i2: "int16",
  u2: "uint16",
  f2: "float16",
  i4: "int32",
  u4: "uint32",
  f4: "float32",
  i8: "int64",
  u8: "uint64",
  f8: "float64",
};

/** What the numpy type codes we refuse hold, for error messages. */
const REFUSED_KIND: Record<string, string> = {
  c: "complex numbers",
  U: "unicode strings",
  S: "byte strings",
  a: "byte strings",
  O: "Python objects",
  M: "datetime64",
  m: "timedelta64",
  V: "raw or structured records",
  f: "floats of a size JavaScript has no typed array for",
  i: "integers of a size JavaScript has no typed array for",
  u: "integers of a size JavaScript has no typed array for",
};

const LATIN1 = new TextDecoder("latin1");
const UTF8 = new TextDecoder("utf-8");

const SUPPORTED = "bool, int8–int64, uint8–uint64 and float16–float64";

function pyTuple(shape: readonly number[]): string {
  if (shape.length === 0) return "()";
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(", ")})`;
}

/**
 * The `.npy` header of an array, exactly as `numpy.save` writes it: magic string, version, header length,
 * the dict `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`, spaces and a newline, so that
 * the data starts at a multiple of 64 bytes.
 *
 * @example
 * ```ts
 * import { encodeNpyHeader } from "@sweepstore/sweepstore";
 * const header = encodeNpyHeader({ data: new Float64Array(12), shape: [3, 4], dtype: "float64" });
 * console.log(header.length); // 128
 * ```
 */
export function encodeNpyHeader(array: NdArray): Uint8Array {
  const { shape, dtype } = array;
  let dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${pyTuple(shape)}, }`;
  // numpy leaves room to rewrite the first axis in place with up to 21 digits.
  if (shape.length > 0) dict += " ".repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  const hlen = dict.length + 1; // + the final newline
  let version = 1;
  let prefix = 10;
  let padlen = ALIGN - ((prefix + hlen) % ALIGN);
  if (hlen + padlen > 0xffff) {
    version = 2;
    prefix = 12;
    padlen = ALIGN - ((prefix + hlen) % ALIGN);
  }
  const total = prefix + hlen + padlen;
  const out = new Uint8Array(total);
  out.set(MAGIC);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, hlen + padlen, true);
  else view.setUint32(8, hlen + padlen, true);
  for (let i = 0; i < dict.length; i++) out[prefix + i] = dict.charCodeAt(i); // ASCII only
  out.fill(0x20, prefix + dict.length, total - 1);
  out[total - 1] = 0x0a;
  return out;
}

function bytesOf(data: TypedArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

const bswap32 = (x: number): number =>
  ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);

/** Reverses the bytes of each `size`-byte element in place; `bytes` must be aligned to `size`. */
function swapInPlace(bytes: Uint8Array, size: number): void {
  if (size === 2) {
    const u = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
    for (let i = 0; i < u.length; i++) {
      const x = u[i];
      u[i] = (x >>> 8) | ((x & 0xff) << 8);
    }
    return;
  }
  const u = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  if (size === 4) {
    for (let i = 0; i < u.length; i++) u[i] = bswap32(u[i]);
    return;
  }
  for (let i = 0; i < u.length; i += 2) {
    const lo = u[i];
    u[i] = bswap32(u[i + 1]);
    u[i + 1] = bswap32(lo);
  }
}

/** Bool data as numpy writes it: 0 and 1 only (a copy only when some byte is another value). */
function canonicalBools(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] > 1) return bytes.map((b) => (b ? 1 : 0));
  }
  return bytes;
}

/**
 * An array as `.npy` bytes: the header and the data, as chunks. The data chunk is a view of the array's
 * memory, not a copy (on big-endian machines it is a byte-swapped copy; bool bytes other than 0/1 are
 * copied as 1). Accepts an NdArray, `{ data, shape }`, a typed array or a nested array.
 *
 * @example
 * ```ts
 * import { encodeNpy } from "@sweepstore/sweepstore";
 * const [header, data] = encodeNpy({ data: new Int32Array([1, 2, 3, 4]), shape: [2, 2] });
 * console.log(header.length + data.length); // 144
 * ```
 */
export function encodeNpy(input: ArrayInput): Uint8Array[] {
  const array = toNdArray(input);
  const header = encodeNpyHeader(array);
  const size = itemSize(array.dtype);
  let data = bytesOf(array.data);
  if (array.dtype === "bool") data = canonicalBools(data);
  else if (!LITTLE_ENDIAN && size > 1) {
    data = data.slice();
    swapInPlace(data, size);
  }
  return [header, data];
}

function label(source: string | undefined): string {
  return source ?? "<.npy bytes>";
}

function corrupt(source: string | undefined, what: string): StorageError {
  return new StorageError(
    `${label(source)} is not a valid .npy file: ${what}. Write it again (np.save or saveNp)`,
    { path: source },
  );
}

function truncated(source: string | undefined, have: number, need: number, what: string) {
  return corrupt(
    source,
    `${what} is truncated: the file has ${have} bytes where ${need} are needed`,
  );
}

// ---------------------------------------------------------------------------------------------------
// The header dict: a Python literal, read with a small parser of the subset numpy writes (no eval).

type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

class LiteralParser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new SyntaxError(`${what} at character ${this.pos}`);
  }

  skip(): void {
    const t = this.text;
    while (this.pos < t.length && " \t\r\n".includes(t[this.pos])) this.pos++;
  }

  value(): PyValue {
    this.skip();
    const t = this.text;
    const c = t[this.pos];
    if (c === "{") return this.dict();
    if (c === "(" || c === "[") return this.sequence(c === "(" ? ")" : "]");
    if (c === "'" || c === '"') return this.string();
    const m = /^(?:[-+]?\d+[lL]?|[A-Za-z_]\w*)/.exec(t.slice(this.pos, this.pos + 40));
    if (!m) this.fail(c === undefined ? "unexpected end" : `unexpected ${JSON.stringify(c)}`);
    this.pos += m[0].length;
    const word = m[0];
    if (word === "True") return true;
    if (word === "False") return false;
    if (word === "None") return null;
    if (/^[-+]?\d/.test(word)) return Number(word.replace(/[lL]$/, "")); // Python 2 wrote longs as 3L
    this.pos -= word.length;
    return this.fail(`unexpected name ${word}`);
  }

  string(): string {
    const t = this.text;
    const quote = t[this.pos++];
    let out = "";
    while (this.pos < t.length && t[this.pos] !== quote) {
      if (t[this.pos] === "\\") this.pos++; // an escaped character stands for itself (enough for dtypes)
      out += t[this.pos++];
    }
    if (this.pos >= t.length) this.fail("unterminated string");
    this.pos++;
    return out;
  }

  sequence(close: string): PyValue[] {
    this.pos++;
    const items: PyValue[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.pos] === close) break;
      items.push(this.value());
      this.skip();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== close) this.fail(`expected , or ${close}`);
    }
    this.pos++;
    return items;
  }

  dict(): { [key: string]: PyValue } {
    this.pos++;
    const out: { [key: string]: PyValue } = {};
    for (;;) {
      this.skip();
      if (this.text[this.pos] === "}") break;
      const key = this.value();
      if (typeof key !== "string") this.fail("dict keys must be strings");
      this.skip();
      if (this.text[this.pos++] !== ":") this.fail("expected :");
      out[key] = this.value();
      this.skip();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== "}") this.fail("expected , or }");
    }
    this.pos++;
    return out;
  }
}

interface NpyHeader {
  dtype: DType;
  /** Whether the file's byte order differs from this machine's. */
  swap: boolean;
  fortran: boolean;
  shape: number[];
  count: number;
  dataOffset: number;
}

/** Checks the magic string and version; returns where the header text starts and ends. */
function readPrefix(
  bytes: Uint8Array,
  source: string | undefined,
): { major: number; start: number; end: number } {
  const n = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== MAGIC[i]) {
      throw corrupt(source, "it does not start with the magic string \\x93NUMPY");
    }
  }
  if (bytes.length === 0) throw corrupt(source, "the file is empty");
  if (bytes.length < 10) throw truncated(source, bytes.length, 10, "the header");
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major === 1) return { major, start: 10, end: 10 + view.getUint16(8, true) };
  if (major === 2 || major === 3) {
    if (bytes.length < 12) throw truncated(source, bytes.length, 12, "the header");
    return { major, start: 12, end: 12 + view.getUint32(8, true) };
  }
  throw corrupt(source, `format version ${major}.${bytes[7]} is not known (1.0, 2.0 and 3.0 are)`);
}

function unsupported(source: string | undefined, what: string, hint: string): StorageError {
  return new StorageError(
    `${
      label(source)
    } holds ${what}, which sweepstore does not read: supported are ${SUPPORTED}; ${hint}`,
    { path: source },
  );
}

/** Parses the header at the start of `bytes` (which must hold all of it). */
function parseHeader(bytes: Uint8Array, source: string | undefined): NpyHeader {
  const { major, start, end } = readPrefix(bytes, source);
  if (end > bytes.length) throw truncated(source, bytes.length, end, "the header");
  const text = (major === 3 ? UTF8 : LATIN1).decode(bytes.subarray(start, end));
  let dict: PyValue;
  try {
    const parser = new LiteralParser(text);
    dict = parser.value();
    parser.skip();
    if (parser.pos !== text.length) parser.fail("unexpected text after the dict");
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw corrupt(
      source,
      `the header is not a Python dict literal (${err.message}): ${
        JSON.stringify(text.trim().slice(0, 120))
      }`,
    );
  }
  if (!dict || typeof dict !== "object" || Array.isArray(dict)) {
    throw corrupt(source, `the header is not a Python dict: ${JSON.stringify(text.trim())}`);
  }
  const { descr, fortran_order: fortran, shape } = dict;
  if (Array.isArray(descr)) {
    throw unsupported(
      source,
      `a structured dtype ${JSON.stringify(descr)}`,
      "save each field as its own array",
    );
  }
  if (typeof descr !== "string") {
    throw corrupt(source, `the header has no 'descr' string: ${text.trim()}`);
  }
  const m = /^([<>|=]?)([A-Za-z?])(\d*)(.*)$/.exec(descr);
  const dtype = m && !m[4] ? KIND[m[2] + m[3]] : undefined;
  if (!m || !dtype) {
    const kind = m ? REFUSED_KIND[m[2]] : undefined;
    throw unsupported(
      source,
      `dtype '${descr}'${kind ? ` (${kind})` : ""}`,
      "convert it in numpy before saving (e.g. a.astype(np.float64))",
    );
  }
  if (typeof fortran !== "boolean") {
    throw corrupt(source, `the header has no True/False 'fortran_order': ${text.trim()}`);
  }
  if (
    !Array.isArray(shape) ||
    !shape.every((d) => typeof d === "number" && Number.isSafeInteger(d) && d >= 0)
  ) {
    throw corrupt(source, `the header has no valid 'shape' tuple: ${text.trim()}`);
  }
  const dims = shape as number[];
  const count = dims.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count * 8)) {
    throw corrupt(source, `the shape ${pyTuple(dims)} is too large`);
  }
  const order = m[1];
  const bigEndian = order === ">" || ((order === "=" || order === "") && !LITTLE_ENDIAN);
  return {
    dtype,
    swap: itemSize(dtype) > 1 && bigEndian === LITTLE_ENDIAN,
    fortran,
    shape: dims,
    count,
    dataOffset: end,
  };
}

/** Reads float16 bits as float32 values, for runtimes without Float16Array. */
function halfToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    out[i] = exp === 0
      ? sign * 2 ** -14 * (frac / 1024)
      : exp === 31
      ? (frac ? NaN : sign * Infinity)
      : sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return out;
}

/**
 * Reorders Fortran-ordered (column-major) elements into row-major order. The first axis is contiguous in
 * the source and the last in the result, so the copy walks tiles of those two axes (cache-friendly) for
 * each index of the axes between them.
 */
function fortranToC<T extends TypedArray>(data: T, shape: readonly number[]): T {
  const n = shape.length;
  if (n < 2 || data.length === 0) return data;
  const out = new (data.constructor as new (length: number) => T)(data.length);
  const src = new Array<number>(n); // column-major strides
  const dst = new Array<number>(n); // row-major strides
  src[0] = 1;
  for (let k = 1; k < n; k++) src[k] = src[k - 1] * shape[k - 1];
  dst[n - 1] = 1;
  for (let k = n - 2; k >= 0; k--) dst[k] = dst[k + 1] * shape[k + 1];
  const first = shape[0], last = shape[n - 1], lastSrc = src[n - 1], firstDst = dst[0];
  const TILE = 32;
  // deno-lint-ignore no-explicit-any
  const o = out as any, d = data as any;
  const mid = new Array<number>(n).fill(0); // the index of axes 1 … n-2
  let srcMid = 0, dstMid = 0;
  for (;;) {
    for (let i0 = 0; i0 < first; i0 += TILE) {
      const i1 = Math.min(first, i0 + TILE);
      for (let j0 = 0; j0 < last; j0 += TILE) {
        const j1 = Math.min(last, j0 + TILE);
        for (let i = i0; i < i1; i++) {
          let s = srcMid + i + j0 * lastSrc;
          let t = dstMid + i * firstDst + j0;
          for (let j = j0; j < j1; j++, s += lastSrc) o[t++] = d[s];
        }
      }
    }
    let k = n - 2;
    for (; k >= 1; k--) {
      mid[k]++;
      srcMid += src[k];
      dstMid += dst[k];
      if (mid[k] < shape[k]) break;
      srcMid -= src[k] * shape[k];
      dstMid -= dst[k] * shape[k];
      mid[k] = 0;
    }
    if (k < 1) break;
  }
  return out;
}

/**
 * Turns the data bytes (file byte order, file axis order) into the NdArray. With `owned`, the bytes are
 * ours (a fresh buffer at offset 0): swapped in place and kept; otherwise they are viewed when aligned and
 * in native order, else copied.
 */
function finish(raw: Uint8Array, header: NpyHeader, owned: boolean): NdArray {
  const size = itemSize(header.dtype);
  if (!owned && (header.swap || raw.byteOffset % size !== 0)) raw = raw.slice();
  if (header.swap) swapInPlace(raw, size);
  let dtype = header.dtype;
  let data: TypedArray;
  if (dtype === "float16" && !HAS_FLOAT16) {
    data = halfToFloat32(new Uint16Array(raw.buffer, raw.byteOffset, header.count));
    dtype = "float32";
  } else {
    data = new (typedArrayConstructor(dtype))(raw.buffer, raw.byteOffset, header.count);
  }
  if (header.fortran) data = fortranToC(data, header.shape);
  return { data, shape: header.shape, dtype };
}

/**
 * Reads `.npy` bytes into an NdArray in row-major (C) order with native byte order. When the data is
 * in native byte order, C-ordered and aligned, the result is a view of `bytes` (not a copy: its
 * `byteOffset` is the header's length). `source` (a file path) is named in errors, which are
 * `StorageError`s for corrupt or truncated bytes and unsupported dtypes.
 *
 * @example
 * ```ts
 * import { decodeNpy, encodeNpy } from "@sweepstore/sweepstore";
 * const chunks = encodeNpy([[1, 2], [3, 4]]);
 * const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
 * let at = 0;
 * for (const c of chunks) { bytes.set(c, at); at += c.length; }
 * console.log(decodeNpy(bytes)); // { data: Float64Array [1, 2, 3, 4], shape: [2, 2], dtype: "float64" }
 * ```
 */
export function decodeNpy(bytes: Uint8Array, source?: string): NdArray {
  const header = parseHeader(bytes, source);
  const end = header.dataOffset + header.count * itemSize(header.dtype);
  if (bytes.length < end) {
    throw truncated(source, bytes.length, end, `the data of shape ${pyTuple(header.shape)}`);
  }
  return finish(bytes.subarray(header.dataOffset, end), header, false);
}

/**
 * Writes an array to a `.npy` file crash-safely (a temporary file in the same folder, then a rename),
 * byte-identical to `numpy.save` of the same array. Accepts what {@linkcode encodeNpy} accepts.
 *
 * @example
 * ```ts
 * import { readNpy, writeNpy } from "@sweepstore/sweepstore";
 * const dir = await Deno.makeTempDir();
 * await writeNpy(`${dir}/a.npy`, { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
 * console.log((await readNpy(`${dir}/a.npy`)).shape); // [2, 3]
 * ```
 */
export async function writeNpy(path: string, input: ArrayInput): Promise<void> {
  await atomicWrite(path, encodeNpy(input));
}

function endedEarly(path: string, need: number): StorageError {
  return corrupt(path, `the file ended before byte ${need} (was it truncated while being read?)`);
}

/** Fills `buf` from the file's position; a file that ends first is truncated. */
function readExactSync(file: Deno.FsFile, buf: Uint8Array, path: string, fileEnd: number): void {
  let off = 0;
  while (off < buf.length) {
    const n = file.readSync(buf.subarray(off));
    if (n === null || n === 0) throw endedEarly(path, fileEnd);
    off += n;
  }
}

async function readExact(
  file: Deno.FsFile,
  buf: Uint8Array,
  path: string,
  fileEnd: number,
): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const n = await file.read(buf.subarray(off));
    if (n === null || n === 0) throw endedEarly(path, fileEnd);
    off += n;
  }
}

/** Opens `count` more handles on `path`, or none if the path no longer names the same file. */
function openSame(path: string, info: Deno.FileInfo, count: number): Deno.FsFile[] | null {
  const handles: Deno.FsFile[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const h = Deno.openSync(path, { read: true });
      handles.push(h);
      const other = h.statSync();
      // Files are replaced by rename, never changed in place: the same inode holds the same bytes.
      if (info.ino === null || other.ino !== info.ino || other.dev !== info.dev) {
        throw new Error("replaced");
      }
    }
    return handles;
  } catch {
    for (const h of handles) h.close();
    return null;
  }
}

/**
 * Reads `data.length` bytes from the file's current position (`pos`) into `data`. Large reads are split
 * over several handles: this thread reads the first part while Deno's I/O threads read the others, so
 * the page faults of the fresh buffer (most of the time of a big read) happen in parallel.
 */
async function readData(
  file: Deno.FsFile,
  info: Deno.FileInfo,
  path: string,
  data: Uint8Array,
  pos: number,
  fileEnd: number,
): Promise<void> {
  const cores = navigator.hardwareConcurrency ?? 1;
  const parts = data.length >= PARALLEL_MIN ? Math.min(MAX_PARTS, cores) : 1;
  const others = parts > 1 ? openSame(path, info, parts - 1) : null;
  if (!others) return readExactSync(file, data, path, fileEnd);
  const chunk = Math.ceil(data.length / parts / 4096) * 4096;
  const jobs = others.map(async (handle, k) => {
    const from = (k + 1) * chunk;
    const to = Math.min(data.length, from + chunk);
    if (from >= to) return;
    handle.seekSync(pos + from, Deno.SeekMode.Start);
    await readExact(handle, data.subarray(from, to), path, fileEnd);
  });
  let failure: unknown = undefined;
  try {
    readExactSync(file, data.subarray(0, Math.min(data.length, chunk)), path, fileEnd);
  } catch (err) {
    failure = err;
  }
  const results = await Promise.allSettled(jobs);
  for (const h of others) h.close();
  if (failure !== undefined) throw failure;
  for (const r of results) if (r.status === "rejected") throw r.reason;
}

/**
 * Reads a `.npy` file (any byte order, C or Fortran order, format 1.0/2.0/3.0) into an NdArray in
 * row-major order and native byte order. `data` has a buffer of its own that holds exactly the array
 * (`byteOffset` 0). A missing file throws `Deno.errors.NotFound`; a corrupt or truncated file or an
 * unsupported dtype a `StorageError` naming the file.
 *
 * @example
 * ```ts
 * import { readNpy, writeNpy } from "@sweepstore/sweepstore";
 * const dir = await Deno.makeTempDir();
 * await writeNpy(`${dir}/v.npy`, new Int16Array([1, -2, 3]));
 * const { data, dtype } = await readNpy(`${dir}/v.npy`);
 * console.log(data, dtype); // Int16Array(3) [1, -2, 3] "int16"
 * ```
 */
export async function readNpy(path: string): Promise<NdArray> {
  const file = await Deno.open(path, { read: true });
  try {
    // Synchronous reads: they skip the hand-off to Deno's thread pool, which costs more than it saves.
    const info = file.statSync();
    const size = info.size;
    let head = new Uint8Array(Math.min(size, HEAD_CHUNK));
    let got = 0;
    while (got < head.length) {
      const n = file.readSync(head.subarray(got));
      if (n === null || n === 0) break;
      got += n;
    }
    head = head.subarray(0, got);
    const { end: headerEnd } = readPrefix(head, path);
    if (headerEnd > head.length) {
      if (headerEnd > size) throw truncated(path, size, headerEnd, "the header");
      const whole = new Uint8Array(headerEnd);
      whole.set(head);
      readExactSync(file, whole.subarray(head.length), path, headerEnd);
      head = whole;
    }
    const header = parseHeader(head, path);
    const nbytes = header.count * itemSize(header.dtype);
    const end = header.dataOffset + nbytes;
    if (end > size) {
      throw truncated(path, size, end, `the data of shape ${pyTuple(header.shape)}`);
    }
    const data = new Uint8Array(nbytes);
    const inHead = Math.min(nbytes, head.length - header.dataOffset);
    data.set(head.subarray(header.dataOffset, header.dataOffset + inHead));
    if (inHead < nbytes) {
      await readData(file, info, path, data.subarray(inHead), head.length, end);
    }
    return finish(data, header, true);
  } finally {
    file.close();
  }
}
