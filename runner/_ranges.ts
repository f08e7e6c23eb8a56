/**
 * The one rule for drawing a number from a range `{ min, max, log?, integer? }`, shared by random sweeps
 * (`random` in `expandSweep`) and searches (`SearchSpace.sampleGene`): the same range gives the same
 * distribution in both.
 * @module
 */

/** A range to draw from; callers check it first with {@linkcode rangeProblem}. */
export interface DrawRange {
  min: number;
  max: number;
  /** Uniform in log space. */
  log?: boolean;
  /** Whole numbers, each of min…max equally likely (with `log`: see {@linkcode drawFromRange}). */
  integer?: boolean;
}

/**
 * What is wrong with `range`, as the end of a message that starts with its name (`random.lr`,
 * `search.bounds.n`), or `undefined` when it can be drawn from: min and max finite with min ≤ max, min > 0
 * with `log`, and with `integer` whole numbers within ±(2^53 − 1) (larger ones are not stored exactly).
 */
export function rangeProblem(range: DrawRange): string | undefined {
  const { min, max } = range;
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    const swap = Number.isFinite(min) && Number.isFinite(max) ? ": swap them" : "";
    return `needs finite min <= max, got min=${min}, max=${max}${swap}`;
  }
  if (range.log && min <= 0) return `with log: true needs min > 0, got ${min}`;
  if (!range.integer || (Number.isSafeInteger(min) && Number.isSafeInteger(max))) return undefined;
  const [lo, hi] = [Math.ceil(min), Math.floor(max)];
  if (lo > hi) return `with integer: true holds no whole number between ${min} and ${max}`;
  const hint = Number.isSafeInteger(lo) && Number.isSafeInteger(hi)
    ? `: write min=${lo}, max=${hi}`
    : "";
  return `with integer: true needs whole-number min and max within ±${Number.MAX_SAFE_INTEGER}, ` +
    `got min=${min}, max=${max}${hint}`;
}

/**
 * A number from `range`, using one or two values of `rand` (uniform in [0, 1)):
 * - floats: uniform over [min, max] (a range wider than the largest number, e.g. ±1e308, through weighted
 *   ends: max − min would overflow); with `log`, log-uniform, kept within min…max (exp(log(x)) may be x
 *   plus an ulp);
 * - integers (`min`, `max` whole numbers within ±(2^53 − 1)): each of min…max equally likely (ranges of
 *   more than 2^32 numbers take two draws: one has 32 bits); with `log`, log-uniform over
 *   [min − ½, max + ½] then rounded, as Optuna's `IntDistribution(log=True)` (rounding a draw over
 *   [min, max] would give the two ends half the chance of the others).
 */
export function drawFromRange(range: DrawRange, rand: () => number): number {
  const { min, max } = range;
  if (range.integer) {
    const count = max - min + 1;
    if (range.log) {
      const lo = Math.log(min - 0.5), hi = Math.log(max + 0.5);
      return within(min, max, Math.round(Math.exp(lo + rand() * (hi - lo))));
    }
    if (count > 2 ** 32) {
      const r = (Math.floor(rand() * 2 ** 21) * 2 ** 32 + Math.floor(rand() * 2 ** 32)) / 2 ** 53;
      return Math.min(max, min + Math.floor(r * count));
    }
    return Math.min(max, min + Math.floor(rand() * count));
  }
  const r = rand();
  if (range.log) {
    return within(min, max, Math.exp(Math.log(min) + r * (Math.log(max) - Math.log(min))));
  }
  const span = max - min;
  return Number.isFinite(span) ? min + r * span : within(min, max, min * (1 - r) + max * r);
}

function within(min: number, max: number, v: number): number {
  return Math.min(max, Math.max(min, v));
}
