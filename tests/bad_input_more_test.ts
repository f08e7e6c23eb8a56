// More examples of issue 9's kinds of fault, found by a review after the issue's own examples passed:
// keys with an upper-case letter outside ASCII through a sweep, sweep names too long for their run folders,
// a missing simulation file, and sweepstore's own frames in a load error.
import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { cli, withTempDir } from "./_helpers.ts";
import { checkResult, checkSweepOptions, firstConfigText, ResultError } from "../runner/mod.ts";
import { loadErrorText } from "../runner/task.ts";
import { validateName } from "../src/run/names.ts";

const SIM = new URL("./fixtures/cli/values.ts", import.meta.url).pathname;

Deno.test("a sweep refuses keys with an upper-case letter outside ASCII, as saveParamDict does", () => {
  const base = { name: "S", simulation: SIM };
  for (const key of ["Ä", "Σ", "İx"]) {
    assertThrows(
      () => checkSweepOptions({ ...base, grid: { [key]: [1] } }),
      TypeError,
      "outside ASCII",
    );
    assertThrows(
      () => checkSweepOptions({ ...base, points: [{ [key]: 1 }] }),
      TypeError,
      "outside ASCII",
    );
    assertThrows(() => checkResult({ [key]: 1 }), TypeError, "outside ASCII");
    assertThrows(
      () => firstConfigText({ [key]: 1 }, { status: "running" }),
      TypeError,
      "outside ASCII",
    );
  }
  checkSweepOptions({ ...base, grid: { "ä": [1] } }); // the lower-case spelling is fine
});

Deno.test("a parameter or result named time (the run's creation time) is refused everywhere", () => {
  const base = { name: "S", simulation: SIM };
  for (const key of ["time", "Time", "TIME"]) {
    for (
      const options of [
        { grid: { [key]: [1] } },
        { points: [{ [key]: 1 }] },
        { random: { [key]: { min: 0, max: 1 } }, samples: 2 },
        {
          search: { bounds: { [key]: { min: 0, max: 1 } }, generations: 1 },
          objective: { key: "score", goal: "maximize" as const },
        },
      ]
    ) {
      assertThrows(() => checkSweepOptions({ ...base, ...options }), TypeError, "creation time");
    }
    assertThrows(() => checkResult({ [key]: 1.5 }), ResultError, "creation time");
  }
  checkSweepOptions({ ...base, grid: { sim_time: [1], timer: [2] } }); // other names are fine
});

Deno.test("a sweep name leaves room for its run folders' numbers (at most 239 bytes)", () => {
  const base = { simulation: SIM, grid: { n: [1] } };
  checkSweepOptions({ ...base, name: "a".repeat(239) });
  assertThrows(
    () => checkSweepOptions({ ...base, name: "a".repeat(240) }),
    TypeError,
    "at most 239",
  );
  assertThrows(() => checkSweepOptions({ ...base, name: "é".repeat(120) }), TypeError, "240 bytes");
});

Deno.test('the name "." is refused as the current folder, not as containing ".."', () => {
  const err = assertThrows(() => validateName("."), TypeError);
  assert(!err.message.includes('".."'), err.message);
  assert(err.message.includes("current folder"), err.message);
});

Deno.test("a load error keeps the user's frames and drops sweepstore's loader frames", () => {
  const err = new TypeError("boom");
  err.stack = [
    "TypeError: boom",
    "    at file:///home/u/sim.ts:1:7",
    `    at async loadSimulation (${new URL("../runner/task.ts", import.meta.url).href}:104:15)`,
    `    at async ${new URL("../runner/local/slot.ts", import.meta.url).href}:78:14`,
  ].join("\n");
  assertEquals(loadErrorText(err), "TypeError: boom\n    at file:///home/u/sim.ts:1:7");
});

Deno.test("CLI: bad names, keys and simulation files: exit 2, one line, nothing started", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const cases: [string[], string][] = [
      [["run", SIM, "--name", "S", "--grid", "Ä=1"], '--grid Ä=1: Invalid parameter key "Ä"'],
      [["run", SIM, "--name", "S", "--point", "Σ=1"], '--point Σ=1: Invalid parameter key "Σ"'],
      [["run", SIM, "--name", "b".repeat(240), "--grid", "n=1"], "at most 239 bytes"],
      [["run", `${dir}/nosuch.ts`, "--name", "S", "--grid", "n=1"], "does not exist"],
      [["run", dir, "--name", "S", "--grid", "n=1"], "is not a file"],
    ];
    for (const [args, text] of cases) {
      const out = await cli([...args, "--data", data, "--no-progress"]);
      const shown = `${args.join(" ")}\n${out.stderr}`;
      assertEquals(out.code, 2, shown);
      assertEquals(out.stderr.trimEnd().split("\n").length, 1, shown);
      assert(out.stderr.startsWith("sweepstore: ") && out.stderr.includes(text), shown);
    }
    assertEquals(await Deno.stat(data).then(() => true, () => false), false, "nothing was made");
  });
});

Deno.test("CLI: a simulation that does not load shows no frame of sweepstore's own modules", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/nosim.ts`, "export const x = 1;\n");
    const out = await cli([
      "run",
      `${dir}/nosim.ts`,
      "--name",
      "S",
      "--grid",
      "n=1",
      "--data",
      `${dir}/Data`,
      "--no-progress",
    ]);
    assertEquals(out.code, 1, out.stderr);
    assert(out.stderr.includes("does not export a simulation"), out.stderr);
    assert(!/^\s+at /m.test(out.stderr), out.stderr);
  });
});
