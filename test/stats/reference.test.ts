import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mean, medianAbsoluteDeviation, quantileSorted, sampleStandardDeviation } from '../../src/stats/library.js';
import { medianInterval, summarize } from '../../src/stats/summary.js';
import type { Summary } from '../../src/result/types.js';
import { holds } from '../property/check.js';

/** summarize as it was: a comparator sort of an array, and simple-statistics' own median absolute deviation. */
function referenceSummary(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const median = quantileSorted(sorted, 0.5);
  const cut = Math.floor(sorted.length * 0.1);
  const mad = sorted.length < 3 ? 0 : medianAbsoluteDeviation([...sorted]);
  return {
    n: sorted.length,
    mean: mean(sorted),
    median,
    p90: quantileSorted(sorted, 0.9),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    stdDev: sorted.length > 1 ? sampleStandardDeviation(sorted) : 0,
    trimmedMean: mean(sorted.slice(cut, sorted.length - cut)),
    medianCi: medianInterval(sorted),
    outliers: mad === 0 ? 0 : sorted.filter((x) => Math.abs((0.6745 * (x - median)) / mad) > 3.5).length,
  };
}

/** Durations with ties, without, and with a far outlier or two. */
const durations = fc.oneof(
  fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 300 }),
  fc.array(fc.double({ min: 0, max: 1e5, noNaN: true, noDefaultInfinity: true }), { maxLength: 300 }),
  fc.array(fc.constantFrom(100, 101, 99, 100, 102, 4000), { maxLength: 300 }),
);

describe('summarize against the way it was', () => {
  it('describes any set of durations with the same figures, bit for bit', () => {
    holds(
      fc.property(durations, (values) => {
        expect(summarize(values)).toEqual(referenceSummary(values));
      }),
      1_000,
    );
  });

  it('describes a cell of 150,000 durations as before, without running out of stack', () => {
    const values = Array.from({ length: 150_000 }, (_, i) => 200 + ((i * 7919) % 1000) / 10);
    expect(summarize(values)).toEqual(referenceSummary(values));
  });
});
