/**
 * The search space: genes with bounds, constraints in the query language, and the random draws the
 * methods make in it (uniform or log-uniform samples, Gaussian mutation). Every draw takes its random
 * numbers from a generator the caller seeds, so a search is deterministic given its seed and its scores.
 *
 * @module
 */

import { parseQuery, type Query } from "../../src/group/query.ts";
import { mulberry32 } from "../sweep.ts";
import type { Params } from "../sweep.ts";
import { drawFromRange } from "../_ranges.ts";
import type { GeneBounds, SearchOptions } from "./options.ts";
import { geneNames } from "./options.ts";
import { hash32 } from "../_sweep_points.ts";

/**
 * A random number generator returning floats in [0, 1).
 *
 * @example
 * ```ts
 * import { seededRand, type Rand } from "./space.ts";
 * const rand: Rand = seededRand(1, "gen:0");
 * console.log(rand() < 1); // true
 * ```
 */
export type Rand = () => number;

/**
 * A generator seeded from the search seed and a label (`"gen:3"`, `"random:17"`).
 *
 * @example
 * ```ts
 * import { seededRand } from "./space.ts";
 * console.log(seededRand(1, "gen:2")() === seededRand(1, "gen:2")()); // true: one generator per generation
 * ```
 */
export function seededRand(seed: number, label: string): Rand {
  return mulberry32(hash32(`search:${seed}:${label}`));
}

/**
 * A standard normal draw (Box–Muller).
 *
 * @example
 * ```ts
 * import { gaussian, seededRand } from "./space.ts";
 * console.log(Number.isFinite(gaussian(seededRand(0, "x")))); // true
 * ```
 */
export function gaussian(rand: Rand): number {
  const u = 1 - rand(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/**
 * The genes, their bounds and the constraints of a search.
 *
 * @example
 * ```ts
 * import { SearchSpace, seededRand } from "./space.ts";
 * const space = new SearchSpace({ bounds: { a: { min: 0, max: 1 }, b: { min: 1, max: 9, integer: true } }, constraints: ["b > a"] });
 * const p = space.sample(seededRand(3, "demo"));
 * console.log(space.allowed(p), space.clip("b", 9.7)); // true 9
 * ```
 */
export class SearchSpace {
  /** The gene names, as given. */
  readonly genes: string[];
  /** The bounds by gene (missing: unbounded). */
  readonly bounds: Record<string, GeneBounds>;
  readonly #constraints: Query[];

  /** The space of `search` (checked before). */
  constructor(search: SearchOptions) {
    this.genes = geneNames(search);
    this.bounds = search.bounds ?? {};
    this.#constraints = (search.constraints ?? []).map((c) => parseQuery(c));
  }

  /** Whether `params` meet every constraint. */
  allowed(params: Params): boolean {
    if (!this.#constraints.length) return true;
    const lower = new Map(Object.entries(params).map(([k, v]) => [k.toLowerCase(), v]));
    return this.#constraints.every((q) => q.test((key) => lower.get(key)));
  }

  /** `value` put into the bounds of `gene` (clipped, rounded for integers). */
  clip(gene: string, value: number): number {
    const b = this.bounds[gene];
    if (!b) return value;
    let v = Math.min(b.max, Math.max(b.min, value));
    if (b.integer) {
      v = Math.round(v);
      if (v > b.max) v = Math.floor(b.max);
      if (v < b.min) v = Math.ceil(b.min);
    }
    return v;
  }

  /** Every gene of `params` within its bounds. */
  clipAll(params: Params): Params {
    const out: Params = { ...params };
    for (const g of this.genes) {
      if (typeof out[g] === "number") out[g] = this.clip(g, out[g] as number);
    }
    return out;
  }

  /**
   * A draw of `gene` within its bounds: uniform, log-uniform with `log`, whole numbers as a random sweep's
   * `random` ranges draw them (`drawFromRange`: one rule for both).
   */
  sampleGene(gene: string, rand: Rand): number {
    return this.clip(gene, drawFromRange(this.bounds[gene], rand));
  }

  /**
   * A uniform point meeting the constraints (rejection sampling).
   * @throws {RangeError} When 10,000 draws met no constraint set: the constraints exclude (almost) all of the bounds.
   */
  sample(rand: Rand, base: Params = {}): Params {
    for (let tries = 0; tries < 10_000; tries++) {
      const p: Params = { ...base };
      for (const g of this.genes) p[g] = this.sampleGene(g, rand);
      if (this.allowed(p)) return p;
    }
    throw new RangeError(
      "search.constraints exclude (almost) every point within search.bounds: 10,000 draws met none; loosen them",
    );
  }

  /**
   * Start genome `i` in bounds; the bounded genes it lacks are drawn until the constraints hold.
   * @throws {RangeError} When it breaks the constraints (whatever its missing genes are).
   */
  startPoint(start: Params, i: number, rand: Rand): Params {
    const given = this.clipAll(start);
    const missing = this.genes.filter((g) => given[g] === undefined);
    for (let tries = 0; tries < (missing.length ? 1000 : 1); tries++) {
      const p: Params = { ...given };
      for (const g of missing) p[g] = this.sampleGene(g, rand);
      if (this.allowed(p)) return p;
    }
    throw new RangeError(
      `search.start[${i}] ${
        JSON.stringify(given)
      } does not meet search.constraints: change it or them`,
    );
  }

  /** `value` plus Gaussian noise of σ = |value| × mutation (σ = (max − min) × mutation for 0), in bounds. */
  mutateGene(gene: string, value: number, mutation: number, rand: Rand): number {
    const b = this.bounds[gene];
    const sigma = value !== 0
      ? Math.abs(value) * mutation
      : b
      ? (b.max - b.min) * mutation
      : mutation;
    return this.clip(gene, value + sigma * gaussian(rand));
  }

  /** The grid of `method: "grid"`: `steps` values per gene (log-spaced with `log`), meeting the constraints. */
  grid(): Params[] {
    const axes = this.genes.map((g) => {
      const b = this.bounds[g];
      const steps = b.steps ?? 5;
      const values = Array.from({ length: steps }, (_, i) => {
        const t = steps === 1 ? 0.5 : i / (steps - 1);
        const v = b.log
          ? Math.exp(Math.log(b.min) + t * (Math.log(b.max) - Math.log(b.min)))
          : b.min + t * (b.max - b.min);
        return this.clip(g, v);
      });
      return [...new Set(values)];
    });
    const points: Params[] = [];
    const index = axes.map(() => 0);
    while (true) {
      const p = Object.fromEntries(this.genes.map((g, k) => [g, axes[k][index[k]]]));
      if (this.allowed(p)) points.push(p);
      let k = axes.length - 1;
      while (k >= 0 && ++index[k] === axes[k].length) index[k--] = 0;
      if (k < 0) break;
    }
    return points;
  }
}
