/**
 * The check of a search's options and objective before anything starts (called by `checkSweepOptions`):
 * types, ranges, the constraints' syntax, and through `_check_genes.ts` the option names, bounds and start
 * genomes.
 *
 * @module
 */

import { parseQuery, QueryError } from "../../src/group/query.ts";
import { checkBounds, checkGenes, checkKeys, isPlainObject } from "./_check_genes.ts";
import { geneNames, type Objective, type SearchOptions } from "./options.ts";
import { checkNotCreationTime } from "../values.ts";

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
  // `time` is each run's creation time, never a result (a result of that name is refused): a search for
  // the largest `time` ran and ranked its runs by when they were made.
  checkNotCreationTime("objective.key", objective.key);
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
