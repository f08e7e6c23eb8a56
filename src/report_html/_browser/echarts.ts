/// <reference lib="dom" />
/**
 * The small part of the ECharts API the page uses, typed (internal; ECharts is the inlined global).
 *
 * @module
 */

import { showExact } from "./data.ts";

/** An ECharts instance. */
export interface Chart {
  setOption(option: Record<string, unknown>, notMerge?: boolean): void;
  on(event: string, handler: (params: Record<string, unknown>) => void): void;
  dispatchAction(action: Record<string, unknown>): void;
  resize(): void;
}

/** The ECharts global. */
export interface ECharts {
  init(dom: HTMLElement, theme?: string | null, opts?: Record<string, unknown>): Chart;
}

/** The inlined ECharts. */
export function echarts(): ECharts {
  return (globalThis as unknown as { echarts: ECharts }).echarts;
}

/**
 * A value's label on a category axis, the same for the axis's list, its points and brushing: strings as
 * they are, numbers exactly, lists and objects as JSON ([1,2], [] — not String's "1,2" and ""), missing "".
 */
export function categoryOf(v: unknown): string {
  return v === null || v === undefined ? "" : typeof v === "string" ? v : showExact(v);
}

/** The categories of an axis over `values`, or null when all are finite numbers (a value axis). */
export function categoriesOf(values: unknown[]): string[] | null {
  if (
    values.every((v) =>
      v === null || v === undefined || typeof v === "number" || typeof v === "bigint"
    )
  ) {
    return null;
  }
  return [...new Set(values.map(categoryOf))].sort();
}

/** Whether a numeric axis over `values` is best shown logarithmically (all > 0, spanning ≥ 100×). */
export function logScale(values: number[]): boolean {
  if (values.length === 0 || values.some((v) => v <= 0)) return false;
  return Math.max(...values) / Math.min(...values) >= 100;
}
