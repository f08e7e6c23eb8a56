/**
 * Writing the group index (internal): a temporary file made before the stat pass (its mtime is the file
 * system's clock for the racy check), the columns streamed into it, the header last, then a rename.
 *
 * @module
 */

import { dirname } from "node:path";
import { TEMP_PREFIX } from "../formats/atomic.ts";
import type { IndexHead } from "./_index_file.ts";
import type { Cell, RunTable } from "./_index_table.ts";
import { checksum, FORMAT, granted, headerLine, type Stamp, VERSION } from "./_index_format.ts";

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

/** Cells per piece of a column line. */
const PIECE_CELLS = 1024;

/**
 * Writes one column line (`JSON.stringify(cells)` and a newline, byte for byte), made a piece of cells at a
 * time (no column text as one string); returns the line's UTF-8 length without the newline and its
 * checksum (the reader checks it when the column is first used).
 */
function writeColumn(
  cells: readonly Cell[],
  write: (bytes: Uint8Array) => void,
): [number, string] {
  const pieces: Uint8Array[] = [];
  let length = 0;
  const put = (text: string) => {
    const bytes = encoder.encode(text);
    pieces.push(bytes);
    length += bytes.length;
  };
  if (cells.length === 0) put("[]");
  for (let start = 0; start < cells.length; start += PIECE_CELLS) {
    const end = Math.min(cells.length, start + PIECE_CELLS);
    const text = JSON.stringify(cells.slice(start, end)); // "[a,b]": its brackets become the line's
    put(`${start ? "," : "["}${text.slice(1, -1)}${end === cells.length ? "]" : ""}`);
  }
  const line = new Uint8Array(length + 1); // one column's bytes at a time, outside the JS heap
  let at = 0;
  for (const p of pieces) {
    line.set(p, at);
    at += p.length;
  }
  line[length] = 10;
  write(line);
  return [length, checksum(line.subarray(0, length))];
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
      const columns = table.columnList().map((
        [s, k, cells],
      ) => [s, k, ...writeColumn(cells, write)]);
      write(headerLine({
        format: FORMAT,
        version: VERSION,
        names: table.names,
        stamps: Array.from(stamps.stamps),
        untrusted: stamps.untrusted,
        group: stamps.group,
        extra: stamps.extra,
        shapes: table.shapes,
        shapeIds: table.shapeIds,
        columns,
      }));
      write(new Uint8Array([10]));
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
      write(headerLine({ format: FORMAT, version: VERSION, ...head }));
      write(new Uint8Array([10]));
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
