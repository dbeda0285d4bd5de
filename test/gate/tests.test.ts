import { describe, expect, it } from 'vitest';
import { fisherGreater, mannWhitneyGreater } from '../../src/gate/tests.js';

describe('Mann–Whitney U, one-sided', () => {
  const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

  it('is near zero when every current value is above every baseline value', () => {
    expect(mannWhitneyGreater(range(1, 10), range(11, 10))).toBeLessThan(0.001);
  });

  it('is near one the other way round, and near one half for the same values', () => {
    expect(mannWhitneyGreater(range(11, 10), range(1, 10))).toBeGreaterThan(0.999);
    const same = mannWhitneyGreater(range(1, 10), range(1, 10));
    expect(same).toBeGreaterThan(0.4);
    expect(same).toBeLessThan(0.6);
  });

  it('copes with ties and with nothing to compare', () => {
    expect(mannWhitneyGreater([5, 5, 5], [5, 5, 5])).toBe(1);
    expect(mannWhitneyGreater([], [1, 2])).toBe(1);
  });
});

describe('Fisher exact, one-sided', () => {
  it('matches the hypergeometric tail: 0 of 20 against 5 of 20', () => {
    // C(20,5)·C(20,0) / C(40,5) = 15504 / 658008
    expect(fisherGreater(0, 20, 5, 20)).toBeCloseTo(15504 / 658008, 10);
  });

  it('is one when the current run failed no more than the baseline', () => {
    expect(fisherGreater(3, 20, 0, 20)).toBeCloseTo(1, 10);
  });
});

describe('Mann–Whitney U, exact for small samples', () => {
  it('gives 1/20 when three current values all exceed three baseline values', () => {
    // C(6,3) = 20 orderings, one of them puts all three current values on top.
    expect(mannWhitneyGreater([1, 2, 3], [4, 5, 6])).toBeCloseTo(1 / 20, 12);
  });

  it('gives 1/C(20,10) for two fully separated samples of ten', () => {
    expect(mannWhitneyGreater([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [11, 12, 13, 14, 15, 16, 17, 18, 19, 20])).toBeCloseTo(1 / 184_756, 12);
  });
});
