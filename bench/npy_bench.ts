/**
 * writeNpy / readNpy of 100 MB float64 against numpy's np.save / np.load, side by side on this machine.
 *
 *   deno run --allow-read --allow-write --allow-run bench/npy_bench.ts [--mb 100] [--reps 9]
 *
 * numpy runs in one python3 process that takes commands on stdin, so the two sides alternate repetition
 * by repetition (who goes first alternates too) and share the machine's state (page cache, other load).
 * First, repetitions on new files: both sides write a new file (sweepstore: temp file + rename; numpy:
 * a fresh path), read it back and delete it. Then repetitions that write over one existing file of each
 * side (the same path each time: sweepstore renames over it, numpy truncates it). sweepstore reads each file twice: into a new
 * buffer (as np.load does) and into one buffer reused by every repetition (`readNpy(path, { into })`).
 * Besides wall time, CPU time (user + system of the whole process: Deno's `process.cpuUsage()`,
 * Python's `time.process_time()`), which other processes' load barely moves. A child Deno started with
 * `--allow-ffi` shows writeNpy with fallocate (the opt-in). Two reference rows: the same code in a Deno
 * started with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (fresh ArrayBuffers on huge pages, as numpy's memory
 * is), and Deno.readFile + decodeNpy (what readNpy avoids).
 */
import process from "node:process";
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

/** Wall and CPU time (ms) of one call. */
type Time = [wall: number, cpu: number];
async function timed(f: () => Promise<unknown>): Promise<Time> {
  const c0 = process.cpuUsage();
  const t = performance.now();
  await f();
  const wall = performance.now() - t;
  const used = process.cpuUsage(c0);
  return [wall, (used.user + used.system) / 1000];
}

const OPS = ["write", "overwrite", "read", "into"] as const;
const NP_OPS = ["write", "overwrite", "read"] as const;
type Op = typeof OPS[number];

/** One repetition of sweepstore on a new file: write, read into a new buffer, read `{ into }`. */
async function sweepstoreRep(r: number): Promise<Record<Exclude<Op, "overwrite">, Time>> {
  const path = `${dir}/deno_${r}.npy`;
  const write = await timed(() => writeNpy(path, { data, shape }));
  let back, again;
  const read = await timed(async () => back = await readNpy(path));
  const intoTime = await timed(async () => again = await readNpy(path, { into }));
  for (const got of [back!.data, again!.data] as Float64Array[]) {
    if (got.length !== data.length || got[12345] !== data[12345] || got.at(-1) !== data.at(-1)) {
      throw new Error("readNpy read back other data");
    }
  }
  back = again = undefined;
  await Deno.remove(path);
  return { write, read, into: intoTime };
}

