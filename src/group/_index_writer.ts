/**
 * Writing the group index (internal): a temporary file made before the stat pass (its mtime is the file
 * system's clock for the racy check), the columns streamed into it, the header last, then a rename.
 *
 * @module
 */

import { dirname } from "node:path";
import { TEMP_PREFIX } from "../formats/atomic.ts";
import type { IndexHead } from "./_index_file.ts";
import type { RunTable } from "./_index_table.ts";
import { Column } from "./_column.ts";
import { Checksum, FORMAT, granted, PREFIX, type Stamp, VERSION } from "./_index_format.ts";

const encoder = new TextEncoder();

/** What a new index records besides the table: each row's stamp, the group folder's, the extra folders. */
export interface IndexStamps {
  /** Per row of the table: its `config.ini` stamp, flat (`ino, size, mtimeMs, ctimeMs` of row `i` at `4 i`). */
  stamps: ArrayLike<number>;
  /** The rows whose stamp is not to be trusted (too recent). */
  untrusted: readonly number[];
  /** The group folder's stamp, or `null`. */
  group: Stamp | null;
  /** Listed folders that have no row. */
  extra: readonly string[];
}

/** Values per piece of a line: a column's cells, a long array of the header. */
const PIECE = 1024;

/** Bytes gathered before a write: one buffer for every line (no line's bytes whole in memory). */
const WRITE_BYTES = 1 << 18;

/**
 * `JSON.stringify(values)` as pieces of {@linkcode PIECE} values (the same text once joined): no text of a
 * 100,000-value array made whole. `values` may be a typed array (the stamps) or a run table's column.
 */
function* arrayPieces(values: ArrayLike<unknown> | Column): Generator<string> {
  if (values.length === 0) return yield "[]";
  const slice = values instanceof Column
    ? (start: number, end: number) => values.slice(start, end)
    : (start: number, end: number) => Array.prototype.slice.call(values, start, end);
  for (let start = 0; start < values.length; start += PIECE) {
    const end = Math.min(values.length, start + PIECE);
    const text = JSON.stringify(slice(start, end)); // "[a,b]"
    yield `${start ? "," : "["}${text.slice(1, -1)}${end === values.length ? "]" : ""}`;
  }
}

/** `JSON.stringify(head)` as pieces (the same text once joined): its long arrays piece by piece. */
function* headPieces(head: Record<string, unknown>): Generator<string> {
  let sep = "{";
  for (const [key, value] of Object.entries(head)) {
    yield `${sep}${JSON.stringify(key)}:`;
    sep = ",";
    const long = ArrayBuffer.isView(value) || // (a typed array's JSON is an object)
      (Array.isArray(value) && value.length > PIECE);
    if (long) yield* arrayPieces(value as ArrayLike<unknown>);
    else yield JSON.stringify(value);
  }
  yield "}";
}

/**
 * Writes lines made of text pieces, encoded into one reused buffer; returns each line's UTF-8 length
 * (without its newline) and its checksum, computed as the bytes pass. A column line made whole and then
 * its bytes, and the header likewise (its stamps as a JS array first), held up to ~30 MB at the end of a
 * 100,000-run load.
 */
class LineWriter {
  readonly #buf = new Uint8Array(WRITE_BYTES);
  #at = 0;
  #sum = new Checksum();
  #length = 0;

  constructor(readonly write: (bytes: Uint8Array) => void) {}

