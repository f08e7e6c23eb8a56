/**
 * What every command shares: the context that receives its exit code, and the `--data` option's help.
 *
 * @module
 */

/** Receives a command's exit code (the argument parser's actions return nothing). */
export interface CommandContext {
  /** The process exit code the command ended with. */
  exitCode: number;
}

/** The help of the `--data` option, the same for every command. */
export const DATA_HELP =
  "the Data folder (default: the first Data folder found upwards from here, " +
  "else ./Data)";
