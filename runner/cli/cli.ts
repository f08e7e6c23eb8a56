/**
 * The `sweepstore` command line: run sweeps, and report, plot and list their runs.
 *
 * ```sh
 * sweepstore run sim.ts --name X --grid n=100,1000 --grid lr=0.1,0.01 --repeats 3 -j 2 --timeout 60s --resume
 * sweepstore report X --sort score --where "n>=1000" --columns score,n --csv
 * sweepstore plot X --x n --y score -o plot.svg
 * sweepstore ls
 * ```
 *
 * Each command's options are declared once (`_*_command.ts`); the same declarations parse the command
 * line and generate `--help`. Errors are printed as one message (exit 2 for a wrong command line, 1 for a
 * failure); SIGINT, SIGTERM and SIGHUP stop a running sweep cleanly (exit 130, 143, 129).
 *
 * @example
 * ```ts
 * import { main } from "@sweepstore/sweepstore/cli";
 * const code = await main(["report", "NoSuchSweep", "--data", await Deno.makeTempDir()]);
 * console.log(code); // 1: no runs found
 * ```
 *
 * @module
 */

import { main } from "./_program.ts";

export { main };
export { describeError, type ErrorReport, EXIT_FAILURE, EXIT_USAGE, UsageError } from "./errors.ts";
export { type TerminalView, terminalView } from "./terminal.ts";
export type { ProgressOptions } from "./progress.ts";

if (import.meta.main) Deno.exit(await main(Deno.args));
