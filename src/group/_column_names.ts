/**
 * Column names of the tables made from a group (summary.csv, runs.csv, `aggregate --csv`): each name once
 * in a header, whatever the user's parameters are called. pandas reads a second `status` as `status.1`
 * and Python's `csv.DictReader` keeps only the last one, so a table's own columns give way to the user's.
 * @module
 */

/**
 * The first of `names` that `taken` does not hold, else the last one with `prefix` added until it is free:
 * a table's own column beside parameters of its names (`runs` → `n_runs`, `status` → `run_status`…).
 */
export function freeName(taken: readonly string[], prefix: string, ...names: string[]): string {
  let name = names.find((c) => !taken.includes(c)) ?? names[names.length - 1];
  while (taken.includes(name)) name = `${prefix}${name}`;
  return name;
}

/**
 * Statistics columns `<value>_<stat>` for each value and statistic in that order, each made free with
 * `stat_` against `leading` (the table's first columns, e.g. a swept parameter `score_mean` beside the
 * objective `score`) and the names before it.
 */
export function statColumns(
  leading: readonly string[],
  values: readonly string[],
  stats: readonly string[],
): string[] {
  const taken = [...leading];
  for (const v of values) for (const s of stats) taken.push(freeName(taken, "stat_", `${v}_${s}`));
  return taken.slice(leading.length);
}
