/**
 * The search options of `sweepstore run`: `--evolve KEY=START:MIN:MAX[:log][:int]`, `--method`,
 * `--population`, `--generations`, `--budget`, `--mutation`, `--death-rate`, `--constraint`,
 * `--maximize`/`--minimize KEY` and `--search FILE` (a JSON search file; flags override it), turned into
 * `runSweep`'s `search` and `objective`. Bad input is a {@linkcode UsageError} (exit 2) naming the flag.
 *
 * @module
 */

import type { Command, OptionValues } from "@commander-js/extra-typings";
import { parseQuery } from "../../src/group/query.ts";
import type { SearchBest } from "../search/driver.ts";
import { checkSearchOptions } from "../search/check_options.ts";
import type { GeneBounds, Objective, SearchOptions } from "../search/options.ts";
import type { Params } from "../sweep.ts";
import { messageOf, UsageError } from "./errors.ts";
import { decimalNumber, wholeNumber } from "./_values.ts";

/** One `--evolve` item: a gene's bounds and, optionally, its start value. */
export interface EvolveItem {
  /** The gene. */
  key: string;
  /** Its start value, if given. */
  start?: number;
  /** Its bounds. */
  bounds: GeneBounds;
}

const EVOLVE_FORM = "KEY=START:MIN:MAX[:log][:int], e.g. lr=0.01:1e-5:1:log or n=:10:10000:int";

const number = decimalNumber;

/**
 * Parses one `--evolve` item and appends it.
 *
 * @throws {UsageError} For a malformed item or a key given twice.
 *
 * @example
 * ```ts
 * import { addEvolveItem } from "./_search_flags.ts";
 * console.log(addEvolveItem("lr=0.01:1e-5:1:log", undefined));
 * // [ { key: "lr", start: 0.01, bounds: { min: 0.00001, max: 1, log: true, integer: false } } ]
 * ```
 */
export function addEvolveItem(item: string, previous: EvolveItem[] | undefined): EvolveItem[] {
  const eq = item.indexOf("=");
  const key = eq > 0 ? item.slice(0, eq).trim() : "";
  const parts = item.slice(eq + 1).split(":");
  const flags = parts.slice(3);
  const [start, min, max] = [parts[0] ?? "", parts[1] ?? "", parts[2] ?? ""];
  const bad = !key || parts.length < 3 || flags.some((f) => f !== "log" && f !== "int") ||
    Number.isNaN(number(min)) || Number.isNaN(number(max)) ||
    (start.trim() !== "" && Number.isNaN(number(start)));
  if (bad) throw new UsageError(`--evolve ${item}: write ${EVOLVE_FORM}`, "run");
  if (previous?.some((p) => p.key.toLowerCase() === key.toLowerCase())) {
    throw new UsageError(`--evolve ${item}: ${key} is given twice; give each gene once`, "run");
  }
  const bounds: GeneBounds = {
    min: number(min),
    max: number(max),
    log: flags.includes("log"),
    integer: flags.includes("int"),
  };
  const out: EvolveItem = { key, bounds };
  if (start.trim() !== "") out.start = number(start);
  return [...(previous ?? []), out];
}

function appendItem(item: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), item];
}

function share(flag: string): (text: string) => number {
  return (text) => {
    const v = number(text);
    if (!(v >= 0)) throw new UsageError(`${flag} ${text}: expected a number ≥ 0, e.g. 0.05`, "run");
    return v;
  };
}

function constraint(text: string, previous: string[] | undefined): string[] {
  try {
    parseQuery(text);
  } catch (err) {
    throw new UsageError(`--constraint: ${messageOf(err)}`, "run");
  }
  return appendItem(text, previous);
}

/**
 * Adds the "Search:" options to `run`.
 *
 * @example
 * ```ts
 * import { Command } from "@commander-js/extra-typings";
 * import { withSearchOptions } from "./_search_flags.ts";
 * const cmd = withSearchOptions(new Command("run")).exitOverride();
 * cmd.parse(["--evolve", "x=1:0:2", "--generations", "3", "--maximize", "score"], { from: "user" });
 * console.log(cmd.opts().generations); // 3
 * ```
 */
export function withSearchOptions<
  A extends unknown[],
  O extends OptionValues,
  G extends OptionValues,
