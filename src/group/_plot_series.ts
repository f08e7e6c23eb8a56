/**
 * What a plot draws: the series and labels (their one owner; `plot.ts` re-exports them).
 *
 * @module
 */

/** Points of a scatter plot (one per run). */
export interface ScatterSeries {
  /** x values; a point whose x or y is not a finite number (null, NaN, a string…) is skipped and counted. */
  x: readonly unknown[];
  /** y values, one per x. */
  y: readonly unknown[];
  /**
   * The legend entry (shown when there is a summary too).
   * @default {"runs"}
   */
  label?: string;
}

/** Aggregated values: a center (e.g. the mean) ± a spread (e.g. the standard deviation) of y at each x. */
export interface SummarySeries {
  /** The unique x values. */
  x: readonly number[];
  /** The center of y at each x (drawn as points joined by a line). */
  mean: readonly number[];
  /** The spread of y at each x, drawn as error bars mean ± std; NaN or 0 draws none. */
  std: readonly number[];
  /**
   * The legend entry.
   * @default {"mean ± std"}
   */
  label?: string;
}

/** What {@linkcode plotSvg} draws. */
export interface PlotSpec {
  /** Individual runs, as points. */
  points?: ScatterSeries;
  /** Aggregated values, as a line with error bars. */
  summary?: SummarySeries;
  /** The x axis label. */
  xLabel?: string;
  /** The y axis label. */
  yLabel?: string;
  /** The title above the plot. */
  title?: string;
}
