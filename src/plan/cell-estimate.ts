/**
 * What adaptive sampling knows of a cell: its median duration and cost with their 95% intervals
 * (the distribution-free ones of src/stats: below 6 samples a median's interval is the samples'
 * range, 75% confident at 3), and with a duration target the percentile it is judged at.
 */
import type { SelectionOptions } from '../result/types.js';
import { quantileSorted } from '../stats/library.js';
import { medianInterval } from '../stats/summary.js';
import { percentileBounds } from './percentile-bounds.js';

/** What the engine knows of a cell. */
export interface CellSamples {
  id: string;
  /** Durations of its successful warm measurements. */
  durationsMs: readonly number[];
  /** What each of those invocations cost, in the same order. */
  costsUsd: readonly number[];
  /** Measured invocations that failed. */
  failures: number;
  /** Invocations launched and not back yet. */
  inFlight?: number | undefined;
}

export interface Bounds {
  point: number;
  low: number;
  high: number;
}

/** A cell's estimates with their 95% intervals; only for a cell with a successful sample. */
export interface CellEstimate {
  id: string;
  n: number;
  /** The median duration and its interval; `confident` when that interval is a 95% one (6 samples or more). */
  duration: Bounds & { confident: boolean };
  /** The mean cost (what the analysis ranks by) within the interval of the median cost, widened to hold it. */
  cost: Bounds;
  /** With a duration target: its percentile, the lower bound distribution-free, the upper one too when `known`. */
  target?: (Bounds & { known: boolean }) | undefined;
}

export function measuredCount(cell: CellSamples): number {
  return cell.durationsMs.length + cell.failures;
}

/** The estimates of a cell that has successful samples. */
export function estimateCell(cell: CellSamples, selection: SelectionOptions): CellEstimate | undefined {
  if (cell.durationsMs.length === 0) return undefined;
  const durations = [...cell.durationsMs].sort((a, b) => a - b);
  const costs = [...cell.costsUsd].sort((a, b) => a - b);
  const medianCi = medianInterval(durations);
  const costCi = medianInterval(costs);
  const meanCost = costs.reduce((total, c) => total + c, 0) / costs.length;
  return {
    id: cell.id,
    n: durations.length,
    duration: { point: quantileSorted(durations, 0.5), low: medianCi.low, high: medianCi.high, confident: medianCi.confidence >= 0.95 },
    cost: { point: meanCost, low: Math.min(costCi.low, meanCost), high: Math.max(costCi.high, meanCost) },
    target: selection.maxDurationMs === undefined ? undefined : targetBounds(durations, selection.percentile),
  };
}

function targetBounds(sorted: readonly number[], percentile: SelectionOptions['percentile']): CellEstimate['target'] {
  const point = quantileSorted(sorted, percentile / 100);
  if (percentile === 50) {
    const ci = medianInterval(sorted);
    return { point, low: ci.low, high: ci.high, known: true };
  }
  const bounds = percentileBounds(sorted, percentile / 100);
  return { point, low: bounds.low, high: bounds.high, known: bounds.highKnown };
}
