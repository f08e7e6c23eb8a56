/**
 * `sweepstore run`: its option specs (which are also its help) and what it does.
 *
 * @module
 */

import { Command, Option, type OptionValues } from "@commander-js/extra-typings";
import { Progress } from "./progress.ts";
import { UsageError } from "./errors.ts";
import { addGridItem, addPointItem, addRandomItem } from "./_points.ts";
import { duration, permissionValue, sweepName, wholeNumber } from "./_values.ts";
import { dataFolderOf, ensureWritableGroup, summaryText, writeErr, writeOut } from "./_output.ts";
import { failureLines } from "./_run_states.ts";
import { installStopHandlers, SIGNAL_EXIT_CODES, type StopSignal } from "./_signals.ts";
import { sweepView } from "./_sweep_view.ts";
import {
  pointsObjective,
  searchFromFlags,
  searchGiven,
  searchText,
  withSearchOptions,
} from "./_search_flags.ts";
import { ranked } from "../search/evolution.ts";
import { type CommandContext, DATA_HELP } from "./_context.ts";
import { DEFAULT_GRACE_MS, pointKey, runSweep, type RunSweepOptions } from "../mod.ts";
import { checkSweepOptions } from "../sweep_options.ts";
import { PARENT_DEATH_GRACE_MS } from "../local/pool_options.ts";
import { RUN_NOTES } from "./_run_notes.ts";

function appendItem(item: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), item];
}

/** The "Points:" options of `run`: what is swept. */
function withPointOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command
    .optionsGroup("Points:")
    .option(
      "--grid <KEY=V1,V2,…>",
      "a swept parameter; repeat for more keys (the cartesian product is run); the same KEY twice is refused",
      addGridItem,
    )
    .option("--point <K=V,K2=V2>", "one explicit point (repeatable)", addPointItem)
    .option(
      "--random <KEY=SPEC>",
      "random sampling: MIN:MAX, log:MIN:MAX, int:MIN:MAX, int:MIN:MAX:log (log-uniform whole numbers) or choice:A,B,C (repeatable)",
      addRandomItem,
    )
    .option("--samples <n>", "number of random points (default: 10)", wholeNumber("--samples", 1))
    .option(
      "--seed <n>",
      "seed of the random points and of the runs' seeds (default: 0)",
      wholeNumber("--seed", 0),
    )
    .option(
      "--repeats <n>",
      "runs per point, each with its own seed (default: 1)",
      wholeNumber("--repeats", 1, "runs per point"),
    );
}

/** The "Running:" options of `run`: how the runs run. */
function withRunningOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  const grace = `${DEFAULT_GRACE_MS / 1000}s`;
  const graceHelp =
    `after a stop, how long simulations get to return before they are killed (default: ${grace})`;
  return command
    .optionsGroup("Running:")
    .option(
      "-j, --concurrency <n>",
      "runs at once (default: the number of CPUs)",
      wholeNumber("--concurrency", 1, "runs at once"),
    )
    .option(
      "--timeout <duration>",
      "per-run time limit: 90 (seconds), 90s, 500ms, 5m, 2h",
      duration("--timeout", false),
    )
    .option(
      "--retries <n>",
      "tries again after a failure or timeout (default: 0)",
      wholeNumber("--retries", 0),
    )
    .option(
      "--grace <duration>",
      graceHelp,
      duration("--grace", true),
    )
    .option("--resume", "skip points that already have a finished run")
    .option(
      "--memory <MiB>",
      "heap limit per simulation process",
      wholeNumber("--memory", 1, "MiB"),
    )
    .option(
      "--allow-net [hosts]",
      "let simulations use the network (all, or --allow-net=HOST,HOST)",
      permissionValue,
    )
    .option("--allow-env [names]", "let simulations read environment variables", permissionValue)
    .option("--allow-run [programs]", "let simulations start programs", permissionValue)
    .option("--allow-sys [apis]", "let simulations query system information", permissionValue)
    .option("--no-progress", "no progress bar or progress lines");
}

/** The "SLURM" options of `run`: the sweep as a job array. */
function withSlurmOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command
    .optionsGroup("SLURM (the sweep as a job array; the Data folder must be shared by the nodes):")
    .addOption(
      new Option(
        "--backend <backend>",
        "where the runs run: subprocesses here, or a SLURM job array (workers = local)",
      )
        .choices(["local", "workers", "slurm"]),
    )
    .option("--partition <partition>", "sbatch --partition of each array task")
    .option("--time <time>", "sbatch --time of each array task (e.g. 1:00:00)")
    .option("--cpus-per-task <n>", "sbatch --cpus-per-task", wholeNumber("--cpus-per-task", 1))
    .option("--mem <mem>", "sbatch --mem of each array task (e.g. 4G)")
    .option(
      "--chunk <n>",
      "points per array task (default: packed to --task-length, within MaxArraySize/MaxSubmitJobs)",
      wholeNumber("--chunk", 1),
    )
    .option(
      "--task-length <duration>",
      "target length of an array task for the automatic chunk (default 10m)",
      duration("--task-length", false),
    )
    .option(
      "--run-estimate <duration>",
      "one run's wall time, when no earlier run of the sweep was measured (e.g. 2s)",
      duration("--run-estimate", false),
    )
    .option("--requeue", "submit requeueable tasks: a preempted run is marked, its task requeued")
    .option("--sbatch-arg <arg>", "one more sbatch argument (repeatable)", appendItem)
    .option("--no-wait", "return once submitted (then: sweepstore status / collect NAME)")
    .option(
      "--collect-job",
      "also submit a collect job (--dependency=afterany) that writes the summary",
    );
}

