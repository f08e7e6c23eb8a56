/**
 * The plot of a search, `search.svg` next to `summary.csv`: the best objective of each generation (points)
 * and the mean ± std of its evaluations (a line with error bars), in the project's plot style (`plotSvg`).
 *
 * @module
 */

import { join } from "node:path";
import { atomicWriteText } from "../../src/formats/atomic.ts";
import { plotSvg } from "../../src/group/plot.ts";
import type { Evaluation, Objective } from "./options.ts";
import type { GenerationStats } from "./driver.ts";

/**
 * The SVG of best and mean objective per generation.
 *
 * @example
 * ```ts
 * import { searchPlotSvg } from "./plot.ts";
 * const svg = searchPlotSvg(
 *   [{ generation: 0, evaluations: 2, best: 1, mean: 0.5 }, { generation: 1, evaluations: 2, best: 2, mean: 1.5 }],
 *   [],
 *   { key: "score", goal: "maximize" },
 *   "Evo",
 * );
 * console.log(svg.startsWith("<svg"), svg.includes("mean ± std")); // true true
 * ```
 */
export function searchPlotSvg(
  generations: readonly GenerationStats[],
  evaluations: readonly Evaluation[],
  objective: Objective,
  name: string,
): string {
  const std = generations.map((g) => {
    const v = evaluations.filter((e) => e.generation === g.generation).map((e) => e.value)
      .filter((x): x is number => Number.isFinite(x));
    if (v.length < 2 || g.mean === undefined) return NaN;
    return Math.sqrt(v.reduce((a, x) => a + (x - g.mean!) ** 2, 0) / (v.length - 1));
  });
  return plotSvg({
    points: {
      x: generations.map((g) => g.generation),
      y: generations.map((g) => g.best ?? null),
      label: `best of the generation (${objective.goal})`,
    },
    summary: {
      x: generations.map((g) => g.generation),
      mean: generations.map((g) => g.mean ?? NaN),
      std,
      label: "mean ± std",
    },
    xLabel: "generation",
    yLabel: objective.key,
    title: `${objective.key} per generation (${name}, ${evaluations.length} evaluations)`,
  }, { xInteger: true });
}

/**
 * Writes `search.svg` into the group folder; returns its path.
 *
 * @throws {StorageError} When it cannot be written.
 *
 * @example
 * ```ts
 * import { writeSearchPlot } from "./plot.ts";
 * const dir = await Deno.makeTempDir();
 * const path = await writeSearchPlot(dir, [{ generation: 0, evaluations: 1, best: 1, mean: 1 }], [], { key: "score", goal: "maximize" }, "Evo");
 * console.log(path.endsWith("search.svg")); // true
 * ```
 */
export async function writeSearchPlot(
  groupPath: string,
  generations: readonly GenerationStats[],
  evaluations: readonly Evaluation[],
  objective: Objective,
  name: string,
): Promise<string> {
  const path = join(groupPath, "search.svg");
  await Deno.mkdir(groupPath, { recursive: true });
  await atomicWriteText(path, searchPlotSvg(generations, evaluations, objective, name));
  return path;
}
