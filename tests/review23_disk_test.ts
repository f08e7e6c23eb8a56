// Session 23's review of issue 8 as a hostile user: a full disk hitting at each step. The README's exit
// code table says 1 when "a file could not be read or written (read-only or full Data folder …)". A
// sweep whose runs all ended done but whose summary files could not be written (the disk filled up
// after the last run) printed the warning and exited 0: a script checking `$?` took the sweep as
// complete, without summary.csv. Real processes, a real full tmpfs (root only).
import { assert, assertEquals } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";

// The run fills the Data folder's disk, leaving 16 KiB: its own config.ini still fits, report.html
// (hundreds of KiB) does not.
const SIM = (pad: string) => `
export async function simulate(p) {
  const pad = ${JSON.stringify(pad)};
  const f = await Deno.open(pad, { create: true, write: true });
  const block = new Uint8Array(4096);
  try { while (true) await f.write(block); } catch { /* full */ }
  f.close();
  await Deno.truncate(pad, (await Deno.stat(pad)).size - 4 * 4096);
  return { score: p.n };
}
`;

Deno.test("run: every run done but the summary files could not be written (disk full): exit 1, the warning said", async () => {
  await withTempDir(async (dir) => {
    const mount = await run("mount", ["-t", "tmpfs", "-o", "size=1M", "tmpfs", dir]);
    if (mount.code !== 0) throw new Error(`mounting a tmpfs needs root: ${mount.stderr}`);
    try {
      await Deno.mkdir(`${dir}/Data`);
      await Deno.writeTextFile(`${dir}/sim.ts`, SIM(`${dir}/Data/pad`));
      const entry = new URL("../runner/cli/cli.ts", import.meta.url).pathname;
      const res = await run(Deno.execPath(), [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-run",
        entry,
        "run",
        "sim.ts",
        "--name",
        "Full",
        "--grid",
        "n=1",
        "--no-progress",
      ], { cwd: dir });
      const config = await Deno.readTextFile(
        `${dir}/Data/StorageManager/Full/${
          [...Deno.readDirSync(`${dir}/Data/StorageManager/Full`)].find((e) =>
            /^Full\d+$/.test(e.name)
          )!.name
        }/config.ini`,
      );
      assert(/status = done/.test(config), config); // the run itself is done
      assert(res.stderr.includes("the summary files could not be written"), res.stderr);
      assertEquals(res.code, 1, res.stderr);
    } finally {
      await run("umount", ["-l", dir]);
    }
  });
});
