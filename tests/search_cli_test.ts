// `sweepstore run … --evolve …` through the real CLI process: a search with its generation lines, best runs
// and search.svg; a JSON search file; bad input refused with exit 2, one message and nothing started.
import { assert, assertEquals } from "./_assert.ts";
import { cli, spawnCli, withTempDir } from "./_helpers.ts";
import { runsOf, within } from "./_engine.ts";

const SIM = new URL("./fixtures/sims/search_sims.ts", import.meta.url).pathname;

Deno.test("sweepstore run --evolve: generations, best runs and search.svg", async () => {
  await withTempDir(async (dir) => {
    const out = await cli([
      "run",
      SIM,
      "--name",
      "Evo",
      "--data",
      `${dir}/Data`,
      "-j",
      "2",
      "--evolve",
      "x=0.1:-0.8:0.8",
      "--evolve",
      "y=:-0.8:0.8",
      "--population",
      "6",
      "--generations",
      "3",
      "--mutation",
      "0.2",
      "--seed",
      "4",
      "--constraint",
      "y <= x",
      "--minimize",
      "loss",
    ]);
    assertEquals(out.code, 0, out.stderr);
    for (const g of [1, 2, 3]) {
      assert(
        out.stderr.includes(`generation ${g - 1} (${g} of 3): ${6 * g} evaluations`),
        out.stderr,
      );
    }
    assert(/best loss \(minimize\): [\d.e-]+ at x=/.test(out.stdout), out.stdout);
    assert(out.stdout.includes("best runs:") && out.stdout.includes("(generation "), out.stdout);
    const svg = `${dir}/Data/StorageManager/Evo/search.svg`;
    assert(out.stdout.includes(`search plot: ${svg}`), out.stdout);
    assert((await Deno.readTextFile(svg)).startsWith("<svg"));
    // Every point met the constraint, and the start genome (x=0.1, y drawn) was evaluated first.
    // runs.csv has every run (summary.csv has one row per point once survivors are evaluated again)
    const csv = await Deno.readTextFile(`${dir}/Data/StorageManager/Evo/runs.csv`);
    const rows = csv.trim().split("\n");
    const header = rows[0].split(",");
    const [ix, iy] = [header.indexOf("x"), header.indexOf("y")];
    assertEquals(rows.length - 1, 18);
    for (const r of rows.slice(1)) {
      const cells = r.split(",");
      assert(Number(cells[iy]) <= Number(cells[ix]), r);
    }
  });
});

