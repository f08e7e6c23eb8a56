/**
 * IEEE 754 half precision, for runtimes and readers without `Float16Array`/`getFloat16`: one owner of the
 * bit layout that the `.npy`, CBOR and pickle readers share.
 *
 * @module
 */

/** The number that the 16 bits `bits` of a float16 hold (exact: every float16 is a float64). */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
