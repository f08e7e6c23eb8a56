// The CLI's value parsers (pure) and, through a real sweep, that the values reach the simulation as
// numbers: nan, inf, -inf and -0 (issue 9). The end-to-end test needs the engine of issue 8/9, which
// carries every value a run folder can store across the process boundary.
import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";
import { addGridItem, addPointItem, addRandomItem, parseCliValue } from "../runner/cli/_points.ts";
import { duration, permissionValue, reducerName, wholeNumber } from "../runner/cli/_values.ts";
import { UsageError } from "../runner/cli/errors.ts";

const CLI = new URL("../runner/cli/cli.ts", import.meta.url).pathname;
const SIM = new URL("./fixtures/cli/values.ts", import.meta.url).pathname;

Deno.test("parseCliValue reads nan, inf, -inf and -0 as the numbers, true/false as booleans", () => {
  assert(Number.isNaN(parseCliValue("nan")) && Number.isNaN(parseCliValue("NaN")));
  assertEquals(parseCliValue("inf"), Infinity);
  assertEquals(parseCliValue("-inf"), -Infinity);
  assert(Object.is(parseCliValue("-0"), -0), "-0 stays -0");
  assert(Object.is(parseCliValue("-0.0"), -0));
  assert(Object.is(parseCliValue("0"), 0));
  assertEquals(parseCliValue("true"), true);
  assertEquals(parseCliValue("False"), false);
  assertEquals(parseCliValue("1e3"), 1000);
  assertEquals(parseCliValue("None"), null);
  assertEquals(parseCliValue("fast"), "fast");
});

Deno.test("--grid, --point and --random items build typed specs and refuse repeats, '=' in keys and bad ranges", () => {
  const grid = addGridItem("thr=nan,inf,-inf,-0", addGridItem("n=100,1000", undefined));
  assertEquals(Object.keys(grid), ["n", "thr"]);
  assertEquals(grid.n, [100, 1000]);
  assert(Number.isNaN(grid.thr[0]) && grid.thr[1] === Infinity && grid.thr[2] === -Infinity);
  assert(Object.is(grid.thr[3], -0));
  const refused = (fn: () => unknown, text: string) => {
    const err = assertThrows(fn, UsageError);
    assert(err.message.includes(text), err.message);
    assert(err instanceof UsageError && err.exitCode === 2);
  };
  refused(() => addGridItem("n=1", grid), '"n" is given twice');
  refused(() => addGridItem("N=1", grid), '"N" and "n" are the same key');
  refused(() => addGridItem("a=b=1,2", undefined), 'more than one "="');
  refused(() => addGridItem("k=", undefined), "KEY=VALUE1,VALUE2");
  refused(() => addGridItem("k=1,,2", undefined), "an empty value");
  refused(() => addGridItem("#k=1", undefined), "Invalid parameter key");
  assertEquals(addPointItem("n=10,mode=fast", [{ n: 1 }]), [{ n: 1 }, { n: 10, mode: "fast" }]);
  refused(() => addPointItem("n=1,N=2", undefined), "are the same key");
  assertEquals(addRandomItem("lr=log:0.001:0.1", undefined).lr, {
    min: 0.001,
    max: 0.1,
    log: true,
    integer: false,
  });
  assertEquals(addRandomItem("c=choice:a,inf", undefined).c, { choices: ["a", Infinity] });
  refused(() => addRandomItem("x=5:1", undefined), "MIN 5 is larger than MAX 1");
  refused(() => addRandomItem("x=log:-1:1", undefined), "log sampling needs MIN > 0");
  refused(() => addRandomItem("n=choice:", undefined), "choice: needs the values to draw from");
  refused(() => addRandomItem("n=int:", undefined), "int: needs MIN:MAX");
  refused(() => addRandomItem("n=int:1.5:3", undefined), "int: needs whole numbers");
  refused(() => addRandomItem("x=1:2:3", undefined), "MIN and MAX must be finite numbers");
  refused(() => addRandomItem("x=1:nan", undefined), "MIN and MAX must be finite numbers");
  // decimal numbers only, as --evolve reads them (Number() took 0x10 as 16, 0b11 as 3, " " as 0)
  for (const item of ["n=int:0x10:20", "x=0b11:5", "x=0o7:9", "x=1: ", "x=Infinity:1"]) {
    refused(() => addRandomItem(item, undefined), "MIN and MAX must be finite numbers");
  }
  assertEquals(addRandomItem("x=-.5:1e1", undefined).x, {
    min: -0.5,
    max: 10,
    log: false,
    integer: false,
  });
});

Deno.test("whole numbers, durations, reducers and permissions are parsed or refused with the option's name", () => {
  assertEquals(wholeNumber("--repeats", 1)("3"), 3);
  for (const bad of ["0", "-1", "1.5", "two", "1e3", "0x10", ""]) {
    const err = assertThrows(() => wholeNumber("--repeats", 1)(bad), UsageError);
    assert(err.message.startsWith(`--repeats ${bad}: expected a whole number ≥ 1`), err.message);
  }
  assertEquals(wholeNumber("--retries", 0)("0"), 0);
  const timeout = duration("--timeout", false);
  assertEquals([timeout("90"), timeout("90s"), timeout("500ms"), timeout("1.5m"), timeout("2h")], [
    90_000,
    90_000,
    500,
    90_000,
    7_200_000,
  ]);
  for (const bad of ["-5", "nan", "0", "inf", "5d", "1e3", "100000h"]) {
    assertThrows(() => timeout(bad), UsageError, "--timeout");
  }
  assertEquals(duration("--grace", true)("0"), 0);
  assertEquals(reducerName("median"), "median");
  assertThrows(() => reducerName("evil"), UsageError, "use one of mean");
  assertEquals(permissionValue(""), true);
  assertEquals(permissionValue("a.com,b.org"), ["a.com", "b.org"]);
});

Deno.test("--grid thr=nan,inf,-inf,-0 reaches the simulation as the numbers NaN, Infinity, -Infinity, -0", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const out = await run(Deno.execPath(), [
      ...["run", "--allow-read", "--allow-write", "--allow-run", CLI, "run", SIM],
      ...["--name", "Vals", "--grid", "thr=nan,inf,-inf,-0", "--data", data, "--no-progress"],
    ]);
    assertEquals(out.code, 0, out.stderr);
    const seen: string[] = [];
    for await (const e of Deno.readDir(`${data}/StorageManager/Vals`)) {
      if (!e.isDirectory || e.name.startsWith(".")) continue;
      const file = `${data}/StorageManager/Vals/${e.name}/seen.json`;
      const text = await Deno.readTextFile(file).catch(() => undefined);
      if (text !== undefined) seen.push(JSON.parse(text).thr);
    }
    assertEquals(seen.sort(), ["number -0", "number -Infinity", "number Infinity", "number NaN"]);
  });
});
