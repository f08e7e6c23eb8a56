// A simulation that does almost nothing: measures the runner's own cost per run.
export function simulate(params: { k: number }) {
  return { score: params.k * 0.5 };
}
