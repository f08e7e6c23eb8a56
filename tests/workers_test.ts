// Worker-based experiments (issue 8 item 9): user code starts its own Deno Web Workers that create and fill
// runs with StorageManager at the same time (examples/workers.ts), then analyses them with the group. Real
// workers, real file locks across threads, Python's configparser and numpy as the judges of the files.
import { assert, assertEquals } from "./_assert.ts";
import { python, run, withTempDir } from "./_helpers.ts";
import { runWorkerExperiment } from "../examples/workers.ts";
import type { RunReport } from "../examples/workers_worker.ts";
import type { StorageManagerGroup } from "../src/group/group.ts";

const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const WORKERS = 4, RUNS = 25, SHARED_KEYS = 40;

/** Checks one group against what the workers reported: every run there once, with exactly its values. */
async function checkGroup(group: StorageManagerGroup, reports: RunReport[], prefix: string) {
  const names = reports.map((r) => r.name);
  assertEquals(new Set(names).size, names.length, `two workers reported the same ${prefix} folder`);
  // randomNr draws 0–9999 as PymoNNto does, so WorkersRandom0 is a valid name (1 run in 10,000).
  for (const name of names) assert(new RegExp(`^${prefix}(0|[1-9][0-9]*)$`).test(name), name);
  const onDisk: string[] = [];
  for await (const entry of Deno.readDir(group.path)) onDisk.push(entry.name);
  assertEquals(onDisk.sort(), [...names].sort(), `${prefix}: folders on disk = folders reported`);
  assertEquals(group.length, WORKERS * RUNS);
  assertEquals(group.errors, []);
  const byName = new Map(reports.map((r) => [r.name, r]));
  for (const sm of group) {
    const report = byName.get(sm.name)!;
    for (const [key, value] of Object.entries(report.params)) {
      assertEquals(sm.param(key), value, `${sm.name}: ${key}`);
    }
    const files = (await Array.fromAsync(Deno.readDir(sm.path))).map((e) => e.name).sort();
    assertEquals(files, ["config.ini", "trace.npy"], `${sm.name}: no temp file left behind`);
  }
}

Deno.test("Web Workers fill runs at once: every run there, unique names, no lost parameter, .npy read by numpy", async () => {
  await withTempDir(async (dir) => {
    const result = await runWorkerExperiment({
      dataFolder: `${dir}/Data`,
      workers: WORKERS,
      runsPerWorker: RUNS,
      sharedKeys: SHARED_KEYS,
    });
    assertEquals(result.replies.map((r) => r.worker), [0, 1, 2, 3]);
    const random = result.replies.flatMap((r) => r.random);
    const enumerated = result.replies.flatMap((r) => r.enumerated);
    await checkGroup(result.random, random, "WorkersRandom");
    await checkGroup(result.enumerated, enumerated, "WorkersEnum");

    // The group analysis sees what the workers stored.
    const scores = random.map((r) => r.params.score).sort((a, b) => b - a);
    assertEquals(result.random.sortBy("score", { descending: true }).getParamList("score"), scores);
    const worker1 = result.enumerated.query("worker == 1");
    assertEquals(worker1.map((sm) => sm.param("i")).sort((a, b) => Number(a) - Number(b)), [
      ...Array(RUNS).keys(),
    ]);
    const median = scores[Math.floor(scores.length / 2)];
    assertEquals(
      result.random.query(`score > ${median} && lr > 0`).length,
      scores.filter((s) => s > median).length,
    );

    // The shared run: every key of every worker, from saveParam, saveParamDict and two objects at once.
    const expected: Record<string, unknown> = {};
    for (const reply of result.replies) Object.assign(expected, reply.sharedParams);
    const params = await result.shared.loadParams();
    const { time, ...saved } = params;
    assert(typeof time === "number");
    assertEquals(saved, expected);
    assertEquals(Object.keys(expected).length, WORKERS * (SHARED_KEYS + 2));
    const sharedFiles = (await Array.fromAsync(Deno.readDir(result.shared.path))).map((e) =>
      e.name
    );
    assertEquals(sharedFiles.sort(), [
      "config.ini",
      "w0_trace.npy",
      "w1_trace.npy",
      "w2_trace.npy",
      "w3_trace.npy",
    ]);
    // configparser reads the same keys (none lost to a torn or interleaved write).
    const pyKeys = await python(
      `import configparser, sys
c = configparser.ConfigParser(); c.read(sys.argv[1])
print(len(c["Parameters"]), c["Parameters"]["w3_k39"], c["Parameters"]["w2_label"])`,
      [`${result.shared.path}/config.ini`],
    );
    assertEquals(pyKeys.trim(), `${WORKERS * (SHARED_KEYS + 2) + 1} 3039 worker 2`);

    // numpy reads every trace exactly as the worker computed it.
    const traces: Record<string, number[]> = {};
    for (const r of [...random, ...enumerated]) {
      const group = r.name.startsWith("WorkersEnum") ? "WorkersEnum" : "WorkersRandom";
      traces[`${result.dataFolder}/StorageManager/${group}/${r.name}/trace.npy`] = r.trace;
    }
    for (const reply of result.replies) {
      traces[`${result.shared.path}/${reply.sharedTrace.key}.npy`] = reply.sharedTrace.values;
    }
    const fromNumpy = JSON.parse(
      await python(
        `import json, sys
import numpy as np
out = {}
for p in json.load(open(sys.argv[1])):
    a = np.load(p)
    assert a.dtype == np.float64 and a.ndim == 1, (p, a.dtype, a.shape)
    out[p] = a.tolist()
print(json.dumps(out))`,
        [await writeJson(dir, Object.keys(traces))],
      ),
    );
    assertEquals(Object.keys(fromNumpy).length, WORKERS * (2 * RUNS + 1));
    assertEquals(fromNumpy, traces);
  });
});

