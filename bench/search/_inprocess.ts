// Drives a search method in this process with a simulation module's `simulate` as the objective: the same
// strategies, seeds, budget rule and ranking as `runSweep({ search })` (which makes identical evaluations
// given the same scores; tests/search_run_test.ts checks it), without a process per evaluation.
import { makeStrategy } from "../../runner/search/methods.ts";
import { carriedBy, withinBudget } from "../../runner/search/driver.ts";
import { fitnessOf } from "../../runner/search/evaluations.ts";
import type { Evaluation, Objective, SearchOptions } from "../../runner/search/options.ts";
import type { Params } from "../../runner/sweep.ts";

/** Runs `search` against `f`; returns the best objective value found and the runs made. */
export async function searchInProcess(
  search: SearchOptions,
  objective: Objective,
  f: (params: Params) => number,
): Promise<{ best: number; runs: number }> {
  const strategy = makeStrategy(search, search.seed ?? 0);
  const population = search.population ?? 16;
  let runs = 0;
  let best = objective.goal === "maximize" ? -Infinity : Infinity;
  for (let g = 0; search.generations === undefined || g < search.generations; g++) {
    const left = (search.budget ?? Infinity) - runs;
    if (left <= 0) break;
    const asked = await strategy.ask(g, Math.min(population, left + carriedBy(strategy)));
    const candidates = withinBudget(asked, left);
    if (!candidates.some((c) => !c.carried)) break;
    const evaluations: Evaluation[] = candidates.map((c, i) => {
      if (c.carried) return { ...c.carried, params: c.params, generation: g, individual: i };
      runs++;
      const value = f(c.params);
      return {
        params: c.params,
        value,
        fitness: fitnessOf(value, "done", objective),
        status: "done",
        path: "",
        generation: g,
        individual: i,
      };
    });
    for (const e of evaluations) {
      if (objective.goal === "maximize" ? e.value! > best : e.value! < best) best = e.value!;
    }
    await strategy.tell(g, evaluations);
  }
  return { best, runs };
}
