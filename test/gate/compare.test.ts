import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/gate/compare.js';
import { parseRule } from '../../src/gate/rules.js';
import { durations, normal, resultOf, seeded } from '../helpers/gate.js';

const rules = (...texts: string[]) => texts.map(parseRule);

describe('compareResults', () => {
  const noise = normal(seeded(7));
  const base = resultOf([{ memoryMb: 512, durations: durations(noise, 200, 0.05), maxMemoryUsedMb: 100, timings: () => ({ mbPerSecond: 70 }) }]);

  it('flags a real slowdown past the threshold at its level, for duration and cost', () => {
    const slower = resultOf([{ memoryMb: 512, durations: durations(noise, 260, 0.05), maxMemoryUsedMb: 100 }]);
    const report = compareResults(base, slower, rules('duration:p50 > 10% error', 'cost > 10% warn'), 0.95);
    expect(report.verdicts.map((v) => [v.metric, v.outcome])).toEqual([
      ['duration', 'error'],
      ['cost', 'warn'],
    ]);
    expect(report.verdicts[0]!.changePercent).toBeGreaterThan(20);
    expect(report.verdicts[0]!.pValue).toBeLessThan(0.001);
    expect(report).toMatchObject({ errors: 1, warnings: 1 });
  });

  it('passes a faster run, and a slowdown under the threshold', () => {
    const faster = resultOf([{ memoryMb: 512, durations: durations(noise, 150, 0.05) }]);
    const slightly = resultOf([{ memoryMb: 512, durations: durations(noise, 210, 0.05) }]);
    expect(compareResults(base, faster, rules('duration:p50 > 10%'), 0.95).verdicts[0]!.outcome).toBe('pass');
    expect(compareResults(base, slightly, rules('duration:p50 > 10%'), 0.95).verdicts[0]!.outcome).toBe('pass');
  });

  it('calls a change past the threshold noise when the samples cannot show it is real', () => {
    const spread = resultOf([{ memoryMb: 512, durations: [100, 400, 150, 300, 120, 350, 200, 250] }]);
    const alike = resultOf([{ memoryMb: 512, durations: [130, 380, 200, 320, 150, 390, 220, 280] }]);
    const verdict = compareResults(spread, alike, rules('duration:p50 > 10%'), 0.95).verdicts[0]!;
    expect(verdict.changePercent).toBeGreaterThan(10);
    expect(verdict.outcome).toBe('noise');
  });

  it('skips, and says so, a rule the samples are too few to ever confirm', () => {
    const three = resultOf([{ memoryMb: 512, durations: [100, 110, 120] }]);
    const slower = resultOf([{ memoryMb: 512, durations: [300, 310, 320] }]);
    const report = compareResults(three, slower, rules('duration:p50 > 10%'), 0.95);
    expect(report.verdicts[0]).toMatchObject({ outcome: 'skipped' });
    expect(report.verdicts[0]!.reason).toContain('cannot show a change at 95% confidence');
    expect(report.skipped).toBe(1);
  });

  it('sees a longer tail that a shift in the middle would not show', () => {
    const steady = Array.from({ length: 40 }, (_, i) => 100 + (i % 8));
    const tail = steady.map((d, i) => (i % 4 === 0 ? d * 3 : d));
    const report = compareResults(
      resultOf([{ memoryMb: 512, durations: steady }]),
      resultOf([{ memoryMb: 512, durations: tail }]),
      rules('duration:p95 > 20% error', 'duration:p50 > 20% error'),
      0.95,
    );
    expect(report.verdicts.map((v) => [v.rule, v.outcome])).toEqual([
      ['duration:p95 > 20% error', 'error'],
      ['duration:p50 > 20% error', 'pass'],
    ]);
  });

  it("prices both runs at the baseline's prices and compares payloads whatever their key order", () => {
    const noiseFree = [200, 201, 202, 203, 204, 205, 206, 207, 208, 209];
    const base = resultOf([{ memoryMb: 512, durations: noiseFree }], { payload: { a: 1, b: 2 } });
    const dearerPrices = resultOf([{ memoryMb: 512, durations: noiseFree }], { payload: { b: 2, a: 1 } });
    dearerPrices.functions[0]!.prices = { ...dearerPrices.functions[0]!.prices, pricePerGbSecondUsd: 0.0001 };
    expect(compareResults(base, dearerPrices, rules('cost > 5% error'), 0.95).verdicts[0]!.outcome).toBe('pass');
  });

  it('checks absolute limits, memory, error rates, timings that should not fall, and cold starts', () => {
    const hungry = resultOf([
      {
        memoryMb: 512,
        durations: durations(noise, 200, 0.05),
        maxMemoryUsedMb: 480,
        failures: 6,
        timings: () => ({ mbPerSecond: 50 }),
        coldInitMs: [300, 310, 320],
      },
    ]);
    const baseWithCold = resultOf([
      { memoryMb: 512, durations: durations(noise, 200, 0.05), maxMemoryUsedMb: 100, timings: () => ({ mbPerSecond: 70 }), coldInitMs: [200, 205, 210] },
    ]);
    const report = compareResults(
      baseWithCold,
      hungry,
      rules('maxMemory > 400 error', 'errorRate > 0 error', 'timing:mbPerSecond:p50 < 10% warn', 'coldStart:p50 > 25% warn'),
      0.95,
    );
    const byMetric = Object.fromEntries(report.verdicts.map((v) => [v.metric, v]));
    expect(byMetric['maxMemory']).toMatchObject({ outcome: 'error', current: 480 });
    expect(byMetric['errorRate']).toMatchObject({ outcome: 'error', baseline: 0 });
    expect(byMetric['timing:mbPerSecond']).toMatchObject({ outcome: 'warn' });
    expect(byMetric['timing:mbPerSecond']!.changePercent).toBeCloseTo(((70 - 50) / 70) * 100, 6);
    // Three cold starts a side can never show a change at 95%: the check is skipped, and says so.
    expect(byMetric['coldStart']!.outcome).toBe('skipped');
  });

  it('limits a recommended-only rule to the current sweet spot', () => {
    const two = resultOf([
      { memoryMb: 256, durations: durations(noise, 400, 0.05) },
      { memoryMb: 512, durations: durations(noise, 200, 0.05) },
    ]);
    const report = compareResults(two, two, rules('duration:p50 > 10% error recommended'), 0.95);
    expect(report.verdicts.map((v) => v.cellId)).toEqual([two.analysis.sweetSpot!.cellId]);
  });

  it('reports a moved sweet spot and cells that appeared or disappeared', () => {
    const before = resultOf([
      { memoryMb: 256, durations: durations(noise, 300, 0.05) },
      { memoryMb: 512, durations: durations(noise, 200, 0.05) },
    ]);
    const after = resultOf([
      { memoryMb: 512, durations: durations(noise, 400, 0.05) },
      { memoryMb: 1024, durations: durations(noise, 150, 0.05) },
    ]);
    const report = compareResults(before, after, rules('duration:p50 > 10%'), 0.95);
    expect(report.cellsAdded).toEqual(['f/1024MB']);
    expect(report.cellsRemoved).toEqual(['f/256MB']);
    expect(report.sweetSpot.moved).toBe(true);
  });

  it('refuses runs that are not comparable, saying why', () => {
    const cells = [{ memoryMb: 512, durations: [1, 2, 3] }];
    expect(() => compareResults(resultOf(cells), resultOf(cells, { region: 'eu-west-1' }), [], 0.95)).toThrow(/regions differ \(us-east-1 vs eu-west-1\)/);
    expect(() => compareResults(resultOf(cells), resultOf(cells, { architecture: 'arm64' }), [], 0.95)).toThrow(/changed architecture \(x86_64 → arm64\)/);
    expect(() => compareResults(resultOf(cells), resultOf(cells, { payload: { key: 'other' } }), [], 0.95)).toThrow(/payloads differ/);
    expect(() => compareResults(resultOf(cells), resultOf(cells, { fn: 'g' }), [], 0.95)).toThrow(/functions differ/);
  });
});

