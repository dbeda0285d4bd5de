/**
 * What a workload truly costs and how fast it truly is, cell by cell, to judge recommendations by:
 * the median duration (what the analysis ranks by) and the expected cost of an invocation (the
 * analysis ranks by the mean cost), with the noise's mean and percentiles taken from a million
 * seeded draws.
 */
import { invocationCostUsd } from '../../src/cost/prices.js';
import type { Prices, SelectionOptions } from '../../src/result/types.js';
import { stream } from './random.js';
import type { Workload } from './workloads.js';

export interface TrueCell {
  memoryMb: number;
  chunkMb: number;
  failed: boolean;
  durationMs: number;
  costUsd: number;
  /** The duration at the percentiles a target may be set at. */
  p95Ms: number;
}

interface NoiseFacts {
  mean: number;
  p95: number;
}

const facts = new Map<string, NoiseFacts>();

function noiseFacts(workload: Workload): NoiseFacts {
  const known = facts.get(workload.name);
  if (known !== undefined) return known;
  const random = stream(`truth/${workload.name}`);
  const draws = Float64Array.from({ length: 1_000_000 }, () => workload.noise(random)).sort();
  const found = { mean: draws.reduce((total, x) => total + x, 0) / draws.length, p95: draws[Math.floor(0.95 * draws.length)] ?? 1 };
  facts.set(workload.name, found);
  return found;
}

export function trueCell(workload: Workload, memoryMb: number, chunkMb: number, prices: Prices): TrueCell {
  const median = workload.medianMs(memoryMb, chunkMb);
  if (median === 'out-of-memory') return { memoryMb, chunkMb, failed: true, durationMs: Number.NaN, costUsd: Number.NaN, p95Ms: Number.NaN };
  const noise = noiseFacts(workload);
  // Billed duration is the duration rounded up: half a millisecond more on average.
  const costUsd = invocationCostUsd(median * noise.mean + 0.5, memoryMb, prices);
  return { memoryMb, chunkMb, failed: false, durationMs: median, costUsd, p95Ms: median * noise.p95 };
}

/**
 * Whether a recommendation agrees with another: the same cell, or one whose true cost and true
 * duration are both within 2% of it.
 */
export function agrees(a: TrueCell | undefined, b: TrueCell | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.memoryMb === b.memoryMb && a.chunkMb === b.chunkMb) return true;
  const within = (x: number, y: number) => Math.abs(x / y - 1) <= 0.02;
  return within(a.costUsd, b.costUsd) && within(a.durationMs, b.durationMs);
}

/**
 * A duration target for a workload: about twice the fastest cell's p95, moved to halfway (on a log
 * scale) between the two cells' p95s it falls between, so that no cell sits right on it: a target a
 * cell's p95 touches is a coin toss for any way of measuring.
 */
export function targetFor(cells: readonly TrueCell[]): number {
  const p95s = cells
    .filter((c) => !c.failed)
    .map((c) => c.p95Ms)
    .sort((a, b) => a - b);
  const wanted = 2 * (p95s[0] ?? 0);
  const above = p95s.findIndex((p) => p > wanted);
  if (above <= 0) return Math.round(wanted);
  return Math.round(Math.sqrt((p95s[above - 1] ?? wanted) * (p95s[above] ?? wanted)));
}

/**
 * How much worse a recommendation truly is than the best cell, by the strategy's own measure, as a
 * fraction: cost over the cheapest; duration over the fastest; cost^w × duration^(1−w) over the
 * lowest; with a duration target, cost over the cheapest cell that truly meets it, or for a cell
 * that truly misses it, how far its p95 is over the target. No recommendation at all counts as 1.
 */
export function regret(pick: TrueCell | undefined, cells: readonly TrueCell[], selection: SelectionOptions): number {
  if (pick === undefined) return 1;
  const ok = cells.filter((c) => !c.failed);
  const { strategy, weight, maxDurationMs } = selection;
  if (maxDurationMs !== undefined) {
    if (pick.p95Ms > maxDurationMs) return pick.p95Ms / maxDurationMs - 1;
    const meeting = ok.filter((c) => c.p95Ms <= maxDurationMs);
    return pick.costUsd / Math.min(...meeting.map((c) => c.costUsd)) - 1;
  }
  const score = (c: TrueCell) =>
    strategy === 'cost'
      ? Math.log(c.costUsd)
      : strategy === 'speed'
        ? Math.log(c.durationMs)
        : weight * Math.log(c.costUsd) + (1 - weight) * Math.log(c.durationMs);
  return Math.exp(score(pick) - Math.min(...ok.map(score))) - 1;
}
