/**
 * The options of {@linkcode StorageManagerGroup}'s methods. Every method that reads parameters takes the
 * `section` of {@linkcode SectionOptions} (one declaration, shared with {@linkcode StorageManager}).
 *
 * @module
 */

import type { SectionOptions } from "../run/storage_manager.ts";
import type { ParamOrderOptions } from "./order.ts";
import type { Reducer } from "./reducers.ts";
import type { TextTableOptions } from "./table.ts";

/** Options for {@linkcode StorageManagerGroup.load}. */
export interface GroupLoadOptions {
  /**
   * The `Data` folder whose `StorageManager/<name>/` holds the runs.
   * @default {the first `Data` folder found walking up from the working directory}
   */
  dataFolder?: string;
  /**
   * How many `config.ini` files are read at once (asynchronously), an integer ≥ 1: what network file
   * systems (NFS on a cluster) need to hide their latency.
   * @default {64}
   */
  concurrency?: number;
  /**
   * `"sequential"` reads the files one after another with synchronous calls: ~1.3× faster on a local disk
   * (no thread-pool hand-off per file), but slow where each read waits on the network. `"concurrent"` keeps
   * `concurrency` reads in flight. `"auto"` is sequential on local disks and concurrent elsewhere (network file
   * systems such as NFS, Lustre or GPFS, told apart by their device number).
   * @default {"auto"}
   */
  readMode?: "auto" | "concurrent" | "sequential";
  /**
   * Use the group index `<group>/.sweepstore/group_index.jsonl`: runs whose `config.ini` has not changed
   * since the index recorded it (same inode, size, mtime and ctime) are taken from it, the others are read,
   * and the index is rewritten when anything changed — for groups of 200 runs or more, or where the
   * group's `.sweepstore/` folder exists (every sweep's group), so a small plain group stays as PymoNNto
   * writes it. On a local disk, while the group folder's own stamp is what the index recorded (no run
   * folder made, removed or renamed since), its folder names stand for the listing; every `config.ini`
   * is still checked. Columns are parsed from the index when first used.
   * `false` reads every `config.ini` and neither reads nor writes the index. The run folders
   * stay the single source of truth: deleting the index loses nothing; a corrupt one is ignored and
   * rewritten. On a network file system (NFS) each `config.ini` is checked through `open` + `fstat`,
   * which asks the server (close-to-open consistency), so a change made on another machine is seen as
   * soon as reading the file would see it; a run folder added there shows once this client's cached
   * listing of the group folder expires (`acdirmax`, 60 s by default), as without the index.
   * @default {true}
   */
  index?: boolean;
}

/** How {@linkcode StorageManagerGroup.load} used the group index (see {@linkcode GroupLoadOptions.index}). */
export interface GroupIndexUse {
  /** Runs taken from the index (their `config.ini` unchanged since it recorded them). */
  fromIndex: number;
  /** Runs whose `config.ini` was read (new, changed, not in the index, or too recent to trust). */
  read: number;
  /** Whether a new index was written. */
  written: boolean;
}

/** A run folder whose `config.ini` could not be read while loading; the load goes on without it. */
export interface GroupLoadError {
  /** The file that could not be read. */
  path: string;
  /** What went wrong. */
  error: Error;
}

/**
 * Options for {@linkcode StorageManagerGroup.sortBy}: the `section` of the parameter, and `descending` for
 * largest first (the order is {@linkcode compareParamValues}'s).
 */
export interface SortByOptions extends SectionOptions, ParamOrderOptions {}

/** Options for the list methods of {@linkcode StorageManagerGroup}. */
export interface ListOptions extends SectionOptions {
  /**
   * Drop the runs that lack the value (and, in multi-lists, rows where any value is missing or NaN).
   * @default {false}
   */
  removeNone?: boolean;
}

/** Options for {@linkcode StorageManagerGroup.plot}. */
export interface GroupPlotOptions extends SectionOptions {
  /** The parameter on the x axis. */
  x: string;
  /** The parameter on the y axis. */
  y: string;
  /**
   * Aggregate y per x value: a line through the reducer's value (e.g. `"mean"`) with ± std error bars
   * (`nanstd` for the `nan…` reducers), over the individual runs. Without it, a scatter plot of the runs.
   * @default {undefined}
   */
  reducer?: Reducer;
  /**
   * A logarithmic x axis.
   * @default {false}
   */
  xLog?: boolean;
  /**
   * The plot's title.
   * @default {"<y> against <x> (<name>, N runs)"}
   */
  title?: string;
}

/** Options for the table methods of {@linkcode StorageManagerGroup}. */
export interface GroupTableOptions extends TextTableOptions, SectionOptions {
  /**
   * Put the run folder's name in a first column `run` (`run_run` when a parameter is named `run`).
   * @default {true}
   */
  runColumn?: boolean;
}

/** Options for {@linkcode StorageManagerGroup.query} and {@linkcode StorageManagerGroup.getAllParams}. */
export type QueryOptions = SectionOptions;
