/**
 * Sweep points: a grid (cartesian product), explicit points and random samples, each repeated with its
 * own seed, turned into the list of tasks a backend runs.
 *
 * @module
 */

import type { RunSection } from "./run_record.ts";
import type { Params, SweepSpec } from "./sweep_spec.ts";
import { noPoints, Occurrences, prng, repeatsOf, sweepPoints, taskSeed } from "./_sweep_points.ts";

export type { Params, RandomSpec, SweepSpec } from "./sweep_spec.ts";

/** One run to do: a point, its repeat number and its seed. */
export interface SweepTask {
  /** Position in the sweep, 0-based. */
  index: number;
  /** The point's parameters. */
  params: Params;
  /** Which repeat of the point this is, 0-based. */
  repeat: number;
  /** The run's seed (a 32-bit unsigned integer). */
  seed: number;
  /** The point's identity: its parameters as canonical JSON (sorted keys). */
  point: string;
  /** More `[Run]` fields written when its run folder is created (a search's generation, individual, parents). */
  run?: RunSection;
}

/**
 * A small, fast, seedable PRNG (mulberry32), returning floats in [0, 1).
 *
 * @example
 * ```ts
 * import { mulberry32 } from "@sweepstore/sweepstore/runner";
 * const rand = mulberry32(42);
 * console.log(rand(), rand()); // the same two numbers on every run
 * ```
 */
export function mulberry32(seed: number): () => number {
  return prng(seed);
}

/**
 * Canonical JSON of parameters (sorted keys, lowercased names), the identity of a point. NaN, ±Infinity
 * and -0, which JSON cannot write, are written as `{"$number":"NaN"}` etc., so they stay distinct points;
 * an integer past 2**53 (a bigint) as `{"$bigint":"…"}`, distinct from the string of its digits, and a
 * smaller bigint as the number it equals (config.ini stores both alike). Before session 24 a bigint was
 * its digits as a string: a resume took the string "12345678901234567890" for that point done, and runs
 * points of big integers recorded by an older version once more.
 *
 * @example
 * ```ts
 * import { pointKey } from "@sweepstore/sweepstore/runner";
 * console.log(pointKey({ lr: 0.1, N: 100 })); // {"lr":0.1,"n":100}
 * ```
 */
export function pointKey(params: Params): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
        Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
      )
      : Array.isArray(v)
      ? v.map(sorted)
      : typeof v === "bigint" // not its digits as a string: the point of the text "5" is another one
      ? Number.isSafeInteger(Number(v)) ? Number(v) : { $bigint: v.toString() }
      : typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))
      ? { $number: Object.is(v, -0) ? "-0" : String(v) } // JSON would write null (or 0)
      : v;
  return JSON.stringify(
    sorted(Object.fromEntries(Object.entries(params).map(([k, v]) => [k.toLowerCase(), v]))),
  );
}

/**
 * The tasks of a sweep: every grid point (cartesian product), then the explicit points, then `samples`
 * random points, each repeated `repeats` times. Seeds are derived from the sweep seed, the point and the
 * repeat, so they stay the same when a sweep is resumed or extended.
 *
 * @example
 * ```ts
 * import { expandSweep } from "@sweepstore/sweepstore/runner";
 * const tasks = expandSweep({ grid: { n: [100, 1000], lr: [0.1, 0.01] }, repeats: 2 });
 * console.log(tasks.length, tasks[0].params); // 8 { n: 100, lr: 0.1 }
 * ```
 */
export function expandSweep(spec: SweepSpec): SweepTask[] {
  const repeats = repeatsOf(spec);
  const seed = spec.seed ?? 0;
  const tasks: SweepTask[] = [];
  const occurrences = new Occurrences();
  for (const params of sweepPoints(spec)) {
    const point = pointKey(params);
    const first = occurrences.firstRepeat(point, repeats);
    for (let repeat = first; repeat < first + repeats; repeat++) {
      tasks.push({
        index: tasks.length,
        params,
        repeat,
        point,
        seed: taskSeed(seed, point, repeat),
      });
    }
  }
  if (tasks.length === 0) throw noPoints();
  return tasks;
}
