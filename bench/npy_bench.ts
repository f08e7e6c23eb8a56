/**
 * writeNpy / readNpy of 100 MB float64 against numpy's np.save / np.load, side by side on this machine.
 *
 *   deno run --allow-read --allow-write --allow-run bench/npy_bench.ts [--mb 100] [--reps 9]
 *
 * numpy runs in one python3 process that takes commands on stdin, so the two sides alternate repetition
 * by repetition (who goes first alternates too) and share the machine's state (page cache, other load).
 * Three phases: both sides write a new file (sweepstore: temp file + rename; numpy: a fresh path) and
 * delete it; both read one file of their own, sweepstore twice (into a new buffer, as np.load does, and
 * into one buffer reused by every repetition: `readNpy(path, { into })`); both write over that file
 * again (the same path each time: sweepstore renames over it, numpy truncates it).
 * Besides wall time, CPU time (user + system of the whole process: Deno's `process.cpuUsage()`,
 * Python's `time.process_time()`), which other processes' load barely moves. A child Deno started with
 * `--allow-ffi` shows writeNpy with fallocate (the opt-in). Two reference rows: the same code in a Deno
 * started with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (fresh ArrayBuffers on huge pages, as numpy's memory
 * is), and Deno.readFile + decodeNpy (what readNpy avoids).
 */
import process from "node:process";
import { decodeNpy, readNpy, writeNpy } from "../src/formats/npy.ts";
import { pythonLines } from "./_python_lines.ts";

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
type NpOp = typeof NP_OPS[number];

/** Checks that a read gave back the written data. */
function check(got: Float64Array) {
  if (got.length !== data.length || got[12345] !== data[12345] || got.at(-1) !== data.at(-1)) {
    throw new Error("readNpy read back other data");
  }
}

/**
 * A python3 process that runs np.save / np.load / os.remove on command ("save <path>", …) and answers
 * with the wall and CPU ms of the call.
 */
function startNumpy() {
  const py = `
import numpy as np, time, os, sys
a = np.sin(np.arange(${data.length}, dtype=np.float64)).reshape(-1, 1024)
def load(p):
    b = np.load(p)
    assert b[3, 7] == a[3, 7]
    del b
do = {'save': lambda p: np.save(p, a), 'load': load, 'rm': os.remove}
print('ready', flush=True)
for line in sys.stdin:
    what, p = line.split()
    c = time.process_time(); t = time.perf_counter(); do[what](p)
    print((time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000, flush=True)
`;
  const { send, nextLine, close } = pythonLines(py);
  return {
    ready: nextLine(),
    async call(what: "save" | "load" | "rm", path: string): Promise<Time> {
      await send(`${what} ${path}`);
      const [w, c] = (await nextLine()).split(" ").map(Number);
      return [w, c];
    },
    close,
  };
}

/** Medians of wall and CPU time per operation, sweepstore's and numpy's. */
type Result = { deno: Record<Op, Time>; numpy: Record<NpOp, Time> };

/**
 * sweepstore and numpy alternating, repetition by repetition (who goes first alternates too), in three
 * phases kept apart: writes of new files (each deleted after), reads of one file per side (so that no
 * big buffer of a read is freed while a write is timed), writes over an existing file (those start
 * writeback on ext4, see bench/README.md).
 */
async function compare(): Promise<Result> {
  const numpy = startNumpy();
  await numpy.ready;
  const ours: Record<Op, Time[]> = { write: [], overwrite: [], read: [], into: [] };
  const theirs: Record<NpOp, Time[]> = { write: [], overwrite: [], read: [] };
  const alternate = async (i: number, mine: () => Promise<void>, numpys: () => Promise<void>) => {
    if (i % 2) await numpys();
    await mine();
    if (!(i % 2)) await numpys();
  };
  for (let i = 0; i < reps; i++) {
    await alternate(i, async () => {
      ours.write.push(await timed(() => writeNpy(`${dir}/deno_${i}.npy`, { data, shape })));
      await Deno.remove(`${dir}/deno_${i}.npy`);
    }, async () => {
      theirs.write.push(await numpy.call("save", `${dir}/py_${i}.npy`));
      await numpy.call("rm", `${dir}/py_${i}.npy`);
    });
  }
  await writeNpy(`${dir}/deno.npy`, { data, shape });
  await numpy.call("save", `${dir}/py.npy`);
  for (let i = 0; i < reps; i++) {
    await alternate(i, async () => {
      let back;
      ours.read.push(await timed(async () => back = await readNpy(`${dir}/deno.npy`)));
      check(back!.data as Float64Array);
      back = undefined;
      let again;
      ours.into.push(await timed(async () => again = await readNpy(`${dir}/deno.npy`, { into })));
      check(again!.data as Float64Array);
    }, async () => {
      theirs.read.push(await numpy.call("load", `${dir}/py.npy`));
    });
  }
  for (let i = 0; i < reps; i++) {
    await alternate(i, async () => {
      ours.overwrite.push(await timed(() => writeNpy(`${dir}/deno.npy`, { data, shape })));
    }, async () => {
      theirs.overwrite.push(await numpy.call("save", `${dir}/py.npy`));
    });
  }
  await numpy.close();
  const med = (times: Time[]): Time => [
    median(times.map((x) => x[0])),
    median(times.map((x) => x[1])),
  ];
  return {
    deno: Object.fromEntries(OPS.map((k) => [k, med(ours[k])])) as Record<Op, Time>,
    numpy: Object.fromEntries(NP_OPS.map((k) => [k, med(theirs[k])])) as Record<NpOp, Time>,
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
