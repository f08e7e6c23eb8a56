/**
 * writeNpy / readNpy of 100 MB float64 against numpy's np.save / np.load, side by side on this machine.
 *
 *   deno run --allow-read --allow-write --allow-run bench/npy_bench.ts [--mb 100] [--reps 9]
 *
 * numpy runs in one python3 process that takes commands on stdin, so the two sides alternate repetition
 * by repetition and share the machine's state (page cache, other load). Each side writes a new file
 * each time (sweepstore: temp file + rename; numpy: a fresh path), reads it back and deletes it; the
 * table shows the medians. Two reference rows: the same sweepstore code in a Deno started with
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (fresh ArrayBuffers on huge pages, as numpy's memory is), and
 * Deno.readFile + decodeNpy (what readNpy avoids).
 */
import { decodeNpy, readNpy, writeNpy } from "../src/formats/npy.ts";

const args = Deno.args;
const opt = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const mb = opt("--mb", 100);
const reps = opt("--reps", 9);
const child = args.includes("--child");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const TUNABLE = "glibc.malloc.hugetlb=1";

const dir = await Deno.makeTempDir({ prefix: "sweepstore-npy-bench-" });
const data = new Float64Array((mb * 1024 * 1024) / 8);
for (let i = 0; i < data.length; i++) data[i] = Math.sin(i);
const shape = [data.length / 1024, 1024];

async function sweepstoreRep(r: number): Promise<[number, number]> {
  const path = `${dir}/deno_${r}.npy`;
  let t = performance.now();
  await writeNpy(path, { data, shape });
  const w = performance.now() - t;
  t = performance.now();
  const back = await readNpy(path);
  const rd = performance.now() - t;
  const got = back.data as Float64Array;
  if (got.length !== data.length || got[12345] !== data[12345] || got.at(-1) !== data.at(-1)) {
    throw new Error("readNpy read back other data");
  }
  await Deno.remove(path);
  return [w, rd];
}

/** A python3 process that runs np.save / np.load on command and answers with the times in ms. */
function startNumpy() {
  const py = `
import numpy as np, time, os, sys
a = np.sin(np.arange(${data.length}, dtype=np.float64)).reshape(-1, 1024)
print('ready', flush=True)
for line in sys.stdin:
    p = line.strip()
    t = time.perf_counter(); np.save(p, a); w = time.perf_counter() - t
    t = time.perf_counter(); b = np.load(p); r = time.perf_counter() - t
    assert b[3, 7] == a[3, 7]
    del b
    os.remove(p)
    print(w * 1000, r * 1000, flush=True)
`;
  const proc = new Deno.Command("python3", { args: ["-c", py], stdin: "piped", stdout: "piped" })
    .spawn();
  const writer = proc.stdin.getWriter();
  const lines = proc.stdout.pipeThrough(new TextDecoderStream()).values();
  let buffered = "";
  const nextLine = async (): Promise<string> => {
    while (!buffered.includes("\n")) {
      const { value, done } = await lines.next();
      if (done) throw new Error("python3 stopped: is numpy installed?");
      buffered += value;
    }
    const i = buffered.indexOf("\n");
    const line = buffered.slice(0, i);
    buffered = buffered.slice(i + 1);
    return line;
  };
  return {
    ready: nextLine(),
    async rep(r: number): Promise<[number, number]> {
      await writer.write(new TextEncoder().encode(`${dir}/py_${r}.npy\n`));
      const [w, rd] = (await nextLine()).split(" ").map(Number);
      return [w, rd];
    },
    async close() {
      await writer.close();
      await proc.status;
    },
  };
}

try {
  if (child) {
    const w: number[] = [], r: number[] = [];
    for (let i = 0; i < reps; i++) {
      const [a, b] = await sweepstoreRep(i);
      w.push(a);
      r.push(b);
    }
    console.log(JSON.stringify({ write: median(w), read: median(r) }));
  } else {
    const numpy = startNumpy();
    await numpy.ready;
    const sw: number[] = [], sr: number[] = [], nw: number[] = [], nr: number[] = [];
    for (let i = 0; i < reps; i++) {
      const [a, b] = await sweepstoreRep(i);
      sw.push(a);
      sr.push(b);
      const [c, d] = await numpy.rep(i);
      nw.push(c);
      nr.push(d);
    }
    await numpy.close();

    // Reference: the same code with glibc's malloc asking for transparent huge pages.
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-run",
        new URL(import.meta.url).pathname,
        "--child",
        "--mb",
        String(mb),
        "--reps",
        String(reps),
      ],
      env: { GLIBC_TUNABLES: TUNABLE },
      stdout: "piped",
    }).output();
    const huge = JSON.parse(new TextDecoder().decode(out.stdout));

    // Reference: Deno.readFile (no preallocated buffer) + decodeNpy.
    const rf: number[] = [];
    const path = `${dir}/readfile.npy`;
    await writeNpy(path, { data, shape });
    for (let i = 0; i < Math.min(reps, 5); i++) {
      const t = performance.now();
      decodeNpy(await Deno.readFile(path), path);
      rf.push(performance.now() - t);
    }

    const NW = median(nw), NR = median(nr);
    const row = (name: string, w: number | null, r: number) =>
      console.log(
        `| ${name} | ${w === null ? "–" : w.toFixed(1)} | ${r.toFixed(1)} | ${
          w === null ? "–" : `${(w / NW).toFixed(2)}×`
        } | ${(r / NR).toFixed(2)}× |`,
      );
    console.log(
      `${mb} MB float64 (shape [${shape}]), median of ${reps}, ${navigator.hardwareConcurrency} cores\n`,
    );
    console.log("| | write (ms) | read (ms) | write / numpy | read / numpy |");
    console.log("|---|---|---|---|---|");
    row("numpy np.save / np.load", NW, NR);
    row("sweepstore writeNpy / readNpy", median(sw), median(sr));
    row(`sweepstore, GLIBC_TUNABLES=${TUNABLE}`, huge.write, huge.read);
    row("Deno.readFile + decodeNpy", null, median(rf));
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
