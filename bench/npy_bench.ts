/**
 * writeNpy / readNpy of 100 MB float64 against numpy's np.save / np.load, side by side on this machine.
 *
 *   deno run --allow-read --allow-write --allow-run bench/npy_bench.ts [--mb 100] [--reps 7]
 *
 * Both sides write a new file each repetition (sweepstore: temp file + rename; numpy: a fresh path) and read
 * it back; the medians are compared.
 */
import { readNpy, writeNpy } from "../src/npy.ts";

const args = Deno.args;
const opt = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const mb = opt("--mb", 100);
const reps = opt("--reps", 7);
const dir = await Deno.makeTempDir({ prefix: "sweepstore-npy-bench-" });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const data = new Float64Array((mb * 1024 * 1024) / 8);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i);
  const write: number[] = [], read: number[] = [];
  for (let r = 0; r < reps; r++) {
    const path = `${dir}/deno_${r}.npy`;
    let t = performance.now();
    await writeNpy(path, { data, shape: [data.length / 1024, 1024] });
    write.push(performance.now() - t);
    t = performance.now();
    const back = await readNpy(path);
    read.push(performance.now() - t);
    if (back.data.length !== data.length) throw new Error("read back the wrong size");
    await Deno.remove(path);
  }
  const py = `
import numpy as np, time, os, sys, json
d, reps = sys.argv[1], int(sys.argv[2])
a = np.sin(np.arange(${data.length}, dtype=np.float64)).reshape(-1, 1024)
w, r = [], []
for i in range(reps):
    p = os.path.join(d, f'py_{i}.npy')
    t = time.perf_counter(); np.save(p, a); w.append(time.perf_counter() - t)
    t = time.perf_counter(); b = np.load(p); r.append(time.perf_counter() - t)
    os.remove(p)
print(json.dumps({'write': w, 'read': r}))
`;
  const out = await new Deno.Command("python3", {
    args: ["-c", py, dir, String(reps)],
    stdout: "piped",
  })
    .output();
  const numpy = JSON.parse(new TextDecoder().decode(out.stdout));
  const nw = median(numpy.write) * 1000, nr = median(numpy.read) * 1000;
  const dw = median(write), dr = median(read);
  console.log(`${mb} MB float64, median of ${reps}\n`);
  console.log("| | write (ms) | read (ms) |");
  console.log("|---|---|---|");
  console.log(`| sweepstore writeNpy / readNpy | ${dw.toFixed(1)} | ${dr.toFixed(1)} |`);
  console.log(`| numpy np.save / np.load | ${nw.toFixed(1)} | ${nr.toFixed(1)} |`);
  console.log(
    `| ratio (sweepstore / numpy) | ${(dw / nw).toFixed(2)}× | ${(dr / nr).toFixed(2)}× |`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
