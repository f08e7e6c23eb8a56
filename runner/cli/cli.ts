/**
 * The `sweepstore` command line: run sweeps, and report, plot and list their runs.
 *
 * ```sh
 * sweepstore run sim.ts --name X --grid n=100,1000 --grid lr=0.1,0.01 --repeats 3 -j 2 --timeout 60s --resume
 * sweepstore report X --sort score --where "n>1000" --columns score,n --csv
 * sweepstore plot X --x n --y score -o plot.svg
 * sweepstore ls
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { findDataFolder } from "../../src/run/data_folder.ts";
import { StorageManagerGroup } from "../../src/group/group.ts";
import { type ParamValue, parseParam } from "../../src/formats/params.ts";
import { parseQuery } from "../../src/group/query.ts";
import type { Reducer } from "../../src/group/reducers.ts";
import { atomicWriteText } from "../../src/formats/atomic.ts";
import { runSweep } from "../mod.ts";
import type { PermissionOptions } from "../local/pool.ts";
import { collectSweep, listSweepFiles, sweepStatus } from "../slurm/slurm.ts";
import type { RandomSpec } from "../sweep.ts";

/**
 * A command-line mistake: the message is shown with a hint, and the exit code is 2.
 *
 * @example
 * ```ts
 * import { UsageError } from "@sweepstore/sweepstore/cli";
 * console.log(new UsageError("--name is required", "run").command); // "run"
 * ```
 */
export class UsageError extends Error {
  /** Creates the error for `command` (its help is suggested). */
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = "UsageError";
  }
}

const HELP: Record<string, string> = {
  main: `sweepstore — run parameter sweeps and analyse their runs

Usage: sweepstore <command> [options]

Commands:
  run <sim.ts>      run a simulation module over a parameter grid
  report <name>     print (or write as CSV/Markdown/JSON) the runs of a sweep
  plot <name>       write an SVG plot of one parameter against another
  ls                list the sweeps (groups) in the Data folder
  status <name>     per-run states of a SLURM sweep (done, failed, running, pending)
  collect <name>    after a SLURM sweep: mark what SLURM stopped, write the summary files

Run 'sweepstore <command> --help' for a command's options.
Common option: --data DIR   the Data folder (default: found upwards from here, else ./Data)`,
  run: `Usage: sweepstore run <sim.ts> --name NAME [options]

Runs simulate(params, sm, ctx) of <sim.ts> for every point, each in its own run folder
Data/StorageManager/NAME/NAME<nr>/, then writes summary.csv, summary.json and plot.svg.

Points:
  --grid KEY=V1,V2,…        a swept parameter (repeat for more; the cartesian product is run)
  --point K=V,K2=V2         one explicit point (repeatable)
  --random KEY=SPEC         random sampling: MIN:MAX, log:MIN:MAX, int:MIN:MAX or choice:A,B,C
  --samples N               number of random points (default 10)
  --seed N                  seed of random points and run seeds (default 0)
  --repeats N               runs per point, each with its own seed (default 1)
Running:
  -j, --concurrency N       runs at once (default: number of CPUs)
  --timeout T               per-run time limit: 90, 90s, 500ms, 5m, 2h
  --retries N               tries again after a failure or timeout (default 0)
  --resume                  skip points that already have a finished run
  --memory MB               heap limit per simulation process
  --allow-net[=HOSTS]       let simulations use the network (also --allow-env, --allow-run, --allow-sys)
  --no-progress             no progress output
  --data DIR                the Data folder
SLURM (runs the same sweep as a job array; the Data folder must be shared by the nodes):
  --backend slurm           submit with sbatch instead of running local workers
  --partition P, --time T, --cpus-per-task N, --mem M   sbatch resources per array task
  --chunk N                 points per array task (default 1)
  --sbatch-arg ARG          one more sbatch argument (repeatable)
  --no-wait                 return once submitted (then: sweepstore status / collect NAME)
  --collect-job             also submit a collect job (--dependency=afterany) that writes the summary`,
  status: `Usage: sweepstore status <name> [--data DIR]

Per-run states of the newest SLURM sweep of <name>: counts by state and SLURM's state per array task.`,
  collect: `Usage: sweepstore collect <name> [--data DIR]

After a SLURM sweep ended: marks runs that SLURM stopped (TIMEOUT, CANCELLED, FAILED, …) in their folders and
writes summary.csv, summary.json and plot.svg, like a local sweep.`,
  report: `Usage: sweepstore report <name> [options]

  --sort PARAM              sort by a parameter (largest first; --asc for smallest first)
  --asc                     ascending order
  --where QUERY             only runs matching a query, e.g. "n>1000 && lr<=0.01"
  --columns A,B,…           parameters to show (default: all)
  --csv | --markdown | --json   output format (default: an aligned table)
  -o, --output FILE         write to a file instead of the terminal
  --section NAME            the config.ini section (default Parameters)
  --data DIR                the Data folder`,
  plot: `Usage: sweepstore plot <name> --x PARAM --y PARAM [options]

  --reducer NAME            aggregate y per x: mean, median, min, max, … (line with ± std bars)
  --log-x                   logarithmic x axis
  -o, --output FILE         the SVG file (default: Data/StorageManager/<name>/plot_<y>_<x>.svg)
  --data DIR                the Data folder`,
  ls: `Usage: sweepstore ls [--data DIR]

Lists the sweeps (groups) in the Data folder with their runs by status.`,
};