>(
  command: Command<A, O, G>,
): Command<A, O & SearchFlags, G> {
  // The return type is written out: composing the inferred option types of every option group made
  // `deno check` of the CLI take minutes (extra-typings builds one intersection per option).
  const typed = command
    .optionsGroup("Search (instead of points: an evolution, random or grid search; see --search):")
    .option(
      "--evolve <KEY=START:MIN:MAX[:log][:int]>",
      "a searched parameter (repeatable)",
      addEvolveItem,
    )
    .option("--method <method>", "evolution (default), random or grid")
    .option(
      "--population <n>",
      "individuals per generation (default: 16)",
      wholeNumber("--population", 1),
    )
    .option("--generations <n>", "generations to run", wholeNumber("--generations", 1))
    .option(
      "--budget <n>",
      "evaluations in all (instead of, or as a cap on, --generations)",
      wholeNumber("--budget", 1),
    )
    .option(
      "--mutation <x>",
      "σ of a child's gene = |gene| × x (default: 0.05)",
      share("--mutation"),
    )
    .option(
      "--death-rate <x>",
      "share of each generation that does not survive (default: 0.5)",
      share("--death-rate"),
    )
    .option(
      "--constraint <condition>",
      "a condition every point meets, e.g. 'b >= a' (repeatable)",
      constraint,
    )
    .option(
      "--maximize <key>",
      "the objective: the parameter each run saves, larger is better (also orders a --grid, " +
        "--point or --random sweep's summary)",
    )
    .option("--minimize <key>", "the objective, smaller is better")
    .option(
      "--search <file>",
      "a JSON search file (method, start, bounds, constraints, objective, …)",
    );
  return typed as unknown as Command<A, O & SearchFlags, G>;
}

/** The search flags as parsed. */
export type SearchFlags = {
  evolve?: EvolveItem[];
  method?: string;
  population?: number;
  generations?: number;
  budget?: number;
  mutation?: number;
  deathRate?: number;
  constraint?: string[];
  maximize?: string;
  minimize?: string;
  search?: string;
  seed?: number;
};

/** Whether any search flag was given. */
export function searchGiven(flags: SearchFlags): boolean {
  return flags.evolve !== undefined || flags.search !== undefined;
}

function readSearchFile(path: string): SearchOptions & { objective?: Objective } {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    throw new UsageError(`--search ${path}: ${messageOf(err)}`, "run");
  }
  try {
    const value = JSON.parse(text);
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new Error("not a JSON object");
    }
    return value;
  } catch (err) {
    throw new UsageError(`--search ${path} is not a JSON search object: ${messageOf(err)}`, "run");
  }
}

/** The flags that only a search reads, as typed on the command line. */
const SEARCH_ONLY: [keyof SearchFlags, string][] = [
  ["method", "--method"],
  ["population", "--population"],
  ["generations", "--generations"],
  ["budget", "--budget"],
  ["mutation", "--mutation"],
  ["deathRate", "--death-rate"],
  ["constraint", "--constraint"],
];

function objectiveFlag(flags: SearchFlags): Objective | undefined {
  for (const flag of ["maximize", "minimize"] as const) {
    if (flags[flag] !== undefined && !flags[flag]!.trim()) {
      throw new UsageError(`--${flag} needs the key each run saves, e.g. --${flag} score`, "run");
    }
  }
  if (flags.maximize !== undefined && flags.minimize !== undefined) {
    throw new UsageError("give one of --maximize and --minimize", "run");
  }
  return flags.maximize !== undefined
    ? { key: flags.maximize, goal: "maximize" }
    : flags.minimize !== undefined
    ? { key: flags.minimize, goal: "minimize" }
    : undefined;
}

/**
 * The objective of a sweep of points (`--grid`, `--point`, `--random`): `--maximize`/`--minimize` order its
 * summary (best first), as a search's objective does. The flags only a search reads are refused, naming
 * the flag (they were ignored without a word: `--minimize loss` still ranked the summary by `score`).
 *
 * @param flags The parsed flags.
 * @returns The objective, or undefined for the default (`score`, larger is better).
 * @throws {UsageError} A search-only flag, an empty key, both directions.
 *
 * @example
 * ```ts
 * import { pointsObjective } from "./_search_flags.ts";
 * console.log(pointsObjective({ minimize: "loss" })); // { key: "loss", goal: "minimize" }
 * ```
 */
export function pointsObjective(flags: SearchFlags): Objective | undefined {
  const given = SEARCH_ONLY.find(([key]) => flags[key] !== undefined);
  if (given) {
    throw new UsageError(
      `${given[1]} steers a search: add --evolve KEY=START:MIN:MAX (or --search FILE), or drop it`,
      "run",
    );
  }
  return objectiveFlag(flags);
}

/**
 * The `search` and `objective` of `runSweep` from the flags (and the `--search` file, which flags override).
 *
 * @throws {UsageError} For a missing objective or generations, a bad file, or values the search refuses.
 */
