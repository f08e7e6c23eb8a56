/**
 * Ways to write a 100 MB float64 `.npy` crash-safely (temp file + rename) from a plain `deno run`, each
 * against `np.save` in the same round: where the plain write's time goes and what Deno offers to cut it.
 *
 *   deno run --allow-read --allow-write --allow-run bench/npy_write_variants.ts [--mb 100] [--reps 15]
 *     [--replace] [--only writeNpy,chunks-1MiB,…] [--allow-ffi adds the fallocate row]
 *
 * Each round writes every candidate once and runs np.save once after each (the order of the candidates
 * rotates from round to round), so all share the machine's state; the table shows medians of wall time
 * and of CPU time (user + system of the whole process: Deno's `process.cpuUsage()`, Python's
 * `time.process_time()`), each with its ratio to the np.save runs of the same rounds. `--replace` writes
 * over an existing file each time (both sides: the same path again), otherwise each write makes a new
 * file that is deleted afterwards. Two numpy rows: `np.save` of numpy's own array (its memory is
 * `madvise(MADV_HUGEPAGE)`d) and of an array on 4 KiB pages (numpy's huge-page madvise turned off),
 * like the typed array of a plain Deno process.
 */
import process from "node:process";
import * as fs from "node:fs";
import { writeNpy } from "../src/formats/npy.ts";
import { encodeNpyHeader } from "../src/formats/_npy_header.ts";
import { pythonLines } from "./_python_lines.ts";

const args = Deno.args;
const opt = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const mb = opt("--mb", 100);
const reps = opt("--reps", 15);
const replace = args.includes("--replace");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : null;

const data = new Float64Array((mb * 1024 * 1024) / 8);
for (let i = 0; i < data.length; i++) data[i] = Math.sin(i);
const shape = [data.length / 1024, 1024];
const bytes = new Uint8Array(data.buffer);
const header = encodeNpyHeader({ data, shape, dtype: "float64" });
const dir = await Deno.makeTempDir({ prefix: "sweepstore-npy-variants-" });

function writeAll(file: Deno.FsFile, b: Uint8Array) {
  let off = 0;
  while (off < b.length) off += file.writeSync(b.subarray(off));
}

/** Opens a new temp file, lets `body` write it, closes it and renames it over `path`. */
function viaTemp(path: string, body: (file: Deno.FsFile, tmp: string) => void) {
  const tmp = `${path}.tmp`;
  const file = Deno.openSync(tmp, { write: true, createNew: true, mode: 0o644 });
  body(file, tmp);
  file.close();
  Deno.renameSync(tmp, path);
}

function chunks(size: number) {
  return (path: string) =>
    viaTemp(path, (file) => {
      writeAll(file, header);
      for (let off = 0; off < bytes.length; off += size) {
        writeAll(file, bytes.subarray(off, Math.min(bytes.length, off + size)));
      }
    });
}

type Variant = (path: string) => void | Promise<void>;
const variants: Record<string, Variant> = {
  // What writeNpy does (through atomic.ts): header, then one write straight from the array's memory.
  "writeNpy": (path) => writeNpy(path, { data, shape }),
  "chunks-1MiB": chunks(1 << 20),
  "chunks-8MiB": chunks(8 << 20),
  "truncate-first": (path) =>
    viaTemp(path, (file) => {
      file.truncateSync(header.length + bytes.length);
      writeAll(file, header);
      writeAll(file, bytes);
    }),
  "one-buffer-copy": (path) =>
    viaTemp(path, (file) => {
      const all = new Uint8Array(header.length + bytes.length);
      all.set(header);
      all.set(bytes, header.length);
      writeAll(file, all);
    }),
  "async-write": async (path) => {
    const tmp = `${path}.tmp`;
    const file = await Deno.open(tmp, { write: true, createNew: true, mode: 0o644 });
    for (const b of [header, bytes]) {
      let off = 0;
      while (off < b.length) off += await file.write(b.subarray(off));
    }
    file.close();
    await Deno.rename(tmp, path);
  },
  "node-writev": (path) => {
    const tmp = `${path}.tmp`;
    const fd = fs.openSync(tmp, "wx", 0o644);
    const n = fs.writevSync(fd, [header, bytes]);
    if (n !== header.length + bytes.length) throw new Error(`short writev: ${n}`);
    fs.closeSync(fd);
    fs.renameSync(tmp, path);
  },
  // Not crash-safe as the library needs (a hidden spare copy of every file stays on disk): how much
  // writing into the blocks and cached pages of the previous version saves. The spare is the file's
  // previous version, kept as a hard link when the new one is renamed over it.
  "reuse-old-file": (path) => {
    const spare = `${path}.spare`;
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(spare, { write: true });
    } catch {
      file = Deno.openSync(spare, { write: true, createNew: true, mode: 0o644 });
    }
    writeAll(file, header);
    writeAll(file, bytes);
    file.truncateSync(header.length + bytes.length);
    file.close();
    let kept = false;
    try {
      Deno.linkSync(path, `${spare}.next`);
      kept = true;
    } catch { /* no previous version */ }
    Deno.renameSync(spare, path);
    if (kept) Deno.renameSync(`${spare}.next`, spare);
  },
};
if (Deno.permissions.querySync({ name: "ffi" }).state === "granted") {
  // writeNpy in a process with --allow-ffi: fallocate, then the write through libc (_npy_libc.ts).
  variants["writeNpy-ffi-fallocate"] = variants.writeNpy;
  delete variants.writeNpy;
}
const names = Object.keys(variants).filter((n) => !only || only.includes(n));

