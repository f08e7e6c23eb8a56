/**
 * StorageManagerGroup: every run of one name (`Data/StorageManager/<Name>/*`), written by sweepstore or
 * PymoNNto, with sorting, queries and per-run lists; its tables, plots, schema and statistics come from its
 * base `GroupViews` (`group_views.ts`). Loading (read modes, errors) lives in `_load.ts`, the options in
 * `options.ts`, the order of values in `order.ts`.
 *
 * @module
 */

import { resolve } from "node:path";
import type { NdArray } from "../formats/ndarray.ts";
import { parseIni } from "../formats/ini.ts";
import type { ParamValue } from "../formats/params.ts";
import { groupFolder, groupIndexFile } from "../layout.ts";
import { findDataFolder } from "../run/data_folder.ts";
import { validateName } from "../run/names.ts";
import { StorageManager } from "../run/storage_manager.ts";
import { type IndexUse, loadRunTable } from "./_index_load.ts";
import { managerRows, type RunRows, tableRows } from "./_index_rows.ts";
import type { RunTable } from "./_index_table.ts";
import { LazyIni } from "./_lazy_ini.ts";
import { GroupViews, provideRows } from "./group_views.ts";
import {
  allParams,
  loadEach,
  matchingPositions,
  multiParamList,
  paramList,
  sortedPositions,
} from "./_lists.ts";
import type {
  GroupLoadError,
  GroupLoadOptions,
  ListOptions,
  QueryOptions,
  SortByOptions,
} from "./options.ts";
import { parseQuery } from "./query.ts";
import { type Reducer, removeDuplicatesGetEval } from "./reducers.ts";

