/**
 * `sweepstore ls`: the sweeps (groups) in the Data folder with their runs by status.
 *
 * @module
 */

import { Command } from "@commander-js/extra-typings";
import { loadGroupColumns } from "../../src/group/index_columns.ts";
import { groupFolder, storageFolder } from "../../src/layout.ts";
import { StorageManager } from "../../src/run/storage_manager.ts";
import { RUN_SECTION } from "../run_record.ts";
import type { Cell } from "../../src/group/_index_table.ts";
import { runState } from "./_run_states.ts";
import { StorageError } from "../../src/errors.ts";
import { fsError } from "../../src/run/_fs_error.ts";
import { dataFolderOf, writeOut } from "./_output.ts";
import { type CommandContext, DATA_HELP } from "./_context.ts";

/** The order statuses are listed in; others (and runs without a status, `-`) follow by name. */
const STATUS_ORDER = ["done", "running", "failed", "timeout", "interrupted"];

function lsSpec() {
  return new Command("ls")
    .summary("list the sweeps (groups) in the Data folder")
    .description("Lists the sweeps (groups) in the Data folder with their runs by status.")
    .option("--data <dir>", DATA_HELP);
}

type LsOpts = ReturnType<ReturnType<typeof lsSpec>["opts"]>;

/**
 * The counts of a group's runs by `[Run] status`, in {@linkcode STATUS_ORDER}, as `2 done, 1 failed`.
 *
 * @param statuses One status per run (`"-"` for a run without one).
 * @returns The text.
 *
 * @example
 * ```ts
 * import { statusCounts } from "./_ls_command.ts";
 * console.log(statusCounts(["failed", "done", "-", "done", "zzz"])); // "2 done, 1 failed, 1 without status, 1 zzz"
 * ```
 */
export function statusCounts(statuses: readonly string[]): string {
  const counts: Record<string, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  const rank = (k: string) => {
    const i = STATUS_ORDER.indexOf(k.split(" ")[0]); // "failed (timeout)" ranks as "failed"
    return i < 0 ? STATUS_ORDER.length : i;
  };
  return Object.entries(counts)
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1))
    .map(([k, v]) => (k === "-" ? `${v} without status` : `${v} ${k}`))
    .join(", ");
}

async function sweepNames(folder: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(folder)) {
      if (e.isDirectory && !e.name.startsWith(".")) names.push(e.name);
    }
  } catch (err) {
    // a file in the way was the bare "Not a directory (os error 20): readdir …"
    if (!(err instanceof Deno.errors.NotFound)) throw fsError(err, `Cannot list ${folder}`, folder);
  }
  return names.sort();
}

async function lsAction(opts: LsOpts): Promise<number> {
  const data = await dataFolderOf(opts.data);
  if (opts.data !== undefined && !(await Deno.stat(data).catch(() => undefined))) {
    // a mistyped --data listed "no sweeps" and exited 0, as if the sweeps were gone
    throw new StorageError(
      `the Data folder ${data} (--data) does not exist; check the path`,
      { path: data, code: "not_found" },
    );
  }
  const names = await sweepNames(storageFolder(data));
  if (!names.length) {
    writeOut(`no sweeps in ${storageFolder(data)}\n`);
    return 0;
  }
  for (const name of names) {
    const statuses = await runStatuses(data, name);
    const by = statusCounts(statuses);
    writeOut(
      `${name.padEnd(24)} ${String(statuses.length).padStart(6)} runs${by ? `  (${by})` : ""}\n`,
    );
  }
  return 0;
}

/**
 * Each run's state as `runState` shows it, from five `[Run]` columns of the group (through its index: no other
 * parameter is parsed). Only reads: a `running` run whose owner is gone is shown as interrupted (`status`
 * marks it). A state depends on the status text alone except for a running run with an owner, so it is
 * worked out once per distinct status, and per run only for those.
 */
async function runStatuses(dataFolder: string, name: string): Promise<string[]> {
  const keys = ["status", "owner", "host", "pid", "started"];
  const { names, cells } = await loadGroupColumns(
    name,
    keys.map((k) => [RUN_SECTION, k]),
    { dataFolder },
  );
  const [status, owner] = cells;
  const group = groupFolder(dataFolder, name);
  // The run as runState sees it, made of these values only (host, pid, started: when its lock file is gone).
  const stateOf = (i: number, s: Cell, o: Cell) => {
    const values = new Map<string, string>();
    if (s !== null) values.set("status", s);
    if (o !== null) values.set("owner", o);
    for (let k = 2; k < keys.length; k++) {
      if (cells[k][i] !== null) values.set(keys[k], cells[k][i]!);
    }
    return runState(
      StorageManager.fromIni(`${group}/${names[i]}`, new Map([[RUN_SECTION, values]])),
    );
  };
  const byStatus = new Map<Cell, string>();
  const states: (string | Promise<string>)[] = [];
  for (let i = 0; i < names.length; i++) {
    let state = byStatus.get(status[i]);
    if (state === undefined) {
      byStatus.set(status[i], state = await stateOf(i, status[i], null));
    }
    const alive = state === "running" && owner[i] !== null; // its owner decides (checked at once)
    states.push(alive ? stateOf(i, status[i], owner[i]) : state);
  }
  return await Promise.all(states);
}

/**
 * The `ls` command, wired to set `context.exitCode`.
 *
 * @param context Receives the exit code.
 * @returns The command.
 *
 * @example
 * ```ts
 * import { lsCommand } from "./_ls_command.ts";
 * console.log(lsCommand({ exitCode: 0 }).name()); // "ls"
 * ```
 */
export function lsCommand(context: CommandContext): Command<[], LsOpts> {
  return lsSpec().action(async (opts) => {
    context.exitCode = await lsAction(opts);
  });
}
