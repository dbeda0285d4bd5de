import { describe, expect, it } from 'vitest';
import { pricesFor } from '../../src/cost/prices.js';
import { invocationCostUsd } from '../../src/cost/prices.js';
import {
  fitDurationModel,
  initialProbes,
  parseMemoryRange,
  predictDurationMs,
  rangeProblem,
  rangeSizes,
  searchObjective,
  searchStep,
  type SizeOutcome,
  type SizeReason,
} from '../../src/plan/memory-search.js';
import type { SelectionOptions } from '../../src/result/types.js';

const prices = pricesFor('us-east-1', 'x86_64');
const costOf = (durationMs: number, memoryMb: number) => invocationCostUsd(Math.ceil(durationMs), memoryMb, prices);
const sizes = rangeSizes({ fromMb: 128, toMb: 3008, stepMb: 64 });

describe('memory ranges', () => {
  it('reads A..B and A..B:STEP, and nothing else', () => {
    expect(parseMemoryRange('128..3008:64')).toEqual({ fromMb: 128, toMb: 3008, stepMb: 64 });
    expect(parseMemoryRange('128..10240')).toEqual({ fromMb: 128, toMb: 10240, stepMb: 64 });
    expect(parseMemoryRange('128,256')).toBeUndefined();
    expect(parseMemoryRange('128..')).toBeUndefined();
  });

  it('lists every size on the grid, the last one included even off it', () => {
    expect(sizes).toHaveLength(46);
    expect(rangeSizes({ fromMb: 128, toMb: 10240, stepMb: 64 })).toHaveLength(159);
    expect(rangeSizes({ fromMb: 128, toMb: 300, stepMb: 100 })).toEqual([128, 228, 300]);
  });

  it('says what is wrong with a range Lambda would refuse', () => {
    expect(rangeProblem({ fromMb: 64, toMb: 512, stepMb: 64 })).toMatch(/outside 128..10240/);
    expect(rangeProblem({ fromMb: 512, toMb: 256, stepMb: 64 })).toMatch(/backwards/);
    expect(rangeProblem({ fromMb: 128, toMb: 256, stepMb: 0 })).toMatch(/step/);
    expect(rangeProblem({ fromMb: 128, toMb: 256, stepMb: 1 })).toBeUndefined();
  });
});

describe('the duration model', () => {
  it('recovers a CPU-bound function that stops speeding up at one vCPU', () => {
    const truth = { fixedMs: 20, scaledMs: 400, plateauMb: 1792 };
    const points = [128, 384, 1024, 3008, 1792].map((memoryMb) => ({ memoryMb, durationMs: predictDurationMs(truth, memoryMb) }));
    const model = fitDurationModel(points, sizes);
    expect(model.fixedMs).toBeCloseTo(20, 6);
    expect(model.scaledMs).toBeCloseTo(400, 6);
    expect(model.plateauMb).toBe(1792);
  });

  it('stands for plateaus the points cannot tell apart by the middle one', () => {
    const truth = { fixedMs: 50, scaledMs: 100, plateauMb: 640 };
    const points = [128, 1024, 3008].map((memoryMb) => ({ memoryMb, durationMs: predictDurationMs(truth, memoryMb) }));
    const model = fitDurationModel(points, sizes);
    // Any plateau from 128 to 1024 fits the three points exactly once the fixed part makes up the rest.
    expect(model.plateauMb).toBeGreaterThan(128);
    expect(model.plateauMb).toBeLessThanOrEqual(1024);
  });

  it('never has memory slow code down', () => {
    const model = fitDurationModel(
      [
        { memoryMb: 128, durationMs: 100 },
        { memoryMb: 1024, durationMs: 110 },
      ],
      sizes,
    );
    expect(model.scaledMs).toBeGreaterThanOrEqual(0);
    expect(model.fixedMs).toBeGreaterThanOrEqual(0);
  });
});

