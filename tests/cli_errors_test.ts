// Bad input through the real CLI process (issue 9): one message naming the problem and the fix, exit 2
// for a wrong command line and 1 for a failure to read or write, never a stack trace, nothing started.
import { assert, assertEquals } from "./_assert.ts";
import { cli, run, withTempDir } from "./_helpers.ts";
import { sweepFilesFolder } from "../src/layout.ts";

const SIM = new URL("./fixtures/cli/values.ts", import.meta.url).pathname;

type Out = { code: number; stdout: string; stderr: string };

/**
 * Exit code, one message on stderr that starts "sweepstore: " and says `text`, no stack frame: one line,
 * or for a query error the line and the query shown with a caret under the mistake (3 lines).
 */
function assertCleanError(out: Out, code: number, text: string, label: string): void {
  const shown = `${label}\n--- stderr:\n${out.stderr}`;
  assertEquals(out.code, code, shown);
  const lines = out.stderr.trimEnd().split("\n");
  const caret = lines.length === 3 && /^\s*\^/.test(lines[2]);
  assert(lines.length === 1 || caret, `one message expected: ${shown}`);
  assert(lines[0].startsWith("sweepstore: "), shown);
  assert(lines[0].includes(text), `expected "${text}": ${shown}`);
  assert(
    !/^\s*at /m.test(out.stderr) && !out.stderr.includes("Uncaught"),
    `a stack trace: ${shown}`,
  );
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("run: every bad option is refused before anything starts, exit 2, one line naming it", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const base = ["run", SIM, "--name", "Bad", "--data", data, "--no-progress"];
    const cases: [string[], string][] = [
      [["--grid", "k=1", "--repeats", "0"], "--repeats 0: expected a whole number ≥ 1"],
      [["--random", "x=5:1"], "--random x=5:1: MIN 5 is larger than MAX 1"],
      [["--random", "x=log:0:1"], "log sampling needs MIN > 0"],
      [["--random", "x=1:b"], "MIN and MAX must be finite numbers"],
      [["--grid", "k=1", "--concurrency", "0"], "--concurrency 0: expected a whole number ≥ 1"],
      [["--grid", "k=1", "-j", "-1"], "--concurrency -1: expected a whole number ≥ 1"],
      [["--grid", "k=1", "--timeout", "-5"], "--timeout -5: write a duration"],
      [["--grid", "k=1", "--timeout", "nan"], "--timeout nan: write a duration"],
      [["--grid", "k=1", "--timeout", "0"], "--timeout 0: write a duration above 0"],
      [["--grid", "k=1", "--grace", "soon"], "--grace soon: write a duration"],
      [["--grid", "k=1", "--retries", "-1"], "--retries -1: expected a whole number ≥ 0"],
      [["--grid", "a=b=1,2"], '--grid a=b=1,2: more than one "="'],
      [["--grid", "v=a,b", "--grid", "v=c"], '--grid v=c: "v" is given twice'],
      [
        ["--grid", "Score=1", "--grid", "score=2"],
        "are the same key (config.ini keys ignore case)",
      ],
      [["--grid", "k=1,,2"], "an empty value"],
      [["--grid", "[k=1"], 'Invalid parameter key "[k"'],
      [["--point", "a=1,A=2"], "are the same key"],
      [["--grid", "k=1", "--bogus"], "unknown option '--bogus'"],
      [["--grid", "k=1", "--backend", "cloud"], "Allowed choices are local, workers, slurm"],
      [
        ["--grid", "k=1", "--partition", "gpu"],
        "--partition is a SLURM option: add --backend slurm",
      ],
      [["--random", "x=1:2", "--samples", "0"], "--samples 0: expected a whole number ≥ 1"],
      [["--grid", "k=1", "--samples", "3"], "--samples counts random points"],
      [[], "give the points: --grid"],
    ];
    for (const [extra, text] of cases) {
      assertCleanError(await cli([...base, ...extra]), 2, text, extra.join(" "));
    }
    const bad: [string[], string][] = [
      [["run", SIM, "--grid", "k=1", "--data", data], "--name is required"],
      [
        ["run", SIM, "--name", "../x", "--grid", "k=1", "--data", data],
        'Invalid sweep name "../x"',
      ],
      [["run", "--name", "X", "--grid", "k=1"], "missing required argument 'simulation'"],
      [["frobnicate"], "unknown command 'frobnicate'"],
    ];
    for (const [args, text] of bad) assertCleanError(await cli(args), 2, text, args.join(" "));
    assert(!(await exists(data)), "a refused command line started nothing: no Data folder");
    await Deno.mkdir(`${dir}/project`);
    const noName = await cli(["run", SIM, "--grid", "k=1"], `${dir}/project`);
    assertCleanError(noName, 2, "--name is required", "without --data");
    assert(!(await exists(`${dir}/project/Data`)), "no Data folder made for a refused command");
  });
});

