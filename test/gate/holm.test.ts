import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/gate/compare.js';
import { DEFAULT_RULES, parseRule } from '../../src/gate/rules.js';
import { type CellSpec, resultOf } from '../helpers/gate.js';

const base = [100, 101, 102, 103, 104, 105, 106, 107, 108, 109];
/** A cell 3 ms slower: alone, a one-sided Mann–Whitney test gives p ≈ 0.029. */
const nudged = base.map((d) => d + 3);
const rules = [parseRule('duration:p50 > 1% error')];

function cells(count: number, first: number[]): CellSpec[] {
  return Array.from({ length: count }, (_, i) => ({ memoryMb: 128 * (i + 1), durations: i === 0 ? first : base }));
}

describe('the gate holds its false alarm rate across the whole comparison (Holm)', () => {
  it('fails a single check whose p-value is below 5%', () => {
    const report = compareResults(resultOf(cells(1, base)), resultOf(cells(1, nudged)), rules, 0.95);
    expect(report.status).toBe('fail');
    expect(report.verdicts[0]?.reason).toMatch(/significant after Holm's correction over 1 checks/);
  });

  it('calls the same p-value noise among sixteen checks, and says how it judged', () => {
    const report = compareResults(resultOf(cells(16, base)), resultOf(cells(16, nudged)), rules, 0.95);
    expect(report.status).toBe('pass');
    expect(report.correction).toEqual({ method: 'holm', errorFamily: 16, warnFamily: 0 });
    expect(report.verdicts[0]).toMatchObject({ outcome: 'noise' });
    expect(report.verdicts[0]?.reason).toMatch(/not a real change at 95% confidence over 16 checks \(p = 0\.029, Holm\)/);
  });

  it('still fails a change that is real in every cell', () => {
    const slower = base.map((d) => d * 1.2);
    const report = compareResults(resultOf(cells(16, base)), resultOf(cells(16, slower).map((c) => ({ ...c, durations: slower }))), rules, 0.95);
    expect(report.status).toBe('fail');
    expect(report.errors).toBe(16);
  });

  it('is inconclusive when no relative check could be judged, and names the invocations needed', () => {
    const three = [100, 101, 102];
    const report = compareResults(
      resultOf(cells(4, three).map((c) => ({ ...c, durations: three }))),
      resultOf(cells(4, three).map((c) => ({ ...c, durations: three.map((d) => d * 2) }))),
      rules,
      0.95,
    );
    expect(report).toMatchObject({ status: 'inconclusive', invocationsNeeded: 4, errors: 0 });
  });
});

describe('a gate that could not look is not a pass', () => {
  const defaults = DEFAULT_RULES.map(parseRule);

  it('is inconclusive with the default rules when three samples a cell hide a doubling', () => {
    const three = [100, 101, 102];
    const report = compareResults(
      resultOf([{ memoryMb: 512, durations: three }]),
      resultOf([{ memoryMb: 512, durations: three.map((d) => d * 2) }]),
      defaults,
      0.95,
    );
    expect(report.status).toBe('inconclusive');
  });

  it('is inconclusive when the current run measured nothing in a cell', () => {
    const ten = Array.from({ length: 10 }, (_, i) => 100 + i);
    const report = compareResults(resultOf([{ memoryMb: 512, durations: ten }]), resultOf([{ memoryMb: 512, durations: [] }]), defaults, 0.95);
    expect(report.status).toBe('inconclusive');
  });

  it('passes a sound run whose only blind spot is one cell of many', () => {
    const ten = Array.from({ length: 10 }, (_, i) => 100 + i);
    const cells = (last: number[]) => [...[128, 256, 512].map((memoryMb) => ({ memoryMb, durations: ten })), { memoryMb: 1024, durations: last }];
    const report = compareResults(resultOf(cells(ten)), resultOf(cells([])), defaults, 0.95);
    expect(report.status).toBe('pass');
  });
});
