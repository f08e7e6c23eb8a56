/**
 * Which runs that say `running` are still running: their owner's lock (`claims.ts`), or their `[Run] pid`
 * on this host; those whose process is gone are marked `interrupted` (`resume`, the summary, `status`).
 *
 * @module
 */

// A type only: the group's code is not loaded for this.
import type { StorageManagerGroup } from "../src/group/group.ts";
import { groupFolderParts, runFolderParts } from "../src/layout.ts";
import type { StorageManager } from "../src/run/storage_manager.ts";
import { ownerAlive, pruneOwners } from "./claims.ts";
import { markRun, readRunSection, RUN_SECTION, type RunSection } from "./run_record.ts";
import { ProcessTable } from "./_run_process.ts";

/** What {@linkcode reconcileRuns} found. */
export interface ReconcileResult {
  /** Run folders that said `running` though their owner was gone: now marked `interrupted`. */
  interrupted: string[];
  /** Runs still running in a live process. */
  alive: StorageManager[];
}

/**
 * Looks at every run that says `running`: when its owner's lock is free (the process died: kill -9, a
 * crashed node), marks it `interrupted` (reason `interrupted`) in its folder and in `runs` (for a group: in
 * the group's values too, {@linkcode StorageManagerGroup.reloadRun}). A run without an owner (written by
 * older versions or by hand) is judged by its `[Run] pid` where its `host` is this machine (gone, a zombie,
 * or a process started after the run: interrupted); otherwise it is left alone. For a group, the lock files
 * of dead owners are removed after ({@linkcode pruneOwners}). Used by `resume`, the summary and `status`.
 *
 * @throws {StorageError} When a folder to mark cannot be written.
 *
 * @example
 * ```ts
 * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * import { reconcileRuns } from "@sweepstore/sweepstore/runner";
 * const dataFolder = await Deno.makeTempDir();
 * await StorageManager.create("R", { dataFolder, params: { Run: { status: "running", owner: "1-dead-x" } } });
 * const { interrupted } = await reconcileRuns((await StorageManagerGroup.load("R", { dataFolder })).runs);
 * console.log(interrupted.length); // 1
 * ```
 */
export async function reconcileRuns(runs: Iterable<StorageManager>): Promise<ReconcileResult> {
  const result: ReconcileResult = { interrupted: [], alive: [] };
  const running = [];
  for (const sm of candidates(runs)) {
    const run = readRunSection(sm);
    const parts = run.status === "running" ? runFolderParts(sm.path) : undefined;
    if (!parts) continue;
    const locked = run.owner
      ? await ownerAlive(parts.dataFolder, parts.name, run.owner)
      : undefined;
    running.push({ sm, run, locked });
  }
  // runs without an owner, or whose lock file is gone: judged by their pid, one `ps` for all
  const unlocked = running.filter((r) => r.locked === undefined);
  const processes = await ProcessTable.of(unlocked.map((r) => r.run));
  for (const { sm, run, locked } of running) {
    const alive = judged(run, locked, processes);
    if (alive !== false) {
      if (alive) result.alive.push(sm);
      continue; // without an owner, nor a pid that can be checked here: left alone
    }
    const who = locked === false ? `owner ${run.owner}` : `pid ${run.pid}`;
    await markRun(sm.path, {
      status: "interrupted",
      reason: "interrupted",
      error: `the process that ran it (${who}${
        run.host ? ` on ${run.host}` : ""
      }) ended before the run did (killed, or its machine went down)`,
    });
    await sm.loadParam("status", { section: "Run" }); // refresh this object's view
    if (isGroup(runs)) await runs.reloadRun(sm.name); // and the group's
    result.interrupted.push(sm.path);
  }
  const group = isGroup(runs) ? groupFolderParts(runs.path) : undefined;
  if (group) await pruneOwners(group.dataFolder, group.name);
  return result;
}

/**
 * {@linkcode reconcileRuns}' rule for a `running` run whose owner lock says `locked`: without an owner, or
 * when its lock file is gone, its `[Run] pid` on this host decides; a run with an owner that neither tells
 * (its lock file deleted on another host) is gone, one without (older versions, a program of the user's)
 * cannot be told (`undefined`: left alone).
 */
function judged(
  run: RunSection,
  locked: boolean | undefined,
  processes: ProcessTable,
): boolean | undefined {
  return locked ?? processes.alive(run) ?? (run.owner ? false : undefined);
}

/**
 * Whether the process that runs a run that says `running` still lives, by {@linkcode reconcileRuns}' rule
 * (one run; `reconcileRuns` asks `ps` once for all its runs). `undefined`: it cannot be told.
 */
export async function runningAlive(path: string, run: RunSection): Promise<boolean | undefined> {
  const parts = runFolderParts(path);
  if (!parts) return undefined;
  const locked = run.owner ? await ownerAlive(parts.dataFolder, parts.name, run.owner) : undefined;
  const processes = await ProcessTable.of(locked === undefined ? [run] : []);
  return judged(run, locked, processes);
}

/**
 * The runs that may be `running`: of a group, those whose status column says so (a `StorageManager` and its
 * `[Run]` record made for each of 100,000 finished runs were ~17 MB of garbage per summary); others all.
 */
function candidates(runs: Iterable<StorageManager>): Iterable<StorageManager> {
  if (!isGroup(runs)) return runs;
  let status: unknown[];
  try {
    status = runs.getParamList("status", { section: RUN_SECTION });
  } catch {
    return runs; // a value that cannot be read: each run is read on its own, as readRunSection does
  }
  const picked: StorageManager[] = [];
  status.forEach((s, i) => s === "running" && picked.push(runs.at(i)!));
  return picked;
}

function isGroup(runs: Iterable<StorageManager>): runs is StorageManagerGroup {
  return typeof (runs as Partial<StorageManagerGroup>).reloadRun === "function";
}