describe('the gate on noise, measured (fixed seeds)', () => {
  it('flags a true 15% slowdown in at least 95% of pairs and identical runs in at most 5% (n = 20, 5% noise, 200 pairs)', () => {
    const noise = normal(seeded(2026));
    const rule = rules('duration:p50 > 10% error');
    let flaggedSlow = 0;
    let flaggedSame = 0;
    for (let pair = 0; pair < 200; pair++) {
      const baseline = resultOf([{ memoryMb: 512, durations: durations(noise, 200, 0.05) }]);
      const slower = resultOf([{ memoryMb: 512, durations: durations(noise, 230, 0.05) }]);
      const same = resultOf([{ memoryMb: 512, durations: durations(noise, 200, 0.05) }]);
      if (compareResults(baseline, slower, rule, 0.95).errors > 0) flaggedSlow++;
      if (compareResults(baseline, same, rule, 0.95).errors > 0) flaggedSame++;
    }
    console.info(
      `gate simulation: 15% slowdown flagged in ${flaggedSlow}/200 pairs (${(flaggedSlow / 2).toFixed(1)}%); identical runs flagged in ${flaggedSame}/200 (${(flaggedSame / 2).toFixed(1)}%)`,
    );
    expect(flaggedSlow / 200).toBeGreaterThanOrEqual(0.95);
    expect(flaggedSame / 200).toBeLessThanOrEqual(0.05);
  });
});
