/**
 * The options of an adaptive search (`runSweep({ search, objective })`) and their check before anything
 * starts: the method, the bounds of each gene, the constraints (the query language of
 * `src/group/query.ts`, never `eval`), the objective, and a bring-your-own {@linkcode Optimizer}.
 *
 * @module
 */

import type { RunStatus } from "../events.ts";
import type { Params } from "../sweep.ts";

/**
 * The range of one searched parameter (a gene).
 *
 * @example
 * ```ts
 * import type { GeneBounds } from "@sweepstore/sweepstore/runner";
 * const lr: GeneBounds = { min: 1e-5, max: 1, log: true };
 * const n: GeneBounds = { min: 10, max: 10_000, integer: true, steps: 4 };
 * console.log(lr.log, n.integer); // true true
 * ```
 */
export interface GeneBounds {
  /** Smallest value (inclusive). */
  min: number;
  /** Largest value (inclusive). */
  max: number;
  /**
   * Sample (random, grid) on a log scale; needs `min > 0`.
   * @default {false}
   */
  log?: boolean;
  /**
   * Round the value to an integer.
   * @default {false}
   */
  integer?: boolean;
  /**
   * `method: "grid"`: how many values between min and max (inclusive; log-spaced with `log`).
   * @default {5}
   */
  steps?: number;
}

/**
 * One evaluation of a search, as an optimizer is told it.
 *
 * @example
 * ```ts
 * import type { Evaluation } from "@sweepstore/sweepstore/runner";
 * const failed: Evaluation = {
 *   params: { x: 2 }, fitness: -Infinity, status: "failed", path: "/d/E/E7", generation: 0, individual: 3,
 * };
 * console.log(failed.fitness); // -Infinity: it ranks last
 * ```
 */
export interface Evaluation {
  /** The parameters evaluated. */
  params: Params;
  /** The objective's value as the run saved it; `undefined` when the run saved none or did not end `done`. */
  value?: number;
  /**
   * The value to maximize: `value` (maximize) or `-value` (minimize); `-Infinity` for a failed, timed-out
   * or interrupted run, a NaN or a missing value (the worst fitness: it ranks last).
   */
  fitness: number;
  /** How the run ended. */
  status: RunStatus;
  /** The run folder (`""` when none could be created). */
  path: string;
  /** The generation (batch) it belonged to, 0-based. */
  generation: number;
  /** Its position in the generation, 0-based. */
  individual: number;
}

/**
 * A bring-your-own optimizer (CMA-ES, TPE, anything from npm): the runner asks it for `n` points per
 * generation, runs them as ordinary runs, and tells it the evaluations. `ask` returning `[]` ends the search.
 * For `resume` to reuse finished runs, `ask` must return the same points when given the same history.
 *
 * @example
 * ```ts
 * import { type Optimizer, runSweep } from "@sweepstore/sweepstore/runner";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = (p) => ({ loss: (p.x - 0.3) ** 2 });");
 * // A coordinate search halving its step: any optimizer from npm plugs in the same way.
 * let x = 0, step = 0.5;
 * const optimizer: Optimizer = {
 *   ask: (n) => step < 0.01 ? [] : [{ x: x - step }, { x }, { x: x + step }].slice(0, n),
 *   tell(results) {
 *     x = Number(results.sort((a, b) => b.fitness - a.fitness)[0].params.x);
 *     step /= 2;
 *   },
 * };
 * const result = await runSweep({
 *   name: "AskTell", simulation: `${dir}/sim.ts`, dataFolder: `${dir}/Data`, concurrency: 1,
 *   search: { optimizer, population: 3 }, objective: { key: "loss", goal: "minimize" },
 * });
 * console.log(result.best?.params); // { x: 0.296875 }, after 6 generations of 3 runs
 * ```
 */
export interface Optimizer {
  /** The next points to evaluate (at most `n`, more is a `RangeError`; finite numbers; `[]` ends the search). */
  ask(n: number): Params[] | Promise<Params[]>;
  /** The evaluations of the points of the last `ask`, in the same order. */
  tell(results: Evaluation[]): void | Promise<void>;
}

/**
 * What a search optimizes.
 *
 * @example
 * ```ts
 * import type { Objective } from "@sweepstore/sweepstore/runner";
 * const objective: Objective = { key: "loss", goal: "minimize" };
 * console.log(objective.goal); // "minimize"
 * ```
 */