Deno.test("sweepstore run --search FILE: a JSON search file, flags override it", async () => {
  await withTempDir(async (dir) => {
    const file = `${dir}/search.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        method: "random",
        budget: 5,
        population: 2,
        bounds: { x: { min: -0.5, max: 0.5 } },
        objective: { key: "loss", goal: "minimize" },
      }),
    );
    const out = await cli([
      "run",
      SIM,
      "--name",
      "Rnd",
      "--data",
      `${dir}/Data`,
      "--search",
      file,
      "--budget",
      "3",
    ]);
    assertEquals(out.code, 0, out.stderr);
    assert(out.stderr.includes("generation 1: 3 evaluations"), out.stderr);
    assert(out.stdout.includes("Rnd: 3 done"), out.stdout);
  });
});

Deno.test("sweepstore run: bad search input is exit 2 with one message, nothing started", async () => {
  await withTempDir(async (dir) => {
    const base = ["run", SIM, "--name", "Bad", "--data", `${dir}/Data`];
    const cases: [string[], string][] = [
      [
        ["--evolve", "x=a:0:1", "--generations", "2", "--maximize", "s"],
        "--evolve x=a:0:1: write KEY=START:MIN:MAX",
      ],
      [
        ["--evolve", "x=0.5:0:1:squared", "--generations", "2", "--maximize", "s"],
        "write KEY=START:MIN:MAX",
      ],
      [
        ["--evolve", "x=0.5:0:1", "--evolve", "X=1:0:2", "--generations", "2", "--maximize", "s"],
        "X is given twice",
      ],
      [["--evolve", "x=0.5:0:1", "--generations", "2"], "a search needs an objective: --maximize"],
      [["--evolve", "x=0.5:0:1", "--maximize", "s"], "needs generations or budget"],
      [
        ["--evolve", "x=0.5:1:0", "--generations", "2", "--maximize", "s"],
        "search.bounds.x needs finite min <= max",
      ],
      [
        ["--evolve", "x=0.5:0:1", "--generations", "2", "--maximize", "s", "--death-rate", "1"],
        "search.deathRate",
      ],
      [
        ["--evolve", "x=0.5:0:1", "--generations", "2", "--maximize", "s", "--minimize", "s"],
        "one of --maximize and --minimize",
      ],
      [
        ["--evolve", "x=0.5:0:1", "--generations", "2", "--maximize", "s", "--grid", "n=1,2"],
        "--grid cannot be combined",
      ],
      [
        ["--evolve", "x=0.5:0:1", "--generations", "2", "--maximize", "s", "--method", "annealing"],
        "search.method",
      ],
      [
        ["--evolve", "x=0.5:0:1", "--generations", "2", "--maximize", "s", "--constraint", "x >"],
        "--constraint",
      ],
      [[
        "--evolve",
        "x=0.5:0:1",
        "--generations",
        "2",
        "--maximize",
        "s",
        "--constraint",
        "x > 0.9",
      ], "does not meet search.constraints"],
      [[
        "--evolve",
        "x=0.5:0:1",
        "--generations",
        "2",
        "--maximize",
        "s",
        "--backend",
        "slurm",
        "--no-wait",
      ], "--no-wait cannot drive a search"],
      [["--search", `${dir}/missing.json`, "--maximize", "s"], "--search"],
    ];
    for (const [args, text] of cases) {
      const out = await cli([...base, ...args]);
      const shown = `${args.join(" ")}\n${out.stderr}`;
      assertEquals(out.code, 2, shown);
      assert(out.stderr.startsWith("sweepstore: ") && out.stderr.includes(text), shown);
      assert(!/^\s*at /m.test(out.stderr), shown);
    }
    const runs = await Array.fromAsync(Deno.readDir(`${dir}/Data/StorageManager/Bad`)).catch(
      () => [],
    );
    assertEquals(runs.filter((e) => e.isDirectory).length, 0, "no run folder was made");
  });
});

Deno.test("Ctrl-C stops a search (exit 130); --resume completes it without repeating a finished run", async () => {
  await withTempDir(async (dir) => {
    const slow = new URL("./fixtures/sims/search_slow.ts", import.meta.url).pathname;
    const args = [
      "run",
      slow,
      "--name",
      "Stop",
      "--data",
      `${dir}/Data`,
      "-j",
      "2",
      "--evolve",
      "x=0.1:-0.8:0.8",
      "--population",
      "4",
      "--generations",
      "2",
      "--seed",
      "9",
      "--minimize",
      "loss",
      "--no-progress",
    ];
    const { child, output } = spawnCli(args);
    await within(
      60,
      "generation 1 to start",
      async () =>
        (await runsOf(`${dir}/Data`, "Stop")).some((r) =>
          r.generation === 1 && r.status === "running"
        ),
    );
    child.kill("SIGINT");
    const stopped = await output;
    assertEquals(stopped.code, 130, stopped.stderr);
    const before = await runsOf(`${dir}/Data`, "Stop");
    assert(before.some((r) => r.status === "interrupted"), "the cut runs are marked interrupted");
    const done = before.filter((r) => r.status === "done").length;
    const out = await cli([...args, "--resume"]);
    assertEquals(out.code, 0, out.stderr);
    assert(done >= 4, `generation 0 had ended before the stop: ${done} done`);
    assert(
      out.stderr.includes("generation 0 (1 of 2): 4 evaluations (4 found finished)"),
      out.stderr,
    );
    const after = (await runsOf(`${dir}/Data`, "Stop")).filter((r) => r.status === "done");
    assertEquals(after.length, 8, "population × generations done runs, none repeated");
    assertEquals(new Set(after.map((r) => `${r.generation}:${r.individual}`)).size, 8);
  });
});

Deno.test("--resume with another --seed, --population or bound is refused (exit 2), nothing run", async () => {
  await withTempDir(async (dir) => {
    const base = [
      "run",
      SIM,
      "--name",
      "Mix",
      "--data",
      `${dir}/Data`,
      "-j",
      "2",
      "--no-progress",
      "--evolve",
      "x=0.1:-0.8:0.8",
      "--generations",
      "2",
      "--minimize",
      "loss",
    ];
    const first = await cli([...base, "--population", "4", "--seed", "1"]);
    assertEquals(first.code, 0, first.stderr);
    assertEquals((await runsOf(`${dir}/Data`, "Mix")).length, 8);
    const same = await cli([...base, "--population", "4", "--seed", "1", "--resume"]);
    assertEquals(same.code, 0, same.stderr);
    assertEquals((await runsOf(`${dir}/Data`, "Mix")).length, 8); // the same search: every evaluation reused
    for (
      const other of [
        ["--population", "4", "--seed", "2"],
        ["--population", "5", "--seed", "1"],
        ["--population", "4", "--seed", "1", "--evolve", "y=0:-1:1"],
      ]
    ) {
      const out = await cli([...base, ...other, "--resume"]);
      assertEquals(out.code, 2, `${other.join(" ")}: ${out.stderr}`);
      assert(out.stderr.includes("cannot resume search Mix"), out.stderr);
      assert(out.stderr.includes("Mix1") || out.stderr.includes("/Mix"), out.stderr);
      assertEquals((await runsOf(`${dir}/Data`, "Mix")).length, 8, other.join(" "));
    }
  });
});
