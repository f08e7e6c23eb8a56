// Session 23's review of issue 8 as a hostile user: a full disk hitting at each step. The README's exit
// code table says 1 when "a file could not be read or written (read-only or full Data folder …)". A
// sweep whose runs all ended done but whose summary files could not be written (the disk filled up
// after the last run) printed the warning and exited 0: a script checking `$?` took the sweep as
// complete, without summary.csv. And a run that printed while the disk was full ended `done` without its
// stdout.log / stderr.log and without a word: its output was lost silently. Real processes, a real full
// tmpfs (root only).
import { assert, assertEquals } from "./_assert.ts";
import { cliArgs, run, withTempDir } from "./_helpers.ts";

// The run fills the Data folder's disk, leaving 16 KiB: its own config.ini still fits, report.html
// (hundreds of KiB) does not.
const SIM = (pad: string, print = false) => `
export async function simulate(p) {
  if (${print}) { console.log("o".repeat(60000)); console.error("e".repeat(60000)); }
  const pad = ${JSON.stringify(pad)};
  const f = await Deno.open(pad, { create: true, write: true });
  const block = new Uint8Array(4096);
  try { while (true) await f.write(block); } catch { /* full */ }
  f.close();
  await Deno.truncate(pad, (await Deno.stat(pad)).size - 4 * 4096);
  return { score: p.n };
}
`;

async function sweepOnFullDisk(print: boolean) {
  return await withTempDir(async (dir) => {
    const mount = await run("mount", ["-t", "tmpfs", "-o", "size=1M", "tmpfs", dir]);
    if (mount.code !== 0) throw new Error(`mounting a tmpfs needs root: ${mount.stderr}`);
    try {
      await Deno.mkdir(`${dir}/Data`);
      await Deno.writeTextFile(`${dir}/sim.ts`, SIM(`${dir}/Data/pad`, print));
      const res = await run(
        Deno.execPath(),
        cliArgs(["run", "sim.ts", "--name", "Full", "--grid", "n=1", "--no-progress"]),
        { cwd: dir },
      );
      const group = `${dir}/Data/StorageManager/Full`;
      const runDir = [...Deno.readDirSync(group)].find((e) => /^Full\d+$/.test(e.name))!.name;
      const files = [...Deno.readDirSync(`${group}/${runDir}`)].map((e) => e.name).sort();
      const config = await Deno.readTextFile(`${group}/${runDir}/config.ini`);
      return { ...res, files, config };
    } finally {
      await run("umount", ["-l", dir]);
    }
  });
}

Deno.test("run: every run done but the summary files could not be written (disk full): exit 1, the warning said", async () => {
  const res = await sweepOnFullDisk(false);
  assert(/status = done/.test(res.config), res.config); // the run itself is done
  assert(res.stderr.includes("the summary files could not be written"), res.stderr);
  assertEquals(res.code, 1, res.stderr);
});

Deno.test("run: a run's output that cannot be saved on a full disk is a warning naming the run", async () => {
  const res = await sweepOnFullDisk(true);
  assert(/status = done/.test(res.config), res.config);
  assertEquals(res.files, ["config.ini"]); // no room for the 60 KB logs
  assert(
    /warning: the run's output could not be saved \(60001 bytes\): .*\/Full\d+\/stdout\.log \(No space left/
      .test(res.stderr),
    res.stderr,
  );
});
