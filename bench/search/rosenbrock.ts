// Rosenbrock's function in as many dimensions as it gets genes x0, x1, …:
// loss = Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)², optimum x_i = 1 (loss 0). For the search benchmark.
export function simulate(params: Record<string, unknown>): { loss: number; score: number } {
  const x = Object.keys(params).filter((k) => /^x\d+$/.test(k))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))).map((k) => Number(params[k]));
  let loss = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    loss += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  }
  return { loss, score: -loss };
}
