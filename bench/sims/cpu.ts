// A CPU-bound simulation (~50 ms of arithmetic): measures how well runs spread over cores.
export function simulate(params: { k: number; iterations?: number }) {
  let x = params.k + 1;
  const n = params.iterations ?? 12_000_000;
  for (let i = 0; i < n; i++) x = (x * 1103515245 + 12345) % 2147483648;
  return { score: x / 2147483648 };
}
