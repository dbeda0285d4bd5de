import { describe, expect, it } from 'vitest';
import { digestResult } from '../../src/history/digest.js';
import { buildHistory } from '../../src/history/history.js';
import { holmSignificant } from '../../src/history/holm.js';
import { renderHistoryMarkdown } from '../../src/history/markdown.js';
import { renderHistoryTerminal } from '../../src/history/terminal.js';
import type { History } from '../../src/history/types.js';
import type { TuneResult } from '../../src/result/types.js';
import { durations, normal, resultOf, seeded } from '../helpers/gate.js';
import { GRID, resultOn, series } from './series.js';

const SETTINGS = { confidence: 0.95, minChangePercent: 5, orderedBy: 'startedAt' as const };

function historyOf(results: readonly TuneResult[], settings: Partial<typeof SETTINGS> = {}): History {
  const digests = results.map((result, i) => digestResult(result, { origin: `run-${i + 1}/result.json` }));
  return buildHistory(digests, { ...SETTINGS, ...settings });
}

describe('change points', () => {
  it('flags exactly the run where one cell really shifted, and names the cell, its direction and size', () => {
    const history = historyOf(series(8, { shiftAt: 4, shifted: 3, factor: 1.2 }));
    expect(history.changePoints).toEqual([4]);
    const run4 = history.runs[3]!.comparison;
    expect(run4).toMatchObject({ status: 'compared', cells: 4, changePoint: true });
    if (run4.status !== 'compared') throw new Error('run 4 was not compared');
    expect(run4.shifts).toHaveLength(1);
    const shift = run4.shifts[0]!;
    expect(shift).toMatchObject({ cellId: 'hasher/512MB/chunkSizeMb=20', direction: 'slower' });
    expect(shift.changePercent).toBeGreaterThan(10);
    expect(shift.changePercent).toBeLessThan(30);
    expect(shift.pValue).toBeLessThan(0.05 / 4);
  });

  it('flags a speed-up as a shift too (the test is two-sided)', () => {
    const history = historyOf(series(6, { shiftAt: 3, shifted: 0, factor: 0.75, seed: 21 }));
    expect(history.changePoints).toEqual([3]);
    const c = history.runs[2]!.comparison;
    expect(c.status === 'compared' && c.shifts.map((s) => [s.cellId, s.direction])).toEqual([['hasher/256MB/chunkSizeMb=10', 'faster']]);
  });

  it.each([1, 2, 3, 4, 5])('flags nothing in runs of an unchanged function (A/A noise, seed %i)', (seed) => {
    const history = historyOf(series(10, { seed }));
    expect(history.changePoints).toEqual([]);
    expect(history.runs.every((run) => run.comparison.status !== 'not-comparable')).toBe(true);
  });

  it('does not count a real move smaller than the minimum change', () => {
    // 400 samples a cell: a 3% move is far beyond the noise, but below --min-change 5.
    const results = series(2, { shiftAt: 2, shifted: 3, factor: 1.03, samples: 400, seed: 9 });
    expect(historyOf(results).changePoints).toEqual([]);
    expect(historyOf(results, { minChangePercent: 1 }).changePoints).toEqual([2]);
  });

  it('compares only the cells both runs measured', () => {
    const noise = normal(seeded(5));
    const cells = (memory: number[]) => memory.map((memoryMb) => ({ memoryMb, chunkMb: 10, durations: durations(noise, 100_000 / memoryMb, 0.05) }));
    const history = historyOf([resultOn(1, cells([256, 512])), resultOn(2, cells([512, 1024]))]);
    expect(history.runs[1]!.comparison).toMatchObject({ status: 'compared', cells: 1, changePoint: false });
  });

  it('marks a run of other functions or axes as not comparable, shows it, and compares the next run with it', () => {
    const noise = normal(seeded(8));
    const cell = (chunkMb?: number) => ({ memoryMb: 512, ...(chunkMb === undefined ? {} : { chunkMb }), durations: durations(noise, 600, 0.05) });
    const history = historyOf([resultOn(1, [cell(10)]), resultOn(2, [cell(10)], 'other'), resultOn(3, [cell()], 'other'), resultOn(4, [cell()], 'other')]);
    expect(history.runs.map((run) => run.comparison.status)).toEqual(['first', 'not-comparable', 'not-comparable', 'compared']);
    expect(history.runs[1]!.comparison).toEqual({ status: 'not-comparable', reasons: ['functions differ (hasher → other)'] });
    expect(history.runs[2]!.comparison).toEqual({ status: 'not-comparable', reasons: ['the axes differ (chunkSizeMb → none)'] });
    expect(history.runs[2]!.recommended).not.toBeNull();
    expect(history.changePoints).toEqual([]);
  });

  it('tells a region or payload change apart from a performance change', () => {
    const noise = normal(seeded(4));
    const cells = [{ memoryMb: 512, durations: durations(noise, 600, 0.05) }];
    const history = historyOf([resultOf(cells), resultOf(cells, { region: 'eu-west-1' }), resultOf(cells, { region: 'eu-west-1', payload: { a: 1 } })]);
    expect(history.runs.map((run) => run.comparison.status === 'not-comparable' && run.comparison.reasons)).toEqual([
      false,
      ['regions differ (us-east-1 → eu-west-1)'],
      ['the payloads differ'],
    ]);
  });

  it('follows the recommended configuration and says where it changed', () => {
    const history = historyOf(series(8, { shiftAt: 4, shifted: 3, factor: 1.2 }));
    expect(history.runs.map((run) => run.recommended?.cellId)).toEqual([
      ...Array<string>(3).fill('hasher/512MB/chunkSizeMb=20'),
      ...Array<string>(5).fill('hasher/512MB/chunkSizeMb=10'),
    ]);
    expect(history.runs.map((run) => run.recommendationChanged)).toEqual([true, false, false, true, false, false, false, false]);
    const first = history.runs[0]!.recommended!;
    expect(first).toMatchObject({ function: 'hasher', memoryMb: 512, params: { chunkSizeMb: 20 } });
    expect(first.p95Ms).toBeGreaterThan(first.medianMs);
    expect(first.costPerMillionUsd).toBeGreaterThan(0);
  });

  it('shows a single result: no comparison, no change point', () => {
    const history = historyOf(series(1));
    expect(history.runs).toHaveLength(1);
    expect(history.runs[0]).toMatchObject({ number: 1, comparison: { status: 'first' }, recommendationChanged: true });
    expect(history.changePoints).toEqual([]);
  });

  it('shows a run where every cell failed with no recommendation, and still compares what it measured', () => {
    const noise = normal(seeded(2));
    const cell = (factor: number, failures: number) =>
      GRID.map((c) => ({ memoryMb: c.memoryMb, chunkMb: c.chunkMb, durations: durations(noise, c.meanMs * factor, 0.05), failures }));
    const history = historyOf([resultOn(1, cell(1, 0)), resultOn(2, cell(1.5, 1)), resultOn(3, cell(1.5, 0))]);
    expect(history.runs.map((run) => run.recommended === null)).toEqual([false, true, false]);
    expect(history.runs[1]!.recommendationChanged).toBe(true);
    expect(history.changePoints).toEqual([2]);
    const c = history.runs[1]!.comparison;
    expect(c.status === 'compared' && c.shifts.length).toBe(4);
  });

  it('keeps a thousand runs linear: each run meets only the one before it', () => {
    const results = series(1000, { seed: 12, samples: 10 });
    const history = historyOf(results);
    expect(history.runs).toHaveLength(1000);
    expect(history.runs.filter((run) => run.comparison.status === 'compared')).toHaveLength(999);
    // A false alarm is possible in each comparison (at most 5%); over 999 of them, only a few.
    expect(history.changePoints.length).toBeLessThan(50);
  });
});