function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) {
    throw new UsageError(
      `--timeout ${text}: write a duration like 90, 90s, 500ms, 5m or 2h`,
      "run",
    );
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? "s"]!;
  return Number(m[1]) * unit;
}

function cliValue(text: string): ParamValue {
  if (text === "true" || text === "false") return text === "true";
  return parseParam(text);
}

function parseGrid(items: string[]): Record<string, ParamValue[]> {
  const grid: Record<string, ParamValue[]> = {};
  for (const item of items) {
    const eq = item.indexOf("=");
    if (eq <= 0 || eq === item.length - 1) {
      throw new UsageError(
        `--grid ${item}: write KEY=VALUE1,VALUE2,… (e.g. --grid n=100,1000)`,
        "run",
      );
    }
    grid[item.slice(0, eq)] = item.slice(eq + 1).split(",").map(cliValue);
  }
  return grid;
}

function parsePoint(item: string): Record<string, ParamValue> {
  const point: Record<string, ParamValue> = {};
  for (const pair of item.split(",")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--point ${item}: write K=V,K2=V2`, "run");
    point[pair.slice(0, eq)] = cliValue(pair.slice(eq + 1));
  }
  return point;
}

function parseRandom(items: string[]): Record<string, RandomSpec> {
  const out: Record<string, RandomSpec> = {};
  for (const item of items) {
    const m = /^([^=]+)=(?:(log|int|choice):)?(.+)$/.exec(item);
    if (!m) {
      throw new UsageError(
        `--random ${item}: write KEY=MIN:MAX, KEY=log:MIN:MAX, KEY=int:MIN:MAX or KEY=choice:A,B`,
        "run",
      );
    }
    const [, key, kind, rest] = m;
    if (kind === "choice") {
      out[key] = { choices: rest.split(",").map(cliValue) };
      continue;
    }
    const [min, max] = rest.split(":").map(Number);
    if (!Number.isFinite(min) || !Number.isFinite(max)) {
      throw new UsageError(`--random ${item}: MIN and MAX must be numbers`, "run");
    }
    out[key] = { min, max, log: kind === "log", integer: kind === "int" };
  }
  return out;
}

function intOption(value: string | undefined, name: string, command: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new UsageError(`--${name} ${value}: expected a whole number ≥ 0`, command);
  }
  return n;
}

function permissionOption(value: string | boolean | undefined): boolean | string[] | undefined {
  if (value === undefined) return undefined;
  if (value === true || value === "") return true;
  return String(value).split(",");
}

async function dataFolderOf(value: string | undefined): Promise<string> {
  return value !== undefined ? resolve(value) : await findDataFolder();
}

async function output(text: string, file: string | undefined): Promise<void> {
  if (file) {
    await atomicWriteText(resolve(file), text);
    console.error(`wrote ${resolve(file)}`);
  } else await Deno.stdout.write(new TextEncoder().encode(text));
}

type OptionSpec = Record<
  string,
  { type: "string" | "boolean"; short?: string; multiple?: boolean }
>;
type Parsed = {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
};

function parse(args: string[], command: string, options: OptionSpec): Parsed {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" }, data: { type: "string" } },
      allowPositionals: true,
      strict: true,
    }) as Parsed;
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^.*?: /, ""), command);
  }
}

async function cmdRun(args: string[]): Promise<number> {
  // --allow-net, --allow-env, … take an optional value: normalise "--allow-net" to "--allow-net=".
  const normalised = args.map((a) => (/^--allow-(net|env|run|sys)$/.test(a) ? `${a}=` : a));
  const { values, positionals } = parse(normalised, "run", {
    name: { type: "string" },
    grid: { type: "string", multiple: true },
    point: { type: "string", multiple: true },
    random: { type: "string", multiple: true },
    samples: { type: "string" },
    seed: { type: "string" },
    repeats: { type: "string" },
    concurrency: { type: "string", short: "j" },
    timeout: { type: "string" },
    retries: { type: "string" },
    resume: { type: "boolean" },
    memory: { type: "string" },
    "allow-net": { type: "string" },
    "allow-env": { type: "string" },
    "allow-run": { type: "string" },
    "allow-sys": { type: "string" },
    "no-progress": { type: "boolean" },
    backend: { type: "string" },
    partition: { type: "string" },
    time: { type: "string" },
    "cpus-per-task": { type: "string" },
    mem: { type: "string" },
    chunk: { type: "string" },
    "sbatch-arg": { type: "string", multiple: true },
    "no-wait": { type: "boolean" },
    "collect-job": { type: "boolean" },
  });
  if (values.help) return help("run");
  const backend = (values.backend as string | undefined) ?? "workers";
  if (backend !== "workers" && backend !== "slurm") {
    throw new UsageError(`--backend ${backend}: use workers (the default) or slurm`, "run");
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      "give exactly one simulation module: sweepstore run sim.ts --name X …",
      "run",
    );
  }
  if (!values.name) {
    throw new UsageError(
      "--name is required: the sweep's runs go to Data/StorageManager/<name>/",
      "run",
    );
  }
  const grid = values.grid ? parseGrid(values.grid as string[]) : undefined;
  const points = (values.point as string[] | undefined)?.map(parsePoint);
  const random = values.random ? parseRandom(values.random as string[]) : undefined;
  if (!grid && !points && !random) {
    throw new UsageError("give the points: --grid KEY=V1,V2 (or --point, --random)", "run");
  }
  const permissions: PermissionOptions = {
    net: permissionOption(values["allow-net"] as string | undefined),
    env: permissionOption(values["allow-env"] as string | undefined),
    run: permissionOption(values["allow-run"] as string | undefined),
    sys: permissionOption(values["allow-sys"] as string | undefined),
  };
  const result = await runSweep({
    name: values.name as string,
    simulation: positionals[0],
    grid,
    points,
    random,
    samples: intOption(values.samples as string | undefined, "samples", "run"),
    seed: intOption(values.seed as string | undefined, "seed", "run"),
    repeats: intOption(values.repeats as string | undefined, "repeats", "run"),
    concurrency: intOption(values.concurrency as string | undefined, "concurrency", "run"),
    timeoutMs: values.timeout !== undefined ? parseDuration(values.timeout as string) : undefined,
    retries: intOption(values.retries as string | undefined, "retries", "run"),
    memoryMb: intOption(values.memory as string | undefined, "memory", "run"),
    resume: values.resume as boolean | undefined,
    dataFolder: values.data as string | undefined,
    progress: !values["no-progress"],
    permissions,
    backend,
    slurm: backend === "slurm"
      ? {
        partition: values.partition as string | undefined,
        time: values.time as string | undefined,
        cpusPerTask: intOption(
          values["cpus-per-task"] as string | undefined,
          "cpus-per-task",
          "run",
        ),
        mem: values.mem as string | undefined,
        chunk: intOption(values.chunk as string | undefined, "chunk", "run"),
        sbatchArgs: values["sbatch-arg"] as string[] | undefined,
        wait: !values["no-wait"],
        collectJob: values["collect-job"] as boolean | undefined,
        parallelism: intOption(values.concurrency as string | undefined, "concurrency", "run"),
      }
      : undefined,
  });
  if (result.slurm && result.runs.length === 0 && values["no-wait"]) {
    console.log(result.slurm.jobId);
    return 0;
  }
  return result.runs.every((r) => r.status === "done") ? 0 : 1;
}

async function cmdReport(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, "report", {
    sort: { type: "string" },
    asc: { type: "boolean" },
    where: { type: "string" },
    columns: { type: "string" },
    csv: { type: "boolean" },
    markdown: { type: "boolean" },
    json: { type: "boolean" },
    output: { type: "string", short: "o" },
    section: { type: "string" },
  });
  if (values.help) return help("report");
  if (positionals.length !== 1) {
    throw new UsageError("give the sweep's name: sweepstore report NAME", "report");
  }
  if ([values.csv, values.markdown, values.json].filter(Boolean).length > 1) {
    throw new UsageError("choose one of --csv, --markdown and --json", "report");
  }
  if (values.where) parseQuery(values.where as string); // a malformed query is a usage error, before any I/O
  const smg = await StorageManagerGroup.load(positionals[0], {
    dataFolder: await dataFolderOf(values.data as string | undefined),
  });
  for (const e of smg.errors) console.error(`skipped ${e.path}: ${e.error.message}`);
  if (smg.length === 0) {
    console.error(`no runs of "${positionals[0]}" in ${smg.path}`);
    return 1;
  }
  const section = values.section as string | undefined;
  if (values.sort) smg.sortBy(values.sort as string, { descending: !values.asc, section });
  if (values.where) smg.runs = smg.query(values.where as string, { section });
  const columns = (values.columns as string | undefined)?.split(",").map((c) => c.trim()).filter(
    Boolean,
  );
  let text: string;
  if (values.csv) text = smg.toCSV(columns, { section });
  else if (values.markdown) text = smg.toMarkdown(columns, { section });
  else if (values.json) {
    const table = smg.toTable(columns, { section });
    text = JSON.stringify(
      table.rows.map((r) => Object.fromEntries(table.columns.map((c, j) => [c, r[j] ?? null]))),
      (_k, v) => (typeof v === "bigint" ? v.toString() : v),
      2,
    ) + "\n";
  } else text = smg.toConsoleTable(columns, { section });
  await output(text, values.output as string | undefined);
  return 0;
}

async function cmdPlot(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, "plot", {
    x: { type: "string" },
    y: { type: "string" },
    reducer: { type: "string" },
    "log-x": { type: "boolean" },
    output: { type: "string", short: "o" },
  });
  if (values.help) return help("plot");
  if (positionals.length !== 1) {
    throw new UsageError("give the sweep's name: sweepstore plot NAME --x P --y Q", "plot");
  }
  if (!values.x || !values.y) throw new UsageError("--x and --y are required", "plot");
  const smg = await StorageManagerGroup.load(positionals[0], {
    dataFolder: await dataFolderOf(values.data as string | undefined),
  });
  const svg = smg.plot({
    x: values.x as string,
    y: values.y as string,
    reducer: values.reducer as Reducer | undefined,
    xLog: values["log-x"] as boolean | undefined,
  });
  await output(
    svg,
    (values.output as string | undefined) ?? `${smg.path}/plot_${values.y}_${values.x}.svg`,
  );
  return 0;
}

async function cmdLs(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, "ls", {});
  if (values.help) return help("ls");
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`, "ls");
  const data = await dataFolderOf(values.data as string | undefined);
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(`${data}/StorageManager`)) {
      if (e.isDirectory && !e.name.startsWith(".")) names.push(e.name);
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  if (!names.length) {
    console.log(`no sweeps in ${data}/StorageManager`);
    return 0;
  }
  for (const name of names.sort()) {
    const smg = await StorageManagerGroup.load(name, { dataFolder: data });
    const counts: Record<string, number> = {};
    for (const sm of smg) {
      const s = String(sm.param("status", { section: "Run", default: "-" }));
      counts[s] = (counts[s] ?? 0) + 1;
    }
    const order = ["done", "running", "failed", "timeout", "interrupted"];
    const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
    const by = Object.entries(counts).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1)).map(
      (
        [k, v],
      ) => (k === "-" ? `${v} without status` : `${v} ${k}`),
    ).join(", ");
    console.log(
      `${name.padEnd(24)} ${String(smg.length).padStart(6)} runs${by ? `  (${by})` : ""}`,
    );
  }
  return 0;
}

