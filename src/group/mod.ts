/**
 * Many runs: {@linkcode StorageManagerGroup} loads every run of one name and sorts, queries, lists and
 * aggregates them; the query language ({@linkcode parseQuery}), the order of values
 * ({@linkcode compareParamValues}), the reducers ({@linkcode removeDuplicatesGetEval}) and the reports
 * (CSV, Markdown and console tables, SVG plots) work on their own as well.
 *
 * What lives here: `group.ts` (the class), `group_views.ts` (its tables, plots, schema, statistics), `_load.ts` (reading a group folder), `_lists.ts` (the list
 * functions), `options.ts`, `order.ts`, `query.ts` with `_query_tokens.ts` and `_query_eval.ts`,
 * `query_error.ts`, `reducers.ts`, `schema.ts` (what each parameter is), `aggregate.ts` and
 * `aggregate_np.ts` (statistics across repeats, with `_group_by.ts`, `_value_key.ts`, `_student_t.ts`,
 * `_sweep_record.ts`), `table.ts`, `plot.ts` with `_plot_layout.ts`, `_plot_axes.ts` and
 * `_plot_draw.ts`, `_text.ts` (text helpers of tables and plots), and `report.ts` (tables and plots
 * together). It may import `src/run/` (one run), `src/formats/`, `src/layout.ts` and `src/errors.ts`,
 * never `runner/`.
 *
 * @example Load, sort by a score and query
 * ```ts
 * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * const dataFolder = await Deno.makeTempDir();
 * for (const [n, score] of [[10, 0.5], [2000, 0.9], [5000, "failed"]] as const) {
 *   await (await StorageManager.create("G", { dataFolder })).saveParamDict({ n, score });
 * }
 * const smg = await StorageManagerGroup.load("G", { dataFolder });
 * console.log(smg.sortBy("score", { descending: true }).getParamList("score")); // [0.9, 0.5, "failed"]
 * console.log(smg.query("n>1000").length); // 2
 * ```
 *
 * @module
 */

export { StorageManagerGroup } from "./group.ts";
export { GroupViews } from "./group_views.ts";
export type {
  GroupIndexUse,
  GroupLoadError,
  GroupLoadOptions,
  GroupPlotOptions,
  GroupTableOptions,
  ListOptions,
  QueryOptions,
  SortByOptions,
} from "./options.ts";
export { compareParamValues, type ParamOrderOptions } from "./order.ts";
export { parseQuery, type Query, QueryError } from "./query.ts";
export { getReducer, type Reducer, type ReducerName, removeDuplicatesGetEval } from "./reducers.ts";
export {
  type Aggregate,
  AGGREGATE_STATS,
  type AggregateOptions,
  type AggregateRow,
  aggregateRuns,
  type AggregateStat,
  aggregateTable,
  type ValueStats,
  valueStats,
} from "./aggregate.ts";
export { type AggregateNpOptions, type AggregateNpRow, aggregateNpRuns } from "./aggregate_np.ts";
export {
  type GroupSchema,
  groupSchema,
  type ParamRole,
  type ParamSchema,
  type ValueType,
} from "./schema.ts";
// The reports (tables and plots): report.ts names them, once.
export * from "./report.ts";