export interface Objective {
  /** The parameter each run saves (returned by `simulate`, or saved with `sm.saveParam`). */
  key: string;
  /** Whether larger or smaller is better. */
  goal: "maximize" | "minimize";
}

/**
 * An adaptive search: evolution (PymoNNto's `Evolution`), random or grid search over `bounds`, or any
 * {@linkcode Optimizer}. Evaluations (runs): evolution `population × generations` (or exactly `budget`;
 * with `reevaluate: false`, `population + (generations − 1) × (population − survivors)`, where survivors
 * = `population − floor(population × deathRate)`), random
 * exactly `budget` (or `population × generations`; the start genomes count), grid the start genomes then the
 * points of the grid that meet the constraints
 * (at most `budget`), an optimizer `population` per generation until `generations`, `budget` or an empty ask.
 *
 * @example
 * ```ts
 * import { runSweep } from "@sweepstore/sweepstore/runner";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = (p) => ({ score: -((p.lr - 0.1) ** 2) - p.n / 1e4 });");
 * const result = await runSweep({
 *   name: "Evo", simulation: `${dir}/sim.ts`, dataFolder: `${dir}/Data`, concurrency: 2,
 *   search: {
 *     method: "evolution", start: [{ lr: 0.01, n: 100 }], population: 4, generations: 2, mutation: 0.1,
 *     bounds: { lr: { min: 1e-5, max: 1, log: true }, n: { min: 10, max: 10_000, integer: true } },
 *     constraints: ["n >= 10"], seed: 1,
 *   },
 *   objective: { key: "score", goal: "maximize" },
 * });
 * console.log(result.runs.length, result.best?.generation); // 8 runs (4 × 2); the best's generation
 * ```
 */
export interface SearchOptions {
  /**
   * The built-in method (ignored with `optimizer`).
   * @default {"evolution"}
   */
  method?: "evolution" | "random" | "grid";
  /** A bring-your-own optimizer instead of a built-in method. */
  optimizer?: Optimizer;
  /**
   * Start genomes (PymoNNto's `start_genomes`): evaluated first in generation 0 (built-in methods); a
   * bounded gene a genome lacks is drawn.
   */
  start?: Params[];
  /**
   * Individuals per generation (evaluations run at once, as one job array on SLURM).
   * @default {16}
   */
  population?: number;
  /** Generations to run. Evolution and random: one of `generations` and `budget` is needed. */
  generations?: number;
  /** Evaluations to make, in all (the last generation is cut to fit). */
  budget?: number;
  /**
   * Evolution: each gene of a child is its parent's plus Gaussian noise of σ = |gene| × mutation
   * (PymoNNto's rule; a gene of 0 gets σ = (max − min) × mutation).
   * @default {0.05}
   */
  mutation?: number;
  /**
   * Evolution: the share of each generation (its worst) that does not survive into the next, in [0, 1).
   * @default {0.5}
   */
  deathRate?: number;
  /**
   * Evolution: evaluate the survivors again in each generation (PymoNNto's default `re_eval_inds`: right for
   * noisy scores). With `false` they keep their evaluation and only the children are run: a generation then
   * costs `population − survivors` runs after the first.
   * @default {true}
   */
  reevaluate?: boolean;
  /** The range of each gene; every gene needs bounds, or a value in `start`. */
  bounds?: Record<string, GeneBounds>;
  /** Conditions every evaluated point meets, in the query language (`"b >= a"`, `"n < 1000 and lr > 0"`). */
  constraints?: string[];
  /**
   * The search's seed: the same seed and the same scores give the same search.
   * @default {the sweep's `seed`, else 0}
   */
  seed?: number;
}

/**
 * The genes of a search: the keys of its bounds and of its start genomes (lowercase keys kept as given).
 *
 * @example
 * ```ts
 * import { geneNames } from "./options.ts";
 * console.log(geneNames({ bounds: { lr: { min: 0, max: 1 } }, start: [{ lr: 0.1, n: 5 }] })); // [ "lr", "n" ]
 * ```
 */
export function geneNames(search: SearchOptions): string[] {
  const names = new Set(Object.keys(search.bounds ?? {}));
  for (const s of search.start ?? []) for (const k of Object.keys(s)) names.add(k);
  return [...names];
}
