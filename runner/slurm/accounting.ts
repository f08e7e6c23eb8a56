/**
 * What SLURM knows about each array task of a sweep: its state, exit code, restarts and elapsed time from
 * `scontrol show job` (while SLURM keeps the job, `MinJobAge`), and, where `sacct` works (slurmdbd), its
 * peak memory (`MaxRSS`) and the account of jobs scontrol forgot. A memory kill by
 * `JobAcctGatherParams=OverMemoryKill` is reported by SLURM as `FAILED`: only the task's log says
 * "exceeded memory limit" ({@linkcode killedForMemory}).
 *
 * @module
 */

import { runSlurm, type SlurmOptions } from "./options.ts";
import { ACTIVE_STATES } from "./squeue.ts";

/** SLURM's account of one array task. */
export interface TaskAccount {
  /** SLURM's state (`COMPLETED`, `FAILED`, `OUT_OF_MEMORY`, `PENDING`, …). */
  state: string;
  /** SLURM's exit code, `<code>:<signal>`. */
  exitCode?: string;
  /** Peak resident memory, in MiB (sacct only). */
  maxRssMb?: number;
  /** Elapsed wall time, in seconds. */
  elapsedS?: number;
  /** How often SLURM requeued the task. */
  restarts?: number;
  /** Why it waits (`BeginTime` after a requeue, `Resources`, …). */
  reason?: string;
}

/** Every array task's account, keyed `<job>_<task>`. */
export type Accounts = Map<string, TaskAccount>;

/**
 * A SLURM duration (`[D-]HH:MM:SS`, `MM:SS`, with optional fractions) in seconds.
 *
 * @example
 * ```ts
 * import { durationSeconds } from "./accounting.ts";
 * console.log(durationSeconds("1-02:03:04"), durationSeconds("00:01:05.5")); // 93784 65.5
 * ```
 */
export function durationSeconds(text: string): number | undefined {
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return undefined;
  return (+(m[1] ?? 0)) * 86400 + (+(m[2] ?? 0)) * 3600 + +m[3] * 60 + +m[4];
}

/**
 * A size as sacct prints it (`123456K`, `1.5G`, bytes without a unit) in MiB.
 *
 * @example
 * ```ts
 * import { sizeMb } from "./accounting.ts";
 * console.log(sizeMb("2048K"), sizeMb("1.5G")); // 2 1536
 * ```
 */
export function sizeMb(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/i.exec(text.trim());
  if (!m) return undefined;
  const power = { "": -2, K: -1, M: 0, G: 1, T: 2 }[m[2].toUpperCase()]!;
  return Math.round(+m[1] * 1024 ** power * 100) / 100;
}

/** Expands an array range (`4-9%2`, `1,3,5-7`, `[0-3]`) into its indices. */
function indices(range: string): number[] {
  const out: number[] = [];
  for (const part of range.replace(/[[\]]/g, "").replace(/%\d+$/, "").split(",")) {
    if (!part) continue;
    const [a, b] = part.split("-").map(Number);
    for (let i = a; i <= (Number.isFinite(b) ? b : a); i++) out.push(i);
  }
  return out;
}

/**
 * Parses `sacct -n -P -o JobID,State,ExitCode,MaxRSS,ElapsedRaw` lines: the allocation line of each array
 * task (`123_4`, or a pending range `123_[5-9]`) gives state, exit code and elapsed time; its steps
 * (`123_4.batch`) the peak memory.
 *
 * @example
 * ```ts
 * import { parseSacct } from "./accounting.ts";
 * const out = "7_0|COMPLETED|0:0||12\n7_0.batch|COMPLETED|0:0|2048K|12\n7_[1-2]|PENDING|0:0||0\n";
 * console.log(parseSacct(out).get("7_0")); // { state: "COMPLETED", exitCode: "0:0", elapsedS: 12, maxRssMb: 2 }
 * ```
 */
export function parseSacct(text: string): Accounts {
  const out: Accounts = new Map();
  for (const line of text.split("\n")) {
    const [id, state, exitCode, maxRss, elapsed] = line.trim().split("|");
    const m = /^(\d+)_(\[[^\]]+\]|\d+)(?:\.(.+))?$/.exec(id ?? "");
    if (!m) continue;
    for (const i of indices(m[2])) {
      const key = `${m[1]}_${i}`;
      const account = out.get(key) ?? { state: "" };
      if (m[3] === undefined) {
        account.state = (state ?? "").split(" ")[0]; // "CANCELLED by 0"
        account.exitCode = exitCode || undefined;
        account.elapsedS = elapsed ? Number(elapsed) : undefined;
      } else {
        const rss = sizeMb(maxRss ?? "");
        if (rss !== undefined) account.maxRssMb = Math.max(account.maxRssMb ?? 0, rss);
      }
      out.set(key, account);
    }
  }
  return out;
}

/**
 * Parses `scontrol -o show job <array job>` (one line per array task, or per pending range).
 *
 * @example
 * ```ts
 * import { parseScontrol } from "./accounting.ts";
 * const out = "JobId=9 ArrayJobId=7 ArrayTaskId=1-3%2 JobState=PENDING Reason=BeginTime Restarts=1 ExitCode=0:0 RunTime=00:00:00\n";
 * console.log(parseScontrol(out).get("7_2")?.reason); // "BeginTime"
 * ```
 */
