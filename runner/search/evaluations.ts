/**
 * Evaluations from run folders: the objective a run saved, its fitness, and — for `resume` — the
 * finished evaluations of a search found on disk by their `[Run] generation` and `individual`.
 *
 * @module
 */

import { StorageError } from "../../src/errors.ts";
import { StorageManagerGroup } from "../../src/group/group.ts";
import { StorageManager } from "../../src/run/storage_manager.ts";
import { reconcileRuns } from "../reconcile.ts";
import type { RunStatus } from "../events.ts";
import { readRunSection } from "../run_record.ts";
import { type Params, pointKey } from "../sweep.ts";
import type { Evaluation, Objective } from "./options.ts";
import type { Candidate } from "./evolution.ts";

/**
 * The fitness of an objective value: larger is better; -Infinity for none, NaN, or a run not `done`.
 *
 * @example
 * ```ts
 * import { fitnessOf } from "./evaluations.ts";
 * const loss = { key: "loss", goal: "minimize" } as const;
 * console.log(fitnessOf(0.5, "done", loss), fitnessOf(NaN, "done", loss), fitnessOf(0.1, "failed", loss)); // -0.5 -Infinity -Infinity
 * ```
 */
export function fitnessOf(
  value: number | undefined,
  status: RunStatus,
  objective: Objective,
): number {
  if (status !== "done" || value === undefined || Number.isNaN(value)) return -Infinity;
  return objective.goal === "maximize" ? value : -value;
}

/**
 * The objective's value in a run folder, if it is a number.
 *
 * @example
 * ```ts
 * import { StorageManager } from "@sweepstore/sweepstore";
 * import { objectiveOf } from "./evaluations.ts";
 * const sm = StorageManager.fromConfigText("/tmp/E/E1", "[Parameters]\nscore = 0.5\n");
 * console.log(objectiveOf(sm, { key: "score", goal: "maximize" })); // 0.5
 * ```
 */
export function objectiveOf(sm: StorageManager, objective: Objective): number | undefined {
  let v: unknown;
  try {
    v = sm.param(objective.key);
  } catch {
    return undefined;
  }
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined;
}

/**
 * The evaluation of a run that ended, read from its folder.
 *
 * @example
 * ```ts
 * import { evaluationOf } from "./evaluations.ts";
 * const at = { params: { x: 1 }, generation: 0, individual: 0 };
 * console.log((await evaluationOf("", "timeout", at, { key: "score", goal: "maximize" })).fitness); // -Infinity
 * ```
 */
export async function evaluationOf(
  path: string,
  status: RunStatus,
  at: { params: Params; generation: number; individual: number },
  objective: Objective,
): Promise<Evaluation> {
  let value: number | undefined;
  if (status === "done" && path) {
    try {
      value = objectiveOf(await StorageManager.open(path), objective);
    } catch { /* unreadable: no value, worst fitness */ }
  }
  return { ...at, value, fitness: fitnessOf(value, status, objective), status, path };
}

/**
 * A finished evaluation found on disk, with its folder's parameters.
 *
 * @example
 * ```ts
 * import { sameParams, type StoredEvaluation } from "./evaluations.ts";
 * const stored: StoredEvaluation = {
 *   folder: new Map([["x", 0.5]]),
 *   evaluation: { params: {}, fitness: 1, status: "done", path: "/d/E/E1", generation: 0, individual: 0 },
 * };
 * console.log(sameParams(stored, { x: 0.5 })); // true
 * ```
 */
export interface StoredEvaluation {
  /** Its folder's `[Parameters]`, by lowercase key. */
  folder: Map<string, unknown>;
  /** The evaluation (its `params` are set by whoever matches it). */
  evaluation: Evaluation;
  /** The run's `[Run] seed`, when it has one. */
  seed?: number;
}

/**
 * Whether a stored evaluation is of `params` (each of them as its folder holds it).
 *
 * @example
 * ```ts
 * import { sameParams } from "./evaluations.ts";
 * const evaluation = { params: {}, fitness: 1, status: "done" as const, path: "", generation: 0, individual: 0 };
 * console.log(sameParams({ folder: new Map([["lr", 0.1]]), evaluation }, { LR: 0.1 })); // true (keys ignore case)
 * ```
 */
export function sameParams(stored: StoredEvaluation, params: Params): boolean {
  const theirs = Object.fromEntries(
    Object.keys(params).map((k) => [k, stored.folder.get(k.toLowerCase()) ?? null]),
  ) as Params;
  return pointKey(theirs) === pointKey(params);
}

/**
 * The key of an individual in {@linkcode storedEvaluations}.
 *
 * @example
 * ```ts
 * import { individualKey } from "./evaluations.ts";
 * console.log(individualKey(3, 7)); // "3:7"
 * ```
 */
export function individualKey(generation: number, individual: number): string {
  return `${generation}:${individual}`;
}

