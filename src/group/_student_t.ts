/**
 * Student's t distribution for whole degrees of freedom (internal): the two-sided quantile behind the
 * confidence intervals of `aggregate.ts`.
 *
 * Why our own code: the degrees of freedom of a mean's interval are always a whole number (n − 1), and for
 * whole ν the t distribution has an exact finite closed form (Abramowitz & Stegun 26.7.3 and 26.7.4), so
 * the quantile is found by bisection on that form to the last bit of a double — about 40 lines, where the
 * npm packages (`jstat`, `@stdlib/stats-base-dists-t-quantile`) bring an incomplete-beta inversion and, for
 * stdlib, dozens of packages. `tests/aggregate_python_test.ts` checks it against scipy's `t.ppf`.
 *
 * @module
 */

/**
 * P(|T| ≤ t) for Student's t with ν whole degrees of freedom (A&S 26.7.3 for odd ν, 26.7.4 for even ν),
 * with θ = atan(t/√ν): sin θ = t/√(ν+t²), cos²θ = ν/(ν+t²).
 */
export function tCentralProbability(t: number, nu: number): number {
  if (!(t > 0)) return 0;
  if (t === Infinity) return 1;
  const c2 = nu / (nu + t * t);
  const s = t / Math.sqrt(nu + t * t);
  if (nu % 2 === 0) {
    // sin θ · (1 + ½cos²θ + (1·3)/(2·4)cos⁴θ + … up to cos^(ν−2)θ)
    let term = 1, sum = 1;
    for (let k = 2; k <= nu - 2; k += 2) {
      term *= c2 * (k - 1) / k;
      sum += term;
    }
    return Math.min(1, s * sum);
  }
  // (2/π) · (θ + sin θ · (cos θ + (2/3)cos³θ + (2·4)/(3·5)cos⁵θ + … up to cos^(ν−2)θ))
  const theta = Math.atan(t / Math.sqrt(nu));
  if (nu === 1) return (2 / Math.PI) * theta;
  const c = Math.sqrt(c2);
  let term = c, sum = c;
  for (let k = 3; k <= nu - 2; k += 2) {
    term *= c2 * (k - 1) / k;
    sum += term;
  }
  return Math.min(1, (2 / Math.PI) * (theta + s * sum));
}

const cache = new Map<string, number>();

/**
 * The t with P(|T| ≤ t) = `confidence` for ν whole degrees of freedom: the factor of a two-sided interval
 * (scipy's `t.ppf((1 + confidence) / 2, ν)`). Bisection until the bracket stops shrinking; cached.
 *
 * @throws {RangeError} When ν is not a whole number ≥ 1 or `confidence` is not in (0, 1).
 */
export function tTwoSidedQuantile(confidence: number, nu: number): number {
  if (!Number.isSafeInteger(nu) || nu < 1) {
    throw new RangeError(`degrees of freedom must be a whole number ≥ 1, not ${nu}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must lie in (0, 1), e.g. 0.95, not ${confidence}`);
  }
  const key = `${confidence}|${nu}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  let lo = 0, hi = 1;
  while (tCentralProbability(hi, nu) < confidence) hi *= 2;
  for (let i = 0; i < 2000; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (tCentralProbability(mid, nu) < confidence) lo = mid;
    else hi = mid;
  }
  if (cache.size > 4096) cache.clear();
  cache.set(key, hi);
  return hi;
}
