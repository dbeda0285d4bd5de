import { describe, expect, it } from 'vitest';
import { invocationCostUsd, pricesFor } from '../../src/cost/prices.js';
import { cellSamplesOf } from '../../src/plan/cell-samples.js';
import { rangeSizes } from '../../src/plan/memory-search.js';
import { RangeSearch, sizeOutcome } from '../../src/plan/range-search.js';
import type { CellSummary, Sample, SelectionOptions, Summary } from '../../src/result/types.js';

const prices = pricesFor('us-east-1', 'x86_64');
const costOf = (durationMs: number, memoryMb: number) => invocationCostUsd(Math.ceil(durationMs), memoryMb, prices);
const balanced: SelectionOptions = { strategy: 'balanced', weight: 0.5, percentile: 95 };

describe('a range searched column by column', () => {
  it('probes every column, then takes each on its own until it settles', () => {
    const search = new RangeSearch(rangeSizes({ fromMb: 128, toMb: 3008, stepMb: 64 }), balanced, costOf);
    const first = search.next([
      { key: 'a', outcomes: [] },
      { key: 'b', outcomes: [] },
    ]);
    expect(first.map((c) => `${c.column}:${c.memoryMb}:${c.reason}`)).toEqual([
      'a:128:probe',
      'a:384:probe',
      'a:1024:probe',
      'a:3008:probe',
      'b:128:probe',
      'b:384:probe',
      'b:1024:probe',
      'b:3008:probe',
    ]);
    // Column a: every probe fails but the largest; one size tells the model nothing of a plateau, so it confirms the largest by its neighbour.
    const failedA = [128, 384, 1024].map((memoryMb) => ({ memoryMb, failed: true }));
    const outcome = (memoryMb: number) => {
      const durationMs = 20 + (400 * 1024) / Math.min(memoryMb, 1769);
      return { memoryMb, failed: false, durationMs, costUsd: costOf(durationMs, memoryMb) };
    };
    const second = search.next([
      { key: 'a', outcomes: [...failedA, outcome(3008)] },
      { key: 'b', outcomes: [128, 384, 1024, 3008].map(outcome) },
    ]);
    expect(second.filter((c) => c.column === 'a')).toEqual([{ column: 'a', memoryMb: 2944, reason: 'confirmation' }]);
    expect(second.filter((c) => c.column === 'b')).toEqual([{ column: 'b', memoryMb: expect.any(Number) as number, reason: 'model optimum' }]);
    expect(search.reasonFor('b', 384)).toBe('probe');
  });
});

const summary = (median: number): Summary => ({
  n: 5,
  mean: median,
  median,
  p90: median * 1.1,
  p95: median * 1.2,
  p99: median * 1.3,
  min: median,
  max: median,
  stdDev: 0,
  trimmedMean: median,
  medianCi: { low: median, high: median, confidence: 0.9 },
  outliers: 0,
});

describe('what the search reads of a cell', () => {
  const cell = { memoryMb: 512, failed: false, durationMs: summary(100), costPerInvocationUsd: 0.001 } as CellSummary;

  it('reads the median, or the percentile a duration target is judged at', () => {
    expect(sizeOutcome(cell, balanced)).toEqual({ memoryMb: 512, failed: false, durationMs: 100, costUsd: 0.001 });
    expect(sizeOutcome(cell, { ...balanced, maxDurationMs: 200 }).durationMs).toBeCloseTo(120);
    expect(sizeOutcome({ ...cell, failed: true }, balanced)).toEqual({ memoryMb: 512, failed: true });
  });
});

describe('what adaptive sampling reads of a cell', () => {
  const sample = (durationMs: number, extra: Partial<Sample> = {}): Sample => ({
    function: 'f',
    memoryMb: 512,
    params: {},
    durationMs,
    billedDurationMs: Math.ceil(durationMs),
    maxMemoryUsedMb: 60,
    status: 'success',
    cold: false,
    warmup: false,
    timings: {},
    ...extra,
  });

  it('counts warm measurements and failures, as the analysis does: warm-ups and cold starts apart', () => {
    const read = cellSamplesOf(
      'f/512MB',
      [sample(500, { warmup: true, cold: true }), sample(300, { cold: true }), sample(100), sample(110), sample(40, { status: 'error' })],
      (s) => s.billedDurationMs / 1000,
    );
    expect(read).toEqual({ id: 'f/512MB', durationsMs: [100, 110], costsUsd: [0.1, 0.11], failures: 1 });
  });
});
