/**
 * The identity of a parameter value for counting distinct values and grouping runs (internal): the type
 * and the content, so `1` and `"1"` differ, NaN equals NaN, `0` equals `-0`, a bigint equals the number of
 * its value, and lists and dicts compare by content (dict keys in any order).
 *
 * @module
 */

import type { ParamValue } from "../formats/params.ts";

function canonical(v: unknown): unknown {
  if (typeof v === "bigint") {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : { $bigint: v.toString() };
  }
  if (typeof v === "number") {
    if (v !== v) return { $number: "NaN" };
    if (v === Infinity || v === -Infinity) return { $number: String(v) };
    return v === 0 ? 0 : v;
  }
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, canonical(o[k])]));
  }
  return v;
}

/** A string that is equal for two values exactly when they are the same value (see the module doc). */
export function valueKey(v: ParamValue | null | undefined): string {
  // fast paths for the usual scalars; the same text as the general path gives
  if (typeof v === "number" && Number.isFinite(v)) return v === 0 ? "0" : String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined) return "u";
  return JSON.stringify(canonical(v));
}
