/**
 * The search driver: asks the method for a generation, runs the individuals not yet evaluated as one
 * batch on the backend (the local pool, or one SLURM job array per generation), reads their objective from
 * the run folders, tells the method, and goes on. With `resume`, the finished evaluations on disk (same
 * generation, individual and parameters) are reused instead of run again, so a search cut by a crash or a
 * stop completes its cut generation and then goes on as if it had never stopped.
 *
 * @module
 */

import type { Backend, BackendContext, SweepPlan } from "../backend.ts";
import type { RunRecord } from "../events.ts";
import type { RunSweepOptions } from "../sweep_options.ts";
import { pointKey, type SweepTask } from "../sweep.ts";
import { type Candidate, ranked, type Strategy } from "./evolution.ts";
import { makeStrategy } from "./methods.ts";
import {
  evaluationOf,
  individualKey,
  refuseOtherSearch,
  sameParams,
  type StoredEvaluation,
  storedEvaluations,
} from "./evaluations.ts";
import type { Evaluation, Objective, SearchOptions } from "./options.ts";
import { geneNames } from "./options.ts";
import { hash32 } from "../_sweep_points.ts";
import type { Params } from "../sweep.ts";

/**
 * The best evaluation of a search.
 *
 * @example
 * ```ts
 * import type { SearchBest } from "@sweepstore/sweepstore/runner";
 * const best: SearchBest = { params: { lr: 0.01 }, score: 0.93, path: "/d/Evo/Evo12", generation: 4, individual: 0 };
 * console.log(best.score); // 0.93
 * ```
 */
export interface SearchBest {
  /** Its parameters. */
  params: Params;
  /** Its objective value. */
  score: number;
  /** Its run folder. */
  path: string;
  /** Its generation. */
  generation: number;
  /** Its position in the generation. */
  individual: number;
}

/**
 * The objective over one generation.
 *
 * @example
 * ```ts
 * import type { GenerationStats } from "@sweepstore/sweepstore/runner";
 * const stats: GenerationStats = { generation: 0, evaluations: 16, best: 0.9, mean: 0.6 };
 * console.log(stats.best! - stats.mean!); // the spread of a generation
 * ```
 */
export interface GenerationStats {
  /** The generation, 0-based. */
  generation: number;
  /** Evaluations in it. */
  evaluations: number;
  /** The best objective value in it (undefined when none is a number). */
  best?: number;
  /** The mean of its objective values that are finite numbers. */
  mean?: number;
}

/**
 * What {@linkcode runSearch} did.
 *
 * @example
 * ```ts
 * import type { SearchOutcome } from "@sweepstore/sweepstore/runner";
 * const none: SearchOutcome = { records: [], evaluations: [], generations: [], reused: 0, interrupted: false };
 * console.log(none.best); // undefined
 * ```
 */
export interface SearchOutcome {
  /** One record per evaluation run now (not the reused ones). */
  records: RunRecord[];
  /** Every evaluation, reused ones included, in order. */
  evaluations: Evaluation[];
  /** Per generation, the objective's best and mean. */
  generations: GenerationStats[];
  /** The best evaluation, if any has a value. */
  best?: SearchBest;
  /** Evaluations found finished on disk (`resume`) and not run again. */
  reused: number;
  /** Whether the search was stopped through `signal`. */
  interrupted: boolean;
}

/**
 * What the driver needs from `runSweep`.
 *
 * @example
 * ```ts
 * import { LocalBackend, Tally } from "@sweepstore/sweepstore/runner";
 * import type { SearchContext } from "./driver.ts";
 * const context: SearchContext = {
 *   id: "Evo-1", dataFolder: "/tmp/Data", simulation: "file:///tmp/sim.ts",
 *   backend: () => new LocalBackend(), context: { emit: () => {}, tally: new Tally(8) },
 * };
 * console.log(context.backend().name); // "local"
 * ```
 */
export interface SearchContext {
  /** The sweep's id (each generation's batch gets `<id>-g<generation>`). */
  id: string;
  /** The Data folder (absolute). */
  dataFolder: string;
  /** The simulation module's URL. */
  simulation: string;
  /** This machine's name. */
  host?: string;
  /** The project's git commit, for `[Run] git_commit`. */
  gitCommit?: string;
  /** A new backend for one generation. */
  backend: () => Backend;
  /** The event sink and counts. */
  context: BackendContext;
}

