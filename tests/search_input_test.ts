// Review of issue 12: bad search input that used to be accepted silently (a start genome outside its
// bounds or not finite was clipped, a fractional start of an integer gene rounded, fractional integer
// bounds, population 1 or a death rate removing nobody, a misspelt option in a search file ignored) is
// refused by the real CLI with exit 2 and one line, before any run folder is made.
import { assert, assertEquals } from "./_assert.ts";
import { cli, withTempDir } from "./_helpers.ts";

const SIM = new URL("./fixtures/sims/search_sims.ts", import.meta.url).pathname;

Deno.test("sweepstore run: bad start genomes, bounds, population and search-file keys are exit 2", async () => {
  await withTempDir(async (dir) => {
    const base = ["run", SIM, "--name", "Bad", "--data", `${dir}/Data`];
    const g = ["--generations", "2", "--population", "4", "--maximize", "s"];
    const file = async (name: string, json: unknown) => {
      await Deno.writeTextFile(
        `${dir}/${name}`,
        typeof json === "string" ? json : JSON.stringify(json),
      );
      return ["--search", `${dir}/${name}`];
    };
    const objective = { key: "s", goal: "maximize" };
    const cases: [string[], string][] = [
      [["--evolve", "x=5:0:1", ...g], "search.start[0].x = 5 is outside its bounds [0, 1]"],
      [["--evolve", "n=5.5:1:10:int", ...g], "is not whole, but n is an integer gene"],
      [["--evolve", "n=5:1.5:10:int", ...g], "with integer: true needs whole-number min and max"],
      [["--evolve", "x=0.5:0:1", ...g, "--population", "1"], "search.population 1 cannot evolve"],
      [["--evolve", "x=0.5:0:1", ...g, "--death-rate", "0"], "removes no individual"],
      [
        await file(
          "inf.json", // JSON has no Infinity: 1e999 parses to it
          '{"bounds":{"x":{"min":0,"max":1}},"start":[{"x":1e999}],"objective":{"key":"s","goal":"maximize"}}',
        ),
        "search.start[0].x must be a finite number",
      ],
      [
        await file("typo.json", { bounds: { x: { min: 0, max: 1 } }, deathrate: 0.3, objective }),
        "search.deathrate is not a known option",
      ],
      [
        await file("bound.json", { bounds: { x: { min: 1e-3, max: 1, lgo: true } }, objective }),
        "search.bounds.x.lgo is not a known option",
      ],
      [
        ["--evolve", "x=0.5:0:1", ...g, "--constraint", "zz > 1"],
        'sweepstore: --constraint: search.constraints[0] "zz > 1" reads zz, which is not a searched',
      ],
      [
        ["--evolve", "S=0.5:0:1", ...g],
        'sweepstore: --maximize: objective.key "s" is also a searched parameter',
      ],
      // The refused value's flag or file is named first.
      [["--evolve", "x=0.5:0:1:log", ...g], "sweepstore: --evolve x: search.bounds.x with log"],
      [["--evolve", "x=0.5:0:1", ...g, "--maximize", ""], "--maximize needs the key"],
      [
        await file("pop.json", { bounds: { x: { min: 0, max: 1 } }, population: "x", objective }),
        `sweepstore: --search ${dir}/pop.json: search.population`,
      ],
    ];
    for (const [args, text] of cases) {
      const out = await cli([
        ...base,
        ...(args[0] === "--search" ? ["--generations", "2"] : []),
        ...args,
      ]);
      const shown = `${args.join(" ")}\n${out.stderr}`;
      assertEquals(out.code, 2, shown);
      assert(out.stderr.startsWith("sweepstore: ") && out.stderr.includes(text), shown);
      assertEquals(out.stderr.trim().split("\n").length, 1, shown);
      assert(!/^\s*at /m.test(out.stderr), shown);
    }
    const runs = await Array.fromAsync(Deno.readDir(`${dir}/Data/StorageManager/Bad`)).catch(
      () => [],
    );
    assertEquals(runs.filter((e) => e.isDirectory).length, 0, "no run folder was made");
  });
});

Deno.test("a user optimizer's ask returning more points than asked, or NaN/Infinity, is refused before a run", async () => {
  await withTempDir(async (dir) => {
    const { runSweep } = await import("../runner/mod.ts");
    const asks: [string, Record<string, number>[], RegExp][] = [
      ["More", [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }, { x: 0.4 }], /ask\(3\) returned 4 points/],
      ["NaN", [{ x: 0.1 }, { x: NaN }], /point 1 of generation 0 has x = NaN/],
      ["Inf", [{ x: Infinity }], /has x = Infinity/],
    ];
    for (const [name, points, message] of asks) {
      let told = 0;
      const err = await runSweep({
        name,
        simulation: SIM,
        dataFolder: `${dir}/Data`,
        search: {
          optimizer: { ask: () => points, tell: () => void told++ },
          population: 3,
          generations: 1,
        },
        objective: { key: "loss", goal: "minimize" },
      }).then(() => undefined, (e: Error) => e);
      assert(err && message.test(err.message), `${name}: ${err?.message}`);
      assertEquals(told, 0);
      const runs = await Array.fromAsync(Deno.readDir(`${dir}/Data/StorageManager/${name}`))
        .catch(() => []);
      assertEquals(runs.filter((e) => e.isDirectory).length, 0, `${name}: no run folder`);
    }
  });
});

// A search in which no run saved the objective (a misspelt --maximize key, a simulation that never sets
// it or saves NaN) printed "search: no run saved a number as …" and exited 0; it must exit 1.
Deno.test({
  name: "sweepstore run --maximize KEY no run saves: exit 1, not success",
  fn: async () => {
    await withTempDir(async (dir) => {
      const out = await cli([
        "run",
        SIM,
        "--name",
        "NoKey",
        "--data",
        `${dir}/Data`,
        "--evolve",
        "x=0.5:0:0.8",
        "--population",
        "2",
        "--generations",
        "1",
        "--maximize",
        "scroe",
        "--no-progress",
      ]);
      assert(out.stdout.includes("no run saved a number as scroe"), out.stdout);
      assertEquals(out.code, 1, out.stderr);
    });
  },
});

// `Deno.mkdir(poolDir/slotN, { recursive: true, mode: 0o700 })` in runner/local/slot_process.ts also
// made the missing parents 0700: a library runSweep into a fresh data folder leaves Data/StorageManager
// and the group folder drwx------, so the group (and PymoNNto users sharing the project) cannot read the
// runs. The CLI makes the group folder first and is not affected.
Deno.test({
  name: "runSweep into a fresh data folder: StorageManager and the group folder follow the umask",
  fn: async () => {
    await withTempDir(async (dir) => {
      const { runSweep } = await import("../runner/mod.ts");
      await runSweep({
        name: "Perm",
        simulation: SIM,
        dataFolder: `${dir}/Data`,
        search: { bounds: { x: { min: 0, max: 0.8 } }, population: 2, generations: 1 },
        objective: { key: "loss", goal: "minimize" },
      });
      for (const p of [`${dir}/Data/StorageManager`, `${dir}/Data/StorageManager/Perm`]) {
        const mode = (await Deno.stat(p)).mode! & 0o777;
        assertEquals(mode & 0o055, 0o055 & ~Deno.umask(), `${p}: ${mode.toString(8)}`);
      }
    });
  },
});