/**
 * The finished evaluations of a search's group, by {@linkcode individualKey}: runs with `[Run] generation`
 * and `individual` that ended `done`, `failed` or `timeout` (a `done` one wins over a failed attempt).
 * Runs whose process is gone are marked `interrupted` first; `interrupted` runs are left out (run again).
 *
 * @throws {StorageError} (code `exists`) When a run of the search is alive in another process.
 *
 * @example
 * ```ts
 * import { storedEvaluations } from "./evaluations.ts";
 * const found = await storedEvaluations("None", await Deno.makeTempDir(), { key: "score", goal: "maximize" });
 * console.log(found.size); // 0
 * ```
 */
export async function storedEvaluations(
  name: string,
  dataFolder: string,
  objective: Objective,
): Promise<Map<string, StoredEvaluation[]>> {
  const out = new Map<string, StoredEvaluation[]>();
  const group = await StorageManagerGroup.load(name, { dataFolder });
  await reconcileRuns(group);
  for (const sm of group) {
    const run = readRunSection(sm);
    if (run.generation === undefined || run.individual === undefined) continue;
    if (run.status === "running") {
      throw new StorageError(
        `${sm.path} of search ${name} is running in another process (pid ${run.pid ?? "?"}): ` +
          "one process drives a search; wait for it or stop it, then resume",
        { path: sm.path, code: "exists" },
      );
    }
    if (run.status !== "done" && run.status !== "failed" && run.status !== "timeout") continue;
    const folder = new Map<string, unknown>();
    for (const key of sm.paramKeys()) {
      folder.set(key.toLowerCase(), sm.param(key, { default: null }));
    }
    const value = run.status === "done" ? objectiveOf(sm, objective) : undefined;
    const evaluation: Evaluation = {
      params: {},
      value,
      fitness: fitnessOf(value, run.status, objective),
      status: run.status,
      path: sm.path,
      generation: run.generation,
      individual: run.individual,
    };
    const key = individualKey(run.generation, run.individual);
    const list = out.get(key) ?? [];
    list.push({ folder, evaluation, seed: run.seed });
    list.sort((a, b) =>
      Number(b.evaluation.status === "done") - Number(a.evaluation.status === "done")
    );
    out.set(key, list);
  }
  return out;
}

/**
 * Refuses to resume a built-in search over the runs of another one: the method is deterministic given
 * its settings and the scores on disk, so an individual on disk whose parameters or run seed differ
 * from the one this search asks for was made with other settings (seed, population, bounds, start,
 * mutation, a fixed parameter). Resuming would mix two searches in one group.
 *
 * @throws {RangeError} Naming the run folder, what differs, and what to do.
 *
 * @example
 * ```ts
 * import { refuseOtherSearch } from "./evaluations.ts";
 * const stored = new Map([["0:0", [{
 *   folder: new Map([["x", 0.5]]), seed: 7,
 *   evaluation: { params: {}, fitness: 1, status: "done" as const, path: "/d/E/E1", generation: 0, individual: 0 },
 * }]]]);
 * const candidate = { params: { x: 0.25 }, parents: [] };
 * try {
 *   refuseOtherSearch("E", 0, [candidate], stored, () => 7);
 * } catch (e) {
 *   console.log((e as RangeError).message.startsWith("cannot resume search E")); // true
 * }
 * ```
 */
export function refuseOtherSearch(
  name: string,
  generation: number,
  candidates: Candidate[],
  stored: Map<string, StoredEvaluation[]>,
  runSeed: (i: number) => number,
): void {
  const onDisk = [...stored.keys()].map((k) => k.split(":").map(Number));
  const pathOf = ([g, i]: number[]) => stored.get(individualKey(g, i))![0].evaluation.path;
  const refuse = ([g, i]: number[], what: string) => {
    throw new RangeError(
      `cannot resume search ${name}: ${pathOf([g, i])} (generation ${g}, individual ${i}) ` +
        `was made by a search with other settings (${what}): resume with the seed, population, bounds, start, mutation and fixed ` +
        "parameters of the search that made it, or run this one under another name",
    );
  };
  // More individuals on disk than asked for, or fewer while a later generation exists (so this one
  // was complete): another population.
  const beyond = onDisk.find(([g, i]) => g === generation && i >= candidates.length);
  if (beyond) {
    refuse(beyond, `generation ${generation} has more than ${candidates.length} individuals`);
  }
  const later = onDisk.find(([g]) => g > generation);
  candidates.forEach((c, i) => {
    const found = c.carried ? undefined : stored.get(individualKey(generation, i));
    if (!c.carried && !found?.length && later) {
      refuse(later, `generation ${generation} ended without individual ${i}`);
    }
    if (!found?.length) return;
    const same = found.filter((s) => sameParams(s, c.params));
    if (same.some((s) => s.seed === undefined || s.seed === runSeed(i))) return;
    const what = same.length
      ? "its run seed"
      : `its parameters (this search asks for ${JSON.stringify(c.params)})`;
    refuse([generation, i], `${what} differ`);
  });
}
