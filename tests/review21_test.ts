// Review of 4e9ae77 (issue 8 point 10): result.runs made from per-shape templates, the pool's lazy queue
// (PendingQueue) and the report's lazily imported ECharts, each checked with real processes against the tree
// before it (`git archive 4e9ae77~1`): the same sweeps give the same records, a slot killed with SIGKILL
// loses no task and runs none twice, a stopped sweep resumed runs every point exactly once, and report.html
// is byte-identical (but for its written time) from the CLI with its fewest permissions and from a script
// outside the package.
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import {
  base,
  cliReport,
  type DriverOut,
  driverOut,
  field,
  folders,
  HAS_BASE,
  libraryReports,
  markers,
  masked,
  param,
  root,
  startDriver,
  unwritten,
  withKilledSlot,
} from "./_review21.ts";

const MODES = ["num", "int", "undef", "null", "text", "list", "nested", "empty", "throw", "exit"];

Deno.test({
  name:
    "review21: result.runs equals the ended events' records, and the tree before 4e9ae77's; report.html byte-identical",
  ignore: !HAS_BASE,
}, async () => {
  await withTempDir(async (dir) => {
    const outs: DriverOut[] = [];
    for (const tree of [root, await base()]) {
      const project = `${dir}/${outs.length}`;
      await Deno.mkdir(`${project}/Data`, { recursive: true });
      outs.push(
        await driverOut(
          await startDriver(tree, project, {
            name: "Odd",
            dataFolder: `${project}/Data`,
            concurrency: 1,
            timeoutMs: 1500,
            graceMs: 200,
            retries: 1,
            grid: { mode: [...MODES, "kill", "flaky", "spin", "plain"], k: [-0, 4294967295.5] },
            seed: 123456789,
          }),
        ),
      );
    }
    const [now, before] = outs;
    assertEquals(now.problems, [], "result.runs differs from the ended events' records (now)");
    assertEquals(
      before.problems,
      [],
      "result.runs differs from the ended events' records (before)",
    );
    assertEquals(now.runs.length, 28);
    // what the sweep exercised: every failure kind, retries, undefined-valued keys, a seed above 2^31
    const kinds = new Set(
      now.runs.map((r) => `${field(r, "status")}:${JSON.stringify(field(r, "reason"))}`),
    );
    for (
      const k of ['failed:"exit"', 'failed:"signal"', 'failed:"exception"', 'timeout:"timeout"']
    ) {
      assert(kinds.has(k), `no ${k} record: ${[...kinds]}`);
    }
    assert(now.runs.some((r) => JSON.stringify(field(r, "reason")) === '{"undefined":true}'));
    assert(now.runs.some((r) => (field(r, "seed") as number) > 2 ** 31));
    assert(now.retrying.length > 0, "no retry happened");
    assertEquals(now.runs.map(masked), before.runs.map(masked));
    assertEquals(now.retrying.map(masked), before.retrying.map(masked));

    // report.html: the CLI with its fewest permissions, htmlReport and writeHtmlReport from a script in
    // another folder, each tree on its own copy of the same runs
    const ours = `${dir}/0`;
    const sweepReport = await Deno.readTextFile(`${ours}/Data/StorageManager/Odd/report.html`);
    const pages: Record<string, string>[] = [];
    for (const [i, tree] of [root, await base()].entries()) {
      const copy = `${dir}/copy${i}`;
      const cp = await new Deno.Command("cp", { args: ["-r", ours, copy] }).output();
      assert(cp.success);
      const cli = await cliReport(tree, copy, "Odd");
      pages.push({ cli, ...(await libraryReports(tree, copy, "Odd")) });
    }
    for (const kind of ["cli", "string", "file"]) {
      assert(pages[0][kind].includes("<!-- Apache ECharts"), `${kind}: no ECharts`);
      assert(
        pages[0][kind].length > 1_000_000,
        `${kind}: ECharts missing (${pages[0][kind].length})`,
      );
      assert(
        unwritten(pages[0][kind]) === unwritten(pages[1][kind]),
        `${kind}: report.html differs`,
      );
    }
    assert(unwritten(pages[0].string) === unwritten(pages[0].file), "htmlReport ≠ writeHtmlReport");
    // runSweep's own summary page: the same ECharts as the CLI's of the tree before (page script aside)
    const tail = (t: string) => unwritten(t.slice(t.indexOf("<!-- Apache ECharts")));
    assert(sweepReport.includes("<!-- Apache ECharts"), "runSweep's report.html has no ECharts");
    assert(tail(sweepReport) === tail(pages[1].cli), "runSweep's report.html: ECharts differs");
  });
});

