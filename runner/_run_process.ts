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

/**
 * This machine's name for `[Run] host`, or `undefined` where Deno's permissions do not allow it. The
 * permissions are queried first: a call without them would make Deno prompt on a terminal.
 */
export function hostName(): string | undefined {
  try {
    if (granted({ name: "sys", kind: "hostname" })) return Deno.hostname();
    const file = "/proc/sys/kernel/hostname";
    if (granted({ name: "read", path: file })) {
      return Deno.readTextFileSync(file).trim() || undefined;
    }
  } catch { /* not Linux, or not readable */ }
  return undefined;
}

/** A process that started this long after the run's `started` time is not the run's (its pid was reused). */
const START_SLACK_S = 2;

/**
 * Whether the process named by `run.pid` on `run.host` still runs the run: `false` when it is gone, a
 * zombie, or started more than 2 s after `run.started` (the pid was reused by another program);
 * `undefined` when it cannot be told (no pid, another host or no host, no `ps` or no permission to run it).
 * Asks `ps -o stat=,etimes= -p <pid>` (POSIX `ps` with procps' `etimes`: seconds since the process
 * started): Deno lets a program read `/proc/<pid>/` only with `--allow-all`, `ps` needs `--allow-run=ps`.
 *
 * @example
 * ```ts ignore
 * await runProcessAlive({ status: "running", host: hostName(), pid: 999999999 }); // false: no such process
 * ```
 */
export async function runProcessAlive(
  run: RunSection,
  host = hostName(),
): Promise<boolean | undefined> {
  if (!run.pid || !run.host || !host || run.host !== host) return undefined;
  if (!granted({ name: "run", command: "ps" })) return undefined;
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("ps", {
      args: ["-o", "stat=,etimes=", "-p", String(run.pid)],
      stdout: "piped",
      stderr: "null",
    }).output();
  } catch {
    return undefined; // no ps here
  }
  const text = new TextDecoder().decode(out.stdout).trim();
  if (out.code !== 0 && text === "") return false; // ps exits 1 and prints nothing: no such process
  const [state, elapsed] = text.split(/\s+/);
  if (!state || state.startsWith("Z") || state.startsWith("X")) return false;
  const started = Date.parse(run.started ?? "");
  const elapsedS = Number(elapsed);
  if (!Number.isFinite(started) || !Number.isFinite(elapsedS)) return true;
  return Date.now() / 1000 - elapsedS <= started / 1000 + START_SLACK_S;
}
