/**
 * What a sweep's points are made of (its grid, explicit points, random samples, repeats, seed): the types
 * `sweep.ts` expands and `_sweep_points.ts` enumerates.
 *
 * @module
 */

import type { ParamValue } from "../src/formats/params.ts";

/** Parameters of one sweep point. */
export type Params = Record<string, ParamValue>;

/** How to draw one random parameter. */
export type RandomSpec =
  | {
    /** Smallest value. */
    min: number;
    /** Largest value. */
    max: number;
    /** Draw uniformly in log space (min and max must be > 0). */
    log?: boolean;
    /**
     * Draw whole numbers, each of min…max equally likely (with `log`, uniform in log space over
     * [min − ½, max + ½], then rounded, as Optuna's `IntDistribution(log=True)`); min and max must then be
     * whole numbers.
     */
    integer?: boolean;
  }
  | {
    /** Pick one of these values, each equally likely. */
    choices: readonly ParamValue[];
  };

/** The points of a sweep. */
export interface SweepSpec {
  /** Cartesian product of these values per parameter (the last parameter varies fastest). */
  grid?: Record<string, readonly ParamValue[]>;
  /** Explicit points, run after the grid's. */
  points?: readonly Params[];
  /** Random sampling per parameter (with `samples`). */
  random?: Record<string, RandomSpec>;
  /**
   * How many random points to draw.
   * @default {0, or 10 when `random` is given}
   */
  samples?: number;
  /**
   * Seed of the random points and of the runs' seeds.
   * @default {0}
   */
  seed?: number;
  /**
   * How many runs per point, each with its own seed.
   * @default {1}
   */
  repeats?: number;
}