async function newestSweepFile(name: string, data: string | undefined): Promise<string> {
  const files = await listSweepFiles(await dataFolderOf(data), name);
  if (!files.length) {
    throw new UsageError(
      `no SLURM sweep of "${name}" found (sweep files live in Data/StorageManager/${name}/sweeps/)`,
    );
  }
  return files[0];
}

async function cmdStatus(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, "status", {});
  if (values.help) return help("status");
  if (positionals.length !== 1) {
    throw new UsageError("give the sweep's name: sweepstore status NAME", "status");
  }
  const status = await sweepStatus(
    await newestSweepFile(positionals[0], values.data as string | undefined),
  );
  const counts: Record<string, number> = {};
  for (const r of status.runs) counts[r.status] = (counts[r.status] ?? 0) + 1;
  const slurm: Record<string, number> = {};
  for (const s of status.slurm.values()) slurm[s] = (slurm[s] ?? 0) + 1;
  console.log(
    `sweep ${status.sweep.id} (jobs ${status.sweep.jobs.join(", ")}): ${
      status.finished ? "ended" : "active"
    }`,
  );
  console.log(`runs: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ")}`);
  if (status.slurm.size) {
    console.log(`array tasks: ${Object.entries(slurm).map(([k, v]) => `${v} ${k}`).join(", ")}`);
  }
  for (const r of status.runs) {
    console.log(
      `  ${String(r.task.index).padStart(4)}  ${r.status.padEnd(11)} ${
        JSON.stringify(r.task.params)
      }  ${r.path ?? ""}`,
    );
  }
  return 0;
}

