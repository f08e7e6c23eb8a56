/**
 * StorageManagerGroup: every run of one name (`Data/StorageManager/<Name>/*`), written by sweepstore or
 * PymoNNto, with sorting, queries, per-run lists and aggregation across runs.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { TEMP_PREFIX } from "../formats/atomic.ts";
import { findDataFolder } from "../run/data_folder.ts";
import type { NdArray } from "../formats/ndarray.ts";
import { validateName } from "../run/names.ts";
import { storageErrorCode } from "../errors.ts";
import type { ParamValue } from "../formats/params.ts";
import { parseQuery } from "./query.ts";
import { type Reducer, removeDuplicatesGetEval } from "./reducers.ts";
import {
  type Cell,
  plotSvg,
  type Table,
  type TextTableOptions,
  toConsoleTable,
  toCSV,
  toMarkdown,
} from "./report.ts";
import { CONFIG_FILE, DEFAULT_SECTION, StorageManager } from "../run/storage_manager.ts";

/** Options for {@linkcode StorageManagerGroup.load}. */
export interface GroupLoadOptions {
  /**
   * The `Data` folder whose `StorageManager/<name>/` holds the runs.
   * @default {the first `Data` folder found walking up from the working directory}
   */
  dataFolder?: string;
  /**
   * How many `config.ini` files are read at once (asynchronously): what network file systems (NFS on a
   * cluster) need to hide their latency.
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
}

/** A run folder whose `config.ini` could not be read while loading; the load goes on without it. */
export interface GroupLoadError {
  /** The file that could not be read. */
  path: string;
  /** What went wrong. */
  error: Error;
}

/** Options for {@linkcode StorageManagerGroup.sortBy}. */
export interface SortByOptions {
  /**
   * Largest first. Runs without the parameter count as `-inf`, as in PymoNNto: first when ascending,
   * last when descending.
   * @default {false}
   */
  descending?: boolean;
  /**
   * The `config.ini` section of the parameter.
   * @default {"Parameters"}
   */
  section?: string;
}

/** Options for the list methods of {@linkcode StorageManagerGroup}. */
export interface ListOptions {
  /**
   * Drop the runs that lack the value (and, in multi-lists, rows where any value is missing or NaN).
   * @default {false}
   */
  removeNone?: boolean;
  /**
   * The `config.ini` section of the parameters.
   * @default {"Parameters"}
   */
  section?: string;
}

/** Options for {@linkcode StorageManagerGroup.plot}. */
export interface GroupPlotOptions {
  /** The parameter on the x axis. */
  x: string;
  /** The parameter on the y axis. */
  y: string;
  /**
   * Aggregate y per x value: a line through the reducer's value (e.g. `"mean"`) with ± std error bars,
   * over the individual runs. Without it, a scatter plot of the runs.
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
  /**
   * The `config.ini` section of the parameters.
   * @default {"Parameters"}
   */
  section?: string;
}

/** Options for the table methods of {@linkcode StorageManagerGroup}. */
export interface GroupTableOptions extends TextTableOptions {
  /**
   * The `config.ini` section of the parameters.
   * @default {"Parameters"}
   */
  section?: string;
  /**
   * Put the run folder's name in a first column `run`.
   * @default {true}
   */
  runColumn?: boolean;
}

/** Options for {@linkcode StorageManagerGroup.query}. */
export interface QueryOptions {
  /**
   * The `config.ini` section the query's keys refer to.
   * @default {"Parameters"}
   */
  section?: string;
}

async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(lanes);
  return out;
}

/**
 * Whether `path` lies on a local block device: a device number with a non-zero major (disks, virtio, NVMe).
 * Network file systems (NFS, Lustre, GPFS, CIFS, FUSE) and virtual ones get major 0. (/proc/mounts would
 * name the type, but Deno asks for all permissions to read it.)
 */
function isLocalFileSystem(path: string): boolean {
  try {
    const dev = Deno.statSync(path).dev;
    return ((dev >>> 8) & 0xfff) !== 0;
  } catch {
    return false;
  }
}

/** Orders parameter values: missing first, then booleans, numbers (NaN first), strings, others. */
function rank(v: ParamValue | undefined): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "boolean") return 1;
  if (typeof v === "number" || typeof v === "bigint") return Number.isNaN(v) ? 2 : 3;
  if (typeof v === "string") return 4;
  return 5;
}

