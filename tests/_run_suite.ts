/**
 * `deno task test`: the whole suite (tests, doc examples) with `TMPDIR` set to a fresh folder that is
 * removed afterwards. The doc examples make temporary Data folders they cannot clean up without hiding
 * what they show (~60 per run of `src/` alone), and a test killed half-way leaves its own: every run of
 * the suite used to leave hundreds of folders in /tmp. Extra arguments go to `deno test` (e.g.
 * `deno task test --filter npy`). Exits with `deno test`'s code.
 *
 *   deno run --allow-run --allow-read --allow-write --allow-env tests/_run_suite.ts [deno test options]
 *
 * Ctrl-C reaches `deno test` from the terminal (same process group); this script waits for it and still
 * removes the folder. SIGTERM and SIGHUP, sent to this script alone, are passed on.
 */

const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-run", "--allow-env", "--allow-sys"];
const SUITE = ["--doc", "tests/", "src/", "runner/", "mod.ts"];

const tmp = await Deno.makeTempDir({ prefix: "sweepstore-suite-" });
const child = new Deno.Command(Deno.execPath(), {
  args: ["test", ...PERMISSIONS, ...Deno.args, ...SUITE],
  env: { TMPDIR: tmp },
  stdin: "inherit",
  stdout: "inherit",
  stderr: "inherit",
}).spawn();
Deno.addSignalListener("SIGINT", () => {}); // deno test got it too: wait for it, then clean up
for (const signal of ["SIGTERM", "SIGHUP"] as const) {
  Deno.addSignalListener(signal, () => child.kill(signal));
}
const { code } = await child.status;
try {
  await Deno.remove(tmp, { recursive: true });
} catch (err) {
  console.error(`warning: could not remove the suite's temporary folder ${tmp}: ${err}`);
}
Deno.exit(code);