/** Runs a search to its end against a noiseless function; returns what it measured and why. */
function search(durationOf: (memoryMb: number) => number | 'fails', selection: SelectionOptions) {
  const outcomes: SizeOutcome[] = [];
  const reasons: [number, SizeReason][] = [];
  const objective = searchObjective(selection);
  for (let round = 0; ; round++) {
    const step = searchStep({ sizes, outcomes, objective, costOf, round });
    if (step.done) return { reasons, recommendedMb: step.recommendedMb, rounds: round };
    for (const { memoryMb, reason } of step.measure) {
      reasons.push([memoryMb, reason]);
      const durationMs = durationOf(memoryMb);
      outcomes.push(durationMs === 'fails' ? { memoryMb, failed: true } : { memoryMb, failed: false, durationMs, costUsd: costOf(durationMs, memoryMb) });
    }
  }
}

/** The best size by measuring every one: what the search should find. */
function exhaustive(durationOf: (memoryMb: number) => number | 'fails', selection: SelectionOptions): number {
  const objective = searchObjective(selection);
  const scored = sizes.flatMap((m) => {
    const d = durationOf(m);
    return d === 'fails' ? [] : [{ m, score: objective(d, costOf(d, m)) }];
  });
  return scored.reduce((best, s) => (s.score < best.score ? s : best)).m;
}

const cpuBound = (m: number) => 20 + (400 * 1024) / Math.min(m, 1769);
const ioBound = (m: number) => 150 + (300 * 1024) / Math.min(m, 640);
const hungry = (m: number) => (m < 512 ? 'fails' : cpuBound(m));
const strategies: [string, SelectionOptions][] = [
  ['cost', { strategy: 'cost', weight: 0.5, percentile: 95 }],
  ['speed', { strategy: 'speed', weight: 0.5, percentile: 95 }],
  ['balanced', { strategy: 'balanced', weight: 0.5, percentile: 95 }],
  ['target', { strategy: 'balanced', weight: 0.5, percentile: 50, maxDurationMs: 600 }],
];

describe('searching a range', () => {
  it('probes both ends and two sizes evenly spaced between them on a log scale', () => {
    expect(initialProbes(sizes)).toEqual([128, 384, 1024, 3008]);
    expect(initialProbes([128, 192, 256])).toEqual([128, 192, 256]);
  });

  for (const [name, fn] of [
    ['CPU-bound', cpuBound],
    ['network-bound', ioBound],
    ['failing below 512 MB', hungry],
  ] as const) {
    for (const [strategy, selection] of strategies) {
      it(`finds the size measuring every one would for a ${name} function (${strategy}), measuring few`, () => {
        const found = search(fn, selection);
        expect(found.recommendedMb).toBe(exhaustive(fn, selection));
        expect(found.reasons.length).toBeLessThanOrEqual(12);
      });
    }
  }

  it('says why it measured each size, and confirms the optimum by its neighbours', () => {
    const found = search(cpuBound, strategies[2]![1]);
    expect(found.reasons.slice(0, 4)).toEqual([
      [128, 'probe'],
      [384, 'probe'],
      [1024, 'probe'],
      [3008, 'probe'],
    ]);
    const optimum = found.recommendedMb!;
    expect(found.reasons).toContainEqual([optimum - 64, 'confirmation']);
    expect(found.reasons).toContainEqual([optimum + 64, 'confirmation']);
  });

  it('moves above a size that failed, and never measures below it again', () => {
    const found = search(hungry, strategies[0]![1]);
    const failedBelow = found.reasons.filter(([m]) => m < 512).map(([m]) => m);
    expect(Math.max(...failedBelow)).toBeLessThan(512);
    expect(found.recommendedMb).toBe(512);
  });

  it('stops after its rounds even when the recommendation keeps moving', () => {
    let calls = 0;
    const jumpy = (m: number) => cpuBound(m) * (1 + 0.3 * Math.sin(m + calls++));
    expect(search(jumpy, strategies[2]![1]).rounds).toBeLessThanOrEqual(9);
  });
});