/** A python3 process that runs np.save on command: "save <path> <0|1: 4 KiB pages>" → "wall cpu" (ms). */
function startNumpy() {
  const py = `
import numpy as np, time, os, sys
a = np.sin(np.arange(${data.length}, dtype=np.float64)).reshape(-1, 1024)
np._core.multiarray._set_madvise_hugepage(False)
b = np.empty_like(a); b[...] = a
np._core.multiarray._set_madvise_hugepage(True)
print('ready', flush=True)
for line in sys.stdin:
    if line.startswith('load'):
        print(' '.join('%.1f' % x for x in os.getloadavg()), flush=True)
        continue
    _, p, small = line.split()
    arr = b if small == '1' else a
    c = time.process_time(); t = time.perf_counter(); np.save(p, arr)
    w = time.perf_counter() - t; c = time.process_time() - c
    ${replace ? "" : "os.remove(p)"}
    print(w * 1000, c * 1000, flush=True)
`;
  const { send, nextLine, close } = pythonLines(py);
  return {
    ready: nextLine(),
    async save(path: string, smallPages: boolean): Promise<[number, number]> {
      await send(`save ${path} ${smallPages ? 1 : 0}`);
      const [w, c] = (await nextLine()).split(" ").map(Number);
      return [w, c];
    },
    /** The load averages of the last 1, 5 and 15 minutes. */
    async load(): Promise<string> {
      await send("load");
      return await nextLine();
    },
    close,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wall: Record<string, number[]> = {}, cpu: Record<string, number[]> = {};
const sides = [...names, "np.save", "np.save, array on 4 KiB pages"];
for (const s of sides) [wall[s], cpu[s]] = [[], []];

const numpy = startNumpy();
let load = "";
try {
  await numpy.ready;
  const all = [...names, "np.save, array on 4 KiB pages"];
  for (let r = 0; r < reps; r++) {
    const order = all.map((_, i) => all[(i + r) % all.length]);
    for (const name of order) {
      const slug = name.replace(/[^A-Za-z0-9.-]+/g, "_");
      const file = replace ? `${dir}/${slug}.npy` : `${dir}/${slug}-${r}.npy`;
      let w: number, c: number;
      if (name.startsWith("np.save")) {
        [w, c] = await numpy.save(file, true);
      } else {
        const c0 = process.cpuUsage();
        const t = performance.now();
        await variants[name](file);
        w = performance.now() - t;
        const used = process.cpuUsage(c0);
        c = (used.user + used.system) / 1000;
        if (!replace) Deno.removeSync(file);
      }
      wall[name].push(w);
      cpu[name].push(c);
      const [nw, nc] = await numpy.save(replace ? `${dir}/np.npy` : `${dir}/np-${r}.npy`, false);
      wall["np.save"].push(nw);
      cpu["np.save"].push(nc);
    }
  }
  load = await numpy.load();
} finally {
  await numpy.close();
  await Deno.remove(dir, { recursive: true });
}

const npWall = median(wall["np.save"]), npCpu = median(cpu["np.save"]);
const f = (x: number) => x.toFixed(1);
console.log(
  `${mb} MB float64, ${
    replace ? "over an existing file" : "a new file each time"
  }, median of ${reps} ` +
    `rounds, load average ${load} at the end\n`,
);
console.log("| write | wall (ms) | CPU (ms) | wall / np.save | CPU / np.save |");
console.log("|---|---|---|---|---|");
for (const s of sides) {
  const w = median(wall[s]), c = median(cpu[s]);
  console.log(
    `| ${s} | ${f(w)} | ${f(c)} | ${(w / npWall).toFixed(2)}× | ${(c / npCpu).toFixed(2)}× |`,
  );
}
