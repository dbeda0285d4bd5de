import { describe, expect, it } from 'vitest';
import { type AdaptiveOptions, type CellSamples, judgeCells, nextCells } from '../../src/plan/adaptive.js';
import { estimateCell } from '../../src/plan/cell-estimate.js';
import type { SelectionOptions } from '../../src/result/types.js';

const balanced: SelectionOptions = { strategy: 'balanced', weight: 0.5, percentile: 95 };
const options = (overrides: Partial<AdaptiveOptions> = {}): AdaptiveOptions => ({
  minInvocations: 3,
  maxInvocations: 10,
  precision: 0.05,
  selection: balanced,
  ...overrides,
});

/** A cell whose invocations took these durations, each costing `usdPerMs` per millisecond. */
function cell(id: string, durationsMs: number[], usdPerMs: number, extra: Partial<CellSamples> = {}): CellSamples {
  return { id, durationsMs, costsUsd: durationsMs.map((d) => d * usdPerMs), failures: 0, ...extra };
}

/** Durations spread ±spread around a median, `n` of them, in a fixed order. */
function around(medianMs: number, spread: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => medianMs * (1 + spread * ((2 * i) / Math.max(1, n - 1) - 1)));
}

describe('a cell on its own', () => {
  it('keeps going below the least it may get, stops at the most, and at its first failure', () => {
    const verdicts = judgeCells(
      [cell('few', [100, 101], 1), cell('full', around(100, 0.3, 10), 1), cell('broken', [100, 100, 100], 1, { failures: 1 })],
      options(),
    );
    expect(verdicts.get('few')).toBeUndefined();
    expect(verdicts.get('full')).toBe('max');
    expect(verdicts.get('broken')).toBe('failed');
  });

  it('is precise once the 95% interval of its median is within ± the precision, which takes 6 samples', () => {
    expect(judgeCells([cell('a', around(100, 0.01, 5), 1)], options()).get('a')).toBeUndefined();
    expect(judgeCells([cell('a', around(100, 0.01, 6), 1)], options()).get('a')).toBe('precise');
    expect(judgeCells([cell('a', around(100, 0.2, 6), 1)], options()).get('a')).toBeUndefined();
    expect(judgeCells([cell('a', around(100, 0.2, 6), 1)], options({ precision: 0.25 })).get('a')).toBe('precise');
  });

  it('estimates the mean cost inside the interval of the median cost', () => {
    const estimate = estimateCell(cell('a', [100, 100, 100, 100, 500], 1), balanced)!;
    expect(estimate.cost.point).toBe(180);
    expect(estimate.cost.high).toBe(500);
    expect(estimate.duration.point).toBe(100);
  });
});

describe('cells against each other', () => {
  it('sets aside a cell that is surely slower and dearer than another', () => {
    const verdicts = judgeCells([cell('fast', [100, 102, 104], 1), cell('slow', [200, 205, 210], 1)], options());
    expect(verdicts.get('slow')).toBe('dominated');
    expect(verdicts.get('fast')).toBeUndefined();
  });

  it('does not let a cell with fewer samples than the least rule others out', () => {
    const verdicts = judgeCells([cell('fast', [100, 102], 1), cell('slow', [200, 205, 210], 1)], options());
    expect(verdicts.get('slow')).toBeUndefined();
  });

  it('does not set aside a cell whose ranges overlap the other', () => {
    const verdicts = judgeCells([cell('a', [100, 120, 140], 1), cell('b', [130, 150, 170], 1)], options());
    expect(verdicts.get('b')).toBeUndefined();
  });

  it('takes a cell up again when the evidence against it weakens', () => {
    const slow = cell('slow', [200, 205, 210], 1);
    expect(judgeCells([cell('fast', [100, 102, 104], 1), slow], options()).get('slow')).toBe('dominated');
    expect(judgeCells([cell('fast', [100, 102, 104, 400, 410, 420], 1), slow], options()).get('slow')).toBeUndefined();
  });

  // Faster but dearer (more memory): which one is out depends on the strategy.
  const cheap = cell('cheap', [400, 410, 420], 1);
  const quick = cell('quick', [100, 102, 104], 8);

  it('under cost: a cell surely dearer than another is out of the running', () => {
    const verdicts = judgeCells([cheap, quick], options({ selection: { ...balanced, strategy: 'cost' } }));
    expect(verdicts.get('quick')).toBe('out-of-running');
    expect(verdicts.get('cheap')).toBeUndefined();
  });

  it('under speed: a cell surely slower is out, unless it is cheaper and its median cannot be told apart from a contender', () => {
    const speed = options({ selection: { ...balanced, strategy: 'speed' } });
    expect(judgeCells([cheap, quick], speed).get('cheap')).toBe('out-of-running');
    const close = cell('close', [103, 106, 110], 1);
    const verdicts = judgeCells([close, quick], speed);
    expect(verdicts.get('close')).toBeUndefined();
    expect(verdicts.get('quick')).toBeUndefined();
  });

  it('under balanced: a cell whose score is surely worse is out', () => {
    const worse = cell('worse', [450, 460, 470], 1);
    expect(judgeCells([cheap, worse], options()).get('worse')).toBe('dominated');
    const dearer = cell('dearer', [380, 390, 400], 4);
    expect(judgeCells([cheap, dearer], options()).get('dearer')).toBe('out-of-running');
  });
});

