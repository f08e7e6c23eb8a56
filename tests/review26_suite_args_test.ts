/**
 * `deno task test <args>` (tests/_run_suite.ts), run for real on a throwaway project of tiny test files
 * that record each run and the `Deno.args` they got:
 * - `--` and what follows went before `--doc` and the batch's paths, so that every `deno test` got no path
 *   and ran every test file of the project (each file once per batch: 5 times here, 13 in the suite),
 *   and with a path named, a word after `--` was taken for a missing test file (exit 2);
 * - the value of a `deno test` option missing from the runner's list (`--retry 1`, `--lock deno.lock`)
 *   was taken for a path: "no such test file or folder: 1", exit 2 — or, when it exists, run as a test;
 * - the list is checked against the `deno test --help` of the Deno running the tests, so that an option
 *   a later Deno adds is not taken for a path either;
 * - `--reporter tap` (or junit) prints no summary line: the runner counted each batch as 1 failed and
 *   said FAILED, exit 1, for tests that passed; `--junit-path <file>` with the whole suite left in the
 *   file only the batch that ended last (exit 0). Both are refused now, exit 2, before any test runs.
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { OPTIONAL_VALUE_OPTIONS, splitArgs, VALUE_OPTIONS } from "./_run_suite.ts";
import { suiteProject } from "./_suite_project.ts";

/** A project with `files` test files; each run of file `i` writes `<marks>/<i>-<uuid>` holding its `Deno.args`. */
function project(dir: string, files: number): Promise<string> {
  return suiteProject(dir, files, (i, marks) =>
    `Deno.test("t${i}", () => {\n` +
    `  Deno.writeTextFileSync(${
      JSON.stringify(`${marks}/${i}-`)
    } + crypto.randomUUID(), JSON.stringify(Deno.args));\n});\n`);
}

async function suite(dir: string, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tests/_run_suite.ts", ...args],
    cwd: dir,
    env: { ...Deno.env.toObject(), SWEEPSTORE_TEST_JOBS: "2", TMPDIR: `${dir}/tmp`, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  const stdout = dec.decode(out.stdout);
  return {
    code: out.code,
    stdout,
    stderr: dec.decode(out.stderr),
    last: stdout.trimEnd().split("\n").at(-1) ?? "",
  };
}

/** The runs recorded in `marks` (file number → the `Deno.args` of each run), then emptied. */
function runs(marks: string): Map<string, string[][]> {
  const got = new Map<string, string[][]>();
  for (const e of [...Deno.readDirSync(marks)]) {
    const file = e.name.split("-")[0];
    got.set(file, [
      ...got.get(file) ?? [],
      JSON.parse(Deno.readTextFileSync(`${marks}/${e.name}`)),
    ]);
    Deno.removeSync(`${marks}/${e.name}`);
  }
  return got;
}

Deno.test("what follows -- goes to the tests, after the paths: each file runs once", async () => {
  await withTempDir(async (dir) => {
    const marks = await project(dir, 3);
    const whole = await suite(dir, ["--", "--flag"]);
    assertEquals(
      runs(marks),
      new Map([["1", [["--flag"]]], ["2", [["--flag"]]], ["3", [["--flag"]]]]),
    );
    assertEquals(whole.code, 0, `${whole.stderr}\n${whole.stdout}`);
    assert(whole.last.startsWith("ok | 3 passed | 0 failed"), whole.stdout);
    const named = await suite(dir, ["tests/t2_test.ts", "--", "hello", "--flag"]);
    assertEquals(named.code, 0, `${named.stderr}\n${named.stdout}`);
    assert(named.last.startsWith("ok | 1 passed | 0 failed"), named.stdout);
    assertEquals(runs(marks), new Map([["2", [["hello", "--flag"]]]]));
  });
});

Deno.test("an option's value is not taken for a path (--retry 1, --lock <file>)", async () => {
  await withTempDir(async (dir) => {
    const marks = await project(dir, 2);
    const retry = await suite(dir, ["--retry", "1", "tests/t1_test.ts"]);
    assertEquals(retry.code, 0, `${retry.stderr}\n${retry.stdout}`);
    assertEquals(runs(marks), new Map([["1", [[]]]]));
    // --lock's value is a lock file that exists: it was run as the only test path (and t1 not at all)
    await Deno.writeTextFile(`${dir}/my.lock`, '{"version": "5"}\n');
    const lock = await suite(dir, ["--lock", "my.lock", "tests/t1_test.ts"]);
    assertEquals(lock.code, 0, `${lock.stderr}\n${lock.stdout}`);
    assertEquals(runs(marks), new Map([["1", [[]]]]));
  });
});

Deno.test("the runner's value options are those of this Deno's deno test --help", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["test", "--help"],
    env: { NO_COLOR: "1" },
    stdout: "piped",
  }).output();
  const help = new TextDecoder().decode(out.stdout);
  const taking: string[] = [];
  const optional: string[] = [];
  // "  -c, --config <VALUE>" or "      --lock [<VALUE>]": a value that may be the next argument
  for (const m of help.matchAll(/^\s+(?:(-\w), )?(--[\w-]+) (\[)?<\w+>/gm)) {
    (m[3] ? optional : taking).push(...(m[1] ? [m[1], m[2]] : [m[2]]));
  }
  assert(taking.includes("--filter"), help);
  assertEquals(taking.filter((o) => !VALUE_OPTIONS.has(o)), [], "missing from VALUE_OPTIONS");
  assertEquals(optional.filter((o) => !OPTIONAL_VALUE_OPTIONS.has(o)), []);
  // as Deno reads them
  assertEquals(
    splitArgs(["--filter", "tests/x", "--filter=y", "a", "--lock", "--doc", "-L", "info"]),
    {
      options: ["--filter", "tests/x", "--filter=y", "--lock", "--doc", "-L", "info"],
      paths: ["a"],
      scriptArgs: [],
    },
  );
  assertEquals(splitArgs(["--lock", "x.lock", "--", "b", "--c"]), {
    options: ["--lock", "x.lock"],
    paths: [],
    scriptArgs: ["b", "--c"],
  });
});

Deno.test("--reporter tap and --junit-path <file> for the whole suite are refused, nothing run", async () => {
  await withTempDir(async (dir) => {
    const marks = await project(dir, 3);
    const tap = await suite(dir, ["--reporter", "tap", "tests/t1_test.ts"]);
    assertEquals(runs(marks), new Map(), `the test ran, and the suite said: ${tap.last}`);
    assertEquals(tap.code, 2);
    assert(tap.stderr.includes("--reporter tap"), tap.stderr);
    const junit = await suite(dir, ["--junit-path", `${dir}/report.xml`]);
    const report = await Deno.readTextFile(`${dir}/report.xml`).catch(() => "");
    assertEquals(runs(marks), new Map(), `the suite ran; its report: ${report}`);
    assertEquals(junit.code, 2);
    assert(junit.stderr.includes("--junit-path"), junit.stderr);
    // with the files named (one batch) the report is whole; dot's summary is read as pretty's
    const named = await suite(dir, [
      "--junit-path",
      `${dir}/report.xml`,
      "--reporter=dot",
      "tests/",
    ]);
    assertEquals(named.code, 0, `${named.stderr}\n${named.stdout}`);
    assert(named.last.startsWith("ok | 3 passed | 0 failed"), named.stdout);
    const cases = (await Deno.readTextFile(`${dir}/report.xml`)).match(/<testcase /g) ?? [];
    assertEquals(cases.length, 3);
    assertEquals(runs(marks).size, 3);
  });
});
