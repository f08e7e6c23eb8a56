/**
 * writeNpy / readNpy of 100 MB float64 against numpy's np.save / np.load, side by side on this machine.
 *
 *   deno run --allow-read --allow-write --allow-run bench/npy_bench.ts [--mb 100] [--reps 9]
 *
 * numpy runs in one python3 process that takes commands on stdin, so the two sides alternate repetition
 * by repetition and share the machine's state (page cache, other load). Each side writes a new file
 * each time (sweepstore: temp file + rename; numpy: a fresh path), reads it back and deletes it; the
 * table shows the medians. sweepstore reads each file twice: into a new buffer (as np.load does) and
 * into one buffer reused by every repetition (`readNpy(path, { into })`). A child Deno started with
 * `--allow-ffi` shows writeNpy with fallocate (the opt-in). Two reference rows: the same code in a Deno
 * started with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (fresh ArrayBuffers on huge pages, as numpy's memory
 * is), and Deno.readFile + decodeNpy (what readNpy avoids).
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

/** The caller's buffer of `readNpy(path, { into })`, reused by every repetition. */
const into = new Float64Array(data.length);

/** One repetition: [write ms, read ms into a new buffer, read ms into the reused buffer]. */
async function sweepstoreRep(r: number): Promise<[number, number, number]> {
  const path = `${dir}/deno_${r}.npy`;
  let t = performance.now();
  await writeNpy(path, { data, shape });
  const w = performance.now() - t;
  t = performance.now();
  const back = await readNpy(path);
  const rd = performance.now() - t;
  t = performance.now();
  const again = await readNpy(path, { into });
  const ri = performance.now() - t;
  for (const got of [back.data, again.data] as Float64Array[]) {
    if (got.length !== data.length || got[12345] !== data[12345] || got.at(-1) !== data.at(-1)) {
      throw new Error("readNpy read back other data");
    }
  }
  await Deno.remove(path);
  return [w, rd, ri];
}

/** The same repetitions in a child Deno with other flags or environment: medians. */
async function childRun(flags: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-run",
      ...flags,
      new URL(import.meta.url).pathname,
      "--child",
      "--mb",
      String(mb),
      "--reps",
      String(reps),
    ],
    env,
    stdout: "piped",
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)) as Awaited<ReturnType<typeof compare>>;
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

/** sweepstore and numpy alternating, repetition by repetition: their medians in ms. */
async function compare() {
  const numpy = startNumpy();
  await numpy.ready;
  const sw: number[] = [],
    sr: number[] = [],
    si: number[] = [],
    nw: number[] = [],
    nr: number[] = [];
  for (let i = 0; i < reps; i++) {
    const [a, b, c] = await sweepstoreRep(i);
    sw.push(a);
    sr.push(b);
    si.push(c);
    const [d, e] = await numpy.rep(i);
    nw.push(d);
    nr.push(e);
  }
  await numpy.close();
  return {
    write: median(sw),
    read: median(sr),
    into: median(si),
    npWrite: median(nw),
    npRead: median(nr),
  };
}

try {
  if (child) {
    console.log(JSON.stringify(await compare()));
  } else {
    const plain = await compare();
    // The same in a Deno allowed to use FFI (writeNpy then reserves blocks with fallocate), and in one
    // whose glibc malloc asks for transparent huge pages (a reference: not a plain `deno run`); each
    // alternates with its own numpy.
    const ffi = await childRun(["--allow-ffi"], {});
    const huge = await childRun([], { GLIBC_TUNABLES: TUNABLE });

    // Reference: Deno.readFile (no preallocated buffer) + decodeNpy.
    const rf: number[] = [];
    const path = `${dir}/readfile.npy`;
    await writeNpy(path, { data, shape });
    for (let i = 0; i < Math.min(reps, 5); i++) {
      const t = performance.now();
      decodeNpy(await Deno.readFile(path), path);
      rf.push(performance.now() - t);
    }

    type Side = typeof plain;
    const f = (x: number) => x.toFixed(1);
    const row = (name: string, s: Side, w: number | null, r: number) =>
      console.log(
        `| ${name} | ${w === null ? "–" : f(w)} | ${f(r)} | ${f(s.npWrite)} / ${f(s.npRead)} | ${
          w === null ? "–" : `${(w / s.npWrite).toFixed(2)}×`
        } | ${(r / s.npRead).toFixed(2)}× |`,
      );
    console.log(
      `${mb} MB float64 (shape [${shape}]), median of ${reps}, ${navigator.hardwareConcurrency} cores\n`,
    );
    console.log(
      "| sweepstore | write (ms) | read (ms) | numpy save / load, same process run (ms) | write / numpy | read / numpy |",
    );
    console.log("|---|---|---|---|---|---|");
    row("`deno run`: writeNpy / readNpy (a new buffer)", plain, plain.write, plain.read);
    row("the same, `readNpy(path, { into })` (a reused buffer)", plain, null, plain.into);
    row("`deno run --allow-ffi`: writeNpy (fallocate) / readNpy", ffi, ffi.write, ffi.read);
    row("the same, `readNpy(path, { into })`", ffi, null, ffi.into);
    row(`reference: GLIBC_TUNABLES=${TUNABLE}`, huge, huge.write, huge.read);
    row("reference: Deno.readFile + decodeNpy", plain, null, median(rf));
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
