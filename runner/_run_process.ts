/**
 * This machine's processes, as the `[Run]` section names them: the host name written to `[Run] host`, and
 * whether the process a run's `[Run] pid` names still runs it — for runs that say `running` without an
 * owner lock (written by sweepstore before owner locks existed, or by a program of the user's), which
 * {@linkcode reconcileRuns} could otherwise never tell from live ones.
 *
 * Where `ps` cannot be run (not installed, no `--allow-run=ps`), nothing can be told and such a run is left
 * alone.
 *
 * @module
 */

import type { RunSection } from "./run_record.ts";

const granted = (descriptor: Deno.PermissionDescriptor) =>
  Deno.permissions.querySync(descriptor).state === "granted";

/** {@linkcode hostName}'s answer, asked once per process. */
let knownHost: { name: string | undefined } | undefined;

/**
 * This machine's name for `[Run] host`, or `undefined` where Deno's permissions do not allow it. The
 * permissions are queried first: a call without them would make Deno prompt on a terminal. Without
 * `--allow-sys=hostname` it asks `uname -n` through `/bin/sh` (which a sweep may run anyway): Deno 2.9
 * lets a program read `/proc/sys/kernel/hostname` only with `--allow-all`, so with the CLI's
 * permissions (`--allow-read --allow-write --allow-run`) no run had a host, and a run without an owner
 * lock (or whose lock file was deleted) could never be judged by its pid.
 */
export function hostName(): string | undefined {
  return (knownHost ??= { name: askHostName() }).name;
}

function askHostName(): string | undefined {
  try {
    if (granted({ name: "sys", kind: "hostname" })) return Deno.hostname();
    if (granted({ name: "run", command: "/bin/sh" })) {
      const out = new Deno.Command("/bin/sh", {
        args: ["-c", "exec uname -n"],
        stdout: "piped",
        stderr: "null",
      }).outputSync();
      const name = new TextDecoder().decode(out.stdout).trim();
      if (out.success && name) return name;
    }
  } catch { /* not Linux, no uname */ }
  return undefined;
}

/** A process that started this long after the run's `started` time is not the run's (its pid was reused). */
const START_SLACK_S = 2;

/** What `ps` said of one process: its state letters and the seconds since it started. */
interface ProcessState {
  state: string;
  elapsedS: number;
}

/**
 * The processes that the `[Run] pid`s of runs without an owner name on this machine, asked of `ps` once for
 * all of them (`ps -o pid=,stat=,etimes= -p <pid>,<pid>,…`: POSIX `ps` with procps' `etimes`, seconds since
 * the process started; one `ps` per run took ~3 ms each, 30 s for 10,000 runs). Deno lets a program read
 * `/proc/<pid>/` only with `--allow-all`; `ps` needs `--allow-run=ps`.
 */
export class ProcessTable {
  #host: string | undefined;
  #states: Map<number, ProcessState> | undefined;

  private constructor(host: string | undefined, states: Map<number, ProcessState> | undefined) {
    this.#host = host;
    this.#states = states;
  }

  /** Asks `ps` about the pids of `runs` that ran on this machine (none: no `ps` is started). */
  static async of(runs: RunSection[], host = hostName()): Promise<ProcessTable> {
    const pids = [...new Set(runs.filter((r) => here(r, host)).map((r) => r.pid!))];
    if (!pids.length || !granted({ name: "run", command: "ps" })) {
      return new ProcessTable(host, undefined);
    }
    let out: Deno.CommandOutput;
    try {
      out = await new Deno.Command("ps", {
        args: ["-o", "pid=,stat=,etimes=", "-p", pids.join(",")],
        stdout: "piped",
        stderr: "null",
      }).output();
    } catch {
      return new ProcessTable(host, undefined); // no ps here
    }
    const states = new Map<number, ProcessState>();
    for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
      const [pid, state, elapsed] = line.trim().split(/\s+/);
      if (pid && state) states.set(Number(pid), { state, elapsedS: Number(elapsed) });
    }
    return new ProcessTable(host, states);
  }

  /**
   * Whether the process named by `run.pid` on `run.host` still runs the run: `false` when it is gone, a
   * zombie, or started more than 2 s after `run.started` (the pid was reused by another program);
   * `undefined` when it cannot be told (no valid pid, another host or no host, no `ps` or no permission).
   */
  alive(run: RunSection): boolean | undefined {
    if (!here(run, this.#host) || !this.#states) return undefined;
    const p = this.#states.get(run.pid!);
    if (!p || p.state.startsWith("Z") || p.state.startsWith("X")) return false;
    const started = Date.parse(run.started ?? "");
    if (!Number.isFinite(started) || !Number.isFinite(p.elapsedS)) return true;
    return Date.now() / 1000 - p.elapsedS <= started / 1000 + START_SLACK_S;
  }
}

/** Whether `run` names a process id on this machine (`host`). */
function here(run: RunSection, host: string | undefined): boolean {
  return !!host && run.host === host && Number.isSafeInteger(run.pid) && run.pid! > 0;
}
