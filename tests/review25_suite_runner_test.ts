/**
 * `deno task test` (tests/_run_suite.ts), run for real on a throwaway project of tiny test files:
 * - without NO_COLOR (a user's terminal), deno test colours its summary line even into a pipe; the runner
 *   must still count the passed tests (it used to count each batch as 1 failed and exit 1);
 * - SIGTERM stops the suite: the running batch is stopped and no later batch starts (it used to go on
 *   with the next batches), the temporary folder is removed and the last line says FAILED;
 * - nor does a process a test started outlive it (it was left running, orphaned).
 */
import { assert, assertEquals } from "./_assert.ts";
import { alive, withTempDir } from "./_helpers.ts";
import { suiteProject } from "./_suite_project.ts";

/** A project with `files` test files, each writing `<marks>/<i>` then waiting `waitMs`. */
function project(dir: string, files: number, waitMs: number): Promise<string> {
  return suiteProject(
    dir,
    files,
    (i, marks) =>
      `Deno.test("t${i}", async () => {\n  await Deno.writeTextFile(${
        JSON.stringify(`${marks}/${i}`)
      }, "");\n` +
      `  await new Promise((r) => setTimeout(r, ${waitMs}));\n});\n`,
  );
}

function suite(dir: string, jobs: number, args: string[] = []): Deno.ChildProcess {
  // as in a terminal: without NO_COLOR (which CI sets)
  const env = { ...Deno.env.toObject(), SWEEPSTORE_TEST_JOBS: String(jobs), TMPDIR: `${dir}/tmp` };
  delete (env as Record<string, string>).NO_COLOR;
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tests/_run_suite.ts", ...args],
    cwd: dir,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  });
  return command.spawn();
}

function lastLine(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes).trimEnd().split("\n").at(-1) ?? "";
}

Deno.test("the suite counts deno test's coloured summaries (no NO_COLOR)", async () => {
  await withTempDir(async (dir) => {
    await project(dir, 3, 0);
    const out = await suite(dir, 2).output();
    const last = lastLine(out.stdout);
    assert(
      last.startsWith("ok | 3 passed | 0 failed"),
      `${last}\n${new TextDecoder().decode(out.stdout)}`,
    );
    assertEquals(out.code, 0);
  });
});

Deno.test("SIGTERM stops the suite: no batch starts after it, its temporary folders are removed", async () => {
  await withTempDir(async (dir) => {
    const marks = await project(dir, 3, 3000);
    const child = suite(dir, 1);
    while (true) { // the first test file runs
      try {
        await Deno.stat(`${marks}/1`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    child.kill("SIGTERM");
    const out = await child.output();
    const started = [...Deno.readDirSync(marks)].map((e) => e.name).sort();
    assertEquals(started, ["1"], "batches started after SIGTERM");
    assert(lastLine(out.stdout).startsWith("FAILED | "), lastLine(out.stdout));
    assert(out.code !== 0);
    assertEquals(
      [...Deno.readDirSync(`${dir}/tmp`)].map((e) => e.name),
      [],
      "temporary folders left",
    );
  });
});

Deno.test("SIGTERM to the suite reaches the processes its tests started", async () => {
  await withTempDir(async (dir) => {
    const marks = await project(dir, 0, 0);
    await Deno.writeTextFile(
      `${dir}/tests/child_test.ts`,
      `Deno.test("a child", async () => {\n  const child = new Deno.Command("sleep", { args: ["600"] }).spawn();\n` +
        `  await Deno.writeTextFile(${JSON.stringify(`${marks}/pid`)}, String(child.pid));\n` +
        `  await child.status;\n});\n`,
    );
    const suiteProcess = suite(dir, 1);
    let pid = 0;
    try {
      while (!pid) {
        pid = Number(await Deno.readTextFile(`${marks}/pid`).catch(() => "0"));
        if (!pid) await new Promise((r) => setTimeout(r, 50));
      }
      suiteProcess.kill("SIGTERM");
      const out = await suiteProcess.output();
      assert(lastLine(out.stdout).startsWith("FAILED | "), lastLine(out.stdout));
      assert(!(await alive(pid)), `the test's child ${pid} outlived the suite`);
    } finally {
      if (pid && await alive(pid)) Deno.kill(pid, "SIGKILL");
    }
  });
});

Deno.test("test files given run alone, once each; a path that does not exist is named, exit 2", async () => {
  await withTempDir(async (dir) => {
    const marks = await project(dir, 4, 0);
    // (it passed them to every batch: each file ran once per batch, 13 times)
    const out = await suite(dir, 2, ["--filter", "t", "tests/t2_test.ts", "tests/t4_test.ts"])
      .output();
    const last = lastLine(out.stdout);
    assert(
      last.startsWith("ok | 2 passed | 0 failed"),
      `${last}\n${new TextDecoder().decode(out.stdout)}`,
    );
    const ran = [...Deno.readDirSync(marks)].map((e) => e.name).sort();
    assertEquals(ran, ["2", "4"]);
    const missing = await suite(dir, 2, ["tests/nope_test.ts"]).output();
    assertEquals(missing.code, 2);
    const err = new TextDecoder().decode(missing.stderr);
    assert(err.includes("tests/nope_test.ts"), err);
  });
});
