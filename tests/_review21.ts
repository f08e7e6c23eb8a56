/**
 * Helpers of tests/review21_test.ts: the tree before 4e9ae77 (`git archive`), a sweep driver run in a
 * temporary project against a given tree, its records, marker files and the slot killed from outside.
 */
import { assert, assertEquals } from "./_assert.ts";
import { fixture } from "./_helpers.ts";
import { within } from "./_engine.ts";

export const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
export const SIM = fixture("sims/review21_sim.ts");
export const PERMS = ["--allow-read", "--allow-write", "--allow-run"];

/**
 * Whether this clone holds the commit before 4e9ae77 (a shallow clone or an exported tree does not: then
 * these comparisons with it are skipped, with a message, rather than failed).
 */
export const HAS_BASE = (await new Deno.Command("git", {
  args: ["-C", root, "cat-file", "-e", "4e9ae77~1^{commit}"],
  stdout: "null",
  stderr: "null",
}).output().catch(() => ({ success: false }))).success;
if (!HAS_BASE) {
  console.warn("review21: commit 4e9ae77~1 is not in this clone; its tests are skipped");
}

/** The tree before 4e9ae77, extracted once into a temporary folder. */
let baseTree: Promise<string> | undefined;
export function base(): Promise<string> {
  return baseTree ??= (async () => {
    const dir = baseDir = await Deno.makeTempDir({ prefix: "rev21-base-" });
    const tar = `git -C '${root}' archive 4e9ae77~1 | tar -x -C '${dir}'`;
    const out = await new Deno.Command("sh", { args: ["-c", tar] }).output();
    assert(out.success, new TextDecoder().decode(out.stderr));
    return dir;
  })();
}

let baseDir: string | undefined; // removed when the test file ends
globalThis.addEventListener("unload", () => {
  if (baseDir) Deno.removeSync(baseDir, { recursive: true });
});

export type Row = [string, unknown][];
export interface DriverOut {
  problems: string[];
  runs: Row[];
  retrying: Row[];
  interrupted: boolean;
  skipped: number;
}

/** Starts the driver (copied to a folder of its own, outside the package) on `tree` with `options`. */
export async function startDriver(tree: string, dir: string, options: Record<string, unknown>) {
  const driver = `${dir}/driver.ts`;
  await Deno.copyFile(fixture("review21_driver.ts"), driver);
  const args = ["run", "--config", `${tree}/deno.json`, ...PERMS, driver, tree];
  args.push(JSON.stringify({ simulationFile: SIM, ...options }));
  return new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "piped" }).spawn();
}