Deno.test({
  name:
    "review21: slots killed with SIGKILL mid-sweep (their own run, and from outside): every queued task runs exactly once, in both trees",
  ignore: !HAS_BASE,
}, async () => {
  await withTempDir(async (dir) => {
    const N = 240, HANG = 60, KILLER = 150;
    for (const [t, tree] of [root, await base()].entries()) {
      const project = `${dir}/${t}`, marks = `${project}/Data/marks`; // (slots may write in Data only)
      await Deno.mkdir(marks, { recursive: true });
      const points = Array.from({ length: N }, (_, p) => ({
        mode: p === KILLER ? "kill" : p === HANG ? "spin" : "plain",
        p,
        dir: marks,
      }));
      // the slot running HANG (found in /proc by the pid it wrote), killed from outside: the tiny runs before
      // it made the pool send that slot several tasks at once, which it holds unstarted
      const kill = { marks, hang: HANG, runs: N };
      const options = { name: "Kill", concurrency: 2, points };
      const { out, where } = await withKilledSlot(tree, project, t, kill, options);
      const { starts, ends } = await markers(marks);
      const failed = out.runs.filter((r) => field(r, "status") !== "done");
      assertEquals(
        failed.map((r) => param(r, "p") as number).sort((a, b) => a - b),
        [HANG, KILLER],
        where,
      );
      for (const r of failed) {
        assertEquals([field(r, "reason"), field(r, "signal")], ["signal", "SIGKILL"], where);
      }
      for (const r of out.runs) {
        const p = param(r, "p") as number, done = field(r, "status") === "done";
        assertEquals(starts.get(p), 1, `${where}: point ${p} started ${starts.get(p)} times`);
        assertEquals(
          ends.get(p) ?? 0,
          done ? 1 : 0,
          `${where}: point ${p} ended ${ends.get(p)} times`,
        );
      }
      assertEquals(await folders(`${project}/Data`, "Kill"), N, where);
    }
  });
});

Deno.test({
  name:
    "review21: a sweep stopped by its AbortSignal, then resumed, runs every point exactly once, in both trees",
  ignore: !HAS_BASE,
}, async () => {
  await withTempDir(async (dir) => {
    const N = 24;
    for (const [t, tree] of [root, await base()].entries()) {
      const where = t ? "before" : "now";
      const project = `${dir}/${t}`, marks = `${project}/Data/marks`; // (slots may write in Data only)
      await Deno.mkdir(marks, { recursive: true });
      const options = {
        name: "Stop",
        dataFolder: `${project}/Data`,
        concurrency: 2,
        graceMs: 5000,
        points: Array.from({ length: N }, (_, p) => ({ mode: "plain", p, ms: 300, dir: marks })),
      };
      const first = await driverOut(
        await startDriver(tree, project, { ...options, abortAfter: 6 }),
      );
      assertEquals(first.problems, [], where);
      assert(first.interrupted, `${where}: not interrupted`);
      const done1 = first.runs.filter((r) => field(r, "status") === "done");
      const stopped = first.runs.filter((r) => field(r, "status") !== "done");
      assert(
        done1.length >= 6 && done1.length < N,
        `${where}: ${done1.length} done before the stop`,
      );
      for (const r of stopped) assertEquals(field(r, "status"), "interrupted", where);
      const second = await driverOut(
        await startDriver(tree, project, { ...options, resume: true }),
      );
      assertEquals(second.problems, [], where);
      assertEquals(second.skipped, done1.length, where);
      assert(second.runs.every((r) => field(r, "status") === "done"), where);
      const doneP = [...done1, ...second.runs].map((r) => param(r, "p") as number).sort((a, b) =>
        a - b
      );
      assertEquals(doneP, Array.from({ length: N }, (_, p) => p), `${where}: points done`);
      const { starts, ends } = await markers(marks);
      const again = new Set(stopped.map((r) => param(r, "p") as number));
      for (let p = 0; p < N; p++) {
        assertEquals(ends.get(p), 1, `${where}: point ${p} ended ${ends.get(p)} times`);
        assertEquals(starts.get(p), again.has(p) ? 2 : 1, `${where}: point ${p} started`);
      }
      assertEquals(await folders(`${project}/Data`, "Stop"), N + stopped.length, where);
    }
  });
});

Deno.test({
  name:
    "review21: one slot takes first attempts in sweep order, a killed slot's unstarted tasks first, retries last, as before 4e9ae77",
  ignore: !HAS_BASE,
}, async () => {
  await withTempDir(async (dir) => {
    const N = 60, FLAKY = [10, 30], HANG = 20, KILLER = 40;
    const logs: string[][] = [];
    for (const [t, tree] of [root, await base()].entries()) {
      const project = `${dir}/${t}`, marks = `${project}/Data/marks`, log = `${project}/Data/log`;
      await Deno.mkdir(marks, { recursive: true });
      const mode = (p: number) =>
        FLAKY.includes(p) ? "flaky" : p === HANG ? "spin1" : p === KILLER ? "kill" : "plain";
      const points = Array.from({ length: N }, (_, p) => ({ mode: mode(p), p, dir: marks, log }));
      const kill = { marks, hang: HANG, runs: N };
      const options = { name: "Order", concurrency: 1, retries: 1, points };
      const { out, where } = await withKilledSlot(tree, project, t, kill, options);
      const failed = out.runs.filter((r) => field(r, "status") !== "done");
      assertEquals(failed.map((r) => param(r, "p")), [KILLER], where);
      logs.push((await Deno.readTextFile(log)).trim().split("\n"));
    }
    const expected = [
      ...Array.from({ length: N }, (_, p) => `${p}-1`),
      ...[10, HANG, 30, KILLER].map((p) => `${p}-2`),
    ];
    assertEquals(logs[0], expected, "now");
    assertEquals(logs[1], expected, "before");
  });
});