function compareValues(a: ParamValue | undefined, b: ParamValue | undefined): number {
  const ra = rank(a), rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return Number(a) - Number(b);
  if (ra === 3) return a! < b! ? -1 : a! > b! ? 1 : 0;
  if (ra === 4) return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  return 0;
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined;
}

/**
 * All runs of one name, loaded at once; the seed's `StorageManagerGroup`. Each run's `config.ini` is read
 * and parsed once while loading; corrupt ones are reported in {@linkcode StorageManagerGroup.errors} and
 * left out.
 *
 * @example Sort runs by score and list a parameter across them
 * ```ts
 * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * const dataFolder = await Deno.makeTempDir();
 * for (const [n, score] of [[100, 0.5], [2000, 0.9], [5000, 0.7]]) {
 *   const sm = await StorageManager.create("Exp", { dataFolder });
 *   await sm.saveParamDict({ number_of_neurons: n, score });
 * }
 * const smg = await StorageManagerGroup.load("Exp", { dataFolder });
 * smg.sortBy("score");
 * console.log(smg.getParamList("score")); // [0.5, 0.7, 0.9]
 * console.log(smg.query("number_of_neurons>1000").map((sm) => sm.name));
 * ```
 */
export class StorageManagerGroup implements Iterable<StorageManager> {
  /** The group's name (`<Name>` in `Data/StorageManager/<Name>/`). */
  readonly name: string;
  /** Absolute path of `Data/StorageManager/<Name>/`. */
  readonly path: string;
  /** The runs, in the current order (folder-name order until {@linkcode StorageManagerGroup.sortBy}). */
  runs: StorageManager[];
  /** The run folders that could not be loaded, each with its error. */
  readonly errors: GroupLoadError[];

  private constructor(
    name: string,
    path: string,
    runs: StorageManager[],
    errors: GroupLoadError[],
  ) {
    this.name = name;
    this.path = path;
    this.runs = runs;
    this.errors = errors;
  }

