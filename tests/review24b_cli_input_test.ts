// Session 24's review (b) as a hostile user: bad command lines end in exit 2 with one line naming the
// option and the fix. Real processes: the CLI over a sweep it ran.
import { assert, assertEquals } from "./_assert.ts";
import { cli, withTempDir } from "./_helpers.ts";

/** A sweep `S` of two points (n = 1, 2) of a simulation returning 1, run by the CLI; its Data folder. */
async function sweptTwo(dir: string): Promise<string> {
  await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = () => 1;\n");
  const data = `${dir}/Data`;
  const sweep = await cli([
    "run",
    `${dir}/sim.ts`,
    "--name",
    "S",
    "--grid",
    "n=1,2",
    "--data",
    data,
  ]);
  assertEquals(sweep.code, 0, sweep.stderr);
  return data;
}

Deno.test("report --section that no run has (a typo, another case): exit 2 naming it, not an empty table", async () => {
  await withTempDir(async (dir) => {
    const data = await sweptTwo(dir);
    for (const section of ["run", "Parameter", "Nope"]) {
      for (const format of [[], ["--csv"], ["--json"]]) {
        const res = await cli(["report", "S", "--section", section, ...format, "--data", data]);
        assertEquals(res.code, 2, `${section} ${format}: ${res.stdout}${res.stderr}`);
        assertEquals(res.stdout, "");
        assert(res.stderr.startsWith(`sweepstore: --section ${section}: `), res.stderr);
        assert(res.stderr.includes("case-sensitive"), res.stderr);
        assertEquals(res.stderr.trim().split("\n").length, 1, res.stderr);
      }
    }
    const ok = await cli([
      "report",
      "S",
      "--section",
      "Run",
      "--columns",
      "status",
      "--data",
      data,
    ]);
    assertEquals(ok.code, 0, ok.stderr);
    assertEquals(ok.stdout.split("\n").filter((l) => l.includes("done")).length, 2, ok.stdout);
  });
});

Deno.test("-o into a missing folder or onto a folder: report --html too exits 1 naming it, makes no folder", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/afile`, "");
    const data = await sweptTwo(dir);
    const commands = [
      ["report", "S", "--html"],
      ["report", "S", "--csv"],
      ["plot", "S", "--x", "n", "--y", "score"],
    ];
    const cases: [string, string][] = [
      [`${dir}/typo/r.out`, `the folder ${dir}/typo does not exist`],
      [`${dir}/afile/r.out`, `the folder ${dir}/afile is not a folder`],
      [dir, "it is a folder; give -o the path of a file"],
    ];
    for (const args of commands) {
      for (const [output, text] of cases) {
        const res = await cli([...args, "-o", output, "--data", data]);
        assertEquals(res.code, 1, `${args} -o ${output}: ${res.stdout}${res.stderr}`);
        assert(res.stderr.startsWith(`sweepstore: cannot write ${output}`), res.stderr);
        assert(res.stderr.includes(text), res.stderr);
        assertEquals(res.stderr.trim().split("\n").length, 1, res.stderr);
      }
    }
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["Data", "afile", "sim.ts"]);
  });
});

Deno.test("a search whose start genome and bounds name one gene in two cases: exit 2 before any run", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, "export const simulate = () => 1;\n");
    // Each evaluation got both "LR" and "lr": every run failed at its folder's creation, after the search
    // had started, and summary.csv had the column "lr" twice.
    const search = {
      start: [{ LR: 0.01 }],
      bounds: { lr: { min: 0, max: 1 } },
      population: 4,
      generations: 2,
    };
    await Deno.writeTextFile(`${dir}/search.json`, JSON.stringify(search));
    const data = `${dir}/Data`;
    const res = await cli([
      ...["run", `${dir}/sim.ts`, "--name", "S", "--data", data, "--no-progress"],
      ...["--search", `${dir}/search.json`, "--maximize", "score"],
    ]);
    assertEquals(res.code, 2, res.stdout + res.stderr);
    assert(res.stderr.includes('"lr" and "LR" are the same key'), res.stderr);
    assertEquals(res.stderr.trim().split("\n").length, 1, res.stderr);
    assertEquals(await Deno.stat(data).then(() => true, () => false), false);
  });
});

Deno.test("ls --data of a missing folder or through a file: exit 1 with one line naming it; an empty one lists none", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/afile`, "");
    await Deno.mkdir(`${dir}/Empty`);
    const cases: [string, string][] = [
      [`${dir}/Dta`, `the Data folder ${dir}/Dta (--data) does not exist`],
      [`${dir}/afile`, "a file is in the way"],
    ];
    for (const [data, text] of cases) {
      const res = await cli(["ls", "--data", data]);
      assertEquals(res.code, 1, `${data}: ${res.stdout}${res.stderr}`);
      assertEquals(res.stdout, "");
      assert(res.stderr.startsWith("sweepstore: ") && res.stderr.includes(text), res.stderr);
      assertEquals(res.stderr.trim().split("\n").length, 1, res.stderr);
    }
    const empty = await cli(["ls", "--data", `${dir}/Empty`]);
    assertEquals(empty.code, 0, empty.stderr);
    assertEquals(empty.stdout, `no sweeps in ${dir}/Empty/StorageManager\n`);
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["Empty", "afile"]);
  });
});

Deno.test("run --grid with --minimize orders the summary by it; flags only a search reads are refused", async () => {
  await withTempDir(async (dir) => {
    // --maximize/--minimize and the search flags were ignored without a word beside --grid: the summary
    // was still ranked by score, larger first.
    await Deno.writeTextFile(
      `${dir}/sim.ts`,
      "export const simulate = (p) => ({ score: p.lr, loss: 10 - p.lr });\n",
    );
    const data = `${dir}/Data`;
    const base = ["run", `${dir}/sim.ts`, "--name", "S", "--data", data, "--no-progress"];
    const res = await cli([...base, "--grid", "lr=2,1,3", "--minimize", "score"]);
    assertEquals(res.code, 0, res.stderr);
    const summary = JSON.parse(await Deno.readTextFile(`${data}/StorageManager/S/summary.json`));
    assertEquals(summary.objective, { key: "score", goal: "minimize" });
    const lrs = res.stdout.split("\n").filter((l) => /^S\d/.test(l)).map((l) => l.split(/\s+/)[2]);
    assertEquals(lrs, ["1", "2", "3"]);
    for (
      const flag of [["--population", "4"], ["--generations", "2"], ["--constraint", "lr > 1"]]
    ) {
      const bad = await cli([...base, "--grid", "lr=1", ...flag]);
      assertEquals(bad.code, 2, `${flag}: ${bad.stdout}${bad.stderr}`);
      assert(bad.stderr.startsWith(`sweepstore: ${flag[0]} steers a search`), bad.stderr);
      assertEquals(bad.stderr.trim().split("\n").length, 1, bad.stderr);
    }
  });
});

Deno.test("a search for --maximize time (each run's creation time) is refused before any run", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/sim.ts`,
      "export const simulate = (p) => ({ score: p.lr });\n",
    );
    const data = `${dir}/Data`;
    const res = await cli([
      ...["run", `${dir}/sim.ts`, "--name", "S", "--data", data, "--no-progress"],
      ...["--evolve", "lr=0.5:0:1", "--generations", "1", "--maximize", "Time"],
    ]);
    assertEquals(res.code, 2, res.stdout + res.stderr);
    assert(res.stderr.includes(`"Time" is the run's creation time`), res.stderr);
    assertEquals(res.stderr.trim().split("\n").length, 1, res.stderr);
    assertEquals(await Deno.stat(data).then(() => true, () => false), false);
  });
});
