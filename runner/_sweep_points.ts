/**
 * The points of a sweep one at a time, and each run's seed (internal, used by `sweep.ts`'s `expandSweep`
 * and by `_task_list.ts`): the grid's (cartesian product, the last parameter fastest), then the explicit
 * points, then the random samples. Made one by one, so that a caller may keep them in any form.
 *
 * @module
 */

import type { ParamValue } from "../src/formats/params.ts";
import type { Params, RandomSpec, SweepSpec } from "./sweep_spec.ts";
import { drawFromRange, rangeProblem } from "./_ranges.ts";

/** FNV-1a of a text, as a 32-bit unsigned integer. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The seed of repeat `repeat` of the point whose identity is `point` (its canonical JSON) in a sweep of
 * seed `sweepSeed`: the same whenever the sweep is resumed or extended.
 */
export function taskSeed(sweepSeed: number, point: string, repeat: number): number {
  return hash32(`${sweepSeed}|${point}|${repeat}`);
}

/** A PRNG (mulberry32) of a seed, floats in [0, 1) (`sweep.ts` exports it as `mulberry32`). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function drawRandom(name: string, spec: RandomSpec, rand: () => number): ParamValue {
  if ("choices" in spec) {
    if (!spec.choices.length) throw new TypeError(`random.${name}.choices is empty`);
    return spec.choices[Math.floor(rand() * spec.choices.length)];
  }
  const problem = rangeProblem(spec);
  if (problem) throw new TypeError(`random.${name} ${problem}`);
  return drawFromRange(spec, rand);
}

/** The grid's points (cartesian product, the last parameter varying fastest). */
function* gridPoints(grid: Record<string, readonly ParamValue[]>): Generator<Params> {
  const names = Object.keys(grid);
  for (const name of names) {
    if (!Array.isArray(grid[name]) || grid[name].length === 0) {
      throw new TypeError(`grid.${name} must be a non-empty array of values`);
    }
  }
  if (!names.length) return;
  const index = names.map(() => 0);
  while (true) {
    yield Object.fromEntries(names.map((n, k) => [n, grid[n][index[k]]]));
    let k = names.length - 1;
    while (k >= 0 && ++index[k] === grid[names[k]].length) index[k--] = 0;
    if (k < 0) return;
  }
}

/**
 * Every point of `spec`, in sweep order, each a new object: the grid's, the explicit points (copies), then
 * `samples` random points. Checks as it goes: a `TypeError` names the bad grid entry, point or range
 * (all grid entries before the first point).
 */
export function* sweepPoints(spec: SweepSpec): Generator<Params> {
  if (spec.grid) yield* gridPoints(spec.grid);
  for (const p of spec.points ?? []) {
    if (!p || typeof p !== "object" || Array.isArray(p)) {
      throw new TypeError("each of points must be an object of parameters");
    }
    yield { ...p };
  }
  if (spec.random) {
    const rand = prng(hash32(`random:${spec.seed ?? 0}`));
    const samples = spec.samples ?? 10;
    const entries = Object.entries(spec.random);
    for (let s = 0; s < samples; s++) {
      yield Object.fromEntries(entries.map(([n, r]) => [n, drawRandom(n, r, rand)]));
    }
  }
}

/** `spec.repeats` checked (@default 1). */
export function repeatsOf(spec: SweepSpec): number {
  const repeats = spec.repeats ?? 1;
  if (!Number.isSafeInteger(repeats) || repeats < 1) {
    throw new TypeError(`repeats must be an integer ≥ 1, not ${repeats}: give repeats: 1 or more`);
  }
  return repeats;
}

/** Two FNV-1a variants of a text in one pass, as one 52-bit number (a point's identity in `Occurrences`). */
function hash52(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
}

/**
 * The first repeat number of each occurrence of a point: a point that comes k times (a value given twice in
 * a grid, a point listed twice, a random draw that repeats) runs repeats k·repeats … (k+1)·repeats − 1 at its
 * k-th occurrence, so that each task has its own identity (point, repeat) and seed. Before session 24 every
 * occurrence was repeat 0 with the same seed: identical runs, and with resume all but one were taken for
 * runs "of another live sweep" (exit 75). Points are told apart by a 52-bit hash of their identity (no text
 * kept per point).
 */
export class Occurrences {
  // an open-addressing table in typed arrays (hash + 1, 0 = empty; counts): no heap object per point, as
  // the task list keeps none (`_task_list.ts`)
  #keys = new Float64Array(1024);
  #counts = new Uint32Array(1024);
  #size = 0;

  /**
   * The first repeat number of this occurrence of `point` (its canonical JSON) with `repeats` per point.
   */
  firstRepeat(point: string, repeats: number): number {
    if (2 * (this.#size + 1) > this.#keys.length) this.#grow();
    const h = hash52(point) + 1;
    const i = this.#slot(this.#keys, h);
    if (this.#keys[i] === 0) {
      this.#keys[i] = h;
      this.#size++;
    }
    return this.#counts[i]++ * repeats;
  }

  #slot(keys: Float64Array, h: number): number {
    let i = h % keys.length;
    while (keys[i] !== 0 && keys[i] !== h) i = (i + 1) % keys.length;
    return i;
  }

  #grow(): void {
    const keys = new Float64Array(2 * this.#keys.length);
    const counts = new Uint32Array(keys.length);
    for (let j = 0; j < this.#keys.length; j++) {
      if (this.#keys[j] === 0) continue;
      const i = this.#slot(keys, this.#keys[j]);
      keys[i] = this.#keys[j];
      counts[i] = this.#counts[j];
    }
    this.#keys = keys;
    this.#counts = counts;
  }
}

/** The error of a sweep without points. */
export function noPoints(): TypeError {
  return new TypeError("The sweep has no points: give grid, points or random");
}
