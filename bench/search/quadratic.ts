// A shifted quadratic in as many dimensions as it gets genes x0, x1, …: loss = Σ (x_i − c_i)², with the
// optimum c_i = 0.3 + 0.1·i (loss 0). A simulation module for the search benchmark and tests.
export function simulate(params: Record<string, unknown>): { loss: number; score: number } {
  let loss = 0;
  for (const [key, value] of Object.entries(params)) {
    const m = /^x(\d+)$/.exec(key);
    if (m) loss += (Number(value) - (0.3 + 0.1 * Number(m[1]))) ** 2;
  }
  return { loss, score: -loss };
}