/**
 * How many evaluations (runs) a search plans: evolution and random `population × generations` (evolution
 * with `reevaluate: false`: `population + (generations − 1) × (population − survivors)`), at most `budget`,
 * or `budget`; grid its points (at most `budget`); `undefined` when an optimizer decides.
 *
 * @example
 * ```ts
 * import { plannedEvaluations } from "./driver.ts";
 * console.log(plannedEvaluations({ population: 16, generations: 10 })); // 160
 * console.log(plannedEvaluations({ population: 16, generations: 10, reevaluate: false })); // 16 + 9 × 8 = 88
 * console.log(plannedEvaluations({ population: 16, generations: 10, budget: 100 })); // 100
 * ```
 */
export function plannedEvaluations(search: SearchOptions, gridSize?: number): number | undefined {
  const population = search.population ?? 16;
  const g = search.generations;
  const survivors = population - Math.floor(population * (search.deathRate ?? 0.5));
  const carried = search.reevaluate === false && !search.optimizer &&
      (search.method ?? "evolution") === "evolution"
    ? Math.max(1, survivors)
    : 0;
  const byGenerations = g !== undefined ? population + (g - 1) * (population - carried) : Infinity;
  const cap = Math.min(byGenerations, search.budget ?? Infinity, gridSize ?? Infinity);
  return Number.isFinite(cap) ? cap : undefined;
}

function statsOf(generation: number, evaluations: Evaluation[]): GenerationStats {
  const values = evaluations.map((e) => e.value).filter((v): v is number => Number.isFinite(v));
  const best = ranked(evaluations)[0];
  return {
    generation,
    evaluations: evaluations.length,
    best: best && Number.isFinite(best.fitness) ? best.value : undefined,
    mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined,
  };
}

function bestOf(evaluations: Evaluation[]): SearchBest | undefined {
  const top = ranked(evaluations)[0];
  if (!top || top.value === undefined || top.fitness === -Infinity || Number.isNaN(top.fitness)) {
    return undefined;
  }
  const { params, value, path, generation, individual } = top;
  return { params, score: value, path, generation, individual };
}

interface Batch {
  evaluations: Evaluation[];
  records: RunRecord[];
  reused: number;
  interrupted: boolean;
}

/** Runs one generation's tasks as one batch on a new backend (one job array on SLURM) and waits for them. */
async function runOnBackend(
  generation: number,
  tasks: SweepTask[],
  options: RunSweepOptions,
  ctx: SearchContext,
): Promise<{ records: RunRecord[]; interrupted: boolean }> {
  const backend = ctx.backend();
  const plan: SweepPlan = {
    id: `${ctx.id}-g${generation}`,
    name: options.name,
    dataFolder: ctx.dataFolder,
    simulation: ctx.simulation,
    tasks,
    swept: geneNames(options.search as SearchOptions),
    host: ctx.host,
    // The driver does its own resume (by generation and individual); a point may recur in a search.
    options: {
      ...options,
      resume: false,
      slurm: options.slurm && { ...options.slurm, collectJob: false, wait: true },
    },
  };
  await backend.submit(plan, ctx.context);
  await backend.follow(options.signal);
  const outcome = await backend.collect();
  return { records: outcome.records.filter(Boolean), interrupted: outcome.interrupted };
}

/** Runs the individuals of one generation that have no finished evaluation on disk. */
async function runGeneration(
  generation: number,
  candidates: Candidate[],
  stored: Map<string, StoredEvaluation[]>,
  options: RunSweepOptions,
  ctx: SearchContext,
  seed: number,
): Promise<Batch> {
  const objective = options.objective as Objective;
  const runSeed = (i: number) => hash32(`search:${seed}:run:${generation}:${i}`);
  if (!(options.search as SearchOptions).optimizer) {
    refuseOtherSearch(options.name, generation, candidates, stored, runSeed);
  }
  const slots: (Evaluation | undefined)[] = candidates.map((c, i) => {
    if (c.carried) return { ...c.carried, params: c.params, generation, individual: i };
    const found = stored.get(individualKey(generation, i))?.find((s) => sameParams(s, c.params));
    return found ? { ...found.evaluation, params: c.params } : undefined;
  });
  const reused = candidates.filter((c, i) => slots[i] && !c.carried).length;
  for (let i = 0; i < reused; i++) ctx.context.tally.dropped();
  const tasks: SweepTask[] = [];
  const individualOf: number[] = [];
  candidates.forEach((c, i) => {
    if (slots[i]) return;
    individualOf.push(i);
    tasks.push({
      index: tasks.length,
      params: c.params,
      repeat: 0,
      point: pointKey(c.params),
      seed: runSeed(i),
      run: {
        generation,
        individual: i,
        parents: c.parents,
        ...(ctx.gitCommit ? { git_commit: ctx.gitCommit } : {}),
      },
    });
  });
  const { records, interrupted } = tasks.length
    ? await runOnBackend(generation, tasks, options, ctx)
    : { records: [], interrupted: false };
  for (const r of records) {
    const i = individualOf[r.index];
    if (i === undefined || slots[i]) continue;
    slots[i] = await evaluationOf(r.path, r.status, {
      params: candidates[i].params,
      generation,
      individual: i,
    }, objective);
  }
  const evaluations = candidates.map((c, i): Evaluation =>
    slots[i] ?? {
      params: c.params,
      fitness: -Infinity,
      status: "interrupted",
      path: "",
      generation,
      individual: i,
    }
  );
  return { evaluations, records, reused, interrupted };
}

