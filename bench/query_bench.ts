/**
 * The query language: parsing `p1>0.5 && p2<0.3` once and evaluating it over 100,000 parameter lookups,
 * side by side with the same test written by hand in TypeScript (the floor: two Map lookups per run).
 *
 *   deno run bench/query_bench.ts
 */
import { parseQuery } from "../src/group/query.ts";

const n = 100_000;
const repeats = 9;
let seed = 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const runs = Array.from(
  { length: n },
  () => new Map<string, unknown>([["p1", rand()], ["p2", rand()]]),
);
const source = "p1>0.5 && p2<0.3";

function median(times: number[]): number {
  return [...times].sort((a, b) => a - b)[times.length >> 1];
}

function time(count: () => number): { ms: number; matched: number } {
  const times: number[] = [];
  let matched = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    matched = count();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), matched };
}

const parse = time(() => {
  let k = 0;
  for (let i = 0; i < 10_000; i++) k += parseQuery(source).keys.length;
  return k;
});
const q = parseQuery(source);
const query = time(() => {
  let matched = 0;
  for (const run of runs) if (q.test((k) => run.get(k))) matched++;
  return matched;
});
const byHand = time(() => {
  let matched = 0;
  for (const run of runs) {
    const p1 = run.get("p1"), p2 = run.get("p2");
    if (typeof p1 === "number" && p1 > 0.5 && typeof p2 === "number" && p2 < 0.3) matched++;
  }
  return matched;
});
if (query.matched !== byHand.matched) {
  throw new Error(
    `The query matched ${query.matched} runs, the hand-written test ${byHand.matched}`,
  );
}

const row = (what: string, ms: number, per: string) => `| ${what} | ${ms.toFixed(1)} ms | ${per} |`;
console.log(`Median of ${repeats}; ${query.matched} of ${n} runs match.\n`);
console.log("| what | time | per item |\n| --- | --- | --- |");
console.log(
  row(`parse \`${source}\` 10,000 times`, parse.ms, `${(parse.ms * 1e3 / 10_000).toFixed(2)} µs`),
);
console.log(
  row(
    `evaluate \`${source}\` on ${n.toLocaleString("en")} runs (parsed once)`,
    query.ms,
    `${(query.ms * 1e6 / n).toFixed(0)} ns`,
  ),
);
console.log(
  row(
    `the same test written by hand on ${n.toLocaleString("en")} runs`,
    byHand.ms,
    `${(byHand.ms * 1e6 / n).toFixed(0)} ns`,
  ),
);
