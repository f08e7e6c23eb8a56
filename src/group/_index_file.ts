/**
 * The group index file (internal): `<group>/.sweepstore/group_index.jsonl` (`groupIndexFile()` in
 * `src/layout.ts`), a cache of every run's parsed `config.ini` with the `stat` stamp the file had when it
 * was read. The run folders stay the single source of truth; the index only saves reading files that have
 * not changed:
 *
 * - **An entry is used only when its run's `config.ini` has the stamp recorded with it**: inode, size,
 *   mtime (ms) and ctime (Deno gives whole seconds). Any write changes ctime (and a rename the inode), and
 *   ctime cannot be set back by `touch -d`, so a run changed by anyone — PymoNNto, configparser writing in
 *   place, an editor, another machine — no longer matches and is read again.
 * - **The group folder's own stamp** (recorded only when settled, see below) stands for its listing: a
 *   run folder made, removed or renamed by anyone changes the group folder's mtime and ctime (POSIX: every
 *   entry created, removed or renamed in a directory updates them), so while the stamp is unchanged the
 *   index's folder names (runs, and `extra`: folders that had no readable `config.ini`) are the listing, and
 *   the folder need not be read again. Every run's `config.ini` is still `stat`ed (a file rewritten in
 *   place does not touch its folders). Used on local disks only: elsewhere the folder is always listed.
 * - **Racy entries are not trusted** (git's "racy clean" problem): a file changed again within the same
 *   timestamp tick as the stat that recorded it would keep its stamp. So a stamp is stored as trusted
 *   only when the file's mtime and ctime lie at least {@linkcode RACY_MARGIN_MS} before the file system's
 *   own clock at the start of the stat pass (the mtime of the index's new temporary file, made just before:
 *   the server's clock on NFS, so clock skew between machines does not matter). Newer entries are read
 *   again at the next load (and then trusted).
 * - **Writes are temp file + rename**: readers see the old index or the new one, never a torn one, on one
 *   machine and across NFS clients (rename is atomic on the server); a reader reads both parts of the file
 *   through one open file, so a rename in between cannot mix two indexes. Two loads writing at once: the
 *   last rename wins, and either index is correct, since every entry is checked against its stamp anyway.
 *   No lock is needed for correctness; a lost update costs only re-reads.
 * - **A corrupt, foreign, old or unreadable index is ignored** (every run is read, and a new index
 *   written); one that cannot be written (read-only folder, full disk) is simply not written.
 *
 * Format 4 (JSON lines): first one line per column, a JSON array with one value text (or `null`) per run;
 * then a last line, the header `{"check": "<8 hex>", "head": {format, version, names, stamps, untrusted,
 * group, extra, shapes, shapeIds, columns}}`, `check` a checksum of the `head` text (`_index_format.ts`):
 * `stamps` flat (`ino, size, mtimeMs, ctimeMs` per run), `untrusted` the rows whose stamp is not to be
 * trusted, `group` the group folder's stamp or `null`, `columns` `[section, key, bytes, check]` with the
 * UTF-8 length and the checksum of each column line. The header is last so that the writer streams the
 * columns and still records their lengths and checksums; a reader reads the header from the file's end,
 * checks its checksum and that the lengths add up to the file, and reads the column lines with the same
 * open file; each column is checked when first used (its checksum, then a JSON array of one text or
 * `null` per run, a text wherever the run's keys say): one that fails (the file damaged inside a column
 * after it was written — even one flipped bit that leaves valid JSON of the same length, which format 2
 * took for the value) makes the group read every run folder again and removes the index file, so that the
 * next load writes a good one. Formats 1 (header first), 2 (no column checksums) and 3 (the length
 * first in the checksum) are ignored and rewritten.
 *
 * @module
 */

import { dirname } from "node:path";
import { type Cell, RunTable, type Shape } from "./_index_table.ts";
import {
  checksum,
  FORMAT,
  granted,
  HEAD_AT,
  PREFIX,
  RACY_MARGIN_MS,
  type Stamp,
  VERSION,
} from "./_index_format.ts";

