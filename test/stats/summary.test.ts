import { describe, expect, it } from 'vitest';
import { medianInterval, summarize } from '../../src/stats/summary.js';

describe('summarize', () => {
  it('describes a set of durations', () => {
    const s = summarize([12, 10, 11, 13, 14, 10, 12, 11, 13, 12])!;
    expect(s).toMatchObject({ n: 10, mean: 11.8, median: 12, min: 10, max: 14, outliers: 0 });
    expect(s.stdDev).toBeCloseTo(1.3166, 4);
    expect(s.trimmedMean).toBeCloseTo(11.75, 6);
    expect(s.p90).toBeGreaterThanOrEqual(s.median);
    expect(s.p99).toBeLessThanOrEqual(s.max);
  });

  it('flags outliers by modified z-score, not ordinary spread', () => {
    expect(summarize([100, 101, 99, 100, 102, 98, 100, 101, 99, 400])!.outliers).toBe(1);
    expect(summarize([5, 5, 5, 5, 9])!.outliers).toBe(0);
  });

  it('is null for nothing and plain for one value', () => {
    expect(summarize([])).toBeNull();
    expect(summarize([7])).toMatchObject({ n: 1, median: 7, stdDev: 0, medianCi: { low: 7, high: 7 } });
  });
});

describe('medianInterval', () => {
  const sorted = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('uses order statistics x(6) and x(15) for n = 20, at 95.86%', () => {
    const ci = medianInterval(sorted(20));
    expect([ci.low, ci.high]).toEqual([6, 15]);
    expect(ci.confidence).toBeCloseTo(0.9586, 4);
  });

  it('covers the whole range when too few values reach 95%', () => {
    const ci = medianInterval(sorted(5));
    expect([ci.low, ci.high]).toEqual([1, 5]);
    expect(ci.confidence).toBeCloseTo(1 - 2 / 32, 6);
  });

  it('narrows as n grows', () => {
    const small = medianInterval(sorted(10));
    const large = medianInterval(sorted(100));
    expect((small.high - small.low) / 10).toBeGreaterThan((large.high - large.low) / 100);
    expect(large.confidence).toBeGreaterThanOrEqual(0.95);
  });
});