function runSpec() {
  const command = new Command("run")
    .summary("run a simulation module over a parameter grid (or points, random samples)")
    .description(
      "Runs simulate(params, sm, ctx) of <simulation> for every point, each in its own run folder " +
        "Data/StorageManager/NAME/NAME<nr>/, then writes summary.csv, summary.json, plot.svg and report.html.",
    )
    .argument("<simulation>", "the simulation module (a .ts file exporting simulate)")
    .option(
      "--name <name>",
      "the sweep's name: its runs go to Data/StorageManager/<name>/",
      sweepName,
    )
    .option("--data <dir>", DATA_HELP);
  return withSlurmOptions(withRunningOptions(withSearchOptions(withPointOptions(command))))
    .addHelpText(
      "after",
      RUN_NOTES,
    );
}

type RunOpts = ReturnType<ReturnType<typeof runSpec>["opts"]>;

function checkSlurmFlags(opts: RunOpts, slurm: boolean): void {
  if (slurm) return;
  const given = [
    ["--partition", opts.partition],
    ["--time", opts.time],
    ["--cpus-per-task", opts.cpusPerTask],
    ["--mem", opts.mem],
    ["--chunk", opts.chunk],
    ["--task-length", opts.taskLength],
    ["--run-estimate", opts.runEstimate],
    ["--requeue", opts.requeue],
    ["--sbatch-arg", opts.sbatchArg],
    ["--collect-job", opts.collectJob],
    ["--no-wait", opts.wait === false ? true : undefined],
  ].filter(([, v]) => v !== undefined);
  if (given.length) {
    throw new UsageError(`${given[0][0]} is a SLURM option: add --backend slurm`, "run");
  }
}

/** Refuses a simulation path (not a URL) that names no file, before anything starts. */
function checkSimulationFile(simulation: string): void {
  if (simulation === "" || /^[a-z][a-z0-9+.-]*:/i.test(simulation)) return; // the engine checks these
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(simulation);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) return; // no permission etc.: the import will say
    throw new UsageError(
      `the simulation ${simulation} does not exist (in ${Deno.cwd()}): give the path of a module ` +
        "exporting simulate(params, sm, ctx)",
      "run",
    );
  }
  if (!info.isFile) {
    throw new UsageError(
      `the simulation ${simulation} is not a file: give the path of a module exporting simulate()`,
      "run",
    );
  }
}

/** The engine's options from the command line; refuses what is missing or contradictory. */
function sweepOptions(simulation: string, opts: RunOpts): RunSweepOptions {
  if (opts.name === undefined) {
    throw new UsageError(
      "--name is required: the sweep's runs go to Data/StorageManager/<name>/",
      "run",
    );
  }
  const search = searchGiven(opts) ? searchOptions(opts) : undefined;
  if (!search && !opts.grid && !opts.point && !opts.random) {
    throw new UsageError(
      "give the points: --grid KEY=V1,V2 (or --point, --random), or a search: --evolve KEY=START:MIN:MAX",
      "run",
    );
  }
  if (opts.samples !== undefined && !opts.random) {
    throw new UsageError("--samples counts random points: add --random KEY=SPEC", "run");
  }
  checkSimulationFile(simulation);
  const slurm = opts.backend === "slurm";
  checkSlurmFlags(opts, slurm);
  return {
    name: opts.name,
    simulation,
    grid: opts.grid,
    points: opts.point,
    random: opts.random,
    samples: opts.samples,
    seed: opts.seed,
    repeats: opts.repeats,
    ...(search ?? { objective: pointsObjective(opts) }),
    concurrency: opts.concurrency,
    timeoutMs: opts.timeout,
    retries: opts.retries,
    memoryMb: opts.memory,
    resume: opts.resume,
    graceMs: opts.grace ?? DEFAULT_GRACE_MS,
    permissions: { net: opts.allowNet, env: opts.allowEnv, run: opts.allowRun, sys: opts.allowSys },
    backend: slurm ? "slurm" : "local",
    slurm: slurm
      ? {
        partition: opts.partition,
        time: opts.time,
        cpusPerTask: opts.cpusPerTask,
        mem: opts.mem,
        chunk: opts.chunk,
        taskMinutes: opts.taskLength === undefined ? undefined : opts.taskLength / 60_000,
        runSeconds: opts.runEstimate === undefined ? undefined : opts.runEstimate / 1000,
        requeue: opts.requeue,
        sbatchArgs: opts.sbatchArg,
        wait: opts.wait,
        collectJob: opts.collectJob,
        parallelism: opts.concurrency,
      }
      : undefined,
  };
}

