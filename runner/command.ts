/**
 * The `deno run` command of the processes that run simulations (a local slot, a SLURM array task): the
 * fewest permissions (read the project, the simulation's folder and sweepstore; write the Data folder) plus
 * what the user allows, the heap limit and extra arguments. Written once for both backends.
 *
 * @module
 */

import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** What a simulation may do beyond reading the project and writing the Data folder. */
export interface PermissionOptions {
  /** More paths to read (the project folder and the simulation's folder are always readable). */
  read?: string[];
  /** More paths to write (the Data folder is always writable). */
  write?: string[];
  /** Network access: `true` for any host, or a list of hosts. */
  net?: boolean | string[];
  /** Environment variables: `true` for all, or a list of names. */
  env?: boolean | string[];
  /**
   * Running programs: `true` for any, or a list (e.g. `["ffmpeg"]` for renderVideo). With `true` the
   * slot's watchdog can also kill the programs a simulation started when the sweep's process dies by
   * SIGKILL (Deno's `Deno.kill` needs full `--allow-run`); timeouts and stops kill them in every case.
   */
  run?: boolean | string[];
  /** System information: `true` for all, or a list of APIs. */
  sys?: boolean | string[];
  /** Foreign function interface: `true` for any library, or a list of paths. */
  ffi?: boolean | string[];
}

function flag(name: string, value: boolean | string[] | undefined): string[] {
  if (value === true) return [`--allow-${name}`];
  if (Array.isArray(value) && value.length) return [`--allow-${name}=${value.join(",")}`];
  return [];
}

/** sweepstore's own folder: a simulation module's imports of sweepstore must be readable. */
const PACKAGE_DIR = import.meta.url.startsWith("file:")
  ? fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "")
  : undefined;

/**
 * The `deno run` permission flags of a simulation process: read the project, the simulation's folder and
 * sweepstore's own files; write the Data folder; and what `permissions` allows.
 *
 * @example
 * ```ts
 * import { permissionFlags } from "@sweepstore/sweepstore/runner";
 * console.log(permissionFlags("/p/Data", "/p", "file:///p/sim.ts", { run: ["ffmpeg"] }));
 * ```
 */
export function permissionFlags(
  dataFolder: string,
  projectDir: string,
  simulation: string,
  permissions: PermissionOptions = {},
): string[] {
  const read = [
    projectDir,
    dataFolder,
    ...(PACKAGE_DIR ? [PACKAGE_DIR] : []),
    ...(permissions.read ?? []),
  ];
  if (simulation.startsWith("file:")) read.push(dirname(fileURLToPath(simulation)));
  return [
    "--no-prompt",
    `--allow-read=${[...new Set(read)].join(",")}`,
    `--allow-write=${[dataFolder, ...(permissions.write ?? [])].join(",")}`,
    ...flag("net", permissions.net),
    ...flag("env", permissions.env),
    ...flag("run", permissions.run),
    ...flag("sys", permissions.sys),
    ...flag("ffi", permissions.ffi),
  ];
}

/** Options for {@linkcode denoRunArgs}. */
export interface DenoRunOptions {
  /** The Data folder (writable). */
  dataFolder: string;
  /** The simulation module's URL (its folder is readable). */
  simulation: string;
  /**
   * The project folder (readable).
   * @default {the folder that holds the Data folder}
   */
  projectDir?: string;
  /** What else the simulation may do. */
  permissions?: PermissionOptions;
  /** V8 heap limit in MiB (`--max-old-space-size`). */
  memoryMb?: number;
  /** More `deno run` arguments, before the script. */
  denoArgs?: string[];
}

/**
 * The arguments of `deno` that run `script` (a path) as a simulation process: `run --quiet <permissions>
 * [--v8-flags=…] [denoArgs] <script>`.
 *
 * @example
 * ```ts
 * import { denoRunArgs } from "@sweepstore/sweepstore/runner";
 * console.log(denoRunArgs("/x/slot.ts", { dataFolder: "/p/Data", simulation: "file:///p/sim.ts", memoryMb: 512 }));
 * ```
 */
export function denoRunArgs(script: string, options: DenoRunOptions): string[] {
  return [
    "run",
    "--quiet",
    ...permissionFlags(
      options.dataFolder,
      options.projectDir ?? dirname(options.dataFolder),
      options.simulation,
      options.permissions,
    ),
    ...(options.memoryMb ? [`--v8-flags=--max-old-space-size=${options.memoryMb}`] : []),
    ...(options.denoArgs ?? []),
    script,
  ];
}
