// How a sweep is laid out on a cluster (chunk, job arrays) and how SLURM's accounting text is read; no
// cluster needed. The cluster tests (slurm_scale_test.ts) run the same code against a real slurmctld.
import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { planArrays } from "../runner/slurm/limits.ts";
import { timeSeconds } from "../runner/slurm/limits.ts";
import { killedForMemory, parseSacct, parseScontrol } from "../runner/slurm/accounting.ts";
import { taskRanges } from "../runner/slurm/status.ts";
import { checkSweepOptions } from "../runner/sweep_options.ts";

const limits = { maxArraySize: 1001, sacct: false };

Deno.test("planArrays: 20,000 one-second points become 34 ten-minute tasks, not 20,000 jobs", () => {
  const plan = planArrays({ tasks: 20_000, limits, measuredSeconds: 1 });
  assertEquals([plan.chunk, plan.arrays], [600, [34]]);
  assert(plan.why.includes("(measured) in 10-minute tasks"), plan.why);
});

Deno.test("planArrays: without a run time chunk 1, split into arrays of MaxArraySize", () => {
  const plan = planArrays({ tasks: 5000, limits });
  assertEquals([plan.chunk, plan.arrays], [1, [1001, 1001, 1001, 1001, 996]]);
  assert(plan.why.includes("5 job arrays (MaxArraySize 1001)"), plan.why);
});

Deno.test("planArrays: MaxSubmitJobs raises the chunk, also a given one", () => {
  const read = planArrays({ tasks: 5000, limits: { ...limits, maxSubmitJobs: 500 } });
  assertEquals([read.chunk, read.arrays], [10, [500]]);
  const given = planArrays({ tasks: 5000, limits }, { chunk: 2, maxSubmitJobs: 1000 });
  assertEquals([given.chunk, given.arrays], [5, [1000]]);
  assert(given.why.includes("raised to 5 to stay within 1000 queued tasks"), given.why);
});

Deno.test("planArrays: an estimate packs when nothing was measured; the time limit caps a task", () => {
  const estimated = planArrays({ tasks: 100, limits }, { runSeconds: 30, taskMinutes: 5 });
  assertEquals(estimated.chunk, 10);
  assert(estimated.why.includes("(estimated)"), estimated.why);
  // 10-minute tasks of 60 s runs, but --time 5 minutes: 80 % of it holds 4 runs.
  assertEquals(planArrays({ tasks: 100, limits }, { runSeconds: 60, time: 5 }).chunk, 4);
  assertEquals(planArrays({ tasks: 3, limits, measuredSeconds: 0.01 }).chunk, 3);
  assertEquals(planArrays({ tasks: 100, limits, measuredSeconds: 0.01 }, { chunk: 7 }).chunk, 7);
  // 50 tasks may run at once: 200 short runs are packed 4 per task, not all into one.
  assertEquals(planArrays({ tasks: 200, limits, measuredSeconds: 5, parallelism: 50 }).chunk, 4);
});

Deno.test("planArrays: the arrays share the parallelism, never more at once, no slot lost", () => {
  const small = { maxArraySize: 11, sacct: false };
  // 12 tasks in 2 arrays, 3 at once: 2 + 1 (not 1 + 1, which leaves a slot idle).
  const two = planArrays({ tasks: 12, limits: small, parallelism: 3 }, { chunk: 1 });
  assertEquals([two.arrays, two.throttles, two.after], [[11, 1], [2, 1], [undefined, undefined]]);
  // 50 tasks in 5 arrays, 2 at once: one task of each array at a time (%1 is SLURM's least), and
  // arrays 2…4 wait for array k-2 to end: never 5 at once.
  const five = planArrays({ tasks: 50, limits: small, parallelism: 2 }, { chunk: 1 });
  assertEquals(five.arrays, [11, 11, 11, 11, 6]);
  assertEquals(five.throttles, [1, 1, 1, 1, 1]);
  assertEquals(five.after, [undefined, undefined, 0, 1, 2]);
  // Without a parallelism no throttle and no waiting.
  const free = planArrays({ tasks: 50, limits: small }, { chunk: 1 });
  assertEquals([free.throttles, free.after], [undefined, undefined]);
});

Deno.test("planArrays: --time 0 is SLURM's 'no time limit', not a cap of 0 runs", () => {
  assertEquals(planArrays({ tasks: 100, limits }, { runSeconds: 60, time: 0 }).chunk, 10);
  assertEquals(planArrays({ tasks: 100, limits }, { runSeconds: 60, time: "0" }).chunk, 10);
});