export { RACY_MARGIN_MS };

/** Bytes per read when column lines are copied into a new index. */
const COPY_BYTES = 1 << 20;

/** The first read at the end of the file, looking for the header. */
const TAIL_BYTES = 1 << 20;

/** The header of an index: what a load checks before it uses any value. */
export interface IndexHead {
  /** The runs (rows), in natural folder order. */
  names: string[];
  /** Flat: `ino, size, mtimeMs, ctimeMs` of row `i` at `4 i`. */
  stamps: number[];
  /** Per row: 1 when its stamp may be trusted. */
  trusted: Uint8Array;
  /** The group folder's stamp, or `null` (not settled when written, or not a local disk). */
  group: Stamp | null;
  /** Listed folders without a run row (no `config.ini`, or it could not be read). */
  extra: string[];
  shapes: Shape[];
  shapeIds: number[];
  /** `[section, key]` of each column line. */
  columns: [string, string][];
  /** The checksum of each column line (without its newline). */
  checks: string[];
  /** Byte offset of each column line in the file; the last entry is the header's. */
  offsets: number[];
}

/** Whether row `row` of the index has a trusted stamp equal to `s[at … at + 3]`. */
export function rowMatches(head: IndexHead, row: number, s: ArrayLike<number>, at = 0): boolean {
  const r = 4 * row, st = head.stamps;
  return head.trusted[row] === 1 && st[r] === s[at] && st[r + 1] === s[at + 1] &&
    st[r + 2] === s[at + 2] && st[r + 3] === s[at + 3];
}

const isStr = (v: unknown) => typeof v === "string";
const isInt = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
const isStamp = (v: unknown) =>
  Array.isArray(v) && v.length === 4 && v.every((x) => Number.isFinite(x));

function isShape(v: unknown): v is Shape {
  return Array.isArray(v) &&
    v.every((s) =>
      Array.isArray(s) && s.length === 2 && isStr(s[0]) && Array.isArray(s[1]) && s[1].every(isStr)
    );
}

/** The header parsed and checked against the file's size; `undefined` when it is not a header of this format. */
function parseHead(line: Uint8Array, headerAt: number): IndexHead | undefined {
  if (line.length < HEAD_AT + 2 || line[line.length - 1] !== 0x7d) return;
  const prefix = decoder.decode(line.subarray(0, HEAD_AT));
  if (!prefix.startsWith(PREFIX) || !prefix.endsWith('","head":')) return;
  const json = line.subarray(HEAD_AT, line.length - 1);
  if (checksum(json) !== prefix.slice(PREFIX.length, PREFIX.length + 8)) return;
  const text = decoder.decode(json);
  const h = JSON.parse(text);
  if (h === null || typeof h !== "object" || h.format !== FORMAT || h.version !== VERSION) return;
  const { names, stamps, untrusted, group, extra, shapes, shapeIds, columns } = h;
  if (!Array.isArray(names) || !names.every(isStr)) return;
  const n = names.length;
  if (!Array.isArray(stamps) || stamps.length !== 4 * n || !stamps.every(Number.isFinite)) return;
  if (!Array.isArray(untrusted) || !untrusted.every((r) => isInt(r) && r < n)) return;
  if (group !== null && !isStamp(group)) return;
  if (!Array.isArray(extra) || !extra.every(isStr)) return;
  if (!Array.isArray(shapes) || !shapes.every(isShape)) return;
  if (!Array.isArray(shapeIds) || shapeIds.length !== n) return;
  if (!shapeIds.every((id) => isInt(id) && id < shapes.length)) return;
  if (!Array.isArray(columns)) return;
  const offsets = [0];
  const known = new Set<string>();
  for (const c of columns) {
    if (!Array.isArray(c) || c.length !== 4 || !isStr(c[0]) || !isStr(c[1]) || !isInt(c[2])) return;
    if (!isStr(c[3]) || !/^[0-9a-f]{8}$/.test(c[3])) return;
    known.add(`${c[0]}\u0000${c[1]}`);
    offsets.push(offsets[offsets.length - 1] + c[2] + 1);
  }
  if (offsets[offsets.length - 1] !== headerAt) return; // the lines do not add up to the file
  for (const shape of shapes as Shape[]) {
    for (const [s, keys] of shape) for (const k of keys) if (!known.has(`${s}\u0000${k}`)) return;
  }
  const trusted = new Uint8Array(n).fill(1);
  for (const r of untrusted) trusted[r] = 0;
  return {
    names,
    stamps,
    trusted,
    group,
    extra,
    shapes,
    shapeIds,
    columns: columns.map((c: [string, string]) => [c[0], c[1]]),
    checks: columns.map((c: [string, string, number, string]) => c[3]),
    offsets,
  };
}