  /** Writes one line of `pieces`, then a newline; returns its length and checksum (without the newline). */
  line(pieces: Iterable<string>): [number, string] {
    this.#sum = new Checksum();
    this.#length = 0;
    for (const piece of pieces) this.#put(piece);
    if (this.#at === WRITE_BYTES) this.flush();
    this.#buf[this.#at++] = 10;
    return [this.#length, this.#sum.digest()];
  }

  #put(text: string): void {
    if (this.#at + 3 * text.length > WRITE_BYTES) this.flush();
    if (3 * text.length > WRITE_BYTES) { // a huge piece (a long value)
      const bytes = encoder.encode(text);
      this.#sum.update(bytes);
      this.#length += bytes.length;
      return this.write(bytes);
    }
    const { written } = encoder.encodeInto(text, this.#buf.subarray(this.#at));
    this.#sum.update(this.#buf.subarray(this.#at, this.#at + written));
    this.#length += written;
    this.#at += written;
  }

  /** Writes what the buffer holds. */
  flush(): void {
    if (this.#at) this.write(this.#buf.subarray(0, this.#at));
    this.#at = 0;
  }
}

/**
 * The header line's bytes, `{"check":"<checksum of the JSON>","head":<JSON>}`, without the newline: what
 * {@linkcode writeHeader} writes, made whole (for tests that build an index by hand).
 */
export function headerLine(head: Record<string, unknown>): Uint8Array {
  const parts: Uint8Array[] = [];
  writeHeader(new LineWriter((bytes) => parts.push(bytes.slice())), head);
  const line = new Uint8Array(parts.reduce((n, p) => n + p.length, 0) - 1); // without the newline
  let at = 0;
  for (const p of parts) {
    line.set(p.subarray(0, Math.min(p.length, line.length - at)), at);
    at += p.length;
  }
  return line;
}

/**
 * Writes the header line, `{"check":"<checksum of the JSON>","head":<JSON>}`, streamed: the JSON's pieces are made twice, once for the checksum that comes first, once to write.
 */
function writeHeader(out: LineWriter, head: Record<string, unknown>): void {
  const [, check] = new LineWriter(() => {}).line(headPieces(head));
  const pieces = headPieces(head);
  out.line((function* () {
    yield `${PREFIX}${check}","head":`;
    yield* pieces;
    yield "}";
  })());
  out.flush();
}

/** A temporary index file untouched this long was left by a writer that died (a load takes seconds). */
export const STALE_TEMP_MS = 3_600_000;

/**
 * Removes the temporary index files that writers killed mid-way left in `dir` (Ctrl-C during a load): each
 * is as big as an index; untouched for {@linkcode STALE_TEMP_MS} by the file system's clock `now`.
 */
function removeStaleTemps(dir: string, own: string, now: number): void {
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (!e.isFile || !e.name.startsWith(TEMP_PREFIX) || !e.name.endsWith("-index")) continue;
      const path = `${dir}/${e.name}`;
      if (path === own) continue;
      try {
        const mtime = Deno.statSync(path).mtime?.getTime();
        if (mtime !== undefined && now - mtime > STALE_TEMP_MS) Deno.removeSync(path);
      } catch { /* removed by another writer meanwhile */ }
    }
  } catch { /* not listable: leave them */ }
}

/**
 * A new index being written: its temporary file is created before the stat pass, so that its mtime gives
 * the file system's clock at that moment ({@linkcode IndexWriter.fsNow}).
 */
export class IndexWriter {
  readonly #file: string;
  readonly #tmp: string;
  /** The file system's clock (ms) when the writer was opened. */
  readonly fsNow: number;

  private constructor(file: string, tmp: string, fsNow: number) {
    this.#file = file;
    this.#tmp = tmp;
    this.fsNow = fsNow;
  }

  /** Opens a writer, or returns `undefined` where the bookkeeping folder cannot be written. */
  static open(file: string): IndexWriter | undefined {
    if (!granted("write", dirname(file))) return undefined; // never a permission prompt for an index
    const rand = crypto.getRandomValues(new Uint32Array(2));
    const tmp = `${dirname(file)}/${TEMP_PREFIX}${rand[0].toString(36)}${
      rand[1].toString(36)
    }-index`;
    try {
      Deno.mkdirSync(dirname(file), { recursive: true });
      const f = Deno.openSync(tmp, { write: true, createNew: true, mode: 0o644 });
      try {
        const mtime = f.statSync().mtime?.getTime();
        if (mtime === undefined) throw new Error("no mtime");
        removeStaleTemps(dirname(file), tmp, mtime);
        return new IndexWriter(file, tmp, mtime);
      } finally {
        f.close();
      }
    } catch {
      try {
        Deno.removeSync(tmp);
      } catch { /* not created */ }
      return undefined;
    }
  }

  /** Writes the index and renames it into place; any failure leaves the old index (and no temp file). */
  commit(table: RunTable, stamps: IndexStamps): boolean {
    // A piece at a time: a big group's index is tens of MB, and each column's text (MBs, in V8's
    // large-object space until the next full GC) made whole raised a load's peak by ~25 MB.
    return this.#write((write) => {
      const out = new LineWriter(write);
      const columns = table.columnList().map((
        [s, k, cells],
      ) => [s, k, ...out.line(arrayPieces(cells))]);
      writeHeader(out, {
        format: FORMAT,
        version: VERSION,
        names: table.names,
        stamps: stamps.stamps,
        untrusted: stamps.untrusted,
        group: stamps.group,
        extra: stamps.extra,
        shapes: table.shapes,
        shapeIds: table.shapeIds,
        columns,
      });
    });
  }

  /**
   * Writes an index with `old`'s column lines (copied by `copy`, unparsed) under a header that differs from
   * `old`'s only in the group folder's stamp; renames it into place like {@linkcode IndexWriter.commit}.
   */
  commitHeader(
    old: IndexHead,
    group: Stamp | null,
    copy: (write: (bytes: Uint8Array) => void) => void,
  ): boolean {
    return this.#write((write) => {
      copy(write);
      const untrusted: number[] = [];
      old.trusted.forEach((t, row) => t || untrusted.push(row));
      const { names, stamps, extra, shapes, shapeIds, offsets } = old;
      const columns = old.columns.map((
        [s, k],
        i,
      ) => [s, k, offsets[i + 1] - offsets[i] - 1, old.checks[i]]);
      const head = { names, stamps, untrusted, group, extra, shapes, shapeIds, columns };
      writeHeader(new LineWriter(write), { format: FORMAT, version: VERSION, ...head });
    });
  }

  /** Writes the temporary file through `body` and renames it into place; `false` (and no file) on failure. */
  #write(body: (write: (bytes: Uint8Array) => void) => void): boolean {
    try {
      const f = Deno.openSync(this.#tmp, { write: true, truncate: true });
      try {
        body((bytes) => {
          for (let off = 0; off < bytes.length;) off += f.writeSync(bytes.subarray(off));
        });
      } finally {
        f.close();
      }
      Deno.renameSync(this.#tmp, this.#file);
      return true;
    } catch {
      this.abort();
      return false;
    }
  }

  /** Removes the temporary file (nothing to write). */
  abort(): void {
    try {
      Deno.removeSync(this.#tmp);
    } catch { /* already gone */ }
  }
}
