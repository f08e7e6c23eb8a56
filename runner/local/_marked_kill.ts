/**
 * What is left of a slot outside its process group (a program a simulation started with `setsid` or
 * `detached: true`, a daemon's double fork): every process of a slot carries a secret mark in its
 * environment, and these find and kill what carries it (internal to `slot_process.ts`).
 *
 * @module
 */

/**
 * The environment variable that marks every process of a slot: the slot gets `SWEEPSTORE_SLOT=<secret>`,
 * and whatever it starts inherits it, also a program in its own process group or session (`detached`,
 * `setsid`, a daemon's double fork), which no process-group kill reaches.
 */
export const SLOT_MARK = "SWEEPSTORE_SLOT";

/**
 * A shell function that SIGKILLs every process whose environment holds `SWEEPSTORE_SLOT=$1` (found by
 * `grep` in `/proc/<pid>/environ`; again while some are found, as one may fork while the others die).
 * Not the guard: the slot's mark is exported after the guard was started.
 */
export const KILL_MARKED = 'killmarked() { n=0; while [ "$n" -lt 20 ]; do ' +
  `set -- $(grep -lsxzF "${SLOT_MARK}=$1" /proc/[0-9]*/environ); [ "$#" -eq 0 ] && return; ` +
  'for f; do p=${f#/proc/}; kill -9 "${p%/environ}" 2>/dev/null; done; n=$((n + 1)); done; }; ';

/**
 * Kills what is left of a slot in other process groups (see {@linkcode SLOT_MARK}); resolves once it
 * is done. Through `/bin/sh`, which a slot needs anyway: Deno 2.9 reads `/proc/<pid>/` only with
 * `--allow-all`.
 */
export async function killMarked(mark: string): Promise<void> {
  try {
    await new Deno.Command("/bin/sh", {
      args: ["-c", KILL_MARKED + 'killmarked "$1"', "sweepstore-kill", mark],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
  } catch { /* no /bin/sh: the group kill is all there is */ }
}
