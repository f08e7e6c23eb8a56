/**
 * Reports on runs: tables as CSV, Markdown or aligned console text ({@link ./table.ts}), and standalone
 * SVG plots ({@link ./plot.ts}). Pure functions: no file access. This module gathers both for importers
 * that want all reports at once.
 *
 * @module
 */

export {
  type Cell,
  type ConsoleTableOptions,
  type CsvOptions,
  formatNumber,
  type Table,
  type TextTableOptions,
  toConsoleTable,
  toCSV,
  toMarkdown,
} from "./table.ts";
export {
  type PlotOptions,
  type PlotSpec,
  plotSvg,
  type ScatterSeries,
  type SummarySeries,
} from "./plot.ts";
