/**
 * GroupViews: what can be made of a group's runs without changing them — tables (CSV, Markdown,
 * console), SVG plots, the schema of its parameters and statistics across repeats. The base of
 * {@linkcode StorageManagerGroup}, which holds the runs and gives their rows to these views.
 *
 * @module
 */

import type { StorageManager } from "../run/storage_manager.ts";
import type { RunRows } from "./_index_rows.ts";
import { plotRuns, runsTable } from "./_lists.ts";
import { type Aggregate, type AggregateOptions, aggregateRows } from "./aggregate.ts";
import { type AggregateNpOptions, type AggregateNpRow, aggregateNpRuns } from "./aggregate_np.ts";
import type { GroupPlotOptions, GroupTableOptions } from "./options.ts";
import { type GroupSchema, schemaOfRows } from "./schema.ts";
import { type Table, toConsoleTable, toCSV, toMarkdown } from "./table.ts";

const providers = new WeakMap<GroupViews, () => RunRows>();

/** Internal: ties a group to the reader of its rows (its constructor calls it). */
export function provideRows(group: GroupViews, rows: () => RunRows): void {
  providers.set(group, rows);
}

/**
 * The runs of `group` as rows (internal, not exported by `mod.ts`): the group's columns read without a
 * `StorageManager` per run, in the current order (through `runs` once a caller took it).
 */
export function rowsOf(group: GroupViews): RunRows {
  const rows = providers.get(group);
  if (!rows) throw new TypeError("a GroupViews without runs: use StorageManagerGroup.load");
  return rows();
}

/**
 * The views of a group's runs (see {@linkcode StorageManagerGroup}, the class to use).
 *
 * @example
 * ```ts
 * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * const dataFolder = await Deno.makeTempDir();
 * await (await StorageManager.create("V", { dataFolder })).saveParamDict({ n: 1, score: 0.5 });
 * const smg = await StorageManagerGroup.load("V", { dataFolder });
 * console.log(smg.toCSV(["n", "score"])); // run,n,score\r\nV1,1,0.5\r\n
 * ```
 */
export abstract class GroupViews {
  /** The group's name. */
  abstract readonly name: string;
  /** The runs as `StorageManager` objects, in the current order. */
  abstract get runs(): StorageManager[];

  /**
   * The runs as a table, in the current order: a `run` column with the folder name (`run_run` beside a
   * parameter named `run`, so that no CSV header names a column twice), then one column per
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
    return runsTable(rowsOf(this), params, options);
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
    return plotRuns(rowsOf(this), this.name, options);
  }

  /**
   * The schema of the group (see {@linkcode groupSchema}): each parameter's types, distinct-value count,
   * range and missing count, and which parameters are swept (from the sweep records), varying, constant or
   * bookkeeping (`time`, `seed`, `repeat`, the `[Run]` fields).
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * for (const n of [1, 2]) await StorageManager.create("Sc", { dataFolder, params: { Parameters: { n } } });
   * console.log((await StorageManagerGroup.load("Sc", { dataFolder })).schema().varying); // ["n"]
   * ```
   */
  schema(): GroupSchema {
    return schemaOfRows(rowsOf(this));
  }

  /**
   * One row per distinct combination of the `by` values (per point, by default the sweep's swept
   * parameters) with the count, mean, std (ddof=1), sem, 95 % CI (Student's t), min and max of each result
   * (see {@linkcode aggregateRuns} for the conventions).
   *
   * @throws {TypeError} When `by` is omitted and the runs carry no sweep record (PymoNNto's): name the axes.
   * @throws {RangeError} For a `confidence` outside (0, 1), an unknown `nan` policy or statistic, or a `by` or
   *   `values` parameter that no run has.
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * for (const [n, score] of [[1, 0.5], [1, 0.7], [2, 0.9]]) {
   *   await StorageManager.create("Ag", { dataFolder, params: { Parameters: { n, score } } });
   * }
   * const smg = await StorageManagerGroup.load("Ag", { dataFolder });
   * console.log(smg.aggregate({ by: ["n"] }).rows.map((r) => r.values.score.mean)); // [0.6, 0.9]
   * ```
   */
  aggregate(options: AggregateOptions = {}): Aggregate {
    return aggregateRows(rowsOf(this), options);
  }

  /**
   * The element-wise mean and std (ddof=1) of `<key>.npy` across the runs of each point (see
   * {@linkcode aggregateNpRuns}).
   *
   * @throws {TypeError} When `by` is omitted and the runs carry no sweep record.
   * @throws {RangeError} When a `by` parameter is held by no run.
   * @throws {StorageError} Code `unsupported` when the arrays of one point differ in shape.
   *
   * @example
   * ```ts
   * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * for (const v of [[0, 2], [2, 4]]) {
   *   await (await StorageManager.create("AN", { dataFolder, params: { Parameters: { n: 1 } } })).saveNp("v", v);
   * }
   * const smg = await StorageManagerGroup.load("AN", { dataFolder });
   * console.log((await smg.aggregateNp("v", { by: ["n"] }))[0].mean.data); // Float64Array(2) [1, 3]
   * ```
   */
  async aggregateNp(key: string, options: AggregateNpOptions = {}): Promise<AggregateNpRow[]> {
    return await aggregateNpRuns(this.runs, key, options);
  }
}
