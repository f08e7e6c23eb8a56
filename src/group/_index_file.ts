/**
 * The group index file (internal): `<group>/.sweepstore/group_index.jsonl` (`groupIndexFile()` in
 * `src/layout.ts`), a cache of every run's parsed `config.ini` with the `stat` stamp the file had when it
 * was read. The run folders stay the single source of truth; the index only saves reading files that have
 * not changed:
 *
 * - **An entry is used only when its run's `config.ini` has the stamp recorded with it**: inode, size,
 *   mtime (ms) and ctime (Deno gives whole seconds). Any write changes ctime (and a rename the inode), and
 *   ctime cannot be set back by `touch -d`, so a run changed by anyone — PymoNNto, configparser writing in
 *   place, an editor, another machine — no longer matches and is read again. A folder that is new, gone or
 *   renamed is seen in the group folder's listing.
 * - **Racy entries are not trusted** (git's "racy clean" problem): a file changed again within the same
 *   timestamp tick as the stat that recorded it would keep its stamp. So an entry is stored as trusted
 *   only when the file's mtime and ctime lie at least {@linkcode RACY_MARGIN_MS} before the file system's
 *   own clock at the start of the stat pass (the mtime of the index's new temporary file, made just before:
 *   the server's clock on NFS, so clock skew between machines does not matter). Newer entries are read
 *   again at the next load (and then trusted).
 * - **Writes are temp file + rename**: readers see the old index or the new one, never a torn one, on one
 *   machine and across NFS clients (rename is atomic on the server). Two loads writing at once: the last
 *   rename wins, and either index is correct, since every entry is checked against its stamp anyway. No
 *   lock is needed for correctness; a lost update costs only re-reads.
 * - **A corrupt, foreign or unreadable index is ignored** (every run is read, and a new index written);
 *   one that cannot be written (read-only folder, full disk) is simply not written.
 *
 * Format (JSON lines): line 1 a header `{format, version, names, stamps, shapes, shapeIds, columns}`
 * (`stamps[i]` is `[ino, size, mtimeMs, ctimeMs]` or `null` when not trusted; `columns` lists
 * `[section, key]`), then one line per column: a JSON array with one value text (or `null`) per run. A
 * reader that needs few columns (`sweepstore ls`: the run status) parses only those lines.
 *
 * @module
 */

import { dirname } from "node:path";
import { TEMP_PREFIX } from "../formats/atomic.ts";
import { type Cell, RunTable } from "./_index_table.ts";

/**
 * Whether Deno already granted `name` access to `path`. Asked first: a call without the permission would
 * make Deno prompt on a terminal, and a group load that only reads must not ask for write access.
 */
function granted(name: "read" | "write", path: string): boolean {
  try {
    return Deno.permissions.querySync({ name, path }).state === "granted";
  } catch {
    return false;
  }
}

/** The `format` field of the header. */
const FORMAT = "sweepstore-group-index";
/** Bumped whenever the layout changes: an index of another version is ignored. */
const VERSION = 1;

/**
 * How far before the file system's clock a file's times must lie for its entry to be trusted: Deno reports
 * ctime in whole seconds, and some servers keep coarse timestamps.
 */
export const RACY_MARGIN_MS = 2000;

/** A `config.ini`'s stamp: `[ino, size, mtimeMs, ctimeMs]`. */
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

/** A read index: run folder names, their stamps (`null`: not trusted) and the table of their values. */
export interface GroupIndex {
  names: string[];
  stamps: (Stamp | null)[];
  table: RunTable;
}

interface Header {
  names: string[];
  stamps: (Stamp | null)[];
  shapes: unknown;
  shapeIds: unknown;
  columns: [string, string][];
}

function isStamp(v: unknown): boolean {
  return v === null || (Array.isArray(v) && v.length === 4 && v.every(Number.isFinite));
}

function parseHeader(line: string): Header | undefined {
  const h = JSON.parse(line);
  if (h === null || typeof h !== "object" || h.format !== FORMAT || h.version !== VERSION) return;
  const { names, stamps, columns } = h;
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) return;
  if (!Array.isArray(stamps) || stamps.length !== names.length || !stamps.every(isStamp)) return;
  if (!Array.isArray(columns)) return;
  if (
    !columns.every((c) =>
      Array.isArray(c) && c.length === 2 && c.every((s) => typeof s === "string")
    )
  ) {
    return;
  }
  return h as Header;
}