export function parseScontrol(text: string): Accounts {
  const out: Accounts = new Map();
  for (const line of text.split("\n")) {
    const fields = new Map<string, string>();
    for (const m of line.matchAll(/(\w+)=(\S*)/g)) if (!fields.has(m[1])) fields.set(m[1], m[2]);
    const job = fields.get("ArrayJobId");
    const range = fields.get("ArrayTaskId");
    if (!job || !range) continue;
    const runTime = durationSeconds(fields.get("RunTime") ?? "");
    for (const i of indices(range)) {
      out.set(`${job}_${i}`, {
        state: fields.get("JobState") ?? "",
        exitCode: fields.get("ExitCode"),
        elapsedS: runTime,
        restarts: Number(fields.get("Restarts") ?? 0),
        reason: fields.get("Reason") !== "None" ? fields.get("Reason") : undefined,
      });
    }
  }
  return out;
}

const forgotten = (err: unknown) => /Invalid job id/i.test((err as Error).message);

/** What `scontrol show job` says of each job (while SLURM keeps it), and the jobs it forgot. */
async function liveAccounts(jobs: string[], slurm: SlurmOptions) {
  const live: Accounts = new Map();
  const forgottenJobs: string[] = [];
  for (const job of jobs) {
    try {
      const out = await runSlurm(slurm, "scontrol", ["-o", "show", "job", job]);
      for (const [k, v] of parseScontrol(out)) live.set(k, v);
    } catch (err) {
      if (!forgotten(err)) throw err;
      forgottenJobs.push(job); // after MinJobAge: sacct, or the run folders, tell the rest
    }
  }
  return { live, forgottenJobs };
}

/**
 * SLURM's account of every array task of the given array jobs. The live state comes from `scontrol show
 * job` (while SLURM keeps the job, `MinJobAge`): slurmctld hands jobs to slurmdbd with a delay, so sacct
 * may not know a job just submitted. Once no task is active (or SLURM forgot a job), and where `sacct`
 * works (slurmdbd), sacct adds what scontrol does not have: MaxRSS, and everything of forgotten jobs. A
 * job nobody remembers has no entries.
 *
 * @throws {Error} When scontrol fails for another reason than a forgotten job.
 *
 * @example
 * ```ts ignore
 * import { taskAccounts } from "./accounting.ts";
 * console.log(await taskAccounts(["1234", "1235"], {}, false)); // Map { "1234_0" => { state: "COMPLETED", … } }
 * ```
 */
export async function taskAccounts(
  jobs: string[],
  slurm: SlurmOptions,
  sacct: boolean,
): Promise<Accounts> {
  if (!jobs.length) return new Map();
  const { live, forgottenJobs } = await liveAccounts(jobs, slurm);
  const active = [...live.values()].some((a) => ACTIVE_STATES.has(a.state));
  if (!sacct || (active && !forgottenJobs.length)) return live;
  let db: Accounts;
  try {
    const format = "JobID,State,ExitCode,MaxRSS,ElapsedRaw";
    db = parseSacct(
      await runSlurm(slurm, "sacct", ["-n", "-P", "-j", jobs.join(","), "-o", format]),
    );
  } catch {
    return live; // slurmdbd down: what scontrol says
  }
  for (const [k, v] of db) {
    const now = live.get(k);
    live.set(k, now ? { ...now, maxRssMb: v.maxRssMb } : v);
  }
  return live;
}

/**
 * The line slurmstepd writes to a task's log when it kills the task for memory (`OverMemoryKill`; the
 * cgroup plugin's "oom-kill event"). Only slurmstepd's lines count: a simulation printing the words does not.
 */
const MEMORY_KILL = /^slurmstepd(-[\w.-]+)?: error: .*(exceeded (job )?memory limit|oom[- ]kill)/im;

/**
 * Whether an array task's log (`<job>_<task>.out`) says SLURM killed it for memory: with
 * `JobAcctGatherParams=OverMemoryKill` SLURM reports such a task `FAILED`, and only the log tells why.
 * Reads the last 64 KiB; a missing log says no.
 *
 * @example
 * ```ts
 * import { killedForMemory } from "./accounting.ts";
 * const log = await Deno.makeTempFile();
 * await Deno.writeTextFile(log, "slurmstepd: error: Step 5.batch exceeded memory limit (1.5G > 200M), being killed\n");
 * console.log(await killedForMemory(log)); // true
 * ```
 */
export async function killedForMemory(log: string): Promise<boolean> {
  return MEMORY_KILL.test(await logTail(log));
}

/**
 * The line an array task prints when it runs nothing (`array_task.ts`: it could not take its owner lock),
 * `sweepstore: no run started (storage): <why>`; the last one in the task's log, without its prefix.
 */
const NO_RUN = /^sweepstore: no run started \(storage\): (.*)$/gm;

/**
 * Why an array task ran none of its runs, from its log: the text after `sweepstore: no run started
 * (storage): ` (a storage fault naming the folder), or `undefined`.
 *
 * @example
 * ```ts
 * import { noRunReason } from "./accounting.ts";
 * const log = await Deno.makeTempFile();
 * await Deno.writeTextFile(log, "sweepstore: no run started (storage): cannot create the owner lock /d/x.lock\n");
 * console.log(await noRunReason(log)); // cannot create the owner lock /d/x.lock
 * ```
 */
export async function noRunReason(log: string): Promise<string | undefined> {
  return [...(await logTail(log)).matchAll(NO_RUN)].at(-1)?.[1];
}

/** The last 64 KiB of a log as text ("" when it is missing). */
async function logTail(log: string): Promise<string> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(log);
  } catch {
    return "";
  }
  try {
    const size = (await file.stat()).size;
    await file.seek(Math.max(0, size - 65536), Deno.SeekMode.Start);
    const buf = new Uint8Array(Math.min(size, 65536));
    let n = 0;
    while (n < buf.length) {
      const r = await file.read(buf.subarray(n));
      if (r === null) break;
      n += r;
    }
    return new TextDecoder().decode(buf.subarray(0, n));
  } finally {
    file.close();
  }
}
