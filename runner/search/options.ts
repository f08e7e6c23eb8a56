/**
 * The options of an adaptive search (`runSweep({ search, objective })`) and their check before anything
 * starts: the method, the bounds of each gene, the constraints (the query language of
 * `src/group/query.ts`, never `eval`), the objective, and a bring-your-own {@linkcode Optimizer}.
 *
 * @module
 */

import { parseQuery, QueryError } from "../../src/group/query.ts";
import type { RunStatus } from "../events.ts";
import type { Params } from "../sweep.ts";
import { checkBounds, checkGenes, checkKeys, isPlainObject } from "./_check_genes.ts";

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

function count(name: string, v: unknown, min: number): void {
  if (v === undefined) return;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) {
    throw new RangeError(`search.${name} must be an integer ≥ ${min}, not ${String(v)}`);
  }
}

/** Parses the constraints; a malformed one is a `QueryError` naming it. */
function checkConstraints(constraints: unknown): void {
  if (constraints === undefined) return;
  if (!Array.isArray(constraints) || constraints.some((c) => typeof c !== "string")) {
    throw new TypeError('search.constraints must be an array of conditions, e.g. ["b >= a"]');
  }
  constraints.forEach((c, i) => {
    try {
      parseQuery(c);
    } catch (err) {
      if (err instanceof QueryError) err.message = `search.constraints[${i}]: ${err.message}`;
      throw err;
    }
  });
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

/**
 * Checks a search and its objective before anything starts (called by `checkSweepOptions`).
 *
 * @throws {TypeError} A wrong type, no genes, a gene without bounds or start value, no objective.
 * @throws {RangeError} A number out of range (population 0, deathRate 1, min > max, budget and generations
 * both missing for evolution or random), or `slurm.wait: false` (a search follows its generations).
 * @throws {QueryError} A constraint that does not parse.
 *
 * @example
 * ```ts
 * import { checkSearchOptions } from "@sweepstore/sweepstore/runner";
 * try {
 *   checkSearchOptions({ bounds: { x: { min: 0, max: 1 } }, deathRate: 1 }, { key: "score", goal: "maximize" });
 * } catch (e) {
 *   console.log((e as Error).message); // search.deathRate must be a number in [0, 1), not 1 …
 * }
 * ```
 */
export function checkSearchOptions(search: SearchOptions, objective: Objective | undefined): void {
  if (!isPlainObject(search as unknown)) {
    throw new TypeError('search must be an object, e.g. { method: "evolution", … }');
  }
  if (
    !isPlainObject(objective as unknown) || !objective || typeof objective.key !== "string" ||
    !objective.key
  ) {
    throw new TypeError('a search needs objective: { key: "score", goal: "maximize" }');
  }
  if (objective.goal !== "maximize" && objective.goal !== "minimize") {
    throw new TypeError(
      `objective.goal must be "maximize" or "minimize", not ${JSON.stringify(objective.goal)}`,
    );
  }
  checkKeys(search as unknown as Record<string, unknown>);
  const method = search.method;
  if (method !== undefined && !["evolution", "random", "grid"].includes(method)) {
    throw new TypeError(
      `search.method must be "evolution", "random" or "grid", not ${JSON.stringify(method)}`,
    );
  }
  const opt = search.optimizer;
  if (opt !== undefined && (typeof opt?.ask !== "function" || typeof opt?.tell !== "function")) {
    throw new TypeError("search.optimizer must have ask(n) and tell(results) methods");
  }
  count("population", search.population, 1);
  count("generations", search.generations, 1);
  count("budget", search.budget, 1);
  const m = search.mutation;
  if (m !== undefined && (typeof m !== "number" || !Number.isFinite(m) || m < 0)) {
    throw new RangeError(`search.mutation must be a finite number ≥ 0, not ${String(m)}`);
  }
  const d = search.deathRate;
  if (d !== undefined && (typeof d !== "number" || !(d >= 0 && d < 1))) {
    throw new RangeError(
      `search.deathRate must be a number in [0, 1), not ${String(d)}: 0.5 kills half`,
    );
  }
  if (search.reevaluate !== undefined && typeof search.reevaluate !== "boolean") {
    throw new TypeError(
      `search.reevaluate must be true or false, not ${String(search.reevaluate)}`,
    );
  }
  if (search.seed !== undefined && !Number.isFinite(search.seed)) {
    throw new RangeError(`search.seed must be a finite number, not ${search.seed}`);
  }
  if (
    search.start !== undefined &&
    (!Array.isArray(search.start) || !search.start.every(isPlainObject))
  ) {
    throw new TypeError("search.start must be an array of parameter objects, e.g. [{ lr: 0.01 }]");
  }
  checkBounds(search.bounds);
  checkConstraints(search.constraints);
  checkGenes(search, geneNames(search));
  if (geneNames(search).some((g) => g.toLowerCase() === objective.key.toLowerCase())) {
    throw new TypeError(
      `objective.key "${objective.key}" is also a searched parameter: a run cannot save its result ` +
        "under the name of one of its parameters (configparser folds case); rename one of them",
    );
  }
  if (!opt && (method ?? "evolution") !== "grid" && !search.generations && !search.budget) {
    throw new RangeError(
      `search.method "${
        method ?? "evolution"
      }" needs generations or budget (evaluations), e.g. generations: 10`,
    );
  }
}
