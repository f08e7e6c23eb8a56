/**
 * The sweep runner: `runSweep` runs a simulation module over a parameter grid, random samples or explicit
 * points, each run in its own randomly named run folder, in a pool of local subprocess slots (or as a SLURM
 * job array), then writes the group analysis. It never prints, exits or installs signal handlers: progress
 * comes as events (`onEvent`, `sweepEvents`), stopping through `signal`.
 *
 * @example
 * ```ts ignore
 * import { runSweep } from "@sweepstore/sweepstore/runner";
 * const result = await runSweep({
 *   name: "MySweep",
 *   simulation: new URL("./sim.ts", import.meta.url),
 *   grid: { n: [100, 1000], lr: [0.1, 0.01] },
 *   repeats: 3,
 *   timeoutMs: 60_000,
 * });
 * console.log(result.runs.filter((r) => r.status === "done").length);
 * ```
 *
 * @module
 */

export { runSweep, sweepEvents, type SweepResult } from "./run_sweep.ts";
export { checkSweepOptions, DEFAULT_GRACE_MS, type RunSweepOptions } from "./sweep_options.ts";
export type { FailureReason, RunRecord, RunStatus, SweepCounts, SweepEvent } from "./events.ts";
export {
  expandSweep,
  mulberry32,
  type Params,
  pointKey,
  type RandomSpec,
  type SweepSpec,
  type SweepTask,
} from "./sweep.ts";
export {
  type ClaimOutcome,
  claimTask,
  loadSimulation,
  runTask,
  type RunTaskOptions,
  type Simulate,
  type SimulationContext,
  SimulationLoadError,
} from "./task.ts";
export {
  checkNotCreationTime,
  checkParams,
  checkResult,
  checkStorable,
  ResultError,
} from "./values.ts";
export {
  findRunningFolder,
  firstConfigText,
  markRun,
  readResultKeys,
  readRunSection,
  RESULT_KEYS,
  RUN_SECTION,
  type RunMark,
  type RunSection,
  type RunState,
  writeRunSection,
} from "./run_record.ts";
export { runSectionsOf } from "./run_sections.ts";
export { ownerAlive, OwnerLock, PointClaim, pruneOwners, removeOwnerFilesOf } from "./claims.ts";
export { type ReconcileResult, reconcileRuns } from "./reconcile.ts";
export {
  denoRunArgs,
  type DenoRunOptions,
  permissionFlags,
  type PermissionOptions,
} from "./command.ts";
export {
  type Backend,
  type BackendContext,
  type BackendOutcome,
  type RecordSink,
  type SweepPlan,
  Tally,
} from "./backend.ts";
export { LocalPool, type LocalPoolOptions, type PoolConfig, type PoolEvent } from "./local/pool.ts";
export { LocalBackend } from "./local/backend.ts";
export {
  type PointSummary,
  type SummaryObjective,
  type SummaryOptions,
  type SweepSummary,
  writeSummary,
} from "./summary.ts";
export * from "./slurm/slurm.ts";
export { checkSearchOptions } from "./search/check_options.ts";
export {
  type Evaluation,
  type GeneBounds,
  type Objective,
  type Optimizer,
  type SearchOptions,
} from "./search/options.ts";
export { type GenerationStats, type SearchBest, type SearchOutcome } from "./search/driver.ts";
