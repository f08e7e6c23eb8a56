/**
 * The checks of a search's option names, bounds and start genomes (called by `checkSearchOptions`): a
 * misspelt option is refused rather than ignored, and a start genome is evaluated as given, so it must be
 * a finite number within its gene's bounds (a whole number for an integer gene).
 *
 * @module
 */

import type { ParamValue } from "../../src/formats/params.ts";
import { parseQuery } from "../../src/group/query.ts";
import type { SearchOptions } from "./options.ts";
import { checkParams } from "../values.ts";
import { rangeProblem } from "../_ranges.ts";

/** The options of `search` (an `objective` key belongs beside it, in `runSweep`'s options). */
const SEARCH_KEYS = [
  "method",
  "optimizer",
  "start",
  "population",
  "generations",
  "budget",
  "mutation",
  "deathRate",
  "reevaluate",
  "bounds",
  "constraints",
  "seed",
];
const BOUND_KEYS = ["min", "max", "log", "integer", "steps"];

/** Whether `v` is a plain object (`{}` or `Object.create(null)`). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function unknownKey(where: string, o: Record<string, unknown>, known: string[]): void {
  const bad = Object.keys(o).find((k) => !known.includes(k));
  if (bad === undefined) return;
  throw new TypeError(`${where}${bad} is not a known option: use ${known.join(", ")}`);
}

/** Refuses a misspelt search option (`deathrate`, `populaton`) instead of ignoring it. */
export function checkKeys(search: Record<string, unknown>): void {
  unknownKey("search.", search, SEARCH_KEYS);
}

/** Checks `search.bounds`: each gene `{ min, max }`, finite, `min <= max`, log > 0, integer bounds whole. */
export function checkBounds(bounds: unknown): void {
  if (bounds === undefined) return;
  if (!isPlainObject(bounds)) {
    throw new TypeError("search.bounds must be an object of gene → { min, max }");
  }
  for (const [key, b] of Object.entries(bounds)) {
    const where = `search.bounds.${key}`;
    if (!isPlainObject(b) || typeof b.min !== "number" || typeof b.max !== "number") {
      throw new TypeError(`${where} must be { min, max } with numbers, e.g. { min: 0, max: 1 }`);
    }
    unknownKey(`${where}.`, b, BOUND_KEYS);
    for (const flag of ["log", "integer"]) {
      if (b[flag] !== undefined && typeof b[flag] !== "boolean") {
        throw new TypeError(`${where}.${flag} must be true or false, not ${String(b[flag])}`);
      }
    }
    const problem = rangeProblem({
      min: b.min,
      max: b.max,
      log: b.log === true,
      integer: b.integer === true,
    });
    if (problem) throw new RangeError(`${where} ${problem}`);
    const steps = b.steps;
    if (
      steps !== undefined &&
      (typeof steps !== "number" || !Number.isSafeInteger(steps) || steps < 1)
    ) {
      throw new RangeError(
        `search.bounds.${key}.steps must be an integer ≥ 1, not ${String(steps)}`,
      );
    }
  }
}

function checkStartValue(search: SearchOptions, i: number, g: string, v: ParamValue): void {
  const where = `search.start[${i}].${g}`;
  if (typeof v !== "number") throw new TypeError(`${where} must be a number, not ${typeof v}`);
  if (!Number.isFinite(v)) {
    throw new RangeError(
      `${where} must be a finite number, not ${v}: give a value within its bounds`,
    );
  }
  const b = search.bounds?.[g];
  if (!b) return;
  if (v < b.min || v > b.max) {
    throw new RangeError(
      `${where} = ${v} is outside its bounds [${b.min}, ${b.max}]: give a value within them (or widen them)`,
    );
  }
  if (b.integer && !Number.isInteger(v)) {
    throw new RangeError(
      `${where} = ${v} is not whole, but ${g} is an integer gene: give e.g. ${Math.round(v)}`,
    );
  }
}

/** Checks that every gene has bounds or start values, and every start value is usable as given. */
export function checkGenes(search: SearchOptions, genes: string[]): void {
  if (!genes.length && !search.optimizer) {
    throw new TypeError(
      "search needs genes: give bounds (e.g. bounds: { lr: { min: 0, max: 1 } }) or start",
    );
  }
  // The genes are a point's keys: valid config.ini keys, not `time`, no two equal once lowercased (bounds
  // lr with a start genome's LR made every run fail at its folder's creation).
  checkParams(
    "search (its bounds and start genomes)",
    Object.fromEntries(genes.map((g) => [g, 0])),
  );
  for (const [i, s] of (search.start ?? []).entries()) {
    for (const g of genes) {
      const v: ParamValue | undefined = s[g];
      const bounded = search.bounds?.[g] !== undefined;
      if (v === undefined && !bounded) {
        throw new TypeError(`search.start[${i}] has no ${g}, and ${g} has no bounds: give both`);
      }
      if (v !== undefined) checkStartValue(search, i, g, v);
    }
  }
  const method = search.method ?? "evolution";
  if (!search.optimizer && method !== "evolution") {
    const missing = genes.filter((g) => !search.bounds?.[g]);
    if (missing.length) {
      throw new TypeError(
        `search.method "${method}" needs bounds for every gene: add bounds.${missing[0]}`,
      );
    }
  }
  if (!search.optimizer) checkConstraintKeys(search, genes);
  if (!search.optimizer && method === "evolution") checkEvolution(search, genes);
}

/** A built-in method's points hold the genes only: a constraint reading anything else can never hold. */
function checkConstraintKeys(search: SearchOptions, genes: string[]): void {
  const lower = new Set(genes.map((g) => g.toLowerCase()));
  for (const [i, c] of (search.constraints ?? []).entries()) {
    const other = parseQuery(c).keys.find((k) => !lower.has(k));
    if (other === undefined) continue;
    throw new TypeError(
      `search.constraints[${i}] "${c}" reads ${other}, which is not a searched parameter ` +
        `(${genes.join(", ")}): constrain those only`,
    );
  }
}

function checkEvolution(search: SearchOptions, genes: string[]): void {
  if (!search.start?.length) {
    const missing = genes.filter((g) => !search.bounds?.[g]);
    if (missing.length) throw new TypeError(`give bounds.${missing[0]} or a start genome with it`);
  }
  const population = search.population ?? 16, deathRate = search.deathRate ?? 0.5;
  if (population < 2) {
    throw new RangeError(
      `search.population ${population} cannot evolve: a child needs parents and a generation ` +
        "survivors; give population ≥ 2 (e.g. 16)",
    );
  }
  if (Math.floor(population * deathRate) < 1) {
    throw new RangeError(
      `search.deathRate ${deathRate} with population ${population} removes no individual, so no ` +
        `child is ever bred: give deathRate ≥ ${1 / population} (e.g. 0.5)`,
    );
  }
}
