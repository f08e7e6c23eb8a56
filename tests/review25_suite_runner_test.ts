/**
 * `deno task test` (tests/_run_suite.ts), run for real on a throwaway project of tiny test files:
 * - without NO_COLOR (a user's terminal), deno test colours its summary line even into a pipe; the runner
 *   must still count the passed tests (it used to count each batch as 1 failed and exit 1);
 * - SIGTERM stops the suite: the running batch is stopped and no later batch starts (it used to go on
 *   with the next batches), the temporary folder is removed and the last line says FAILED.
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";

const SUITE = new URL("./_run_suite.ts", import.meta.url).pathname;

/** A project with `files` test files, each writing `<marks>/<i>` then waiting `waitMs`. */
async function project(dir: string, files: number, waitMs: number): Promise<string> {
  const marks = `${dir}/marks`;
  for (const sub of ["tests", "src", "runner", "marks", "tmp"]) await Deno.mkdir(`${dir}/${sub}`);
  await Deno.copyFile(SUITE, `${dir}/tests/_run_suite.ts`);
  await Deno.writeTextFile(`${dir}/mod.ts`, "export const a = 1;\n");
  await Deno.writeTextFile(`${dir}/src/a.ts`, "export const b = 1;\n");
  await Deno.writeTextFile(`${dir}/runner/a.ts`, "export const c = 1;\n");
  for (let i = 1; i <= files; i++) {
    await Deno.writeTextFile(
      `${dir}/tests/t${i}_test.ts`,
      `Deno.test("t${i}", async () => {\n  await Deno.writeTextFile(${
        JSON.stringify(`${marks}/${i}`)
      }, "");\n` +
        `  await new Promise((r) => setTimeout(r, ${waitMs}));\n});\n`,
    );
  }
  return marks;
}

function suite(dir: string, jobs: number): Deno.ChildProcess {
  const env: Record<string, string> = { SWEEPSTORE_TEST_JOBS: String(jobs), TMPDIR: `${dir}/tmp` };
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tests/_run_suite.ts"],
    cwd: dir,
    env,
    stdout: "piped",
    stderr: "piped",
  });
  Deno.env.delete("NO_COLOR"); // as in a terminal (the child inherits the environment)
  return command.spawn();
}

function lastLine(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes).trimEnd().split("\n").at(-1) ?? "";
}

Deno.test("the suite counts deno test's coloured summaries (no NO_COLOR)", async () => {
  const saved = Deno.env.get("NO_COLOR");
  try {
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
  } finally {
    if (saved !== undefined) Deno.env.set("NO_COLOR", saved);
  }
});

Deno.test("SIGTERM stops the suite: no batch starts after it, its temporary folders are removed", async () => {
  const saved = Deno.env.get("NO_COLOR");
  try {
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
  } finally {
    if (saved !== undefined) Deno.env.set("NO_COLOR", saved);
  }
});