export function searchFromFlags(
  flags: SearchFlags,
): { search: SearchOptions; objective: Objective } {
  const file = flags.search !== undefined ? readSearchFile(flags.search) : {};
  const { objective: fileObjective, ...fileSearch } = file as SearchOptions & {
    objective?: Objective;
  };
  const objective: Objective | undefined = objectiveFlag(flags) ?? fileObjective;
  if (!objective) {
    throw new UsageError(
      "a search needs an objective: --maximize score (or --minimize loss)",
      "run",
    );
  }
  const bounds: Record<string, GeneBounds> = { ...fileSearch.bounds };
  const genome: Params = {};
  for (const e of flags.evolve ?? []) {
    bounds[e.key] = e.bounds;
    if (e.start !== undefined) genome[e.key] = e.start;
  }
  const search: SearchOptions = {
    ...fileSearch,
    bounds,
    ...(Object.keys(genome).length ? { start: [genome] } : {}),
    ...defined({
      method: flags.method as SearchOptions["method"],
      population: flags.population,
      generations: flags.generations,
      budget: flags.budget,
      mutation: flags.mutation,
      deathRate: flags.deathRate,
      seed: flags.seed,
    }),
  };
  if (flags.constraint) {
    search.constraints = [...(fileSearch.constraints ?? []), ...flags.constraint];
  }
  try {
    checkSearchOptions(search, objective);
  } catch (err) {
    const fix = /generations or budget/.test(messageOf(err))
      ? " (--generations N or --budget N)"
      : "";
    throw new UsageError(
      `${sourceOf(messageOf(err), flags, fileSearch)}${messageOf(err)}${fix}`,
      "run",
    );
  }
  return { search, objective };
}

const FLAG_OF: Record<string, keyof SearchFlags> = {
  method: "method",
  population: "population",
  generations: "generations",
  budget: "budget",
  mutation: "mutation",
  deathRate: "deathRate",
  seed: "seed",
};

/** Which flag or file a refused `search.…`/`objective.…` value came from: `--evolve lr: `, `--search F: `. */
function sourceOf(message: string, flags: SearchFlags, file: SearchOptions): string {
  const m = /^(search|objective)\.?([A-Za-z_]+)?(?:\.([^\s.[]+)|\[(\d+)\])?/.exec(message);
  if (!m || /generations or budget/.test(message)) return ""; // that message names its flags
  const [, top, option, key, index] = m;
  const fromFile = flags.search !== undefined ? `--search ${flags.search}: ` : "";
  const evolved = (k: string) => flags.evolve?.find((e) => e.key === k);
  if (top === "objective") {
    const flag = flags.maximize !== undefined
      ? "--maximize"
      : flags.minimize !== undefined
      ? "--minimize"
      : "";
    return flag ? `${flag}: ` : fromFile;
  }
  if (option === "bounds" && key !== undefined) {
    return evolved(key) ? `--evolve ${key}: ` : fromFile;
  }
  if (option === "start") {
    return flags.evolve?.some((e) => e.start !== undefined) ? "--evolve: " : fromFile;
  }
  if (option === "constraints" && index !== undefined) {
    return Number(index) < (file.constraints?.length ?? 0) ? fromFile : "--constraint: ";
  }
  const flag = option !== undefined ? FLAG_OF[option] : undefined;
  if (flag && flags[flag] !== undefined) {
    return `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `;
  }
  return fromFile;
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The lines the CLI prints after a search: the best runs (best first) and the plot.
 *
 * @example
 * ```ts
 * import { searchText } from "./_search_flags.ts";
 * const best = { params: { x: 1 }, score: 0.5, path: "/d/E/E3", generation: 2, individual: 0 };
 * console.log(searchText({ key: "score", goal: "maximize" }, best, [], "/d/E/search.svg"));
 * ```
 */
export function searchText(
  objective: Objective,
  best: SearchBest | undefined,
  top: { params: Params; value?: number; path: string; generation: number; individual: number }[],
  plot?: string,
): string {
  if (!best) return `search: no run saved a number as ${objective.key}\n`;
  const params = (p: Params) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(" ");
  const lines = [
    `best ${objective.key} (${objective.goal}): ${best.score} at ${params(best.params)}`,
  ];
  lines.push(`  ${best.path} (generation ${best.generation}, individual ${best.individual})`);
  if (top.length > 1) {
    lines.push("best runs:");
    for (const e of top) {
      lines.push(
        `  ${e.value}  ${params(e.params)}  (g${e.generation} i${e.individual}) ${e.path}`,
      );
    }
  }
  if (plot) lines.push(`search plot: ${plot}`);
  return `${lines.join("\n")}\n`;
}