/**
 * All runs of one name, loaded at once; the seed's `StorageManagerGroup`. Each run's `config.ini` is read
 * and parsed once while loading — or taken from the group index when the file has not changed since (see
 * {@linkcode GroupLoadOptions.index}); corrupt ones are reported in {@linkcode StorageManagerGroup.errors}
 * and left out.
 *
 * The group keeps its runs' parameters compactly (a few hundred bytes per run) and makes a
 * `StorageManager` for a run when asked: {@linkcode StorageManagerGroup.at}, iteration and
 * {@linkcode StorageManagerGroup.query} make them from the values read at load (changes saved through
 * them reach the group's lists after {@linkcode StorageManagerGroup.reloadRun}); the first use of
 * {@linkcode StorageManagerGroup.runs} makes one per run and from then on the group reads every value
 * through those objects (as before: what each last read or wrote), and `runs` may be reordered or replaced.
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
export class StorageManagerGroup extends GroupViews implements Iterable<StorageManager> {
  /** The group's name (`<Name>` in `Data/StorageManager/<Name>/`). */
  readonly name: string;
  /** Absolute path of `Data/StorageManager/<Name>/`. */
  readonly path: string;
  /** The run folders that could not be loaded, each with its error. */
  readonly errors: GroupLoadError[];
  /** How the load used the group index: runs taken from it, runs read, whether it was rewritten. */
  readonly indexUse: IndexUse;
  #table: RunTable;
  #order: number[];
  #runs?: StorageManager[];
  #rowOf?: Map<string, number>;

  private constructor(
    name: string,
    path: string,
    loaded: Awaited<ReturnType<typeof loadRunTable>>,
  ) {
    super();
    provideRows(this, () => this.#rows());
    this.name = name;
    this.path = path;
    this.#table = loaded.table;
    this.#order = Array.from({ length: loaded.table.length }, (_, i) => i);
    this.errors = loaded.errors;
    this.indexUse = loaded.index;
  }

  /**
   * The runs as `StorageManager` objects, in the current order (folder-name order until
   * {@linkcode StorageManagerGroup.sortBy}). The first use makes one object per run (about 2 KB each); the
   * array may then be reordered, filtered or replaced, and the group's methods follow it.
   */
  get runs(): StorageManager[] {
    return this.#runs ??= this.#order.map((row) => this.#make(row));
  }

  set runs(runs: StorageManager[]) {
    this.#runs = runs;
  }

  #make(row: number): StorageManager {
    const table = this.#table;
    return StorageManager.fromIni(
      `${this.path}/${table.names[row]}`,
      new LazyIni(() => table.ini(row)), // most callers of query() read little or nothing of each run
    );
  }

  /** The runs for reading their files (arrays, objects): objects without parameters where none exist. */
  #pathsOnly(): StorageManager[] {
    return this.#runs ??
      this.#order.map((row) =>
        StorageManager.fromConfigText(`${this.path}/${this.#table.names[row]}`, null)
      );
  }

  #rows(): RunRows {
    return this.#runs ? managerRows(this.#runs) : tableRows(this.#table, this.#order, this.path);
  }

  /**
   * The run at position `index` of the current order (negative counts from the end), or `undefined`.
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * await (await StorageManager.create("At", { dataFolder })).saveParam("score", 2);
   * const smg = await StorageManagerGroup.load("At", { dataFolder });
   * console.log(smg.at(0)?.param("score"), smg.at(-1)?.name); // 2 "At1"
   * ```
   */
  at(index: number): StorageManager | undefined {
    if (this.#runs) return this.#runs.at(index);
    const i = index < 0 ? this.#order.length + index : index;
    return i >= 0 && i < this.#order.length ? this.#make(this.#order[i]) : undefined;
  }

  /**
   * Reads one run's `config.ini` again into the group, e.g. after it was changed through a
   * `StorageManager` that {@linkcode StorageManagerGroup.at} or iteration made. A run not in the group,
   * or whose file is gone, is left as it was.
   *
   * @param run The run's folder name (or the run).
   * @throws {StorageError} code `corrupt` when the file cannot be parsed.
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * await StorageManager.create("Rl", { dataFolder });
   * const smg = await StorageManagerGroup.load("Rl", { dataFolder });
   * await smg.at(0)!.saveParam("score", 5);
   * await smg.reloadRun("Rl1");
   * console.log(smg.getParamList("score")); // [5]
   * ```
   */
  async reloadRun(run: string | StorageManager): Promise<void> {
    const name = typeof run === "string" ? run : run.name;
    this.#rowOf ??= new Map(this.#table.names.map((n, i) => [n, i]));
    const row = this.#rowOf.get(name);
    if (row === undefined) return;
    const file = `${this.path}/${name}/config.ini`;
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch {
      return;
    }
    StorageManager.fromConfigText(`${this.path}/${name}`, text); // a corrupt file: StorageError
    this.#table.replace(row, parseIni(text, file));
    // Objects of `runs` read the file again themselves (each keeps its identity).
    for (const sm of this.#runs ?? []) if (sm.name === name) await sm.loadParam("time");
  }

  /**
   * Loads every run folder of `name`: each folder in `Data/StorageManager/<name>/` that holds a
   * `config.ini` (sweepstore's `<Name><nr>` and PymoNNto's `<Name>`, `<Name>_0`, … alike). Hidden and
   * temporary entries, files, and folders still being created (no `config.ini` yet) are skipped. A group
   * folder that does not exist is an empty group. Files that cannot be read or parsed are listed in
   * {@linkcode StorageManagerGroup.errors} and the load goes on.
   *
   * @param name The group's name (`<Name>`); validated like run names.
   * @param options The `dataFolder`, and how to read the files (`readMode`, `concurrency`).
   * @returns The group, runs in natural folder order (`Exp2` before `Exp10`).
   * @throws {TypeError} When `name` is not a valid name (the run layer's `validateName` says why).
   * @throws {RangeError} When `readMode` or `concurrency` is out of range.
   * @throws {Deno.errors.PermissionDenied} Or another OS error, when the group folder cannot be listed.
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
    const path = groupFolder(dataFolder, name);
    const loaded = await loadRunTable(path, groupIndexFile(dataFolder, name), options);
    return new StorageManagerGroup(name, path, loaded);
  }

  /** The number of runs. */
  get length(): number {
    return this.#runs?.length ?? this.#order.length;
  }

  /**
   * Iterates over the runs in the current order; before {@linkcode StorageManagerGroup.runs} was used,
   * each `StorageManager` is made as the loop reaches it and the group keeps no reference to it.
   */
  *[Symbol.iterator](): Iterator<StorageManager> {
    if (this.#runs) return yield* this.#runs;
    for (const row of this.#order) yield this.#make(row);
  }

  /**
   * Sorts the runs by a parameter, ascending or with `descending` largest first; stable, so runs with equal
   * values keep their order. The order is `compareParamValues`'s (order.ts): numbers by value, then NaN,
   * then non-numbers (booleans, strings, other values), then runs without the parameter, in both
   * directions, so the first run holds a number whenever any run does and a string `score` never ranks
   * first. Returns `this`.
   *
   * @param param The parameter's name (case-insensitive).
   * @param options `descending`, and the `section` (default `"Parameters"`).
   * @returns This group, sorted.
   * @throws {StorageError} When a run's value of the parameter cannot be read (a corrupt line).
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
    const at = sortedPositions(this.#rows(), param, options);
    if (this.#runs) this.#runs = at.map((i) => this.#runs![i]);
    else this.#order = at.map((i) => this.#order[i]);
    return this;
  }

  /**
   * The runs that match a query such as `"n>1000 && lr<=0.01"` or `'tag=="alpha"'`, in the current order.
   * The query is parsed, never evaluated as code (grammar and semantics: {@linkcode parseQuery}). Runs
   * missing a key the query compares do not match.
   *
   * @throws {QueryError} When the query cannot be parsed (a `SyntaxError` with the `position`; its message
   *   shows the query with a caret under the column).
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
    const at = matchingPositions(this.#rows(), parseQuery(query), options.section);
    return at.map((i) => this.#runs?.[i] ?? this.#make(this.#order[i]));
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
    return paramList(this.#rows(), param, options);
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
    return multiParamList(this.#rows(), params, options);
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
    return await loadEach(this.#pathsOnly(), (sm) => sm.loadNp(key), options.removeNone);
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
    return await loadEach(this.#pathsOnly(), (sm) => sm.loadObj(key), options.removeNone);
  }

  /**
   * Combines the y values of equal x values: returns the unique x values (sorted) and, for each, the
   * reducer applied to its y values (`"mean"`, `"std"`, `"median"`, `"min"`, `"max"`, `"sum"`, `"count"`,
   * the NaN-skipping `"nanmean"` … `"nansum"`, or a function). A NaN y gives NaN, as numpy; see
   * {@linkcode removeDuplicatesGetEval} for the rules.
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
    return allParams(this.#rows(), options.section);
  }
}
