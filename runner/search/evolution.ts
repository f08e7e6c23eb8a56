/**
 * The evolution method, PymoNNto's `Evolution` made deterministic: generation 0 is the start genomes, the
 * rest drawn within the bounds; each next generation keeps the best `1 − deathRate` share of the last one
 * (evaluated again, as PymoNNto does by default since scores may be noisy; with `reevaluate: false` they
 * keep their evaluation and cost no run) and fills up with children
 * of two parents drawn by rank (the best most often), each gene taken from either parent plus Gaussian
 * noise of σ = |gene| × mutation, put back into the bounds, redrawn until the constraints hold.
 * Generation g draws its random numbers from a generator seeded by (seed, g) only: the same seed and the
 * same scores give the same search, in whatever order the evaluations ended.
 *
 * @module
 */

import type { Params } from "../sweep.ts";
import type { Evaluation, SearchOptions } from "./options.ts";
import { type Rand, SearchSpace, seededRand } from "./space.ts";

/**
 * One individual to evaluate.
 *
 * @example
 * ```ts
 * import type { Candidate } from "./evolution.ts";
 * const child: Candidate = { params: { x: 0.4 }, parents: [2, 5] };
 * console.log(child.parents); // [ 2, 5 ]
 * ```
 */
export interface Candidate {
  /** Its parameters. */
  params: Params;
  /** The individuals of the previous generation it came from (`[]` in generation 0). */
  parents: number[];
  /** A survivor that is not evaluated again (`reevaluate: false`): its last evaluation. */
  carried?: Evaluation;
}

/**
 * A search method in the runner's terms: a generation at a time.
 *
 * @example
 * ```ts
 * import { makeStrategy } from "./methods.ts";
 * const strategy = makeStrategy({ method: "random", bounds: { x: { min: 0, max: 1 } }, budget: 2 }, 1);
 * console.log((await strategy.ask(0, 2)).length); // 2
 * ```
 */
export interface Strategy {
  /** Generation `generation` (0-based), at most `n` individuals; `[]` ends the search. */
  ask(generation: number, n: number): Promise<Candidate[]>;
  /** The evaluations of that generation, by individual. */
  tell(generation: number, evaluations: Evaluation[]): Promise<void>;
  /** How many of the next generation's individuals carry their evaluation (cost no run). */
  carries?(): number;
}

/**
 * Evaluations best first: by fitness (NaN and -Infinity last), ties by individual.
 *
 * @example
 * ```ts
 * import { ranked } from "./evolution.ts";
 * const e = (individual: number, fitness: number) =>
 *   ({ params: {}, fitness, status: "done" as const, path: "", generation: 0, individual });
 * console.log(ranked([e(0, NaN), e(1, 2), e(2, -Infinity), e(3, 5)]).map((x) => x.individual)); // [ 3, 1, 0, 2 ]
 * ```
 */
export function ranked(evaluations: readonly Evaluation[]): Evaluation[] {
  const key = (e: Evaluation) => (Number.isNaN(e.fitness) ? -Infinity : e.fitness);
  return [...evaluations].sort((a, b) => key(b) - key(a) || a.individual - b.individual);
}

/**
 * The evolution method (see the module documentation).
 *
 * @example
 * ```ts
 * import { Evolution } from "./evolution.ts";
 * const evo = new Evolution({ bounds: { x: { min: -1, max: 1 } }, population: 4, generations: 2 }, 7);
 * const g0 = await evo.ask(0, 4);
 * await evo.tell(0, g0.map((c, individual) => {
 *   const value = -Math.abs(Number(c.params.x));
 *   return { params: c.params, value, fitness: value, status: "done" as const, path: "", generation: 0, individual };
 * }));
 * const g1 = await evo.ask(1, 4);
 * console.log(g1[0].parents.length, g1[3].parents.length); // 1 2: a survivor, then a child of two
 * ```
 */
export class Evolution implements Strategy {
  readonly #space: SearchSpace;
  readonly #search: SearchOptions;
  readonly #seed: number;
  #last: Evaluation[] = [];

  /** An evolution over `search` (checked before), seeded by `seed`. */
  constructor(search: SearchOptions, seed: number) {
    this.#search = search;
    this.#space = new SearchSpace(search);
    this.#seed = seed;
  }

  /** @inheritdoc */
  ask(generation: number, n: number): Promise<Candidate[]> {
    const rand = seededRand(this.#seed, `gen:${generation}`);
    if (generation === 0 || !this.#last.length) return Promise.resolve(this.#first(n, rand));
    return Promise.resolve(this.#breed(n, rand));
  }

  /** @inheritdoc */
  tell(_generation: number, evaluations: Evaluation[]): Promise<void> {
    this.#last = evaluations;
    return Promise.resolve();
  }

  /** @inheritdoc */
  carries(): number {
    if (this.#search.reevaluate !== false || !this.#last.length) return 0;
    const k = this.#last.length;
    return Math.max(1, k - Math.floor(k * (this.#search.deathRate ?? 0.5)));
  }

  /** Generation 0: the start genomes, then draws within the bounds (or mutants of the start genomes). */
  #first(n: number, rand: Rand): Candidate[] {
    const space = this.#space;
    const start = (this.#search.start ?? []).map((s, i) => space.startPoint(s, i, rand));
    const out: Candidate[] = start.slice(0, n).map((params) => ({ params, parents: [] }));
    const bounded = space.genes.every((g) => space.bounds[g]);
    while (out.length < n) {
      const params = bounded
        ? space.sample(rand)
        : this.#child(start[out.length % start.length], start[out.length % start.length], rand);
      out.push({ params, parents: [] });
    }
    return out;
  }

  /** The next generation from the last one's evaluations. */
  #breed(n: number, rand: Rand): Candidate[] {
    const best = ranked(this.#last);
    const deathRate = this.#search.deathRate ?? 0.5;
    const survivors = best.slice(0, Math.max(1, best.length - Math.floor(best.length * deathRate)));
    const carry = this.#search.reevaluate === false;
    const out: Candidate[] = survivors.slice(0, n).map((e) => ({
      params: { ...e.params },
      parents: [e.individual],
      ...(carry ? { carried: e } : {}),
    }));
    // Rank weights: the best of k survivors has weight k, the worst 1.
    const total = (survivors.length * (survivors.length + 1)) / 2;
    const pick = (): Evaluation => {
      let r = rand() * total;
      for (let i = 0; i < survivors.length; i++) {
        r -= survivors.length - i;
        if (r < 0) return survivors[i];
      }
      return survivors[survivors.length - 1];
    };
    while (out.length < n) {
      const a = pick(), b = pick();
      out.push({
        params: this.#child(a.params, b.params, rand),
        parents: [a.individual, b.individual],
      });
    }
    return out;
  }

  /** A child of `a` and `b`: each gene from either, mutated, in bounds; `a` itself when 100 tries break a constraint. */
  #child(a: Params, b: Params, rand: Rand): Params {
    const space = this.#space;
    const mutation = this.#search.mutation ?? 0.05;
    for (let tries = 0; tries < 100; tries++) {
      const child: Params = {};
      for (const g of space.genes) {
        const from = rand() < 0.5 ? a : b;
        child[g] = space.mutateGene(g, Number(from[g] ?? a[g]), mutation, rand);
      }
      if (space.allowed(child)) return child;
    }
    return { ...a };
  }
}