async function cmdCollect(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, "collect", {});
  if (values.help) return help("collect");
  if (positionals.length !== 1) {
    throw new UsageError("give the sweep's name: sweepstore collect NAME", "collect");
  }
  const { records, summary, status } = await collectSweep(
    await newestSweepFile(positionals[0], values.data as string | undefined),
  );
  if (!status.finished) {
    console.error("note: the sweep is still running; collected what has ended so far");
  }
  if (summary) {
    const line = Object.entries(summary.counts).map(([k, v]) => `${v} ${k}`).join(", ");
    console.log(`${positionals[0]}: ${line}\n${summary.table}summary: ${summary.files.csv}`);
  }
  return records.every((r) => r.status === "done") && status.finished ? 0 : 1;
}

function help(command: string): number {
  console.log(HELP[command] ?? HELP.main);
  return 0;
}

/**
 * Runs the CLI with `args` and returns the exit code (0 ok, 1 some runs failed or nothing found, 2 usage
 * error). Usage errors print their message and a hint to stderr.
 *
 * @example
 * ```ts ignore
 * import { main } from "@sweepstore/sweepstore/cli";
 * Deno.exit(await main(["report", "MySweep", "--sort", "score"]));
 * ```
 */
export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case "run":
        return await cmdRun(rest);
      case "report":
        return await cmdReport(rest);
      case "plot":
        return await cmdPlot(rest);
      case "ls":
        return await cmdLs(rest);
      case "status":
        return await cmdStatus(rest);
      case "collect":
        return await cmdCollect(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        return help(rest[0] ?? "main");
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof SyntaxError) {
      const hint = err instanceof UsageError && err.command
        ? `sweepstore ${err.command} --help`
        : "sweepstore --help";
      console.error(`sweepstore: ${err.message}\n(see '${hint}')`);
      return 2;
    }
    throw err;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
