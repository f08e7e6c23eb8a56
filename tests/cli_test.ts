import { assert, assertEquals } from "./_assert.ts";
import { cli, python, withTempDir } from "./_helpers.ts";

const SIM = new URL("./fixtures/sims/faults.ts", import.meta.url).pathname;

Deno.test("sweepstore run sweeps a grid with repeats, timeout and resume, and exits 0 when all runs are done", async () => {
  await withTempDir(async (dir) => {
    const args = [
      "run",
      SIM,
      "--name",
      "Cli",
      "--grid",
      "mode=ok",
      "--grid",
      "k=1,2",
      "--repeats",
      "2",
      "-j",
      "2",
      "--timeout",
      "30s",
      "--data",
      `${dir}/Data`,
      "--no-progress",
    ];
    const first = await cli(args);
    assertEquals(first.code, 0, first.stderr);
    assert(first.stdout.includes("Cli: 4 done"), first.stdout);
    const again = await cli([...args, "--resume"]);
    assertEquals(again.code, 0, again.stderr);
    assert(again.stderr.includes("4 of 4 runs already finished"), again.stderr);
    const failing = await cli([
      "run",
      SIM,
      "--name",
      "CliF",
      "--point",
      "mode=throw",
      "--data",
      `${dir}/Data`,
      "--no-progress",
    ]);
    assertEquals(failing.code, 1, "exit 1 when a run failed");
  });
});

Deno.test("sweepstore report sorts, filters, picks columns and writes CSV that Python reads", async () => {
  await withTempDir(async (dir) => {
    await cli([
      "run",
      SIM,
      "--name",
      "Rep",
      "--grid",
      "mode=ok",
      "--grid",
      "k=1,2,3,4",
      "--data",
      `${dir}/Data`,
      "--no-progress",
    ]);
    const csv = await cli([
      "report",
      "Rep",
      "--sort",
      "k",
      "--where",
      "k>1 && k!=3",
      "--columns",
      "k,score",
      "--csv",
      "--data",
      `${dir}/Data`,
    ]);
    assertEquals(csv.code, 0, csv.stderr);
    const rows = JSON.parse(
      await python(
        `import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.argv[1])))))`,
        [csv.stdout],
      ),
    );
    assertEquals(rows[0], ["run", "k", "score"]);
    assertEquals(rows.slice(1).map((r: string[]) => r[1]), ["4", "2"]);
    const table = await cli(["report", "Rep", "--sort", "k", "--asc", "--data", `${dir}/Data`]);
    assert(table.stdout.split("\n")[0].startsWith("run"), table.stdout);
    const json = await cli(["report", "Rep", "--json", "--columns", "k", "--data", `${dir}/Data`]);
    assertEquals(JSON.parse(json.stdout).length, 4);
  });
});

Deno.test("sweepstore plot writes an SVG and ls lists the sweeps with their statuses", async () => {
  await withTempDir(async (dir) => {
    await cli([
      "run",
      SIM,
      "--name",
      "Pl",
      "--grid",
      "mode=ok,throw",
      "--grid",
      "k=1,2",
      "--data",
      `${dir}/Data`,
      "--no-progress",
    ]);
    const plot = await cli([
      "plot",
      "Pl",
      "--x",
      "k",
      "--y",
      "score",
      "--reducer",
      "mean",
      "-o",
      `${dir}/p.svg`,
      "--data",
      `${dir}/Data`,
    ]);
    assertEquals(plot.code, 0, plot.stderr);
    assert((await Deno.readTextFile(`${dir}/p.svg`)).startsWith("<svg"));
    // A parameter no run has (a typo) drew an empty plot and exited 0.
    const typo = await cli(["plot", "Pl", "--x", "kk", "--y", "score", "--data", `${dir}/Data`]);
    assertEquals(typo.code, 2, typo.stderr);
    assert(
      typo.stderr.includes('--x: no run has "kk"') && typo.stderr.includes("score"),
      typo.stderr,
    );
    assert(!typo.stderr.includes("    at "), typo.stderr);
    const ls = await cli(["ls", "--data", `${dir}/Data`]);
    assert(/Pl\s+4 runs\s+\(2 done, 2 failed\)/.test(ls.stdout), ls.stdout);
  });
});

Deno.test("--help works for every command, and bad flags or queries exit 2 with a clear message", async () => {
  for (
    const cmd of [[], ["--help"], ["run", "--help"], ["report", "-h"], ["plot", "--help"], [
      "ls",
      "--help",
    ]]
  ) {
    const out = await cli(cmd);
    assertEquals(out.code, 0, out.stderr);
    assert(out.stdout.includes("Usage"), out.stdout);
  }
  const cases: [string[], string][] = [
    [["frobnicate"], "unknown command"],
    [["run", SIM, "--name", "X", "--grid", "k=1", "--bogus"], "--bogus"],
    [["run", SIM, "--grid", "k=1"], "--name is required"],
    [["run", SIM, "--name", "X"], "--grid"],
    [["run", SIM, "--name", "X", "--grid", "k"], "KEY=VALUE1,VALUE2"],
    [["run", SIM, "--name", "X", "--grid", "k=1", "--timeout", "soon"], "duration"],
    [["run", SIM, "--name", "X", "--grid", "k=1", "-j", "two"], "whole number"],
    [["report", "X", "--where", "k>"], "column 3"],
    [["report", "X", "--csv", "--json"], "one of"],
    [["plot", "X", "--x", "k"], "--x and --y"],
  ];
  for (const [args, text] of cases) {
    const out = await cli(args);
    assertEquals(out.code, 2, `${args.join(" ")}: ${out.stderr}`);
    assert(
      out.stderr.includes(text) && out.stderr.includes("--help"),
      `${args.join(" ")}: ${out.stderr}`,
    );
  }
});
