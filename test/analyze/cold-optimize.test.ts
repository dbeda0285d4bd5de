import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { pricesFor } from '../../src/cost/prices.js';
import type { FunctionInfo, Plan, Sample, SelectionOptions } from '../../src/result/types.js';

const fn: FunctionInfo = { name: 'f', architecture: 'x86_64', prices: pricesFor('us-east-1', 'x86_64') };
const plan: Plan = { functions: ['f'], memoryMb: [128, 512], axes: [] };
const balanced: SelectionOptions = { strategy: 'balanced', weight: 0.5, percentile: 95, optimize: 'warm' };

function sample(memoryMb: number, durationMs: number, extra: Partial<Sample> = {}): Sample {
  return {
    function: 'f',
    memoryMb,
    params: {},
    durationMs,
    billedDurationMs: Math.ceil(durationMs),
    maxMemoryUsedMb: 60,
    status: 'success',
    cold: false,
    warmup: false,
    timings: {},
    ...extra,
  };
}

/** Twelve warm samples around a duration, and five --cold samples around an init duration. */
function cell(memoryMb: number, warmMs: number, initMs: number): Sample[] {
  const spread = (i: number) => 1 + 0.01 * ((i % 5) - 2);
  return [
    ...Array.from({ length: 12 }, (_, i) => sample(memoryMb, warmMs * spread(i))),
    ...Array.from({ length: 5 }, (_, i) => sample(memoryMb, warmMs * 1.2, { cold: true, coldProbe: true, initDurationMs: initMs * spread(i) })),
  ];
}

/**
 * Warm, the function hardly needs more than 128 MB (20 ms against 18 ms); its start-up is CPU-bound,
 * so a cold start takes 800 ms of init at 128 MB and 200 ms at 512 MB.
 */
const samples = [...cell(128, 20, 800), ...cell(512, 18, 200)];

describe('--optimize cold', () => {
  it('picks on cold starts what warm invocations would not pick', () => {
    const warm = analyze(samples, plan, [fn], balanced);
    const cold = analyze(samples, plan, [fn], { ...balanced, optimize: 'cold' });
    expect(warm.sweetSpot?.cellId).toBe('f/128MB');
    expect(cold.sweetSpot?.cellId).toBe('f/512MB');
    expect(cold.sweetSpot?.rule).toMatch(/judged on cold starts/);
    expect(cold.selection.optimize).toBe('cold');
  });

  it('judges a duration target on init + duration', () => {
    const within = analyze(samples, plan, [fn], { ...balanced, optimize: 'cold', maxDurationMs: 500, percentile: 95 });
    expect(within.sweetSpot?.cellId).toBe('f/512MB');
    const warmTarget = analyze(samples, plan, [fn], { ...balanced, maxDurationMs: 500, percentile: 95 });
    expect(warmTarget.sweetSpot?.cellId).toBe('f/128MB');
  });

  it('summarizes the --cold samples alone: init, duration, init + duration, and the cost with INIT', () => {
    // A cold start the warm phase met (a version's first invocation) is set aside once the run took --cold samples.
    const met = sample(128, 30, { cold: true, warmup: true, initDurationMs: 5000 });
    const { cells } = analyze([met, ...samples], plan, [fn], balanced);
    const c128 = cells[0]!;
    expect(c128.cold.count).toBe(5);
    expect(c128.cold.initDurationMs?.median).toBeCloseTo(800, 6);
    expect(c128.cold.totalDurationMs?.median).toBeCloseTo(824, 6);
    expect(c128.invocations).toBe(12);
    // Billed 24 ms each, and INIT billed too: 784, 792, 800, 808 and 816 ms, 800 on average.
    expect(c128.cold.costPerInvocationUsd).toBeCloseTo(((24 + 800) / 1000) * (128 / 1024) * 0.0000166667 + 0.0000002, 12);
  });

  it('recommends nothing when no cell has cold starts to judge, and an old result without totals is no candidate', () => {
    const warmOnly = samples.filter((s) => s.coldProbe !== true);
    expect(analyze(warmOnly, plan, [fn], { ...balanced, optimize: 'cold' }).sweetSpot).toBeNull();
    // Results of lambda-tune 0.1 carry no selection.optimize: they were judged warm, and still are.
    const old: SelectionOptions = { strategy: 'balanced', weight: 0.5, percentile: 95 };
    expect(analyze(samples, plan, [fn], old).sweetSpot?.cellId).toBe('f/128MB');
  });
});