async function writeJson(dir: string, value: unknown): Promise<string> {
  const path = `${dir}/paths.json`;
  await Deno.writeTextFile(path, JSON.stringify(value));
  return path;
}

/** Runs examples/workers.ts in a subprocess with the given permission flags. */
function example(flags: string[], args: string[]) {
  return run(Deno.execPath(), [
    "run",
    "--no-prompt",
    ...flags,
    `${root}/examples/workers.ts`,
    "--workers",
    "3",
    "--runs",
    "4",
    ...args,
  ], { cwd: root });
}

Deno.test("examples/workers.ts runs with read on its modules and the Data folder and write on Data only", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    await Deno.mkdir(data);
    const modules = ["examples", "src", "runner", "mod.ts"].map((p) => `${root}/${p}`);
    const narrow = [`--allow-read=${[...modules, data].join(",")}`, `--allow-write=${data}`];

    const ok = await example(narrow, ["--data", data]);
    assertEquals(ok.code, 0, ok.stderr);
    assert(ok.stdout.includes("3 workers created 24 runs"), ok.stdout);
    assert(ok.stdout.includes("WorkersEnum: 12 runs"), ok.stdout);
    assert(/shared run WorkersShared\d+: 67 parameters/.test(ok.stdout), ok.stdout);

    // The worker's module is loaded with the main thread's read permission (the main module needs none).
    const noModules = await example([`--allow-read=${data}`, `--allow-write=${data}`], [
      "--data",
      data,
    ]);
    assert(noModules.code !== 0);
    assert(
      noModules.stderr.includes(`Requires read access to "${root}/examples/workers_worker.ts"`),
      noModules.stderr,
    );
    const noWrite = await example([`--allow-read=${[...modules, data].join(",")}`], [
      "--data",
      data,
    ]);
    assert(noWrite.code !== 0);
    assert(noWrite.stderr.includes(`Requires write access to "${data}"`), noWrite.stderr);

    // Workers narrowed to read+write on the Data folder (deno.permissions) still do all their work…
    const sandboxed = await example(["--unstable-worker-options", ...narrow], [
      "--data",
      data,
      "--sandbox",
    ]);
    assertEquals(sandboxed.code, 0, sandboxed.stderr);
    assert(sandboxed.stdout.includes("WorkersEnum: 24 runs"), sandboxed.stdout); // 12 more
    // …and the option is refused without the unstable flag.
    const noFlag = await example(narrow, ["--data", data, "--sandbox"]);
    assert(noFlag.code !== 0);
    assert(noFlag.stderr.includes("--unstable-worker-options"), noFlag.stderr);
  });
});