interface Lines {
  length: number;
  line(i: number): string;
}

/**
 * The lines of the index file, or `undefined` when it is missing or unreadable. Lines are slices of the
 * file's text (no copies), found on demand.
 */
function readLines(file: string | { text: string }): Lines | undefined {
  if (typeof file === "string" && !granted("read", file)) return undefined;
  let text: string;
  try {
    text = typeof file === "string" ? Deno.readTextFileSync(file) : file.text;
  } catch {
    return undefined;
  }
  const starts = [0];
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
  return {
    length: starts.length,
    line: (i) =>
      i < starts.length ? text.slice(starts[i], (starts[i + 1] ?? text.length + 1) - 1) : "",
  };
}

/** A column parsed from its line, equal neighbouring values sharing one string (sweeps repeat many). */
function parseColumn(line: string): unknown {
  const col = JSON.parse(line);
  if (!Array.isArray(col)) return col;
  for (let i = 1; i < col.length; i++) if (col[i] === col[i - 1]) col[i] = col[i - 1];
  return col;
}

/**
 * Reads the whole index; `undefined` when there is none or it is corrupt, foreign or of another version
 * (the caller then reads every run folder).
 */
export function readIndex(file: string | { text: string }): GroupIndex | undefined {
  const lines = readLines(file);
  if (!lines) return undefined;
  try {
    const header = parseHeader(lines.line(0));
    if (!header || lines.length < header.columns.length + 1) return undefined;
    const columns = header.columns.map(([s, k], i) => [s, k, parseColumn(lines.line(i + 1))]);
    const table = RunTable.fromJSON(header.names, {
      shapes: header.shapes,
      shapeIds: header.shapeIds,
      columns,
    });
    return table ? { names: header.names, stamps: header.stamps, table } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * {@linkcode readIndex} with the file read asynchronously (while a stat pass runs on a cold disk);
 * the parse is the same.
 */
export async function readIndexAsync(file: string): Promise<GroupIndex | undefined> {
  if (!granted("read", file)) return undefined;
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch {
    return undefined;
  }
  return readIndex({ text });
}

/**
 * Reads only some columns of the index (e.g. `[Run] status`): names, stamps and one cell array per asked
 * column (all `null` for a column no run has); `undefined` as {@linkcode readIndex}.
 */
export function readIndexColumns(
  file: string,
  wanted: readonly (readonly [string, string])[],
): { names: string[]; stamps: (Stamp | null)[]; cells: Cell[][] } | undefined {
  const lines = readLines(file);
  if (!lines) return undefined;
  try {
    const header = parseHeader(lines.line(0));
    if (!header) return undefined;
    const n = header.names.length;
    const cells = wanted.map(([section, key]) => {
      const i = header.columns.findIndex(([s, k]) => s === section && k === key);
      if (i < 0) return new Array<Cell>(n).fill(null);
      const col = parseColumn(lines.line(i + 1));
      if (!Array.isArray(col) || col.length !== n) throw new Error("bad column");
      return col as Cell[];
    });
    return { names: header.names, stamps: header.stamps, cells };
  } catch {
    return undefined;
  }
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
  commit(names: readonly string[], stamps: readonly (Stamp | null)[], table: RunTable): boolean {
    try {
      const { shapes, shapeIds, columns } = table.toJSON();
      const header = JSON.stringify({
        format: FORMAT,
        version: VERSION,
        names,
        stamps,
        shapes,
        shapeIds,
        columns: columns.map(([s, k]) => [s, k]),
      });
      // One line at a time: a big group's index is tens of MB, which should not exist twice in memory.
      const f = Deno.openSync(this.#tmp, { write: true, truncate: true });
      try {
        const encoder = new TextEncoder();
        const put = (text: string) => {
          const bytes = encoder.encode(`${text}\n`);
          for (let off = 0; off < bytes.length;) off += f.writeSync(bytes.subarray(off));
        };
        put(header);
        for (const [, , cells] of columns) put(JSON.stringify(cells));
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