  /**
   * Loads every run folder of `name`: each folder in `Data/StorageManager/<name>/` that holds a
   * `config.ini` (sweepstore's `<Name><nr>` and PymoNNto's `<Name>`, `<Name>_0`, … alike). Hidden and
   * temporary entries, files, and folders still being created (no `config.ini` yet) are skipped. A group
   * folder that does not exist is an empty group.
   *
   * @example
   * ```ts
   * import { StorageManagerGroup } from "@sweepstore/sweepstore";
   * const smg = await StorageManagerGroup.load("Nothing", { dataFolder: await Deno.makeTempDir() });
   * console.log(smg.length); // 0
   * ```
   */
  static async load(name: string, options: GroupLoadOptions = {}): Promise<StorageManagerGroup> {
    validateName(name, "group name");
    const dataFolder = options.dataFolder !== undefined
      ? resolve(options.dataFolder)
      : await findDataFolder();
    const groupPath = join(dataFolder, "StorageManager", name);
    const folders: string[] = [];
    try {
      for await (const entry of Deno.readDir(groupPath)) {
        if (
          !entry.isDirectory || entry.name.startsWith(".") || entry.name.startsWith(TEMP_PREFIX)
        ) {
          continue;
        }
        folders.push(entry.name);
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
    sortNatural(folders);
    const errors: GroupLoadError[] = [];
    const mode = options.readMode ?? "auto";
    const sequential = mode === "sequential" || (mode === "auto" && isLocalFileSystem(groupPath));
    const loaded = await mapBounded(
      folders,
      sequential ? 1 : options.concurrency ?? 64,
      async (folder) => {
        const runPath = join(groupPath, folder);
        const config = join(runPath, CONFIG_FILE);
        let text: string;
        try {
          text = sequential ? Deno.readTextFileSync(config) : await Deno.readTextFile(config);
        } catch (err) {
          if (err instanceof Deno.errors.NotFound) return null; // not a run, or still being created
          errors.push({ path: config, error: err as Error });
          return null;
        }
        try {
          return StorageManager.fromConfigText(runPath, text);
        } catch (err) {
          errors.push({ path: config, error: err as Error });
          return null;
        }
      },
    );
    errors.sort((a, b) => compareFolderNames(a.path, b.path));
    const runs = loaded.filter((sm): sm is StorageManager => sm !== null);
    return new StorageManagerGroup(name, groupPath, runs, errors);
  }

  /** The number of runs. */
  get length(): number {
    return this.runs.length;
  }

  /** Iterates over the runs in the current order. */
  [Symbol.iterator](): Iterator<StorageManager> {
    return this.runs[Symbol.iterator]();
  }

  /**
   * Sorts the runs by a parameter, ascending (stable). Runs without it come first, like PymoNNto's
   * `-inf`; with `descending` they come last. Returns `this`.
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * for (const score of [3, 1, 2]) {
   *   await (await StorageManager.create("S", { dataFolder })).saveParam("score", score);
   * }
   * const smg = await StorageManagerGroup.load("S", { dataFolder });
   * console.log(smg.sortBy("score", { descending: true }).getParamList("score")); // [3, 2, 1]
   * ```
   */
  sortBy(param: string, options: SortByOptions = {}): this {
    const section = options.section ?? DEFAULT_SECTION;
    const keyed = this.runs.map((sm, i) => ({ sm, i, v: sm.param(param, { section }) }));
    const sign = options.descending ? -1 : 1;
    keyed.sort((a, b) => sign * compareValues(a.v, b.v) || a.i - b.i);
    this.runs = keyed.map((k) => k.sm);
    return this;
  }

  /**
   * The runs that match a query such as `"n>1000 && lr<=0.01"` or `'tag=="alpha"'`, in the current order.
   * The query is parsed, never evaluated as code; a malformed one throws a `SyntaxError` that points at
   * the position. Runs missing a key the query compares do not match.
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * for (const n of [10, 2000]) await (await StorageManager.create("Q", { dataFolder })).saveParam("n", n);
   * const smg = await StorageManagerGroup.load("Q", { dataFolder });
   * console.log(smg.query("n>1000").length); // 1
   * ```
   */
  query(query: string, options: QueryOptions = {}): StorageManager[] {
    const q = parseQuery(query);
    const paramOptions = { section: options.section ?? DEFAULT_SECTION };
    let current: StorageManager;
    const lookup = (key: string) => current.param(key, paramOptions); // one closure for all runs
    return this.runs.filter((sm) => {
      current = sm;
      return q.test(lookup);
    });
  }

  /**
   * The values of one parameter across runs, in the current order; `null` where a run lacks it
   * (dropped with `removeNone`).
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * await (await StorageManager.create("L", { dataFolder })).saveParam("score", 1);
   * await StorageManager.create("L", { dataFolder });
   * const smg = await StorageManagerGroup.load("L", { dataFolder });
   * console.log(smg.getParamList("score"), smg.getParamList("score", { removeNone: true })); // [1, null] [1]
   * ```
   */
  getParamList(param: string, options: ListOptions = {}): (ParamValue | null)[] {
    const section = options.section ?? DEFAULT_SECTION;
    const values = this.runs.map((sm) => sm.param(param, { section, default: null }));
    return options.removeNone ? values.filter((v) => !isMissing(v)) : values;
  }

  /**
   * One list per parameter, rows aligned across lists (row i is run i). With `removeNone`, a run is
   * dropped from every list when any of its values is missing or NaN.
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * await (await StorageManager.create("M", { dataFolder })).saveParamDict({ score: 1, n: 10 });
   * await (await StorageManager.create("M", { dataFolder })).saveParamDict({ score: 2 });
   * const smg = await StorageManagerGroup.load("M", { dataFolder });
   * console.log(smg.getMultiParamList(["score", "n"], { removeNone: true })); // [[1], [10]]
   * ```
   */
  getMultiParamList(params: readonly string[], options: ListOptions = {}): (ParamValue | null)[][] {
    const section = options.section ?? DEFAULT_SECTION;
    let rows = this.runs.map((sm) => params.map((p) => sm.param(p, { section, default: null })));
    if (options.removeNone) {
      rows = rows.filter((row) =>
        row.every((v) => !isMissing(v) && !(typeof v === "number" && Number.isNaN(v)))
      );
    }
    return params.map((_, j) => rows.map((row) => row[j]));
  }

  /**
   * Loads `<key>.npy` of every run (lazily, a bounded number at a time): an NdArray per run, `null` where
   * a run has none (dropped with `removeNone`).
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * await (await StorageManager.create("A", { dataFolder })).saveNp("w", [1, 2]);
   * await StorageManager.create("A", { dataFolder });
   * const smg = await StorageManagerGroup.load("A", { dataFolder });
   * console.log((await smg.getNpList("w")).map((a) => a?.shape ?? null)); // [[2], null]
   * ```
   */
  async getNpList(key: string, options: ListOptions = {}): Promise<(NdArray | null)[]> {
    const values = await mapBounded(this.runs, 16, async (sm) => {
      try {
        return await sm.loadNp(key);
      } catch (err) {
        if (storageErrorCode(err) === "not_found") return null;
        throw err;
      }
    });
    return options.removeNone ? values.filter((v) => v !== null) : values;
  }

  /**
   * Loads the object `key` of every run (`.cbor`, or PymoNNto's `.obj` pickle): one value per run, `null`
   * where a run has none (dropped with `removeNone`).
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * await (await StorageManager.create("O", { dataFolder })).saveObj("meta", { a: 1 });
   * const smg = await StorageManagerGroup.load("O", { dataFolder });
   * console.log(await smg.getObjList("meta")); // [{ a: 1 }]
   * ```
   */
  async getObjList(key: string, options: ListOptions = {}): Promise<unknown[]> {
    const values = await mapBounded(this.runs, 16, async (sm) => {
      try {
        return await sm.loadObj(key);
      } catch (err) {
        if (storageErrorCode(err) === "not_found") return null;
        throw err;
      }
    });
    return options.removeNone ? values.filter((v) => !isMissing(v)) : values;
  }

  /**
   * Combines the y values of equal x values: returns the unique x values (sorted) and, for each, the
   * reducer applied to its y values (`"mean"`, `"std"`, `"median"`, `"min"`, `"max"`, `"sum"`, `"count"`,
   * or a function).
   *
   * @example
   * ```ts
   * import { StorageManagerGroup } from "@sweepstore/sweepstore";
   * const smg = await StorageManagerGroup.load("None", { dataFolder: await Deno.makeTempDir() });
   * console.log(smg.removeDuplicatesGetEval([1, 2, 1], [10, 20, 30], "mean")); // [[1, 2], [20, 20]]
   * ```
   */
  removeDuplicatesGetEval(
    x: readonly unknown[],
    y: readonly unknown[],
    reducer: Reducer = "mean",
  ): [number[], number[]] {
    return removeDuplicatesGetEval(x, y, reducer) as [number[], number[]];
  }

  /**
   * The union of the parameter names of all runs (lowercased), in first-seen order.
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * await (await StorageManager.create("U", { dataFolder })).saveParamDict({ a: 1 });
   * await (await StorageManager.create("U", { dataFolder })).saveParamDict({ b: 2 });
   * const smg = await StorageManagerGroup.load("U", { dataFolder });
   * console.log(smg.getAllParams()); // ["time", "a", "b"]
   * ```
   */
  getAllParams(options: QueryOptions = {}): string[] {
    const names = new Set<string>();
    for (const sm of this.runs) for (const k of sm.paramKeys(options)) names.add(k);
    return [...names];
  }

  /**
   * The runs as a table, in the current order: a `run` column with the folder name, then one column per
   * parameter (all parameters when `params` is omitted). Arrays and objects become JSON text.
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * await (await StorageManager.create("T", { dataFolder })).saveParamDict({ n: 1, score: 0.5 });
   * const smg = await StorageManagerGroup.load("T", { dataFolder });
   * console.log(smg.toTable(["n", "score"])); // { columns: ["run", "n", "score"], rows: [["T1", 1, 0.5]] }
   * ```
   */
  toTable(params?: readonly string[], options: GroupTableOptions = {}): Table {
    const section = options.section ?? DEFAULT_SECTION;
    const names = params ? params.map((p) => p.toLowerCase()) : this.getAllParams({ section });
    const withRun = options.runColumn ?? true;
    return {
      columns: withRun ? ["run", ...names] : [...names],
      rows: this.runs.map((sm) => {
        const cells = names.map((p) => toCell(sm.param(p, { section, default: null })));
        return withRun ? [sm.name, ...cells] : cells;
      }),
    };
  }

  /**
   * The runs as CSV (see {@linkcode StorageManagerGroup.toTable}), for spreadsheets and pandas.
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * await (await StorageManager.create("C", { dataFolder })).saveParamDict({ score: 0.5 });
   * console.log((await StorageManagerGroup.load("C", { dataFolder })).toCSV(["score"])); // run,score\r\nC1,0.5\r\n
   * ```
   */
  toCSV(params?: readonly string[], options: GroupTableOptions = {}): string {
    return toCSV(this.toTable(params, options));
  }

  /**
   * The runs as a GitHub Markdown table (see {@linkcode StorageManagerGroup.toTable}).
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * await (await StorageManager.create("M", { dataFolder })).saveParamDict({ score: 0.5 });
   * console.log((await StorageManagerGroup.load("M", { dataFolder })).toMarkdown(["score"]));
   * ```
   */
  toMarkdown(params?: readonly string[], options: GroupTableOptions = {}): string {
    return toMarkdown(this.toTable(params, options), options);
  }

  /**
   * The runs as an aligned plain-text table for the terminal (see {@linkcode StorageManagerGroup.toTable}).
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * await (await StorageManager.create("P", { dataFolder })).saveParamDict({ score: 0.5 });
   * console.log((await StorageManagerGroup.load("P", { dataFolder })).toConsoleTable(["score"]));
   * ```
   */
  toConsoleTable(params?: readonly string[], options: GroupTableOptions = {}): string {
    return toConsoleTable(this.toTable(params, options), options);
  }

  /**
   * A standalone SVG plot of one parameter against another: the runs as points, and with `reducer` the
   * reducer's value per x (e.g. the mean) as a line with ± std error bars.
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * for (const [n, score] of [[1, 0.2], [1, 0.4], [2, 0.6]]) {
   *   await (await StorageManager.create("Pl", { dataFolder })).saveParamDict({ n, score });
   * }
   * const smg = await StorageManagerGroup.load("Pl", { dataFolder });
   * const svg = smg.plot({ x: "n", y: "score", reducer: "mean" });
   * console.log(svg.includes("mean ± std"));
   * ```
   */
  plot(options: GroupPlotOptions): string {
    const section = options.section ?? DEFAULT_SECTION;
    const [x, y] = this.getMultiParamList([options.x, options.y], { section });
    const spec = {
      points: { x, y },
      xLabel: options.x,
      yLabel: options.y,
      title: options.title ??
        `${options.y} against ${options.x} (${this.name}, ${this.length} runs)`,
      summary: undefined as
        | { x: number[]; mean: number[]; std: number[]; label?: string }
        | undefined,
    };
    if (options.reducer !== undefined) {
      const [ux, center] = removeDuplicatesGetEval(x, y, options.reducer);
      const [, spread] = removeDuplicatesGetEval(x, y, "std");
      const name = typeof options.reducer === "string" ? options.reducer : "value";
      spec.summary = { x: ux, mean: center, std: spread, label: `${name} ± std` };
    }
    return plotSvg(spec, { xLog: options.xLog });
  }
}

function toCell(v: ParamValue | null): Cell {
  return v === null || typeof v !== "object" ? v : JSON.stringify(v);
}

/** Folder names in natural order: `Exp2` before `Exp10`. */
const collator = new Intl.Collator("en", { numeric: true });
function compareFolderNames(a: string, b: string): number {
  return collator.compare(a, b);
}

/**
 * Sorts run folder names naturally (`Exp2` before `Exp10`) like {@linkcode compareFolderNames}, but fast for
 * the common `<prefix><number>` names: their parts are split once, and only other names use the collator.
 */
function sortNatural(names: string[]): void {
  const keyed = names.map((name) => {
    const m = /^(.*?)(\d{1,15})$/.exec(name);
    return {
      name,
      prefix: m ? m[1] : name,
      n: m ? Number(m[2]) : -1,
      plain: !m || /\d/.test(m[1]),
    };
  });
  keyed.sort((a, b) => {
    if (a.plain || b.plain) return collator.compare(a.name, b.name);
    if (a.prefix !== b.prefix) return collator.compare(a.prefix, b.prefix);
    return a.n - b.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  });
  keyed.forEach((k, i) => (names[i] = k.name));
}
