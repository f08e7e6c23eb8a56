// A newcomer's first hour (issue 9): using sweepstore from another project, following exactly the README's
// steps (`deno link` to a clone, then import "@sweepstore/sweepstore"), in a temp project with its own
// Deno cache; and no "Ignored build scripts" warning box from this repository's configuration.
import { relative } from "node:path";
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";

const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const NPM_PACKAGES = ["fflate", "ignore", "pngjs"]; // sweepstore's npm dependencies (deno.json)

/**
 * A fresh DENO_DIR, seeded with the npm packages this machine's cache already holds (so the test also runs
 * without network), and without anything else: no compiled modules, no warned-about-scripts markers.
 */
async function freshDenoDir(dir: string): Promise<string> {
  const denoDir = `${dir}/deno_dir`;
  const info = await deno(["info", "--json"], root, {});
  const npmCache = JSON.parse(info.stdout).npmCache as string;
  for (const pkg of NPM_PACKAGES) {
    const from = `${npmCache}/registry.npmjs.org/${pkg}`;
    const to = `${denoDir}/npm/registry.npmjs.org/${pkg}`;
    if (await exists(from)) await copyTree(from, to);
  }
  return denoDir;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.name.startsWith(".scripts-warned-")) continue;
    if (entry.isDirectory) await copyTree(`${from}/${entry.name}`, `${to}/${entry.name}`);
    else if (entry.isFile) await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}

/** Runs `deno <args>` in `cwd` with this environment (network and certificate settings) plus `env`. */
async function deno(args: string[], cwd: string, env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** The user's code from the README: one run stored and read back, a group, and a two-point sweep. */
const MAIN_TS = `import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
import { runSweep } from "@sweepstore/sweepstore/runner";

const dataFolder = "./Data";
const sm = await StorageManager.create("First", { dataFolder });
await sm.saveParamDict({ n: 1000, lr: 0.01 });
await sm.saveNp("weights", { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
await sm.saveObj("meta", { tags: new Set(["a"]), when: new Date(0) });
const group = await StorageManagerGroup.load("First", { dataFolder });
const weights = await group.runs[0].loadNp("weights");
const meta = await group.runs[0].loadObj("meta") as { tags: Set<string>; when: Date };
const sweep = await runSweep({
  name: "Sweep",
  simulation: new URL("./sim.ts", import.meta.url),
  grid: { n: [1, 2] },
  dataFolder,
});
console.log(JSON.stringify({
  runs: group.length,
  n: group.getParamList("n"),
  shape: weights.shape,
  weights: Array.from(weights.data as Float32Array),
  meta: { set: meta.tags instanceof Set, tags: [...meta.tags], when: meta.when.toISOString() },
  sweep: sweep.group.sortBy("n").getParamList("score"),
}));
`;

const SIM_TS = `import type { StorageManager } from "@sweepstore/sweepstore";
export async function simulate(params: { n: number }, sm: StorageManager) {
  await sm.saveNp("x", { data: new Float64Array([params.n]), shape: [1] });
  return { score: params.n * 10 };
}
`;

const EXPECTED = {
  runs: 1,
  n: [1000],
  shape: [2, 3],
  weights: [1, 2, 3, 4, 5, 6],
  meta: { set: true, tags: ["a"], when: "1970-01-01T00:00:00.000Z" },
  sweep: [10, 20],
};

/** Makes the user's project folder with main.ts and sim.ts, and runs the README's one setup step. */
async function linkedProject(dir: string, env: Record<string, string>, packageJson?: string) {
  const project = `${dir}/my-experiment`;
  await Deno.mkdir(project);
  await Deno.writeTextFile(`${project}/main.ts`, MAIN_TS);
  await Deno.writeTextFile(`${project}/sim.ts`, SIM_TS);
  if (packageJson) await Deno.writeTextFile(`${project}/package.json`, packageJson);
  const link = await deno(["link", relative(project, root)], project, env);
  assertEquals(link.code, 0, link.stderr);
  assertEquals(JSON.parse(await Deno.readTextFile(`${project}/deno.json`)), {
    links: [relative(project, root)],
  });
  return project;
}

function runMain(project: string, env: Record<string, string>) {
  return deno(["run", "--allow-read", "--allow-write", "--allow-run", "main.ts"], project, env);
}

function assertNoWarningBox(stderr: string) {
  assert(!stderr.includes("Warning"), stderr);
  assert(!stderr.includes("Ignored build scripts"), stderr);
}

Deno.test("another project uses sweepstore after `deno link <clone>`: a run, a group and a sweep", async () => {
  await withTempDir(async (dir) => {
    const env = { DENO_DIR: await freshDenoDir(dir) };
    const project = await linkedProject(dir, env);
    const out = await runMain(project, env);
    assertEquals(out.code, 0, out.stderr);
    assertEquals(JSON.parse(out.stdout.trim().split("\n").at(-1)!), EXPECTED);
    assertNoWarningBox(out.stderr);
    const configs = await Array.fromAsync(Deno.readDir(`${project}/Data/StorageManager/Sweep`));
    assert(
      configs.filter((e) => e.isDirectory && !e.name.startsWith(".")).length === 2,
      "two sweep runs in the project's Data",
    );
  });
});

Deno.test("a project with a package.json: `deno link` installs node_modules; a fresh clone needs `deno install`", async () => {
  await withTempDir(async (dir) => {
    const env = { DENO_DIR: await freshDenoDir(dir) };
    const project = await linkedProject(dir, env, `{ "name": "my-experiment", "private": true }\n`);
    const first = await runMain(project, env);
    assertEquals(first.code, 0, first.stderr);
    assertNoWarningBox(first.stderr);

    // A fresh clone of the user's project has no node_modules: Deno then uses a manual node_modules
    // folder (because of package.json) and fails with the error of the issue until `deno install`.
    await Deno.remove(`${project}/node_modules`, { recursive: true });
    const missing = await runMain(project, env);
    assert(missing.code !== 0);
    assert(missing.stderr.includes("Could not find a matching package for 'npm:"), missing.stderr);
    const install = await deno(["install"], project, env);
    assertEquals(install.code, 0, install.stderr);
    assertNoWarningBox(install.stderr);
    const again = await runMain(project, env);
    assertEquals(again.code, 0, again.stderr);
  });
});

Deno.test("importing the clone's mod.ts by path without `deno link` fails: sweepstore's own imports are unknown", async () => {
  await withTempDir(async (dir) => {
    const env = { DENO_DIR: await freshDenoDir(dir) };
    const project = `${dir}/by-path`;
    await Deno.mkdir(project);
    await Deno.writeTextFile(
      `${project}/main.ts`,
      `import { StorageManager } from "${
        relative(project, root)
      }/mod.ts";\nconsole.log(typeof StorageManager);\n`,
    );
    const out = await deno(["run", "--allow-read", "main.ts"], project, env);
    assert(out.code !== 0);
    assert(/Import "(fflate|ignore|pngjs)" not a dependency/.test(out.stderr), out.stderr);
  });
});

Deno.test("this repository's configuration installs without a build-script warning box", async () => {
  await withTempDir(async (dir) => {
    // A copy of the dependency configuration in a new folder: Deno warns once per folder and package.
    for (const file of ["deno.json", "deno.lock", "package.json"]) {
      if (await exists(`${root}/${file}`)) await Deno.copyFile(`${root}/${file}`, `${dir}/${file}`);
    }
    const out = await deno(["install"], dir, { DENO_DIR: await freshDenoDir(dir) });
    assertEquals(out.code, 0, out.stderr);
    assertNoWarningBox(out.stderr);
  });
});