/**
 * How many survivors `strategy` carries into its next generation without a run.
 *
 * @example
 * ```ts
 * import { Evolution } from "./evolution.ts";
 * import { carriedBy } from "./driver.ts";
 * console.log(carriedBy(new Evolution({ bounds: { x: { min: 0, max: 1 } } }, 0))); // 0 (nothing told yet)
 * ```
 */
export function carriedBy(strategy: Strategy): number {
  return strategy.carries?.() ?? 0;
}

/**
 * The candidates, with at most `left` that need a run (the carried ones are free).
 *
 * @example
 * ```ts
 * import { withinBudget } from "./driver.ts";
 * const c = (x: number) => ({ params: { x }, parents: [] });
 * console.log(withinBudget([c(1), c(2), c(3)], 2).length); // 2
 * ```
 */
export function withinBudget(candidates: Candidate[], left: number): Candidate[] {
  let fresh = 0;
  return candidates.filter((c) => c.carried || ++fresh <= left);
}

/**
 * Runs a search (`runSweep` with `search`; options checked before): generation after generation until
 * `generations`, `budget`, or an empty ask; stops early when `signal` is aborted (the cut generation is
 * not told to the method; `resume` completes it).
 *
 * @throws {StorageError} With `resume`, when a run of the search is alive in another process.
 * @throws {RangeError} When the constraints exclude every point within the bounds, or a start genome breaks them;
 * with `resume`, when the runs on disk were made by a built-in search with other settings (seed,
 * population, bounds, …), which resuming would mix in.
 */
export async function runSearch(
  options: RunSweepOptions,
  ctx: SearchContext,
): Promise<SearchOutcome> {
  const search = options.search as SearchOptions;
  const objective = options.objective as Objective;
  const seed = search.seed ?? options.seed ?? 0;
  const strategy: Strategy = makeStrategy(search, seed);
  const population = search.population ?? 16;
  const stored = options.resume
    ? await storedEvaluations(options.name, ctx.dataFolder, objective)
    : new Map<string, StoredEvaluation[]>();
  const all: Evaluation[] = [];
  const records: RunRecord[] = [];
  const generations: GenerationStats[] = [];
  let reused = 0;
  let runs = 0; // evaluations that are runs (carried survivors are not)
  for (let g = 0; search.generations === undefined || g < search.generations; g++) {
    const left = (search.budget ?? Infinity) - runs;
    if (left <= 0 || options.signal?.aborted) break;
    const asked = await strategy.ask(g, Math.min(population, left + carriedBy(strategy)));
    const candidates = withinBudget(asked, left);
    if (!candidates.some((c) => !c.carried)) break;
    runs += candidates.filter((c) => !c.carried).length;
    const batch = await runGeneration(g, candidates, stored, options, ctx, seed);
    records.push(...batch.records);
    reused += batch.reused;
    if (batch.interrupted || options.signal?.aborted) {
      all.push(...batch.evaluations.filter((e) => e.status !== "interrupted"));
      return {
        records,
        evaluations: all,
        generations,
        best: bestOf(all),
        reused,
        interrupted: true,
      };
    }
    all.push(...batch.evaluations);
    await strategy.tell(g, batch.evaluations);
    const stats = statsOf(g, batch.evaluations);
    generations.push(stats);
    ctx.context.emit({
      type: "generation",
      generation: g,
      generations: search.generations,
      evaluations: runs,
      reused: batch.reused,
      best: stats.best,
      mean: stats.mean,
      bestSoFar: bestOf(all),
      objective: objective.key,
    });
  }
  return { records, evaluations: all, generations, best: bestOf(all), reused, interrupted: false };
}
