// A simulation that does almost nothing with any numeric parameters and returns three results: the memory
// bench's sweeps of several parameters (bench/sweep_memory_bench.ts --shape).
export function simulate(params: Record<string, number>) {
  let s = 0;
  for (const v of Object.values(params)) if (typeof v === "number") s += v;
  return { score: s * 0.5, loss: 1 / (1 + Math.abs(s)), acc: (Math.abs(s) % 1000) / 1000 };
}
