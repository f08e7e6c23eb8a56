/**
 * The query language: parsing once and evaluating `p1>0.5 && p2<0.3` over 100,000 parameter lookups.
 *
 *   deno run bench/query_bench.ts
 */
import { parseQuery } from "../src/query.ts";

const n = 100_000;
let seed = 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const runs = Array.from(
  { length: n },
  () => new Map<string, unknown>([["p1", rand()], ["p2", rand()]]),
);
const q = parseQuery("p1>0.5 && p2<0.3");
const times: number[] = [];
let matched = 0;
for (let r = 0; r < 7; r++) {
  const t0 = performance.now();
  matched = 0;
  for (const run of runs) if (q.test((k) => run.get(k))) matched++;
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log("| what | figure |\n|---|---|");
console.log(
  `| evaluate "p1>0.5 && p2<0.3" on ${n} runs (median of 7) | ${times[3].toFixed(1)} ms (${
    (times[3] * 1e6 / n).toFixed(0)
  } ns/run), ${matched} matched |`,
);
