/**
 * The SLURM backend's public functions in one place: submit (`submit.ts`), follow and collect
 * (`collect.ts`, `squeue.ts`), the sweep file (`sweep_file.ts`) and the options (`options.ts`). The same
 * sweep as a local one, as a job array: each array task runs its chunk of points exactly as a local slot
 * does (`runner/slurm/array_task.ts`).
 *
 * @module
 */

export type { SlurmOptions, SlurmSubmission } from "./options.ts";
export {
  type ArrayPlan,
  type ClusterLimits,
  clusterLimits,
  DEFAULT_TASK_MINUTES,
  planArrays,
  type PlanInput,
} from "./limits.ts";
export { type Accounts, killedForMemory, type TaskAccount, taskAccounts } from "./accounting.ts";
export { type PointState, type SweepStatusRun, taskRanges } from "./status.ts";
export { submitSweep, type SubmitSweepOptions } from "./submit.ts";
export { arrayStates } from "./squeue.ts";
export {
  type CollectOptions,
  collectSweep,
  slurmCounts,
  slurmRunInfo,
  type SweepStatus,
  sweepStatus,
  waitForSweep,
} from "./collect.ts";
export {
  listSweepFiles,
  readSweepFile,
  slurmTaskId,
  type SweepArray,
  sweepArrays,
  type SweepFile,
  writeSweepFile,
} from "./sweep_file.ts";
export { SlurmBackend } from "./backend.ts";