Deno.test("report, plot, status and collect refuse bad names, queries, reducers and flags with exit 2", async () => {
  await withTempDir(async (dir) => {
    const data = ["--data", `${dir}/Data`];
    const deep = "(".repeat(10_000) + "k>1" + ")".repeat(10_000);
    const cases: [string[], string][] = [
      [["report", "../etc", ...data], 'Invalid sweep name "../etc"'],
      [["report", ...data], "missing required argument 'name'"],
      [["report", "X", "--where", deep, ...data], "--where: Parentheses nested more than 200 deep"],
      [["report", "X", "--csv", "--json", ...data], "choose one of --csv, --markdown and --json"],
      [["report", "X", "--section", "a]b", ...data], "--section a]b"],
      [
        ["plot", "X", "--x", "k", "--y", "s", "--reducer", "evil", ...data],
        "--reducer evil: use one of mean",
      ],
      [["plot", "X", "--x", "../k", "--y", "s", ...data], '--x ../k: Invalid parameter key "../k"'],
      [["plot", "X", "--x", "k", ...data], "--x and --y are required"],
      [["ls", "extra", ...data], "too many arguments for 'ls'"],
      [["status", "../x", ...data], 'Invalid sweep name "../x"'],
      [["collect", "X", ...data], 'no SLURM sweep of "X" found'],
    ];
    for (const [args, text] of cases) assertCleanError(await cli(args), 2, text, args.join(" "));
  });
});

Deno.test("-o into a missing folder, a file where the Data folder should be, and a corrupt sweep file exit 1 with one line", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const made = await cli([
      "run",
      SIM,
      "--name",
      "Ok",
      "--grid",
      "k=1,2",
      "--data",
      data,
      "--no-progress",
    ]);
    assertEquals(made.code, 0, made.stderr);
    const report = await cli([
      "report",
      "Ok",
      "--csv",
      "-o",
      `${dir}/missing/out.csv`,
      "--data",
      data,
    ]);
    assertCleanError(report, 1, `the folder ${dir}/missing does not exist; create it`, "report -o");
    const plot = await cli([
      "plot",
      "Ok",
      "--x",
      "k",
      "--y",
      "k",
      "-o",
      `${dir}/nope/p.svg`,
      "--data",
      data,
    ]);
    assertCleanError(plot, 1, `the folder ${dir}/nope does not exist`, "plot -o");
    assert(!(await exists(`${dir}/missing`)) && !(await exists(`${dir}/nope`)));

    await Deno.writeTextFile(`${dir}/file`, "not a folder");
    const onFile = await cli(["run", SIM, "--name", "F", "--grid", "k=1", "--data", `${dir}/file`]);
    assertCleanError(onFile, 1, "cannot write the sweep's folder", "--data on a file");
    assert(onFile.stderr.includes("choose another with --data"), onFile.stderr);

    const sweeps = sweepFilesFolder(data, "Ok");
    await Deno.mkdir(sweeps, { recursive: true });
    await Deno.writeTextFile(`${sweeps}/Ok-0.json`, '{"version": 1, "id": "Ok-0", "tasks": [');
    for (const command of ["status", "collect"]) {
      const corrupt = await cli([command, "Ok", "--data", data]);
      assertCleanError(corrupt, 1, `the sweep file ${sweeps}/Ok-0.json is corrupt`, command);
    }
  });
});

/** Whether this process may mount a tmpfs (root in a namespace that allows it). */
async function canMount(): Promise<boolean> {
  const dir = await Deno.makeTempDir();
  try {
    const out = await run("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", dir]);
    if (out.code !== 0) return false;
    await run("umount", [dir]);
    return true;
  } catch {
    return false;
  } finally {
    await Deno.remove(dir).catch(() => {});
  }
}

Deno.test({
  name:
    "a read-only Data folder (a tmpfs mounted ro): run exits 1 naming the folder, with no run folder made",
  ignore: !(await canMount()),
  fn: async () => {
    await withTempDir(async (dir) => {
      const data = `${dir}/Data`;
      await Deno.mkdir(data);
      const mount = await run("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", data]);
      assertEquals(mount.code, 0, mount.stderr);
      try {
        const out = await cli(["run", SIM, "--name", "Ro", "--grid", "k=1,2", "--data", data]);
        assertCleanError(out, 1, `cannot write the sweep's folder ${data}/StorageManager/Ro`, "ro");
        assert(out.stderr.includes("Read-only file system"), out.stderr);
        assert(out.stderr.includes(`make the Data folder ${data} writable`), out.stderr);
        const report = await cli(["report", "Ro", "--data", data]);
        assertEquals(report.code, 1, report.stderr);
        assert(report.stderr.includes("no runs"), report.stderr);
      } finally {
        await run("umount", [data]);
      }
    });
  },
});

Deno.test("run --data with a mistyped path exits 1 naming the missing folder and creates nothing", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/nosuch/deeper/Data`;
    const out = await cli(["run", SIM, "--name", "T", "--grid", "thr=1", "--data", data]);
    assertCleanError(out, 1, `${dir}/nosuch/deeper`, "run --data <missing>");
    assert(out.stderr.includes("does not exist"), out.stderr);
    assertEquals(await Array.fromAsync(Deno.readDir(dir)), [], "no folder was created");
  });
});