/** A search from the flags; refuses the point flags and --no-wait beside it. */
function searchOptions(opts: RunOpts) {
  const fixed = (["grid", "point", "random", "samples", "repeats"] as const).find((k) =>
    opts[k] !== undefined
  );
  if (fixed) {
    throw new UsageError(
      `--${fixed} cannot be combined with a search (--evolve/--search): a search makes its own points`,
      "run",
    );
  }
  if (opts.wait === false) {
    throw new UsageError(
      "--no-wait cannot drive a search: each generation is bred from the scores of the last, so the " +
        "driver must follow them; run the driver itself as a job (sbatch --wrap 'sweepstore run … --resume')",
      "run",
    );
  }
  return searchFromFlags(opts);
}

/** The exit code of a sweep whose runs all ended done but which left points to another live sweep (sysexits' EX_TEMPFAIL). */
export const EXIT_ELSEWHERE = 75;

/** Runs the sweep under the signal handlers; returns the exit code. */
async function runAction(simulation: string, opts: RunOpts): Promise<number> {
  const options = sweepOptions(simulation, opts); // before any folder is looked for or made
  checkSweepOptions(options); // runSweep checks again; a refused option must not leave a folder behind
  const dataFolder = await dataFolderOf(opts.data);
  await ensureWritableGroup(dataFolder, options.name);
  const progress = new Progress({ mode: opts.progress ? undefined : "off" });
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  // the local slots' guards see this process end and kill their runs min(grace, 4 s) + 0.5 s later
  const killedWithin = (Math.min(graceMs, PARENT_DEATH_GRACE_MS) + 500) / 1000;
  const force = (first: StopSignal, second: StopSignal) => {
    progress.note(
      `sweepstore: ${second} again: exiting now; ` +
        (options.backend === "slurm"
          ? ""
          : `the runs still going are killed ${killedWithin} s after this exit unless they return first, and marked interrupted; `) +
        `run with --resume later to run them again`,
    );
    Deno.exit(SIGNAL_EXIT_CODES[first]);
  };
  const stop = installStopHandlers({ graceMs, note: (line) => progress.note(line), force });
  const view = sweepView(progress);
  const clock = setInterval(view.tick, 1000);
  try {
    const result = await runSweep({
      ...options,
      dataFolder,
      signal: stop.signal,
      onEvent: view.onEvent,
    });
    clearInterval(clock);
    const stopped = stop.received ?? (result.interrupted ? "SIGINT" : undefined);
    if (result.summary) {
      writeOut(summaryText(options.name, result.summary, stopped ? " (interrupted)" : ""));
    }
    if (options.search && options.objective) {
      const seen = new Set<string>(); // a survivor evaluated again is one point
      const top = ranked(result.search?.evaluations ?? []).filter((e) =>
        e.value !== undefined && !seen.has(pointKey(e.params)) && seen.add(pointKey(e.params))
      ).slice(0, 5);
      writeOut(searchText(options.objective, result.best, top, result.search?.plot));
    }
    // Why runs did not end done: one line per reason, also when no summary could be written.
    for (const line of failureLines(result.runs)) writeErr(`${line}\n`);
    if (stopped) return SIGNAL_EXIT_CODES[stopped];
    if (result.slurm && opts.wait === false) {
      writeOut(`${result.slurm.jobIds.join(" ")}\n`); // one job id per array
      return 0;
    }
    // the summary files could not be written (a full or read-only Data folder): said as a warning
    if (!result.summary) return 1;
    if (options.search && !result.best) return 1; // no run saved a number as the objective
    if (!result.runs.every((r) => r.status === "done")) return 1;
    // points another live sweep of this name holds (a resume right after a kill -9, two resumes at once):
    // not run here, so the sweep is not complete yet; EX_TEMPFAIL, "try again later"
    return result.claimedElsewhere > 0 ? EXIT_ELSEWHERE : 0;
  } finally {
    clearInterval(clock);
    stop.dispose();
  }
}

/**
 * The `run` command, wired to set `context.exitCode`.
 *
 * @param context Receives the exit code.
 * @returns The command.
 *
 * @example
 * ```ts
 * import { runCommand } from "./_run_command.ts";
 * console.log(runCommand({ exitCode: 0 }).name()); // "run"
 * ```
 */
export function runCommand(context: CommandContext): Command<[string], RunOpts> {
  return runSpec().action(async (simulation, opts) => {
    context.exitCode = await runAction(simulation, opts);
  });
}
