import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/gate/compare.js';
import { renderGateMarkdown, renderGateTerminal } from '../../src/gate/render.js';
import { DEFAULT_RULES, parseRule } from '../../src/gate/rules.js';
import { resultOf } from '../helpers/gate.js';

/** A 16-cell run with three samples a cell, each 30% slower than its baseline: no check can be judged. */
function sixteenCellsOfThree() {
  const cells = (factor: number) =>
    [128, 256, 512, 1024].flatMap((memoryMb) => [1, 10, 20, 50].map((chunkMb) => ({ memoryMb, chunkMb, durations: [100, 104, 108].map((d) => d * factor) })));
  return compareResults(resultOf(cells(1)), resultOf(cells(1.3)), DEFAULT_RULES.map(parseRule), 0.95);
}

describe('the gate says what it skipped in one line per reason', () => {
  it('summarizes the skipped checks with their count and what to do', () => {
    const report = sixteenCellsOfThree();
    expect(report.skipped).toBeGreaterThan(16);
    const lines = renderGateTerminal(report).trimEnd().split('\n');
    expect(lines.filter((line) => line.includes('skipped:'))).toEqual([
      '80 checks skipped: 3 samples a cell cannot show a change at 95% confidence; use --invocations 4 or more (--verbose lists them).',
      '16 cold-start checks skipped: 0 cold starts a cell are too few to compare; a run measures one cold start per memory size, 4 are needed; leave the coldStart rule out if cold starts do not matter (--verbose lists them).',
    ]);
    // The summary, and before it why the gate did not pass: it judged nothing.
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^No relative check could be judged/);
    expect(lines[3]).toMatch(/^gate: INCONCLUSIVE/);
  });

  it('lists every skipped check with --verbose, in the terminal and in Markdown', () => {
    const report = sixteenCellsOfThree();
    const verbose = renderGateTerminal(report, true)
      .split('\n')
      .filter((line) => line.startsWith('Skipped '));
    expect(verbose).toHaveLength(report.skipped);
    expect(
      renderGateMarkdown(report, true)
        .split('\n')
        .filter((line) => line.startsWith('- Skipped ')),
    ).toHaveLength(report.skipped);
    expect(
      renderGateMarkdown(report)
        .split('\n')
        .filter((line) => line.includes('checks skipped')),
    ).toHaveLength(2);
  });

  it('names the samples a run needs: more at a higher confidence', () => {
    const cells = (factor: number) => [{ memoryMb: 512, durations: [100, 101, 102, 103].map((d) => d * factor) }];
    const at95 = compareResults(resultOf(cells(1)), resultOf(cells(1.3)), [parseRule('duration:p50 > 10%')], 0.95);
    const at999 = compareResults(resultOf(cells(1)), resultOf(cells(1.3)), [parseRule('duration:p50 > 10%')], 0.999);
    expect(at95.skipped).toBe(0);
    expect(renderGateTerminal(at999)).toMatch(/1 check skipped: 4 samples a cell cannot show a change at 99.9% confidence; use --invocations 7 or more/);
  });
});
