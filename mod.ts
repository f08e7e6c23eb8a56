/**
 * sweepstore: PymoNNto's StorageManager and StorageManagerGroup for Deno, with files Python reads exactly
 * (`config.ini` by configparser, `.npy` by numpy, objects as CBOR), and a parameter-sweep runner.
 *
 * @example Store a run, then analyse all runs of its name
 * ```ts
 * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * const dataFolder = await Deno.makeTempDir();
 * const sm = await StorageManager.create("MyName", { randomNr: true, dataFolder });
 * await sm.saveParamDict({ n: 1000, score: 0.93 });
 * await sm.saveNp("weights", { data: new Float32Array(12), shape: [3, 4] });
 * const smg = await StorageManagerGroup.load("MyName", { dataFolder });
 * console.log(smg.sortBy("score").getParamList("score")); // [0.93]
 * ```
 *
 * The root export is the everyday API (~50 symbols): one run ({@linkcode StorageManager},
 * {@linkcode Recorder}), many runs ({@linkcode StorageManagerGroup}, the query language, the order of values,
 * the reducers), the error kinds, and the sweep runner's entry point ({@linkcode runSweep}). The file formats
 * and the rest of the runner have subpath exports of their own: `./npy`, `./ini`, `./params`, `./objects`,
 * `./pickle`, `./png`, `./video`, `./backup`, `./query`, `./report`, `./runner`, `./cli`.
 *
 * @module
 */

// One run
export {
  type CopyProjectFilesOptions,
  type LoadNpOptions,
  type LoadParamOptions,
  type ParamSections,
  type SaveRecorderOptions,
  type SectionOptions,
  StorageManager,
  type StorageManagerOptions,
} from "./src/run/storage_manager.ts";
export type { RenderVideoOptions } from "./src/run/frames.ts";
export { RunParams } from "./src/run/run_params.ts";
export { Recorder, type RecordValue } from "./src/run/recorder.ts";
export {
  type CreateRunFolderOptions,
  findDataFolder,
  type FindDataFolderOptions,
} from "./src/run/data_folder.ts";
export type { BackupOptions } from "./src/formats/backup.ts";
export type { EncodeVideoOptions } from "./src/formats/video.ts";
export { checkParamKeys } from "./src/run/param_keys.ts";
export { groupFolder } from "./src/layout.ts";

// Values and arrays as they are stored
export type { ArrayInput, DType, NdArray, NestedArray, TypedArray } from "./src/formats/ndarray.ts";
export type { Cell, Table, TextTableOptions } from "./src/group/table.ts";
export type { ParamValue } from "./src/formats/params.ts";

// Many runs
export {
  compareParamValues,
  getReducer,
  type GroupIndexUse,
  type GroupLoadError,
  type GroupLoadOptions,
  type GroupPlotOptions,
  type GroupTableOptions,
  GroupViews,
  type ListOptions,
  type ParamOrderOptions,
  parseQuery,
  type Query,
  QueryError,
  type QueryOptions,
  type Reducer,
  type ReducerName,
  removeDuplicatesGetEval,
  type SortByOptions,
  StorageManagerGroup,
} from "./src/group/mod.ts";

// Analysis across repeats
export {
  type Aggregate,
  type AggregateNpOptions,
  type AggregateNpRow,
  aggregateNpRuns,
  type AggregateOptions,
  type AggregateRow,
  aggregateRuns,
  type AggregateStat,
  aggregateTable,
  type GroupSchema,
  groupSchema,
  type ParamRole,
  type ParamSchema,
  type ValueStats,
  valueStats,
  type ValueType,
} from "./src/group/mod.ts";

// Errors callers catch by kind
export { StorageError, type StorageErrorCode, storageErrorCode } from "./src/errors.ts";

// The sweep runner (the rest: "@sweepstore/sweepstore/runner")
export {
  type FailureReason,
  type RunRecord,
  type RunStatus,
  runSweep,
  type RunSweepOptions,
  type Simulate,
  type SimulationContext,
  SimulationLoadError,
  type SweepCounts,
  type SweepEvent,
  sweepEvents,
  type SweepResult,
} from "./runner/mod.ts";
