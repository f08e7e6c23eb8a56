/**
 * The raw limit of the runner benchmark, one of its processes: `n` tiny runs done with nothing but Deno's
 * file calls — a random-named folder (exclusive mkdir), `config.ini` written with the point, then again with
 * the score (`mkdir` + 2 file writes: no lock, no temporary file, no ini codec, no IPC). Prints the loop's
 * own time in ms.
 *
 *   deno run --allow-read=<group> --allow-write=<group> bench/_raw_runs.ts <group folder> <n>
 */
const [group, count] = Deno.args;
const n = Number(count);
const enc = new TextEncoder();
Deno.mkdirSync(group, { recursive: true });
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
  Deno.writeFileSync(`${folder}/config.ini`, enc.encode(params));
  Deno.writeFileSync(`${folder}/config.ini`, enc.encode(`${params}score = ${k * 0.5}\n`));
}
console.log(performance.now() - t0);
