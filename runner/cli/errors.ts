/**
 * The CLI's errors and exit codes: {@linkcode UsageError} for a wrong command line, and
 * {@linkcode describeError}, which turns anything thrown into one message and an exit code, so that no
 * input ever ends in a stack trace.
 *
 * | exit | meaning |
 * | --- | --- |
 * | 0 | done: every run ended `done` (or help was shown) |
 * | 1 | some runs failed, nothing was found, or a file could not be read or written |
 * | 2 | the command line is wrong (nothing was started) |
 * | 129 / 130 / 143 | stopped by SIGHUP / SIGINT / SIGTERM (see `signals.ts`) |
 *
 * @module
 */

import { CommanderError } from "@commander-js/extra-typings";
import { StorageError, storageErrorCode } from "../../src/errors.ts";

/**
 * The exit code of a usage error (a bad command line): nothing was started.
 *
 * @example
 * ```ts
 * import { EXIT_USAGE, UsageError } from "@sweepstore/sweepstore/cli";
 * console.log(new UsageError("--name is required", "run").exitCode === EXIT_USAGE); // true
 * ```
 */
export const EXIT_USAGE = 2;
/**
 * The exit code of a failure: a run failed, nothing was found, a file could not be read or written.
 *
 * @example
 * ```ts
 * import { EXIT_FAILURE } from "@sweepstore/sweepstore/cli";
 * const allDone = false; // e.g. result.runs.every((r) => r.status === "done")
 * console.log(allDone ? 0 : EXIT_FAILURE); // 1
 * ```
 */
export const EXIT_FAILURE = 1;

/**
 * A command-line mistake: the CLI prints its message with a pointer to the command's help and exits with
 * `exitCode` (2). Nothing has been started or written when it is thrown.
 *
 * @example
 * ```ts
 * import { UsageError } from "@sweepstore/sweepstore/cli";
 * const err = new UsageError("--name is required", "run");
 * console.log(err.command, err.exitCode); // "run" 2
 * ```
 */
export class UsageError extends Error {
  /** The process exit code for this error. */
  readonly exitCode: number = EXIT_USAGE;
  /**
   * Creates the error.
   * @param message What is wrong and how to fix it, naming the option.
   * @param command The command whose `--help` is suggested (e.g. `"run"`).
   */
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * The message of anything thrown.
 *
 * @param err What was thrown.
 * @returns Its message (or its text).
 *
 * @example
 * ```ts
 * import { messageOf } from "./errors.ts";
 * console.log(messageOf(new Error("boom")), messageOf("text")); // boom text
 * ```
 */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What the CLI prints for an error, and the exit code. */
export interface ErrorReport {
  /** The process exit code. */
  exitCode: number;
  /** The text for stderr (without a trailing newline); empty when nothing is to be printed. */
  message: string;
}

const OS_HINTS: Record<string, string> = {
  not_found: "check the path (or create the folder)",
  permission: "make it writable (or readable), or choose another folder with --data or -o",
  no_space: "free some space (or choose another Data folder with --data)",
  exists: "choose another path",
};

function helpHint(command: string | undefined): string {
  return `(see 'sweepstore ${command ? `${command} ` : ""}--help')`;
}

function commanderMessage(err: CommanderError, command: string | undefined): ErrorReport {
  if (err.code === "commander.helpDisplayed" || err.code === "commander.version") {
    return { exitCode: 0, message: "" };
  }
  const text = err.message.replace(/^error: /, "");
  return { exitCode: EXIT_USAGE, message: `sweepstore: ${text} ${helpHint(command)}` };
}

function osMessage(err: Error): string {
  const code = storageErrorCode(err);
  const hint = code ? OS_HINTS[code] : undefined;
  return `sweepstore: ${err.message}${hint ? ` — ${hint}` : ""}`;
}

/**
 * Maps anything thrown while running a command to the message the CLI prints and its exit code:
 * `UsageError` and the parser's own errors (unknown option, missing argument) → 2 with a pointer to the
 * help; `TypeError`/`RangeError` (a value the library refused) → 2; help shown → 0 and no message;
 * `StorageError`, operating-system errors and a `SyntaxError` from a corrupt file → 1. The message is never
 * a stack trace.
 *
 * @param err What was thrown.
 * @param command The command that was running (for the help pointer).
 * @returns The message for stderr and the exit code.
 *
 * @example
 * ```ts
 * import { describeError, UsageError } from "@sweepstore/sweepstore/cli";
 * console.log(describeError(new UsageError("--repeats 0: use 1 or more", "run")).exitCode); // 2
 * console.log(describeError(new SyntaxError("corrupt sweep file")).exitCode); // 1
 * ```
 */
export function describeError(err: unknown, command?: string): ErrorReport {
  if (err instanceof UsageError) {
    return {
      exitCode: err.exitCode,
      message: `sweepstore: ${err.message} ${helpHint(err.command ?? command)}`,
    };
  }
  if (err instanceof CommanderError) return commanderMessage(err, command);
  if (err instanceof StorageError) {
    return { exitCode: EXIT_FAILURE, message: `sweepstore: ${err.message}` };
  }
  if (err instanceof TypeError || err instanceof RangeError) {
    // A value the library refused: from the command line's point of view, bad input.
    return { exitCode: EXIT_USAGE, message: `sweepstore: ${err.message} ${helpHint(command)}` };
  }
  if (err instanceof Error) return { exitCode: EXIT_FAILURE, message: osMessage(err) };
  return { exitCode: EXIT_FAILURE, message: `sweepstore: ${String(err)}` };
}
