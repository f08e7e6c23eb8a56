// The CLI draws a sweep from the engine's events (runner/events.ts): progress lines or bar, and one line
// for resumed runs, runs claimed elsewhere, a SLURM submission, SLURM stopping the task, and warnings.
import { assert, assertEquals } from "./_assert.ts";
import { Progress } from "../runner/cli/progress.ts";
import { sweepView } from "../runner/cli/_sweep_view.ts";
import type { RunRecord, SweepCounts } from "../runner/events.ts";

const counts = (done: number, failed: number, running: number): SweepCounts => ({
  total: 4,
  done,
  failed,
  running,
});

function record(index: number, status: RunRecord["status"]): RunRecord {
  return {
    index,
    params: { k: index },
    repeat: 0,
    path: `/d/R${index}`,
    status,
    durationMs: 10,
    attempts: 1,
    seed: 1,
  };
}

Deno.test("plain mode: notes for resume, claims, submission, preemption and warnings; throttled progress lines", () => {
  const out: string[] = [];
  const { onEvent: view } = sweepView(
    new Progress({ mode: false, intervalS: 3600, write: (t) => out.push(t) }),
  );
  view({
    type: "planned",
    sweepId: "S-1",
    backend: "local",
    total: 4,
    skipped: 2,
    claimedElsewhere: 1,
  });
  view({ type: "submitted", jobIds: ["12"], arrayTasks: 2, collectJobId: "13" });
  view({ type: "started", index: 0, attempt: 1, path: "/d/R0", counts: counts(0, 0, 1) });
  view({ type: "ended", record: record(0, "done"), counts: counts(1, 0, 0) }); // within the interval
  view({ type: "warning", message: "could not mark the run interrupted", path: "/d/R1" });
  view({ type: "stopping", reason: "preempted", graceMs: 3000 });
  view({ type: "stopping", reason: "aborted", graceMs: 3000 }); // the CLI's own signal line says it
  view({ type: "finished", counts: counts(3, 1, 0), interrupted: false });
  assertEquals(out[0], "resume: 2 of 7 runs already finished, 4 to run\n");
  assertEquals(
    out[1],
    "1 runs are running in another sweep of this name right now; not started here: run --resume " +
      "again once that sweep has ended (exit 75 when the runs started here all end done)\n",
  );
  assertEquals(out[2], "submitted SLURM job 12: 4 runs in 2 array tasks, collect job 13\n");
  assert(out[3].startsWith("0/4 (0%) done 0 failed 0 running 1"), out[3]);
  assertEquals(out[4], "warning: could not mark the run interrupted (/d/R1)\n");
  assert(out[5].startsWith("SLURM is stopping this task: simulations get 3s"), out[5]);
  assert(out[6].startsWith("4/4 (100%) done 3 failed 1 running 0"), out[6]);
  assertEquals(out.length, 7);
});

Deno.test("bar mode: a note clears the bar first, and the bar is drawn again at the next event", () => {
  const out: string[] = [];
  const progress = new Progress({ mode: true, write: (t) => out.push(t) });
  const { onEvent: view } = sweepView(progress);
  view({ type: "started", index: 0, attempt: 1, path: "/d/R0", counts: counts(0, 0, 1) });
  view({ type: "warning", message: "disk almost full" });
  view({ type: "retrying", record: record(0, "failed"), counts: counts(0, 0, 1) });
  assert(out[0].startsWith("\r\x1b[2K[------------------------] 0/4"), JSON.stringify(out[0]));
  assertEquals(out[1], "\r\x1b[2Kwarning: disk almost full\n");
  assert(out[2].startsWith("\r\x1b[2K[---"), "redrawn after the note");
  const off: string[] = [];
  const { onEvent: quiet } = sweepView(new Progress({ mode: "off", write: (t) => off.push(t) }));
  quiet({ type: "started", index: 0, attempt: 1, path: "/d/R0", counts: counts(0, 0, 1) });
  quiet({ type: "warning", message: "still shown with --no-progress" });
  assertEquals(off, ["warning: still shown with --no-progress\n"]);
});

Deno.test("the clock tick redraws between events (long runs), and not before the first or after the end", () => {
  const out: string[] = [];
  const view = sweepView(new Progress({ mode: false, intervalS: 0, write: (t) => out.push(t) }));
  view.tick();
  assertEquals(out, [], "nothing to draw before the first counts");
  view.onEvent({ type: "started", index: 0, attempt: 1, path: "/d/R0", counts: counts(0, 0, 1) });
  view.tick();
  view.tick();
  assertEquals(out.length, 3);
  assert(out.every((l) => l.startsWith("0/4 (0%) done 0 failed 0 running 1")), out.join(""));
  view.onEvent({ type: "finished", counts: counts(4, 0, 0), interrupted: false });
  view.tick();
  assertEquals(out.length, 4, "no line after the final one");
});
