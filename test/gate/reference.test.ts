import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fisherGreater, mannWhitneyGreater } from '../../src/gate/tests.js';
import { errorFunction } from '../../src/stats/library.js';
import { holds } from '../property/check.js';

/**
 * The tests against references written the plain way, slow but easy to check by eye: U by
 * comparing every pair, the exact distribution by counting rank sums, Fisher's tail with exact
 * integers, and ln n! summed afresh at every call.
 */

/** U as the count of (baseline, current) pairs with the current value above, ties counting a half. */
function pairwiseU(baseline: readonly number[], current: readonly number[]): number {
  let u = 0;
  for (const c of current) for (const b of baseline) u += c > b ? 1 : c === b ? 0.5 : 0;
  return u;
}

/** Σ(t³ − t) over the groups of t equal values among both samples. */
function tieTerm(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let term = 0;
  for (const t of [...counts.values()].sort((a, b) => a - b)) term += t * t * t - t;
  return term;
}

/** P(U ≥ u) without ties: how many of the C(n, n2) choices of the current values' ranks give a rank sum that large. */
function exactTail(n1: number, n2: number, u: number): number {
  const n = n1 + n2;
  const sums = (n * (n + 1)) / 2 + 1;
  // ways[k][s]: choices of k ranks among those seen so far that sum to s.
  let ways = Array.from({ length: n2 + 1 }, (_, k) => Array.from({ length: sums }, (_, s): number => (k === 0 && s === 0 ? 1 : 0)));
  for (let rank = 1; rank <= n; rank++) {
    const next = ways.map((row) => [...row]);
    for (let k = 1; k <= n2; k++) {
      for (let s = 0; s + rank < sums; s++) next[k]![s + rank]! += ways[k - 1]![s]!;
    }
    ways = next;
  }
  const least = u + (n2 * (n2 + 1)) / 2;
  const counts = ways[n2]!;
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.reduce((sum, count, s) => (s >= least ? sum + count : sum), 0) / total;
}

function referenceMannWhitney(baseline: readonly number[], current: readonly number[]): number {
  const n1 = baseline.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0) return 1;
  const u = pairwiseU(baseline, current);
  const ties = tieTerm([...baseline, ...current]);
  if (ties === 0 && n1 <= 25 && n2 <= 25) return exactTail(n1, n2, u);
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (variance <= 0) return u > (n1 * n2) / 2 ? 0 : 1;
  return 0.5 * (1 - errorFunction((u - (n1 * n2) / 2 - 0.5) / Math.sqrt(variance) / Math.SQRT2));
}

function choose(n: number, k: number): bigint {
  let result = 1n;
  for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i);
  return result;
}

/** P(at least `currentFailures` of the failures fall in the current run), with exact integers. */
function referenceFisher(baselineFailures: number, baselineTotal: number, currentFailures: number, currentTotal: number): number {
  const failures = baselineFailures + currentFailures;
  let tail = 0n;
  for (let k = currentFailures; k <= Math.min(failures, currentTotal); k++) tail += choose(currentTotal, k) * choose(baselineTotal, failures - k);
  const all = choose(baselineTotal + currentTotal, failures);
  const scale = 10n ** 30n;
  return Math.min(1, Number((tail * scale) / all) / 1e30);
}

/** Fisher's test as it was: ln n! summed from 2 at every call. */
function fisherSummingAfresh(baselineFailures: number, baselineTotal: number, currentFailures: number, currentTotal: number): number {
  const logFactorial = (n: number) => {
    let total = 0;
    for (let i = 2; i <= n; i++) total += Math.log(i);
    return total;
  };
  const logChoose = (n: number, k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  const failures = baselineFailures + currentFailures;
  const total = baselineTotal + currentTotal;
  let p = 0;
  for (let k = currentFailures; k <= Math.min(failures, currentTotal); k++) {
    p += Math.exp(logChoose(currentTotal, k) + logChoose(baselineTotal, failures - k) - logChoose(total, failures));
  }
  return Math.min(1, p);
}

/** Samples with ties (small whole numbers), without (spread doubles), or of both kinds. */
const values = (maxLength: number) =>
  fc.oneof(
    fc.array(fc.integer({ min: 0, max: 12 }), { maxLength }),
    fc.uniqueArray(fc.double({ min: 0, max: 1e4, noNaN: true, noDefaultInfinity: true }), { maxLength }),
    fc.array(fc.constantFrom(1, 2.5, 2.5, 7, 100), { maxLength }),
  );

describe('Mann–Whitney U against the plain reference', () => {
  it('gives the same p on any two samples, exact and approximate, with and without ties', () => {
    holds(
      fc.property(values(40), values(40), (baseline, current) => {
        expect(mannWhitneyGreater(baseline, current)).toBeCloseTo(referenceMannWhitney(baseline, current), 12);
      }),
      600,
    );
  });

  it('gives the same p on samples of a few thousand', () => {
    holds(
      fc.property(values(2_000), values(2_000), (baseline, current) => {
        expect(mannWhitneyGreater(baseline, current)).toBeCloseTo(referenceMannWhitney(baseline, current), 12);
      }),
      20,
    );
  });
});

describe('Fisher exact against the plain reference', () => {
  const counts = fc
    .tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 120 }))
    .chain(([baselineTotal, currentTotal]) =>
      fc.tuple(fc.integer({ min: 0, max: baselineTotal }), fc.constant(baselineTotal), fc.integer({ min: 0, max: currentTotal }), fc.constant(currentTotal)),
    );

  it('gives the hypergeometric tail of exact integers, and the same figure as summing ln n! afresh, bit for bit', () => {
    holds(
      fc.property(counts, ([bf, bt, cf, ct]) => {
        const p = fisherGreater(bf, bt, cf, ct);
        expect(p).toBeCloseTo(referenceFisher(bf, bt, cf, ct), 10);
        expect(p).toBe(fisherSummingAfresh(bf, bt, cf, ct));
      }),
      600,
    );
  });

  it('gives the same figure for runs of 150,000 samples', () => {
    // Summing afresh costs n for each ln n!: the cases keep the tail short.
    for (const [bf, cf] of [
      [0, 3],
      [12, 40],
      [60, 75],
    ] as const) {
      expect(fisherGreater(bf, 150_000, cf, 150_000)).toBe(fisherSummingAfresh(bf, 150_000, cf, 150_000));
    }
  });
});
