/**
 * The runner bench's crash-safe floor (`bench/_raw_runs.ts --safe`) makes per run the file system calls a
 * sweepstore run makes at the least — a run folder, `config.ini` written by `ConfigStore.write` (the
 * first) and `ConfigStore.update` (the score), through `src/formats/atomic.ts` — no more, no fewer,
 * counted for real with strace. The floor took each written file's stamp with the open file's `fstat`,
 * which Deno checks with a `readlink` per folder of the path (atomic.ts stats the temporary file by
 * its path for that reason): 4 more calls per run on the run's own paths (10 in all), a floor above
 * what it is the floor of.
 */
import { assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";

const FLOOR = new URL("../bench/_raw_runs.ts", import.meta.url).pathname;
const STORE = new URL("../src/run/config_store.ts", import.meta.url).href;
const FOLDER = new URL("../src/run/data_folder.ts", import.meta.url).href;

/** A script making `n` runs of group folder `args[0]` as sweepstore does. */
const SWEEPSTORE_RUNS = `
import { createRunFolder } from ${JSON.stringify(FOLDER)};
import { ConfigStore } from ${JSON.stringify(STORE)};
const [group, count] = Deno.args;
for (let k = 0; k < Number(count); k++) {
  const run = await createRunFolder(group, "Raw");
  const config = new ConfigStore(run.path);
  await config.write(ConfigStore.initial({ Parameters: { k } }));
  await config.update((ini) => ini.get("Parameters")!.set("score", String(k / 2)));
}
`;

/** The calls by name (those naming a path inside `group`, and every flock) of `script` making `n` runs. */
async function calls(script: string, group: string, n: number): Promise<Map<string, number>> {
  const log = `${group.split("/StorageManager/")[0]}.strace`;
  const out = await new Deno.Command("strace", {
    args: [
      ...["-f", "-qq", "-o", log, "-e", "trace=%file,flock"],
      ...[Deno.execPath(), "run", `--allow-read=${group}`, `--allow-write=${group}`],
      ...[script, group, String(n), "--safe"],
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  const counts = new Map<string, number>();
  for (const line of Deno.readTextFileSync(log).split("\n")) {
    const m = /^\d+\s+(\w+)\(/.exec(line);
    if (m && (line.includes(`${group}/`) || m[1] === "flock")) {
      counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
    }
  }
  return counts;
}

/** Per run: the calls of 6 runs less those of 1, over 5 (the start-up's own calls cancel). */
async function perRun(script: string, dir: string, name: string): Promise<Record<string, number>> {
  const one = await calls(script, `${dir}/${name}1/StorageManager/Raw`, 1);
  const six = await calls(script, `${dir}/${name}6/StorageManager/Raw`, 6);
  const names = [...new Set([...one.keys(), ...six.keys()])].sort();
  return Object.fromEntries(
    names.map((c) => [c, ((six.get(c) ?? 0) - (one.get(c) ?? 0)) / 5] as const)
      .filter(([, k]) => k !== 0),
  );
}

Deno.test("the crash-safe floor makes the file system calls of a sweepstore run, no more, no fewer", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/runs.ts`, SWEEPSTORE_RUNS);
    const sweepstore = await perRun(`${dir}/runs.ts`, dir, "s");
    const floor = await perRun(FLOOR, dir, "f");
    assertEquals(floor, sweepstore);
  });
});
