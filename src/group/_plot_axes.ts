/**
 * Axes of the SVG plot (internal): d3's "nice" linear domains with 1-2-5 ticks, log axes in decades, tick
 * labels with just the decimals the step needs, and the map from data values to pixels.
 *
 * @module
 */

import { exponential } from "./_text.ts";

/** An axis: its domain, its ticks and their labels. */
export interface Axis {
  /** The domain, in data units. */
  lo: number;
  hi: number;
  /** Labelled ticks and their labels. */
  ticks: number[];
  labels: string[];
  /** Unlabelled ticks (log axes: 2…9 × 10^k). */
  minor: number[];
  log: boolean;
}

/**
 * d3's tick increment: a step of 1, 2 or 5 × 10^k for about `count` ticks. Positive: the step itself;
 * negative: minus its inverse (so 0.05 is -20), which keeps tick values free of float noise.
 */
function tickIncrement(lo: number, hi: number, count: number): number {
  const step = (hi - lo) / Math.max(1, count);
  const power = Math.floor(Math.log10(step));
  const error = step / 10 ** power;
  const factor = error >= Math.sqrt(50)
    ? 10
    : error >= Math.sqrt(10)
    ? 5
    : error >= Math.sqrt(2)
    ? 2
    : 1;
  return power >= 0 ? factor * 10 ** power : -(10 ** -power) / factor;
}

/** A linear axis over [min, max]: d3's "nice" domain (extended to whole steps) and its ticks. */
export function linearAxis(min: number, max: number, count: number): Axis {
  let lo = min, hi = max;
  const scale = Math.max(Math.abs(lo), Math.abs(hi));
  if (hi - lo <= scale * 1e-12) { // all equal (or equal up to float noise): a range around the value
    const half = scale === 0 ? 1 : scale * 0.1;
    lo -= half;
    hi += half;
  }
  let inc = NaN;
  for (let i = 0; i < 10; i++) { // d3's scale.nice(): repeat until the step no longer changes
    const next = tickIncrement(lo, hi, count);
    if (!Number.isFinite(next) || next === 0 || next === inc) break;
    inc = next;
    if (inc > 0) {
      lo = Math.floor(lo / inc) * inc;
      hi = Math.ceil(hi / inc) * inc;
    } else {
      lo = Math.ceil(lo * inc) / inc;
      hi = Math.floor(hi * inc) / inc;
    }
  }
  let ticks: number[] = [];
  if (Number.isFinite(inc) && inc !== 0) {
    const [a, b] = inc > 0 ? [Math.ceil(lo / inc), Math.floor(hi / inc)] : [
      Math.ceil(lo * -inc),
      Math.floor(hi * -inc),
    ];
    if (b - a < 1000) {
      for (let k = a; k <= b; k++) ticks.push(inc > 0 ? k * inc : k / -inc);
    }
  }
  if (ticks.length === 0 || !Number.isFinite(lo) || !Number.isFinite(hi)) { // beyond float range
    lo = min;
    hi = max;
    ticks = [lo, hi];
    inc = hi - lo;
  }
  const step = inc > 0 ? inc : 1 / -inc;
  return { lo, hi, ticks, labels: linearLabels(ticks, step), minor: [], log: false };
}

/** Tick labels with just the decimals the step needs: `0.1 0.15 0.2`, `1e6 1.5e6`, `2e-5 4e-5`. */
function linearLabels(ticks: number[], step: number): string[] {
  const big = Math.max(...ticks.map(Math.abs));
  const stepPower = Math.floor(Math.log10(step) + 1e-9);
  if (big >= 1e6 || big < 1e-3) {
    return ticks.map((t) =>
      t === 0 ? "0" : exponential(t, Math.floor(Math.log10(Math.abs(t)) + 1e-9) - stepPower)
    );
  }
  const decimals = Math.max(0, Math.min(20, -stepPower)); // steps are 1, 2 or 5 × 10^stepPower
  return ticks.map((t) => {
    let s = t.toFixed(decimals);
    if (s.includes(".")) s = s.replace(/\.?0+$/, "");
    return s === "-0" ? "0" : s;
  });
}

/** A log axis over [min, max] (both > 0): whole decades, labels at powers of ten, 2…9 × 10^k between. */
export function logAxis(min: number, max: number, maxTicks: number): Axis {
  let lo = Math.floor(Math.log10(min) + 1e-12);
  let hi = Math.ceil(Math.log10(max) - 1e-12);
  if (hi <= lo) { // one value, a power of ten: a decade either side
    lo -= 1;
    hi += 1;
  }
  const every = Math.max(1, Math.ceil((hi - lo) / Math.max(1, maxTicks - 1)));
  lo = Math.floor(lo / every) * every;
  hi = Math.ceil(hi / every) * every;
  const plain = lo >= -3 && hi <= 4;
  const ticks: number[] = [], labels: string[] = [], minor: number[] = [];
  // Within one decade, 2 × and 5 × 10^k are labelled too; otherwise only the powers of ten.
  const labelled = hi - lo === 1 ? [1, 2, 5] : [1];
  for (let k = lo; k <= hi; k += every) {
    for (const m of k === hi ? [1] : labelled) {
      ticks.push(Number(`${m}e${k}`));
      labels.push(plain ? String(Number(`${m}e${k}`)) : `${m}e${k}`);
    }
    if (every === 1 && k < hi && hi - lo <= 8) {
      for (let m = 2; m <= 9; m++) if (!labelled.includes(m)) minor.push(Number(`${m}e${k}`));
    }
  }
  return { lo: Number(`1e${lo}`), hi: Number(`1e${hi}`), ticks, labels, minor, log: true };
}

/** A map from data values to pixels between `from` and `to` (inset from the axes). */
export function scaler(axis: Axis, from: number, to: number): (v: number) => number {
  const f = axis.log ? Math.log10 : (v: number) => v;
  const a = f(axis.lo), b = f(axis.hi);
  return (v) => from + ((f(v) - a) / (b - a)) * (to - from);
}
