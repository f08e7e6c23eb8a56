/**
 * The `sweepstore` program: its commands (each with the option specs that parse it and generate its
 * help) and {@linkcode main}, which runs one command line and returns the exit code.
 *
 * @module
 */

import { Command } from "@commander-js/extra-typings";
import { describeError } from "./errors.ts";
import { writeErr, writeOut } from "./_output.ts";
import type { CommandContext } from "./_context.ts";

/** The width help is wrapped to (the project's line width). */
const HELP_WIDTH = 100;

const MAIN_NOTES = `
Run 'sweepstore <command> --help' for a command's options.

Exit codes: 0 done; 1 a run did not end done, nothing was found, or a file could not be read or
written; 2 a wrong command line (nothing was started); 75 run --resume: its runs all done, but another
live sweep of the name holds some points (resume again once it has ended); 130 / 143 / 129 a sweep
stopped by SIGINT / SIGTERM / SIGHUP.`;

/**
 * Each command's module, imported when the command line needs it: `sweepstore ls` loads neither the
 * sweep engine nor the report, plot or SLURM code.
 */
const COMMANDS: Record<string, (context: CommandContext) => Promise<Command>> = {
  run: async (c) => (await import("./_run_command.ts")).runCommand(c) as unknown as Command,
  report: async (c) =>
    (await import("./_report_command.ts")).reportCommand(c) as unknown as Command,
  plot: async (c) => (await import("./_plot_command.ts")).plotCommand(c) as unknown as Command,
  ls: async (c) => (await import("./_ls_command.ts")).lsCommand(c) as unknown as Command,
  status: async (c) =>
    (await import("./_slurm_commands.ts")).statusCommand(c) as unknown as Command,
  collect: async (c) =>
    (await import("./_slurm_commands.ts")).collectCommand(c) as unknown as Command,
};

/**
 * The program with all commands, or with only `only` (the one a command line names: the others' modules
 * are not loaded). The parser never exits the process and prints no error of its own: its errors are
 * thrown (as `CommanderError`) for {@linkcode main} to report.
 *
 * @param context Receives the exit code of the command that ran.
 * @param only The one command to declare.
 * @default {every command}
 * @returns The program.
 *
 * @example
 * ```ts
 * import { buildProgram } from "./_program.ts";
 * console.log((await buildProgram({ exitCode: 0 })).commands.map((c) => c.name()).join(" ")); // run report plot ls status collect
 * ```
 */
export async function buildProgram(context: CommandContext, only?: string): Promise<Command> {
  const program = new Command("sweepstore")
    .description("Runs parameter sweeps and analyses their runs.")
    .exitOverride()
    .configureOutput({
      writeOut,
      writeErr,
      outputError: () => {}, // main() prints the error, once, in its own words
      // Fixed, so that the parser reads no environment variable (the CLI runs without --allow-env):
      getOutHasColors: () => false,
      getErrHasColors: () => false,
      getOutHelpWidth: () => HELP_WIDTH,
      getErrHelpWidth: () => HELP_WIDTH,
    })
    .showSuggestionAfterError()
    .addHelpText("after", MAIN_NOTES);
  const names = only !== undefined && Object.hasOwn(COMMANDS, only)
    ? [only]
    : Object.keys(COMMANDS);
  for (const command of await Promise.all(names.map((name) => COMMANDS[name](context)))) {
    program.addCommand(command);
  }
  for (const command of program.commands) {
    command.exitOverride().configureOutput(program.configureOutput());
  }
  return program;
}

/**
 * `--allow-net` (and env, run, sys) take an optional value; alone, they would take the next argument as
 * their value (`--allow-net sim.ts`), so `--allow-net` becomes `--allow-net=`.
 */
function normaliseArgs(args: readonly string[]): string[] {
  return args.map((a) => (/^--allow-(net|env|run|sys)$/.test(a) ? `${a}=` : a));
}

/**
 * Runs the CLI with `args` (without the program name) and returns the exit code: 0 ok, 1 some runs failed,
 * nothing found or a file could not be written, 2 a usage error, 129/130/143 a sweep stopped by
 * SIGHUP/SIGINT/SIGTERM. Errors are printed to stderr as one message, never as a stack trace.
 *
 * @param args The command line, e.g. `["report", "MySweep", "--sort", "score"]`.
 * @returns The exit code.
 *
 * @example
 * ```ts
 * import { main } from "@sweepstore/sweepstore/cli";
 * console.log(await main(["ls", "--data", await Deno.makeTempDir()])); // 0
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  const context: CommandContext = { exitCode: 0 };
  const command = Object.hasOwn(COMMANDS, args[0] ?? "") ? args[0] : undefined;
  const program = await buildProgram(context, command); // `--help` and unknown commands: all of them
  if (args.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(normaliseArgs(args), { from: "user" });
    return context.exitCode;
  } catch (err) {
    const { exitCode, message } = describeError(err, command);
    if (message) writeErr(`${message}\n`);
    return exitCode;
  }
}