function readAt(file: Deno.FsFile, at: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  file.seekSync(at, Deno.SeekMode.Start);
  for (let off = 0; off < length;) {
    const got = file.readSync(buf.subarray(off));
    if (got === null || got === 0) throw new Error("index file shorter than its header says");
    off += got;
  }
  return buf;
}

async function readAtAsync(file: Deno.FsFile, at: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  // The seek synchronous, so that the read starts in Deno's thread pool at once: the caller blocks its
  // thread next (a warm load's synchronous stats), and an awaited seek left the read until after them
  // (+60–80 ms for 50,000 runs: the columns read and their pages faulted in after the stats, not beside).
  // The read runs on another thread with the file's own position: a seekSync of the same file before it
  // ends (readAt) would move it (Deno does not refuse sync calls on a file an async read holds), so no
  // other read of an IndexFile may start before this one is settled (see IndexFile.columns).
  file.seekSync(at, Deno.SeekMode.Start);
  for (let off = 0; off < length;) {
    const got = await file.read(buf.subarray(off));
    if (got === null || got === 0) throw new Error("index file shorter than its header says");
    off += got;
  }
  return buf;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The header of an open index file (read from its end), or `undefined`. */
function readHead(file: Deno.FsFile): IndexHead | undefined {
  const size = file.statSync().size;
  if (size < 2) return undefined;
  for (let tail = Math.min(size, TAIL_BYTES);; tail = Math.min(size, tail * 4)) {
    const bytes = readAt(file, size - tail, tail);
    if (bytes[tail - 1] !== 10) return undefined; // every line ends with a newline
    const nl = bytes.lastIndexOf(10, tail - 2);
    if (nl >= 0 || tail === size) {
      const headerAt = size - tail + nl + 1;
      return parseHead(bytes.subarray(nl + 1, tail - 1), headerAt);
    }
  }
}

/**
 * An index file opened for reading: its header, and its column lines read through the same open file
 * (close it with {@linkcode IndexFile.close}).
 */
export class IndexFile {
  /** The header. */
  readonly head: IndexHead;
  /** The path it was opened from. */
  readonly path: string;
  #file: Deno.FsFile;
  #ino: number | null;

  private constructor(path: string, file: Deno.FsFile, head: IndexHead, ino: number | null) {
    this.path = path;
    this.#file = file;
    this.head = head;
    this.#ino = ino;
  }

  /**
   * Removes the index file when a column turned out damaged (found only when first parsed, after the
   * load): the next load then reads every run and writes a good index, instead of finding the damage again
   * at every load. Left alone when it was replaced since (another load wrote a new one) or without write
   * permission.
   */
  discard(): void {
    if (!granted("write", dirname(this.path))) return;
    try {
      if (Deno.statSync(this.path).ino === this.#ino) Deno.removeSync(this.path);
    } catch { /* gone already */ }
  }

  /** Opens `path` and reads its header; `undefined` when there is no usable index (never throws). */
  static open(path: string): IndexFile | undefined {
    if (!granted("read", path)) return undefined;
    let file: Deno.FsFile;
    let ino: number | null;
    try {
      // Only a regular file: opening a FIFO (or a device) put there would wait for a writer forever.
      const info = Deno.statSync(path);
      if (!info.isFile) return undefined;
      ino = info.ino;
      file = Deno.openSync(path, { read: true });
    } catch {
      return undefined;
    }
    try {
      const head = readHead(file);
      if (head) return new IndexFile(path, file, head, ino);
    } catch { /* corrupt: not an index */ }
    file.close();
    return undefined;
  }

  /**
   * The column lines, parsed on first use; `undefined` when their line ends are not where the header says.
   * Await it before any other read of this file ({@linkcode IndexFile.column},
   * {@linkcode IndexFile.copyColumns}, …): the read shares the file's position with them, on another
   * thread (`loadRunTable` awaits it after the survey, before `merge` may call `copyColumns`).
   */
  async columns(): Promise<RunTable | undefined> {
    const { offsets } = this.head;
    const bytes = await readAtAsync(this.#file, 0, offsets[offsets.length - 1]).catch(() => null);
    return bytes ? this.#table(bytes) : undefined;
  }

  /** {@linkcode IndexFile.columns}, read synchronously. */
  columnsSync(): RunTable | undefined {
    const { offsets } = this.head;
    try {
      return this.#table(readAt(this.#file, 0, offsets[offsets.length - 1]));
    } catch {
      return undefined;
    }
  }

  #table(bytes: Uint8Array): RunTable | undefined {
    const { offsets, columns, names, shapes, shapeIds, checks } = this.head;
    for (let i = 1; i < offsets.length; i++) if (bytes[offsets[i] - 1] !== 10) return undefined;
    const lazy = columns.map(([s, k], i): [string, string, () => unknown] => [
      s,
      k,
      () => parseColumn(bytes.subarray(offsets[i], offsets[i + 1] - 1), checks[i]),
    ]);
    return RunTable.fromIndex(names, shapes, shapeIds, lazy);
  }

  /**
   * One column's cells read alone (`sweepstore ls`: the run status), all `null` for a column no run has;
   * `undefined` when the line is not a column of the right length.
   */
  column(section: string, key: string): Cell[] | undefined {
    const { offsets, columns, names } = this.head;
    const i = columns.findIndex(([s, k]) => s === section && k === key);
    if (i < 0) return new Array<Cell>(names.length).fill(null);
    try {
      const bytes = readAt(this.#file, offsets[i], offsets[i + 1] - offsets[i]);
      if (bytes[bytes.length - 1] !== 10) return undefined;
      const col = parseColumn(bytes.subarray(0, bytes.length - 1), this.head.checks[i]);
      if (!Array.isArray(col) || col.length !== names.length) return undefined;
      return col.every((c) => c === null || typeof c === "string") ? col : undefined;
    } catch {
      return undefined;
    }
  }

  /** Hands the column lines to `write` as they are in the file, a MiB at a time (a new header's index). */
  copyColumns(write: (bytes: Uint8Array) => void): void {
    const end = this.head.offsets[this.head.offsets.length - 1];
    for (let at = 0; at < end; at += COPY_BYTES) {
      write(readAt(this.#file, at, Math.min(COPY_BYTES, end - at)));
    }
  }

  /** Closes the file. */
  close(): void {
    try {
      this.#file.close();
    } catch { /* closed */ }
  }
}

/**
 * A column parsed from its line, equal neighbouring values sharing one string (sweeps repeat many).
 *
 * @throws {Error} When the line's checksum is not `check` (the file was damaged).
 */
function parseColumn(line: Uint8Array, check: string): unknown {
  if (checksum(line) !== check) throw new Error("index column damaged: checksum differs");
  const col = JSON.parse(decoder.decode(line));
  if (!Array.isArray(col)) return col;
  for (let i = 1; i < col.length; i++) if (col[i] === col[i - 1]) col[i] = col[i - 1];
  return col;
}

/**
 * Reads a whole index (its header and every column, checked); `undefined` when there is none or it is
 * corrupt, foreign or of another version.
 */
export function readIndex(path: string): { head: IndexHead; table: RunTable } | undefined {
  const file = IndexFile.open(path);
  if (!file) return undefined;
  try {
    const table = file.columnsSync();
    if (!table || !table.validate()) return undefined;
    return { head: file.head, table };
  } finally {
    file.close();
  }
}