describe('runs with too few samples to compare', () => {
  it('say that nothing could be told, rather than that nothing shifted', () => {
    const few = (factor: number) => resultOf([{ memoryMb: 512, durations: [100 * factor, 101 * factor] }]);
    const history = historyOf([few(1), few(3)]);
    expect(history.runs[1]!.comparison).toMatchObject({ status: 'compared', cells: 0, changePoint: false });
    expect(renderHistoryTerminal(history)).toContain('Run 2 (');
    expect(renderHistoryTerminal(history)).toMatch(/no cell had enough samples in both runs to compare \(at least 3 warm successful samples a cell\)/);
    expect(renderHistoryMarkdown(history)).toMatch(/## Not compared with the run before\n\n- Run 2 .*no cell had enough samples/);
  });
});

describe("Holm's step-down procedure", () => {
  it('tests the k-th smallest p-value at α / (m − k + 1), stopping at the first that fails', () => {
    expect(holmSignificant([0.01, 0.04, 0.03, 0.005], 0.05)).toEqual([true, false, false, true]);
    expect(holmSignificant([0.012, 0.02, 0.001], 0.05)).toEqual([true, true, true]);
    expect(holmSignificant([0.02, 0.001, 0.3, 0.026], 0.05)).toEqual([false, true, false, false]);
    expect(holmSignificant([], 0.05)).toEqual([]);
  });
});
