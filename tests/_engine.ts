// Helpers for the engine tests: run folders of a group, waiting for runs to start, processes in /proc.
import { StorageManager } from "../src/run/storage_manager.ts";
import { readRunSection, type RunSection } from "../runner/run_record.ts";
import { assertEquals } from "./_assert.ts";
import { fixture, run } from "./_helpers.ts";

/** The run folders of a group (not `.sweepstore`) with their `[Run]` sections, read fresh. */
export async function runsOf(
  dataFolder: string,
  name: string,
): Promise<(RunSection & { path: string })[]> {
  const group = `${dataFolder}/StorageManager/${name}`;
  const out: (RunSection & { path: string })[] = [];
  try {
    for await (const e of Deno.readDir(group)) {
      if (!e.isDirectory || e.name.startsWith(".")) continue;
      const sm = await StorageManager.open(`${group}/${e.name}`);
      out.push({ ...readRunSection(sm), path: sm.path });
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return out;
}

/** Waits until `n` runs say `running` and have written their pid. */
export async function untilRunning(
  dataFolder: string,
  name: string,
  n: number,
): Promise<RunSection[]> {
  for (let i = 0; i < 300; i++) {
    const running = (await runsOf(dataFolder, name)).filter((r) => r.status === "running" && r.pid);
    if (running.length >= n) return running;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${n} runs of ${name} did not start within 30 s`);
}

/** Pids of live (not zombie) processes whose command line contains `text` (from `ps`, which reads /proc). */
export async function processesWith(text: string): Promise<number[]> {
  const out = await new Deno.Command("ps", { args: ["-eo", "pid=,stat=,args="], stdout: "piped" })
    .output();
  const pids: number[] = [];
  for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
    const m = /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!m || Number(m[1]) === Deno.pid || m[2].startsWith("Z")) continue;
    if (m[3].includes(text)) pids.push(Number(m[1]));
  }
  return pids;
}

/** Waits up to `seconds` for `check` to hold, asking every `everyMs`. */
export async function within(
  seconds: number,
  what: string,
  check: () => Promise<boolean>,
  everyMs = 100,
) {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`not within ${seconds} s: ${what}`);
}

/** Starts `tests/fixtures/sweep_engine.ts` with these options (a separate process, as a user's program). */
export function startSweep(options: Record<string, unknown>): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", fixture("sweep_engine.ts"), JSON.stringify(options)],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Waits for a process started by {@linkcode startSweep} and parses its JSON line. */
export async function sweepOutput(child: Deno.ChildProcess) {
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!;
  if (out.code !== 0) {
    throw new Error(`sweep exited ${out.code}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(text) as {
    statuses: string[];
    interrupted: boolean;
    claimedElsewhere: number;
    hwmKb: number;
  };
}

/**
 * A sweep of `runs` tiny points (pool of 2, no summary) in its own process under `strace -e trace=write`
 * (`follow`: its slots too), every run checked `done`; resolves with the strace log's lines.
 */
export async function straceTinySweep(
  dir: string,
  name: string,
  runs: number,
  follow: boolean,
): Promise<string[]> {
  const log = `${dir}/strace.log`;
  const options = {
    name,
    dataFolder: `${dir}/Data`,
    simulation: "tiny.ts",
    points: Array.from({ length: runs }, (_, k) => ({ k })),
    concurrency: 2,
    summary: false,
  };
  const out = await run("strace", [
    ...(follow ? ["-f"] : []),
    ...["-e", "trace=write", "-e", "signal=none", "-s", "16", "-o", log],
    Deno.execPath(),
    ...["run", "-A", fixture("sweep_engine.ts"), JSON.stringify(options)],
  ]);
  assertEquals(out.code, 0, out.stderr);
  const result = JSON.parse(out.stdout.trim().split("\n").at(-1)!);
  assertEquals(result.statuses.filter((s: string) => s === "done").length, runs);
  return (await Deno.readTextFile(log)).split("\n");
}
