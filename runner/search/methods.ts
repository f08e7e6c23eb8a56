/**
 * The search methods besides evolution, through the same {@linkcode Strategy} path: random search, grid
 * search, and a bring-your-own {@linkcode Optimizer} (ask/tell).
 *
 * @module
 */

import type { Params } from "../sweep.ts";
import { type Candidate, Evolution, type Strategy } from "./evolution.ts";
import type { Evaluation, Optimizer, SearchOptions } from "./options.ts";
import { SearchSpace, seededRand } from "./space.ts";

/** The start genomes in bounds, each meeting the constraints (missing genes drawn with seed `seed`). */
function startPoints(search: SearchOptions, space: SearchSpace, seed: number): Params[] {
  const rand = seededRand(seed, "start");
  return (search.start ?? []).map((s, i) => space.startPoint(s, i, rand));
}

/**
 * Random search: the start genomes, then uniform (log-uniform with `log`) draws within the bounds that meet
 * the constraints. Point k draws from a generator seeded by (seed, k): the points do not depend on the
 * generation size.
 *
 * @example
 * ```ts
 * import { RandomSearch } from "./methods.ts";
 * const random = new RandomSearch({ bounds: { x: { min: 0, max: 1 } }, budget: 3 }, 1);
 * console.log((await random.ask(0, 3)).map((c) => c.params.x).every((x) => Number(x) <= 1)); // true
 * ```
 */
export class RandomSearch implements Strategy {
  readonly #space: SearchSpace;
  readonly #start: Params[];
  readonly #seed: number;
  #next = 0;

  /** A random search over `search` (checked before). */
  constructor(search: SearchOptions, seed: number) {
    this.#space = new SearchSpace(search);
    this.#start = startPoints(search, this.#space, seed);
    this.#seed = seed;
  }

  /** @inheritdoc */
  ask(_generation: number, n: number): Promise<Candidate[]> {
    const out: Candidate[] = [];
    for (let i = 0; i < n; i++, this.#next++) {
      const k = this.#next;
      const params = k < this.#start.length
        ? this.#start[k]
        : this.#space.sample(seededRand(this.#seed, `random:${k}`));
      out.push({ params, parents: [] });
    }
    return Promise.resolve(out);
  }

  /** @inheritdoc */
  tell(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Grid search: the start genomes, then the grid of the bounds (`steps` per gene) meeting the constraints.
 *
 * @example
 * ```ts
 * import { GridSearch } from "./methods.ts";
 * const grid = new GridSearch({ bounds: { x: { min: 0, max: 1, steps: 3 } } });
 * console.log((await grid.ask(0, 5)).map((c) => c.params.x)); // [ 0, 0.5, 1 ]
 * ```
 */
export class GridSearch implements Strategy {
  readonly #points: Params[];
  #next = 0;

  /** A grid search over `search` (checked before). */
  constructor(search: SearchOptions, seed = 0) {
    const space = new SearchSpace(search);
    this.#points = [...startPoints(search, space, seed), ...space.grid()];
  }

  /** How many points the grid has. */
  get size(): number {
    return this.#points.length;
  }

  /** @inheritdoc */
  ask(_generation: number, n: number): Promise<Candidate[]> {
    const out = this.#points.slice(this.#next, this.#next + n).map((params) => ({
      params,
      parents: [],
    }));
    this.#next += out.length;
    return Promise.resolve(out);
  }

  /** @inheritdoc */
  tell(): Promise<void> {
    return Promise.resolve();
  }
}

/** A bring-your-own optimizer as a strategy; its points are checked against the bounds and constraints. */
class OptimizerStrategy implements Strategy {
  readonly #optimizer: Optimizer;
  readonly #space: SearchSpace;

  constructor(optimizer: Optimizer, search: SearchOptions) {
    this.#optimizer = optimizer;
    this.#space = new SearchSpace(search);
  }

  async ask(generation: number, n: number): Promise<Candidate[]> {
    const points = await this.#optimizer.ask(n);
    if (!Array.isArray(points)) {
      throw new TypeError(`search.optimizer.ask(${n}) must return an array of parameter objects`);
    }
    if (points.length > n) {
      throw new RangeError(
        `search.optimizer.ask(${n}) returned ${points.length} points: return at most ${n} ` +
          "(set search.population to your optimizer's batch size)",
      );
    }
    return points.map((p, i) => {
      if (!p || typeof p !== "object" || Array.isArray(p)) {
        throw new TypeError(
          `search.optimizer.ask(): point ${i} of generation ${generation} is not an object`,
        );
      }
      this.#checkNumbers(p, i, generation);
      const params = this.#space.clipAll(p);
      if (!this.#space.allowed(params)) {
        throw new RangeError(
          `search.optimizer.ask(): point ${
            JSON.stringify(params)
          } does not meet search.constraints`,
        );
      }
      return { params, parents: [] };
    });
  }

  /** A bounded gene must be a number; no value may be NaN or ±Infinity (a run would save it as such). */
  #checkNumbers(p: Params, i: number, generation: number): void {
    for (const [key, v] of Object.entries(p)) {
      const bounded = this.#space.genes.includes(key);
      if ((bounded && typeof v !== "number") || (typeof v === "number" && !Number.isFinite(v))) {
        throw new TypeError(
          `search.optimizer.ask(): point ${i} of generation ${generation} has ${key} = ` +
            `${typeof v === "number" ? v : JSON.stringify(v)}: give a finite number`,
        );
      }
    }
  }

  async tell(_generation: number, evaluations: Evaluation[]): Promise<void> {
    await this.#optimizer.tell(evaluations);
  }
}

/**
 * The strategy of a (checked) search.
 *
 * @example
 * ```ts
 * import { makeStrategy } from "./methods.ts";
 * const grid = makeStrategy({ method: "grid", bounds: { x: { min: 0, max: 1, steps: 2 } } }, 0);
 * console.log((await grid.ask(0, 9)).length); // 2
 * ```
 */
export function makeStrategy(search: SearchOptions, seed: number): Strategy {
  if (search.optimizer) return new OptimizerStrategy(search.optimizer, search);
  switch (search.method ?? "evolution") {
    case "random":
      return new RandomSearch(search, seed);
    case "grid":
      return new GridSearch(search, seed);
    default:
      return new Evolution(search, seed);
  }
}
