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

/** The names `--allow-sys` takes in Deno 2.9 (any other makes `deno run` exit before the module loads). */
const SYS_APIS = [
  "hostname",
  "osRelease",
  "osUptime",
  "loadavg",
  "networkInterfaces",
  "systemMemoryInfo",
  "uid",
  "gid",
  "cpus",
  "homedir",
  "getegid",
  "statfs",
  "getPriority",
  "setPriority",
  "userInfo",
  "username",
];

/** What a list item of `--allow-<kind>` cannot be, or undefined. */
function badItem(kind: string, item: unknown): string | undefined {
  if (typeof item !== "string" || item === "") return "each item must be a non-empty string";
  if (item.includes(",")) {
    return 'an item cannot contain "," (Deno\'s flag separates its list there)';
  }
  if (kind === "env" && item.includes("=")) return 'give a variable\'s name, without "="';
  if (kind === "net" && item.includes("/")) {
    return "give a host or host:port (e.g. example.com:443), not a URL";
  }
  if (kind === "sys" && !SYS_APIS.includes(item)) return `give one of ${SYS_APIS.join(", ")}`;
}

/**
 * Checks `permissions` before anything starts: Deno refuses a bad flag value (an empty item, a URL for
 * `net`, an unknown `sys` name) only when each simulation process starts, which would look like a broken
 * simulation.
 *
 * @throws {TypeError} A wrong type or an unknown permission; an item Deno's flag would refuse or split.
 *
 * @example
 * ```ts
 * import { checkPermissions } from "./command.ts";
 * checkPermissions({ net: ["example.com:443"], run: ["ffmpeg"], env: true }); // fine
 * try {
 *   checkPermissions({ net: ["https://example.com"] });
 * } catch (e) {
 *   console.log((e as Error).message); // permissions.net (--allow-net): "https://example.com" …
 * }
 * ```
 */
export function checkPermissions(permissions: unknown): void {
  if (permissions === undefined) return;
  if (typeof permissions !== "object" || permissions === null || Array.isArray(permissions)) {
    throw new TypeError('permissions must be an object, e.g. { net: true, run: ["ffmpeg"] }');
  }
  for (const [kind, value] of Object.entries(permissions)) {
    const where = `permissions.${kind} (--allow-${kind})`;
    const list = kind === "read" || kind === "write";
    if (!["read", "write", "net", "env", "run", "sys", "ffi"].includes(kind)) {
      throw new TypeError(
        `permissions.${kind}: unknown; use read, write, net, env, run, sys or ffi`,
      );
    }
    if (value === undefined || (!list && typeof value === "boolean")) continue;
    if (!Array.isArray(value)) {
      throw new TypeError(
        `${where} must be ${list ? "a list of paths" : "true, false or a list"}, not ${
          JSON.stringify(value)
        }`,
      );
    }
    for (const item of value) {
      const bad = badItem(kind, item);
      if (bad) throw new TypeError(`${where}: ${JSON.stringify(item)}: ${bad}`);
    }
  }
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
