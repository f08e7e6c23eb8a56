/**
 * What configparser's `get()` shows of the raw values of an INI file: `[DEFAULT]`'s keys in every other
 * section, and `BasicInterpolation.before_get()` (`%%` → `%`, `%(name)s` → the value of `name`). Internal
 * to the INI codec (`ini.ts`).
 *
 * @module
 */

import { DEFAULT_SECTION, type IniData } from "./_ini_read.ts";

/** configparser's `MAX_INTERPOLATION_DEPTH`. */
const MAX_INTERPOLATION_DEPTH = 10;

/**
 * `BasicInterpolation._interpolate_some()`: appends the interpolated `rest` to `out`; false where
 * configparser would raise.
 */
function interpolateSome(
  rest: string,
  lookup: (name: string) => string | undefined,
  out: string[],
  depth: number,
): boolean {
  if (depth > MAX_INTERPOLATION_DEPTH) return false;
  let pos = 0;
  while (pos < rest.length) {
    const p = rest.indexOf("%", pos);
    if (p < 0) {
      out.push(pos === 0 ? rest : rest.slice(pos));
      return true;
    }
    if (p > pos) out.push(rest.slice(pos, p));
    const next = rest.charCodeAt(p + 1);
    if (next === 37 /* % */) {
      out.push("%");
      pos = p + 2;
    } else if (next === 40 /* ( */) {
      // configparser's pattern: %\(([^)]+)\)s
      const close = rest.indexOf(")", p + 2);
      if (close < 0 || close === p + 2 || rest.charCodeAt(close + 1) !== 115 /* s */) return false;
      const value = lookup(rest.slice(p + 2, close).toLowerCase());
      if (value === undefined) return false;
      pos = close + 2;
      if (value.includes("%")) {
        if (!interpolateSome(value, lookup, out, depth + 1)) return false;
      } else out.push(value);
    } else return false;
  }
  return true;
}

/** What configparser's `get()` returns for the raw `value`, or the lenient reading where it would raise. */
function interpolate(value: string, lookup: (name: string) => string | undefined): string {
  const out: string[] = [];
  if (interpolateSome(value, lookup, out, 1)) return out.join("");
  return value.replaceAll("%%", "%");
}

/**
 * Turns raw values into what `get()` returns, in place: interpolates them (when `percent`: some value
 * holds a `%`; references see the raw values) and shows `[DEFAULT]`'s keys in every other section after
 * its own.
 */
export function resolveValues(data: IniData, percent: boolean): void {
  const defaults = data.get(DEFAULT_SECTION);
  const hasDefaults = defaults !== undefined && defaults.size > 0;
  if (!percent && !hasDefaults) return;
  const rawDefaults = hasDefaults ? new Map(defaults) : undefined;
  for (const [name, section] of data) {
    const merge = rawDefaults !== undefined && name !== DEFAULT_SECTION;
    const raw = name === DEFAULT_SECTION && rawDefaults ? rawDefaults : new Map(section);
    const lookup = merge
      ? (k: string) => raw.get(k) ?? rawDefaults.get(k)
      : (k: string) => raw.get(k);
    if (percent) {
      for (const [k, v] of raw) if (v.includes("%")) section.set(k, interpolate(v, lookup));
    }
    if (merge) {
      for (const [k, v] of rawDefaults) {
        if (!raw.has(k)) section.set(k, v.includes("%") ? interpolate(v, lookup) : v);
      }
    }
  }
}
