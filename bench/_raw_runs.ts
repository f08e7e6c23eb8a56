/**
 * The raw limit of the runner benchmark, one of its processes: `n` tiny runs done with nothing but Deno's
 * file calls — a random-named folder (exclusive mkdir), `config.ini` written with the point, then again with
 * the score (`mkdir` + 2 file writes: no lock, no temporary file, no ini codec, no IPC). Prints the loop's
 * own time in ms.
 *
 * With `--safe`, the crash-safe floor instead: the same two writes each as a sweepstore run must make them —
 * a temporary file, its `stat` (the stamp that spares the re-read) then a rename over `config.ini` (a
 * killed run never leaves a torn file), the second under the run folder's `flock` after a `stat` of
 * `config.ini` (the lock against other writers, `src/run/config_store.ts`) — the same file system calls as
 * `src/formats/atomic.ts` and `ConfigStore` (tests/review26_crash_safe_floor_test.ts counts them), still
 * without the ini codec, the parameter checks, the run's record, IPC or a process per slot.
 *
 *   deno run --allow-read=<group> --allow-write=<group> bench/_raw_runs.ts <group folder> <n> [--safe]
 */
const [group, count] = Deno.args;
const safe = Deno.args.includes("--safe");
const n = Number(count);
const enc = new TextEncoder();
Deno.mkdirSync(group, { recursive: true });

/**
 * Temporary file + rename, as `src/formats/atomic.ts` writes: the stamp by the temporary file's path after
 * the close, not the open file's `fstat` (Deno checks that against the path's permission with a
 * `readlink` per folder of the path: 5 more calls per write here, which sweepstore does not make).
 */
function writeSafe(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp-${Math.floor(Math.random() * 1e9)}`;
  const file = Deno.openSync(tmp, { write: true, createNew: true });
  for (let off = 0; off < bytes.length;) off += file.writeSync(bytes.subarray(off));
  file.close();
  Deno.statSync(tmp);
  Deno.renameSync(tmp, path);
}

const t0 = performance.now();
for (let k = 0; k < n; k++) {
  let folder: string;
  while (true) {
    folder = `${group}/Raw${Math.floor(Math.random() * 1e9)}`;
    try {
      Deno.mkdirSync(folder);
      break;
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
    }
  }
  const params = `[Parameters]\ntime = ${Date.now() / 1000}\nk = ${k}\n`;
  const end = enc.encode(`${params}score = ${k * 0.5}\n`);
  if (!safe) {
    Deno.writeFileSync(`${folder}/config.ini`, enc.encode(params));
    Deno.writeFileSync(`${folder}/config.ini`, end);
    continue;
  }
  writeSafe(`${folder}/config.ini`, enc.encode(params));
  const lock = Deno.openSync(folder, { read: true });
  lock.lockSync(true);
  Deno.statSync(`${folder}/config.ini`);
  writeSafe(`${folder}/config.ini`, end);
  lock.close();
}
console.log(performance.now() - t0);
