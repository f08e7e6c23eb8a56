/**
 * The pickle reader's value conversion (`pickle.ts`): dicts (Maps while reading) become plain objects where
 * every key is a str, shared and cyclic references kept; a Python class or function found in the data is
 * refused. Internal.
 *
 * @module
 */

import { Foreign, ForeignObject, NumpyDtype, Safe } from "./_pickle_globals.ts";

/** The outermost object of a Python class in the result, for the refusal message. */
export function findForeign(root: unknown): ForeignObject | undefined {
  const seen = new Set<unknown>();
  let level: unknown[] = [root];
  while (level.length) {
    const next: unknown[] = [];
    for (const v of level) {
      if (v instanceof ForeignObject) return v;
      if (v === null || typeof v !== "object" || seen.has(v)) continue;
      seen.add(v);
      if (Array.isArray(v) || v instanceof Set) { for (const x of v) next.push(x); }
      else if (v instanceof Map) { for (const [k, x] of v) next.push(k, x); }
    }
    level = next;
  }
  return undefined;
}

/** Thrown by {@linkcode finish} when the data holds a Python class or function itself. */
export class ClassInData extends Error {}

function refuseClass(name: string): never {
  throw new ClassInData(name);
}

/**
 * Turns dicts (Maps while reading) into plain objects where all keys are strings, in place elsewhere,
 * keeping shared and cyclic references. Iterative, so deep nesting cannot overflow the call stack.
 */
export function finish(root: unknown): unknown {
  const done = new Map<object, unknown>();
  const work: object[] = [];
  const convert = (v: unknown): unknown => {
    if (v === null || typeof v !== "object" || v instanceof Uint8Array) return v;
    let out = done.get(v);
    if (out !== undefined) return out;
    if (v instanceof Foreign || v instanceof Safe) {
      return refuseClass(`the Python class or function ${v.name} itself`);
    }
    if (v instanceof NumpyDtype) return refuseClass(`a numpy.dtype object (${v.code})`);
    out = v instanceof Map && stringKeys(v) ? {} : v;
    done.set(v, out);
    work.push(v);
    return out;
  };
  const result = convert(root);
  while (work.length) {
    const v = work.pop()!;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = convert(v[i]);
    } else if (v instanceof Set) {
      // the items of a Python set are hashable, so never dicts: they keep their identity
      for (const x of v) convert(x);
    } else if (v instanceof Map) {
      const out = done.get(v);
      if (out === v) {
        // keys are hashable (never dicts): only values may change
        for (const [k, x] of v) {
          convert(k);
          const y = convert(x);
          if (y !== x) v.set(k, y);
        }
      } else {
        const obj = out as Record<string, unknown>;
        for (const [k, x] of v as Map<string, unknown>) {
          if (k === "__proto__") {
            Object.defineProperty(obj, k, {
              value: convert(x),
              enumerable: true,
              writable: true,
              configurable: true,
            });
          } else {
            obj[k] = convert(x);
          }
        }
      }
    }
  }
  return result;
}

function stringKeys(map: Map<unknown, unknown>): boolean {
  for (const k of map.keys()) if (typeof k !== "string") return false;
  return true;
}