Deno.test("timeSeconds reads SLURM's --time forms", () => {
  assertEquals(
    ["30", "10:30", "1:00:00", "2-0", "2-03:04", "1-00:00:05", "UNLIMITED"].map((t) =>
      timeSeconds(t)
    ),
    [1800, 630, 3600, 172800, 183840, 86405, undefined],
  );
});

Deno.test("parseSacct: state, exit code, elapsed from the task, MaxRSS from its steps, pending ranges", () => {
  // The form `sacct -n -P -o JobID,State,ExitCode,MaxRSS,ElapsedRaw` prints (SLURM 22.05).
  const out = [
    "41_0|COMPLETED|0:0||3",
    "41_0.batch|COMPLETED|0:0|150732K|3",
    "41_1|OUT_OF_MEMORY|0:125||2",
    "41_1.batch|OUT_OF_MEMORY|0:125|2.10G|2",
    "41_2|CANCELLED by 0|0:15||9",
    "41_[3-5%2]|PENDING|0:0||0",
  ].join("\n");
  const accounts = parseSacct(out);
  assertEquals(accounts.get("41_0"), {
    state: "COMPLETED",
    exitCode: "0:0",
    elapsedS: 3,
    maxRssMb: 147.2,
  });
  assertEquals(accounts.get("41_1")?.maxRssMb, 2150.4);
  assertEquals(accounts.get("41_2")?.state, "CANCELLED");
  assertEquals([...accounts.keys()].filter((k) => accounts.get(k)!.state === "PENDING"), [
    "41_3",
    "41_4",
    "41_5",
  ]);
});

Deno.test("parseScontrol: one line per task, pending ranges, restarts", () => {
  const out = [
    "JobId=12 ArrayJobId=10 ArrayTaskId=2 JobName=X JobState=COMPLETED Reason=None Requeue=1 " +
    "Restarts=1 ExitCode=0:0 RunTime=00:01:05",
    "JobId=10 ArrayJobId=10 ArrayTaskId=3-4 JobName=X JobState=PENDING Reason=Resources Restarts=0 " +
    "ExitCode=0:0 RunTime=00:00:00",
  ].join("\n");
  const a = parseScontrol(out);
  assertEquals(a.get("10_2"), {
    state: "COMPLETED",
    exitCode: "0:0",
    elapsedS: 65,
    restarts: 1,
    reason: undefined,
  });
  assertEquals([a.get("10_3")?.reason, a.get("10_4")?.state], ["Resources", "PENDING"]);
});

Deno.test("killedForMemory believes slurmstepd's line, not a simulation printing the words", async () => {
  const log = await Deno.makeTempFile();
  await Deno.writeTextFile(log, "my sim: exceeded memory limit? no\nslurmstepd: error: nothing\n");
  assertEquals(await killedForMemory(log), false);
  await Deno.writeTextFile(
    log,
    "x\n".repeat(50_000) +
      "slurmstepd-n01: error: Step 5.batch exceeded memory limit (1578536 > 204800), being killed\n",
  );
  assertEquals(await killedForMemory(log), true);
  assertEquals(await killedForMemory(`${log}.missing`), false);
});

Deno.test("taskRanges and bad slurm options", () => {
  assertEquals(taskRanges(["7_0", "7_1", "8_3", "7_4"]), "7_[0-1,4], 8_3");
  const base = { name: "S", simulation: "./sim.ts", grid: { n: [1] }, backend: "slurm" as const };
  assertThrows(
    () => checkSweepOptions({ ...base, slurm: { chunk: 0 } }),
    RangeError,
    "slurm.chunk",
  );
  assertThrows(
    () => checkSweepOptions({ ...base, slurm: { taskMinutes: -1 } }),
    RangeError,
    "slurm.taskMinutes",
  );
  // A --time or --mem that sbatch would refuse is refused before anything is written or submitted.
  for (const time of ["abc", "1:2:3:4", "-5", "1.5h", -1, Number.NaN]) {
    assertThrows(() => checkSweepOptions({ ...base, slurm: { time } }), RangeError, "slurm.time");
  }
  for (
    const time of ["30", "10:30", "1:00:00", "2-0", "1-00:00:05", "UNLIMITED", "infinite", 0, 90]
  ) {
    checkSweepOptions({ ...base, slurm: { time } });
  }
  for (const mem of ["lots", "4 G", "-1G", "1.5G", ""]) {
    assertThrows(() => checkSweepOptions({ ...base, slurm: { mem } }), RangeError, "slurm.mem");
  }
  for (const mem of ["4G", "4000", "512M", "2T", "100k", "0"]) {
    checkSweepOptions({ ...base, slurm: { mem } });
  }
  assertThrows(
    () => checkSweepOptions({ ...base, slurm: { requeue: "yes" as unknown as boolean } }),
    TypeError,
    "slurm.requeue",
  );
});
