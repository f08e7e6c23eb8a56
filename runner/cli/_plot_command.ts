/**
 * `sweepstore plot`: an SVG plot of one parameter against another over a sweep's runs; its option specs
 * (which are also its help) and what it does.
 *
 * @module
 */

import { Command } from "@commander-js/extra-typings";
import { UsageError } from "./errors.ts";
import { paramName, REDUCER_NAMES, reducerName, sweepName } from "./_values.ts";
import { writeErr, writeOutput } from "./_output.ts";
import { loadGroup, unknownParams } from "./_report_command.ts";
import { type CommandContext, DATA_HELP } from "./_context.ts";

function plotSpec() {
  return new Command("plot")
    .summary("write an SVG plot of one parameter against another")
    .description(
      "Writes an SVG plot of one parameter (--y) against another (--x) over a sweep's runs.",
    )
    .argument("<name>", "the sweep's name", sweepName)
    .option("--x <param>", "the parameter on the x axis (required)", paramName("--x"))
    .option("--y <param>", "the parameter on the y axis (required)", paramName("--y"))
    .option(
      "--reducer <name>",
      `aggregate y per x, a line with ± std bars: ${REDUCER_NAMES.join(", ")}`,
      reducerName,
    )
    .option("--log-x", "logarithmic x axis")
    .option(
      "-o, --output <file>",
      "the SVG file (default: Data/StorageManager/<name>/plot_<y>_<x>.svg)",
    )
    .option("--data <dir>", DATA_HELP);
}

type PlotOpts = ReturnType<ReturnType<typeof plotSpec>["opts"]>;

async function plotAction(name: string, opts: PlotOpts): Promise<number> {
  const { x, y } = opts;
  if (x === undefined || y === undefined) throw new UsageError("--x and --y are required", "plot");
  const smg = await loadGroup(name, opts.data);
  if (smg.length === 0) {
    writeErr(`no runs of "${name}" in ${smg.path}\n`);
    return 1;
  }
  // A typo drew an empty plot and exited 0.
  const known = smg.getAllParams();
  for (const [flag, p] of [["--x", x], ["--y", y]] as const) {
    if (!known.includes(p.toLowerCase())) throw unknownParams(flag, [p], known, undefined, "plot");
  }
  const svg = smg.plot({ x, y, reducer: opts.reducer, xLog: opts.logX });
  await writeOutput(svg, opts.output ?? `${smg.path}/plot_${y}_${x}.svg`);
  return 0;
}

/**
 * The `plot` command, wired to set `context.exitCode`.
 *
 * @param context Receives the exit code.
 * @returns The command.
 *
 * @example
 * ```ts
 * import { plotCommand } from "./_plot_command.ts";
 * console.log(plotCommand({ exitCode: 0 }).name()); // "plot"
 * ```
 */
export function plotCommand(context: CommandContext): Command<[string], PlotOpts> {
  return plotSpec().action(async (name, opts) => {
    context.exitCode = await plotAction(name, opts);
  });
}