export async function driverOut(child: Deno.ChildProcess): Promise<DriverOut> {
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  assert(out.success, `driver failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(text);
}

/** A record's fields without its folder's data folder and run number (random), as an object. */
export function masked(row: Row): Row {
  return row.map(([k, v]) => [k, k === "path" ? String(v).replace(/^.*\/(\D*)\d+$/, "$1#") : v]);
}
export const field = (row: Row, key: string) => row.find(([k]) => k === key)?.[1];
export const param = (row: Row, key: string) =>
  (field(row, "params") as Row).find(([k]) => k === key)?.[1];

/**
 * `report.html`-like text with its written time and its page script left out (the page's code changes
 * with its features, e.g. session 22's bins; the data and the rest of the page must not).
 */
export const unwritten = (text: string) => {
  const end = text.lastIndexOf("</script>\n</body>");
  const start = end < 0 ? -1 : text.lastIndexOf("<script>", end);
  const page = start < 0 ? text : `${text.slice(0, start)}<script>…${text.slice(end)}`;
  return page.replace(/"written":"[^"]*"/g, '"written":…');
};

export async function deno(args: string[], cwd: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert(out.success, `deno ${args.join(" ")} failed: ${stderr}`);
}

/** Writes report.html with the CLI (`--allow-read=. --allow-write=./Data`, the README's fewest). */
export async function cliReport(tree: string, project: string, name: string): Promise<string> {
  const cli = `${tree}/runner/cli/cli.ts`;
  await deno(
    ["run", "--allow-read=.", "--allow-write=./Data", cli, "report", name, "--html"],
    project,
  );
  return await Deno.readTextFile(`${project}/Data/StorageManager/${name}/report.html`);
}

/** `htmlReport` and `writeHtmlReport` from a script outside the package (its Data folder readable only). */
export async function libraryReports(tree: string, project: string, name: string) {
  const script = `${project}/report.ts`;
  await Deno.writeTextFile(
    script,
    `import { StorageManagerGroup } from "${tree}/mod.ts";
import { readRunSection } from "${tree}/runner/mod.ts";
import { htmlReport, writeHtmlReport } from "${tree}/src/report_html/html_report.ts";
const group = await StorageManagerGroup.load(${JSON.stringify(name)}, { dataFolder: "./Data" });
const options = { runRecord: readRunSection, objective: "score" };
await Deno.writeTextFile("./Data/string.html", await htmlReport(group, { ...options, file: "./Data/string.html" }));
await writeHtmlReport(group, { ...options, file: "./Data/file.html" });
`,
  );
  const data = `${project}/Data`;
  const perms = [`--allow-read=${data}`, `--allow-write=${data}`];
  await deno(["run", "--config", `${tree}/deno.json`, ...perms, script], project);
  return {
    string: await Deno.readTextFile(`${data}/string.html`),
    file: await Deno.readTextFile(`${data}/file.html`),
  };
}

/** Per point `p`: how many attempts started and ended (marker files the simulation wrote in `dir`). */
export async function markers(dir: string) {
  const starts = new Map<number, number>(), ends = new Map<number, number>();
  for await (const e of Deno.readDir(dir)) {
    const m = /^(start|end)-(\d+)-/.exec(e.name);
    if (!m) continue;
    const map = m[1] === "start" ? starts : ends;
    map.set(Number(m[2]), (map.get(Number(m[2])) ?? 0) + 1);
  }
  return { starts, ends };
}

/**
 * Waits until point `p` starts its first attempt, checks in /proc (`ps`) that the pid it wrote is a slot
 * process, and kills it with SIGKILL; on failure kills the sweep's `driver` (its slots follow it).
 */
export async function killSlotRunning(marks: string, p: number, driver: Deno.ChildProcess) {
  try {
    let pid = 0;
    await within(120, `point ${p} started`, async () => {
      for await (const e of Deno.readDir(marks)) {
        const m = new RegExp(`^start-${p}-1-(\\d+)$`).exec(e.name);
        if (m) pid = Number(m[1]);
      }
      return pid > 0;
    }, 20);
    const ps = await new Deno.Command("ps", { args: ["-o", "args=", "-p", `${pid}`] }).output();
    const cmdline = new TextDecoder().decode(ps.stdout); // (ps reads /proc/<pid>/cmdline)
    assert(cmdline.includes("runner/local/slot.ts"), `pid ${pid} is no slot: ${cmdline}`);
    Deno.kill(pid, "SIGKILL");
  } catch (err) {
    driver.kill("SIGKILL");
    await driver.output();
    throw err;
  }
}

export async function folders(dataFolder: string, name: string): Promise<number> {
  let n = 0;
  for await (const e of Deno.readDir(`${dataFolder}/StorageManager/${name}`)) {
    if (e.isDirectory && !e.name.startsWith(".")) n++;
  }
  return n;
}

/**
 * Runs the driver of `tree` with `options` (prefetch 8), kills the slot running point `kill.hang` from
 * outside, and checks the sweep ended with no problem and `kill.runs` records; `where` names the tree.
 */
export async function withKilledSlot(
  tree: string,
  project: string,
  t: number,
  kill: { marks: string; hang: number; runs: number },
  options: Record<string, unknown>,
): Promise<{ out: DriverOut; where: string }> {
  const child = await startDriver(tree, project, {
    dataFolder: `${project}/Data`,
    prefetch: 8,
    ...options,
  });
  await killSlotRunning(kill.marks, kill.hang, child);
  const out = await driverOut(child);
  const where = t ? "before" : "now";
  assertEquals(out.problems, [], where);
  assertEquals(out.runs.length, kill.runs, where);
  return { out, where };
}