describe('a duration target', () => {
  const target = (ms: number): AdaptiveOptions => options({ selection: { ...balanced, maxDurationMs: ms, percentile: 95 } });

  it('rules out a cell that surely misses it once another meets it, and one dearer than a cell that meets it', () => {
    const verdicts = judgeCells([cell('slow', [300, 310, 320], 0.5), cell('meets', [100, 102, 104], 2), cell('dear', [50, 51, 52], 8)], target(200));
    expect(verdicts.get('slow')).toBe('out-of-running');
    expect(verdicts.get('dear')).toBe('out-of-running');
    expect(verdicts.get('meets')).toBeUndefined();
  });

  it('keeps a cell that misses it when nothing meets it and it may be the fastest', () => {
    const verdicts = judgeCells([cell('a', [300, 310, 320], 1), cell('b', [305, 315, 325], 1)], target(200));
    expect(verdicts.get('a')).toBeUndefined();
    expect(verdicts.get('b')).toBeUndefined();
  });

  it('does not call a cell near the target precise: its p95 cannot be bounded above with 10 samples', () => {
    const verdicts = judgeCells([cell('a', around(100, 0.01, 9), 1)], target(101));
    expect(verdicts.get('a')).toBeUndefined();
    expect(judgeCells([cell('a', around(100, 0.01, 9), 1)], target(90)).get('a')).toBe('precise');
  });
});

describe('what to invoke next', () => {
  it('fills every cell up to the least it may get first, fewest samples first', () => {
    const cells = [cell('a', [100, 101, 102], 1), cell('b', [], 1), cell('c', [100], 1)];
    expect(nextCells(cells, 3, options())).toEqual(['b', 'c', 'b']);
    const ten = nextCells(cells, 10, options());
    expect(ten.slice(0, 5)).toEqual(['b', 'c', 'b', 'c', 'b']);
    // Then every open cell in turn, none beyond its share of the pool (10 slots over 3 cells: 4).
    expect(ten.filter((id) => id === 'b')).toHaveLength(4);
    expect(ten).toHaveLength(10);
  });

  it('offers no cell that has stopped, and none beyond the most it may get, counting those in flight', () => {
    const cells = [cell('slow', [200, 205, 210], 1), cell('fast', around(100, 0.2, 8), 1, { inFlight: 2 }), cell('done', around(100, 0.01, 6), 1)];
    expect(nextCells(cells, 5, options({ selection: { ...balanced, strategy: 'speed' } }))).toEqual([]);
  });

  it('ranks the cells that could still beat the leader before those that can only lose to it', () => {
    const leader = cell('leader', around(100, 0.2, 6), 1);
    const rival = cell('rival', around(105, 0.2, 6), 1);
    const behind = cell('behind', around(115, 0.1, 6), 1);
    expect(nextCells([behind, rival, leader], 3, options())).toEqual(['leader', 'rival', 'behind']);
  });
});
