// A slot writes a run's end marker to its stdout or stderr only when something was written to that stream
// since its last marker (`runner/local/_output_marks.ts`): runs that print nothing cost the pool no marker
// reads. Every run's logs still hold exactly what was printed during it, by the simulation or by a program
// it started that writes to the inherited streams.
import { assert, assertEquals } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";
import { runSweep } from "../runner/mod.ts";
import { straceTinySweep } from "./_engine.ts";

const SIM = new URL("./fixtures/sims/quiet_logs.ts", import.meta.url);

const read = (path: string) => Deno.readTextFile(path).catch(() => "");

Deno.test("quiet and printing runs mixed, with programs writing to the inherited streams: each run's logs are its own", async () => {
  await withTempDir(async (dir) => {
    const n = 60;
    const result = await runSweep({
      name: "Quiet",
      simulation: SIM,
      points: Array.from({ length: n }, (_, i) => ({ i, ms: 25 })),
      concurrency: 2,
      dataFolder: `${dir}/Data`,
      permissions: { run: ["/bin/sh"] },
      summary: false,
    });
    const wrong: string[] = [];
    const late: number[] = [];
    for (const [i, r] of result.runs.entries()) {
      assertEquals(r.status, "done", r.error);
      const out = await read(`${r.path}/stdout.log`);
      let err = await read(`${r.path}/stderr.log`);
      if (err.includes("late 4\n")) {
        late.push(i);
        err = err.replace("late 4\n", "");
      }
      const wantOut = (i % 3 === 0 ? `out ${i}\n` : "") + (i % 7 === 0 ? `child ${i}\n` : "");
      const wantErr = i % 5 === 0 ? `err ${i}\n` : "";
      if (out !== wantOut) wrong.push(`${i} stdout: ${JSON.stringify(out)}`);
      if (err !== wantErr) wrong.push(`${i} stderr: ${JSON.stringify(err)}`);
    }
    assertEquals(wrong, []);
    // Printed 0.3 s after run 4 by the program it left: in the log of exactly one later run (the one in
    // progress then, or the next), never an earlier one, never lost.
    assertEquals(late.length, 1, `"late 4" in the logs of runs ${late}`);
    assert(late[0] > 4, `"late 4" in the log of run ${late[0]}`);
  });
});

Deno.test("runs that print nothing get no end markers: a slot writes its ready markers and nothing more", async () => {
  await withTempDir(async (dir) => {
    const runs = 40;
    const markers = (await straceTinySweep(dir, "Silent", runs, true))
      .filter((l) => /write\([12], "\\0sweepstore:/.test(l));
    // Two slots, a ready marker on each of their two streams, each written by the slot and passed on by the
    // stream's reader (`cat`): 8 writes. Before (no `cat`s then): 4 + 2 per run, 84.
    assert(markers.length >= 4, `the slots' ready markers were seen: ${markers.length}`);
    assert(markers.length <= 8, `${markers.length} marker writes for ${runs} silent runs`);
  });
});

Deno.test("every run is marked where writes do not show in the FIFOs' mtime, or off a local file system", async () => {
  await withTempDir(async (dir) => {
    // The slot's stdout here is a plain pipe, not the FIFOs whose mtime it checks: its start-up check sees
    // no write there and marks every run, as it does with `quiet` false (a file system not known as local).
    await run("mkfifo", [`${dir}/stdout`, `${dir}/stderr`]);
    const script = `${dir}/marks.ts`;
    const marks = new URL("../runner/local/_output_marks.ts", import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `import { OutputMarks } from "${marks}";
const m = new OutputMarks(${JSON.stringify(dir)}, "tok", Deno.args[0] === "quiet");
m.ready();
const bits = [m.runEnded(1), m.runEnded(2)];
console.log(JSON.stringify(bits));`,
    );
    for (const mode of ["quiet", "loud"]) {
      const out = await run(Deno.execPath(), [
        "run",
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
        script,
        mode,
      ]);
      assertEquals(out.code, 0, out.stderr);
      for (const n of [0, 1, 2]) {
        for (const text of [out.stdout, out.stderr]) {
          assert(
            text.includes(`\0sweepstore:tok:E${n}\0`),
            `${mode}: marker ${n} in ${JSON.stringify(text)}`,
          );
        }
      }
      assertEquals(out.stdout.split("\0").at(-1), "[3,3]\n", mode);
    }
  });
});