/** A python3 process that runs np.save / np.load on command and answers with wall and CPU ms. */
function startNumpy() {
  const py = `
import numpy as np, time, os, sys
a = np.sin(np.arange(${data.length}, dtype=np.float64)).reshape(-1, 1024)
def timed(f):
    c = time.process_time(); t = time.perf_counter(); f()
    return [(time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000]
print('ready', flush=True)
for line in sys.stdin:
    fresh = line.strip()
    if fresh.endswith('same.npy'):
        print(*timed(lambda: np.save(fresh, a)), flush=True)
        continue
    out = timed(lambda: np.save(fresh, a))
    b = None
    def load():
        global b
        b = np.load(fresh)
    out += timed(load)
    assert b[3, 7] == a[3, 7]
    del b
    os.remove(fresh)
    print(*out, flush=True)
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
    /** np.save to a new path, np.load, delete. */
    async rep(r: number): Promise<Record<"write" | "read", Time>> {
      await writer.write(new TextEncoder().encode(`${dir}/py_${r}.npy\n`));
      const t = (await nextLine()).split(" ").map(Number);
      return { write: [t[0], t[1]], read: [t[2], t[3]] };
    },
    /** np.save over the same file again. */
    async overwrite(): Promise<Time> {
      await writer.write(new TextEncoder().encode(`${dir}/py_same.npy\n`));
      const t = (await nextLine()).split(" ").map(Number);
      return [t[0], t[1]];
    },
    async close() {
      await writer.close();
      await proc.status;
    },
  };
}

/** Medians of wall and CPU time per operation, sweepstore's and numpy's. */
type Result = { deno: Record<Op, Time>; numpy: Record<typeof NP_OPS[number], Time> };

/**
 * sweepstore and numpy alternating, repetition by repetition (who goes first alternates too): first
 * new files, then writes over an existing file (kept apart: those start writeback, see bench/README.md).
 */
async function compare(): Promise<Result> {
  const numpy = startNumpy();
  await numpy.ready;
  const ours: Record<Op, Time>[] = [], theirs: Record<typeof NP_OPS[number], Time>[] = [];
  for (let i = 0; i < reps; i++) {
    if (i % 2) theirs.push({ ...await numpy.rep(i), overwrite: [0, 0] });
    ours.push({ ...await sweepstoreRep(i), overwrite: [0, 0] });
    if (!(i % 2)) theirs.push({ ...await numpy.rep(i), overwrite: [0, 0] });
  }
  for (let i = 0; i < reps; i++) {
    if (i % 2) theirs[i].overwrite = await numpy.overwrite();
    ours[i].overwrite = await timed(() => writeNpy(`${dir}/deno_same.npy`, { data, shape }));
    if (!(i % 2)) theirs[i].overwrite = await numpy.overwrite();
  }
  await numpy.close();
  const med = <K extends string>(rows: Record<K, Time>[], k: K): Time => [
    median(rows.map((x) => x[k][0])),
    median(rows.map((x) => x[k][1])),
  ];
  return {
    deno: Object.fromEntries(OPS.map((k) => [k, med(ours, k)])) as Record<Op, Time>,
    numpy: Object.fromEntries(NP_OPS.map((k) => [k, med(theirs, k)])) as Result["numpy"],
  };
}

/** The same repetitions in a child Deno with other flags or environment: medians. */
async function childRun(flags: string[], env: Record<string, string>): Promise<Result> {
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
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** One table row: an operation of one run against the matching numpy operation of that run. */
function row(name: string, ours: Time, theirs: Time) {
  const f = (x: number) => x.toFixed(1);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  console.log(
    `| ${name} | ${f(ours[0])} / ${f(ours[1])} | ${f(theirs[0])} / ${f(theirs[1])} | ` +
      `${ratio(ours[0], theirs[0])} | ${ratio(ours[1], theirs[1])} |`,
  );
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
    const rf: Time[] = [];
    const path = `${dir}/readfile.npy`;
    await writeNpy(path, { data, shape });
    for (let i = 0; i < Math.min(reps, 5); i++) {
      rf.push(await timed(async () => decodeNpy(await Deno.readFile(path), path)));
    }

    console.log(
      `${mb} MB float64 (shape [${shape}]), median of ${reps}, ${navigator.hardwareConcurrency} cores\n`,
    );
    console.log(
      "| sweepstore | wall / CPU (ms) | numpy, same process run: wall / CPU (ms) | wall / numpy | CPU / numpy |",
    );
    console.log("|---|---|---|---|---|");
    const sides: [string, Result][] = [
      ["`deno run`", plain],
      ["`deno run --allow-ffi` (fallocate)", ffi],
      [`reference: GLIBC_TUNABLES=${TUNABLE}`, huge],
    ];
    for (const [name, s] of sides) {
      row(`${name}: writeNpy, a new file / np.save`, s.deno.write, s.numpy.write);
      row(`${name}: writeNpy over an existing file / np.save`, s.deno.overwrite, s.numpy.overwrite);
      row(`${name}: readNpy, a new buffer / np.load`, s.deno.read, s.numpy.read);
      row(`${name}: readNpy \`{ into }\` a reused buffer / np.load`, s.deno.into, s.numpy.read);
    }
    const readFile: Time = [median(rf.map((x) => x[0])), median(rf.map((x) => x[1]))];
    row("reference: Deno.readFile + decodeNpy / np.load", readFile, plain.numpy.read);
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
