/**
 * Writing the group index (internal): a temporary file made before the stat pass (its mtime is the file
 * system's clock for the racy check), the columns streamed into it, the header last, then a rename.
 *
 * @module
 */

import { dirname } from "node:path";
import { TEMP_PREFIX } from "../formats/atomic.ts";
import type { RunTable } from "./_index_table.ts";
import { checksum, FORMAT, granted, headerLine, type Stamp, VERSION } from "./_index_format.ts";

const encoder = new TextEncoder();

/** What a new index records besides the table: each row's stamp, the group folder's, the extra folders. */
export interface IndexStamps {
  /** Per row of the table: its `config.ini` stamp. */
  stamps: readonly Stamp[];
  /** The rows whose stamp is not to be trusted (too recent). */
  untrusted: readonly number[];
  /** The group folder's stamp, or `null`. */
  group: Stamp | null;
  /** Listed folders that have no row. */
  extra: readonly string[];
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
    try {
      // One line at a time: a big group's index is tens of MB, which should not exist twice in memory.
      const f = Deno.openSync(this.#tmp, { write: true, truncate: true });
      try {
        const write = (bytes: Uint8Array) => {
          for (let off = 0; off < bytes.length;) off += f.writeSync(bytes.subarray(off));
        };
        const put = (text: string): [number, string] => {
          const bytes = encoder.encode(`${text}\n`);
          write(bytes);
          const line = bytes.subarray(0, bytes.length - 1);
          return [line.length, checksum(line)];
        };
        const columns = table.columnList().map((
          [s, k, cells],
        ) => [s, k, ...put(JSON.stringify(cells))]);
        const flat = new Array<number>(4 * stamps.stamps.length);
        stamps.stamps.forEach((s, row) => {
          for (let j = 0; j < 4; j++) flat[4 * row + j] = s[j];
        });
        write(headerLine({
          format: FORMAT,
          version: VERSION,
          names: table.names,
          stamps: flat,
          untrusted: stamps.untrusted,
          group: stamps.group,
          extra: stamps.extra,
          shapes: table.shapes,
          shapeIds: table.shapeIds,
          columns,
        }));
        write(new Uint8Array([10]));
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
