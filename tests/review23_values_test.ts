// Session 23's review of issue 8 as a hostile user: "a simulation that returns values the config.ini
// cannot hold". A string with a lone surrogate ("a\ud800b", not valid UTF-8) passed the result check
// (config.ini writes it as the Python escape 'a\ud800b'), the run folder said `done`, but the slot's `end`
// message could not be encoded (CBOR text must be UTF-8) and the send failed silently: the sweep hung for
// ever. The same string as a grid value hung `runSweep` before its first run. Now both are refused naming
// the key: the run fails with reason `result`, the grid before anything starts. Real processes: the CLI
// and its slots; runSweep in a process of its own.
import { assert, assertEquals } from "./_assert.ts";
import { cliArgs, python, withTempDir } from "./_helpers.ts";

const SIM = `
export async function simulate(p) {
  if (p.k === 0) return { s: "a\\ud800b" };
  if (p.k === 1) return { s: [1, { t: ["ok", "\\udc00"] }] };
  return { s: "fine \\ud83d\\ude00" }; // a well-formed pair: stored
}
`;

const READ = `
import configparser, glob, json, os, sys
out = []
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*", "config.ini"))):
    c = configparser.ConfigParser(interpolation=None)
    c.read(f, encoding="utf-8")
    out.append([int(c["Parameters"]["k"]), c["Run"]["status"], c["Run"].get("reason"),
                c["Parameters"].get("s"), c["Run"].get("error", "")])
print(json.dumps(sorted(out)))
`;

/** Runs `args` to the end, or kills it after `seconds` (a hang) and says so. */
async function finishes(args: string[], cwd: string, seconds: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), seconds * 1000);
  const out = await child.output();
  clearTimeout(timer);
  const stderr = new TextDecoder().decode(out.stderr);
  assert(out.signal !== "SIGKILL", `still running after ${seconds} s: ${stderr}`);
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr };
}

Deno.test("a result string with a lone surrogate: the run fails with reason result, the sweep ends", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, SIM);
    const res = await finishes(
      cliArgs(["run", "sim.ts", "--name", "Sur", "--grid", "k=0,1,2", "-j", "1", "--no-progress"]),
      dir,
      60,
    );
    assertEquals(res.code, 1, res.stderr);
    const runs: [number, string, string | null, string | null, string][] = JSON.parse(
      await python(READ, [`${dir}/Data/StorageManager/Sur`]),
    );
    assertEquals(runs.map((r) => r.slice(0, 3)), [
      [0, "failed", "result"],
      [1, "failed", "result"],
      [2, "done", null],
    ]);
    assert(runs[0][4].includes('"s" holds a string with a lone surrogate'), runs[0][4]);
    assertEquals(runs[2][3], "fine \u{1F600}");
  });
});

Deno.test("runSweep: a grid value with a lone surrogate is refused before any folder or process exists", async () => {
  await withTempDir(async (dir) => {
    const said = await refusedSweep(dir, "G", `grid: { s: ["a\\ud800"] }`);
    assert(said.startsWith('TypeError: grid: "s" holds a string with a lone surrogate'), said);
  });
});

// A result of 70 MB (config.ini could hold it): the run's `end` message passed the slot protocol's
// 64 MiB frame limit, and the CLI died with an uncaught "slot protocol: a frame of 70000172 bytes" stack
// trace; the other points never ran and no summary was written (and runSweep with a 70 MB point value
// hung). Values are now bounded (8 MiB of config.ini text per point or result): the run fails with
// reason `result` and the sweep goes on; such a point is refused before the sweep starts.
Deno.test("a 70 MB result: the run fails with reason result, the other points run, no stack trace", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/sim.ts`,
      `export const simulate = (p) => p.k === 0 ? { s: "x".repeat(70_000_000) } : { score: p.k };\n`,
    );
    const res = await finishes(
      cliArgs(["run", "sim.ts", "--name", "Huge", "--grid", "k=0,1,2", "-j", "1", "--no-progress"]),
      dir,
      120,
    );
    assertEquals(res.code, 1, res.stderr);
    assert(!/\n\s+at /.test(res.stderr), res.stderr);
    assert(
      /failed: 1 result — first: .*the result of simulate\(\): its values take \d+ characters in config\.ini/
        .test(res.stderr),
      res.stderr,
    );
    const statuses: string[] = [];
    for (const e of Deno.readDirSync(`${dir}/Data/StorageManager/Huge`)) {
      if (!/^Huge\d+$/.test(e.name)) continue;
      const text = await Deno.readTextFile(`${dir}/Data/StorageManager/Huge/${e.name}/config.ini`);
      statuses.push(`${text.match(/^k = (\d)$/m)![1]} ${text.match(/^status = (\w+)$/m)![1]}`);
      assert(text.length < 100_000, `config.ini of ${text.length} characters`);
    }
    assertEquals(statuses.sort(), ["0 failed", "1 done", "2 done"]);
    await Deno.stat(`${dir}/Data/StorageManager/Huge/summary.csv`); // the summary was written
  });
});

Deno.test("runSweep: a point value of 70 MB is refused before any folder or process exists (it hung)", async () => {
  await withTempDir(async (dir) => {
    const said = await refusedSweep(
      dir,
      "P",
      `points: [{ s: "x".repeat(70_000_000) }, { s: "y" }], concurrency: 1`,
    );
    assert(
      said.startsWith("TypeError: points[0]: its values take 70000001 characters in config.ini"),
      said,
    );
  });
});

/**
 * `runSweep({ name, …, <options> })` in a program of its own in `dir` (a hang is killed after 60 s):
 * what it printed of its rejection; no folder of the sweep may exist.
 */
async function refusedSweep(dir: string, name: string, options: string): Promise<string> {
  await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = () => 1;\n");
  const mod = new URL("../mod.ts", import.meta.url).href;
  await Deno.writeTextFile(
    `${dir}/main.ts`,
    `import { runSweep } from ${JSON.stringify(mod)};
try {
  await runSweep({ name: "${name}", simulation: "./sim.ts", dataFolder: "./Data", ${options} });
  console.log("ran");
} catch (err) {
  console.log(err.name + ": " + err.message);
}
`,
  );
  const config = new URL("../deno.json", import.meta.url).pathname; // mod.ts's npm imports
  const args = [
    "run",
    "--config",
    config,
    "--allow-read",
    "--allow-write",
    "--allow-run",
    "main.ts",
  ];
  const res = await finishes(args, dir, 60);
  assertEquals(res.code, 0, res.stderr);
  let data = true;
  await Deno.stat(`${dir}/Data/StorageManager/${name}`).catch(() => (data = false));
  assert(!data, "a folder was made for a refused sweep");
  return res.stdout + res.stderr;
}
