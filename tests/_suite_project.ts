/**
 * A throwaway project for testing `deno task test` (tests/_run_suite.ts) for real: the runner copied into
 * `<dir>/tests/`, one module each in `src/`, `runner/` and `mod.ts` (the doc-example batch's paths), the
 * folders `marks/` (where the tests record their runs) and `tmp/` (the suite's TMPDIR), and `files` test
 * files `tests/t<i>_test.ts` whose source `testFile(i, marks)` gives.
 *
 * @returns The `marks` folder.
 */
export async function suiteProject(
  dir: string,
  files: number,
  testFile: (i: number, marks: string) => string,
): Promise<string> {
  const marks = `${dir}/marks`;
  for (const sub of ["tests", "src", "runner", "marks", "tmp"]) await Deno.mkdir(`${dir}/${sub}`);
  await Deno.copyFile(new URL("./_run_suite.ts", import.meta.url), `${dir}/tests/_run_suite.ts`);
  await Deno.writeTextFile(`${dir}/mod.ts`, "export const a = 1;\n");
  await Deno.writeTextFile(`${dir}/src/a.ts`, "export const b = 1;\n");
  await Deno.writeTextFile(`${dir}/runner/a.ts`, "export const c = 1;\n");
  for (let i = 1; i <= files; i++) {
    await Deno.writeTextFile(`${dir}/tests/t${i}_test.ts`, testFile(i, marks));
  }
  return marks;
}
