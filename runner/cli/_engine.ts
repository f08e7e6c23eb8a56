/**
 * The one place where the CLI calls the sweep engine, written against the engine↔CLI contract of issue 8
 * (`runner/events.ts`): `runSweep` takes `signal`, `graceMs` and `onEvent`, never prints, never exits and
 * installs no signal handler; `backend` is `"local"` or `"slurm"`.
 *
 * Until that engine is merged, `runSweep` still prints its own progress and summary and traps SIGINT:
 * the `legacy` options below switch off what they can (its progress and its `Deno.exit`). Once the engine
 * is merged they are ignored properties and can be deleted together with the `Omit` below.
 *
 * @module
 */

import { runSweep, type RunSweepOptions, type SweepResult } from "../mod.ts";
import type { SweepEvent } from "../events.ts";

/** The sweep options the CLI passes, as the engine contract defines them. */
export type EngineOptions = Omit<RunSweepOptions, "backend" | "progress" | "exitOnInterrupt"> & {
  /** Where the runs run. @default {"local"} */
  backend?: "local" | "slurm";
  /** Aborting it stops the sweep (no new runs, `ctx.signal` aborted, grace period, kill). */
  signal?: AbortSignal;
  /** How long simulations get to return after a stop, in milliseconds. @default {3000} */
  graceMs?: number;
  /** Receives every event of the sweep. */
  onEvent?: (e: SweepEvent) => void;
};

/**
 * Runs a sweep with the engine (see the module doc).
 *
 * @param options The sweep.
 * @returns What the engine returns.
 *
 * @example
 * ```ts ignore
 * import { startSweep } from "./_engine.ts";
 * const result = await startSweep({ name: "Demo", simulation: "./sim.ts", grid: { n: [1, 2] } });
 * ```
 */
export function startSweep(options: EngineOptions): Promise<SweepResult> {
  const { backend, ...rest } = options;
  const legacy = { progress: false, exitOnInterrupt: false };
  return runSweep({ ...rest, ...legacy, ...(backend === "slurm" ? { backend } : {}) });
}
