import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { paretoFrontier } from '../../src/analyze/frontier.js';
import { pricesFor } from '../../src/cost/prices.js';
import type { FunctionInfo, Plan, Sample, SelectionOptions } from '../../src/result/types.js';

const fn: FunctionInfo = { name: 'f', architecture: 'x86_64', prices: pricesFor('us-east-1', 'x86_64') };
const balanced: SelectionOptions = { strategy: 'balanced', weight: 0.5, percentile: 95 };

/** Twenty warm samples around a duration, spread deterministically by ±spread. */
function cell(memoryMb: number, chunkMb: number, durationMs: number, spread = 0.02, extra: Partial<Sample> = {}): Sample[] {
  return Array.from({ length: 20 }, (_, i) => {
    const d = durationMs * (1 + (spread * ((i % 5) - 2)) / 2);
    return {
      function: 'f',
      memoryMb,
      params: { chunkSizeMb: chunkMb },
      durationMs: d,
      billedDurationMs: Math.ceil(d),
      maxMemoryUsedMb: 80,
      status: 'success' as const,
      cold: false,
      warmup: false,
      timings: {},
      ...extra,
    };
  });
}

describe('paretoFrontier', () => {
  it('keeps points nothing beats on both axes', () => {
    const points = [
      { id: 'a', cost: 1, duration: 10 },
      { id: 'b', cost: 2, duration: 5 },
      { id: 'c', cost: 2, duration: 11 },
      { id: 'd', cost: 3, duration: 5 },
    ];
    expect(paretoFrontier(points).map((p) => p.id)).toEqual(['a', 'b']);
  });
});

describe('analyze', () => {
  // Nearly CPU-bound up to 512 MB (cost about flat while time halves); above it speed stops improving and cost climbs.
  const samples = [...cell(128, 10, 900), ...cell(256, 10, 420), ...cell(512, 10, 220), ...cell(1024, 10, 190), ...cell(2048, 10, 185)];
  const plan: Plan = { functions: ['f'], memoryMb: [128, 256, 512, 1024, 2048], axes: [{ name: 'chunkSizeMb', values: [10] }] };

  it('summarizes each cell with cost per invocation and per million', () => {
    const { cells } = analyze(samples, plan, [fn], balanced);
    expect(cells.map((c) => c.id)).toEqual([
      'f/128MB/chunkSizeMb=10',
      'f/256MB/chunkSizeMb=10',
      'f/512MB/chunkSizeMb=10',
      'f/1024MB/chunkSizeMb=10',
      'f/2048MB/chunkSizeMb=10',
    ]);
    const c512 = cells[2]!;
    expect(c512.durationMs!.median).toBe(220);
    // Billed durations are rounded up: 216, 218, 220, 223, 225 ms, four of each, mean 220.4 ms.
    expect(c512.costPerInvocationUsd).toBeCloseTo((220.4 / 1000) * 0.5 * 0.0000166667 + 0.0000002, 12);
    expect(c512.costPerMillionUsd).toBeCloseTo(c512.costPerInvocationUsd! * 1e6, 9);
    expect(c512.headroomMb).toBe(512 - 80);
  });

  it('recommends the knee by default and says which rule chose it', () => {
    const { sweetSpot } = analyze(samples, plan, [fn], balanced);
    expect(sweetSpot!.cellId).toBe('f/512MB/chunkSizeMb=10');
    expect(sweetSpot!.rule).toContain('balanced');
  });

  it('follows the cost and speed strategies and a duration target', () => {
    expect(analyze(samples, plan, [fn], { ...balanced, strategy: 'speed' }).sweetSpot!.cellId).toBe('f/2048MB/chunkSizeMb=10');
    expect(analyze(samples, plan, [fn], { ...balanced, strategy: 'cost' }).sweetSpot!.cellId).toBe('f/256MB/chunkSizeMb=10');
    const target = analyze(samples, plan, [fn], { ...balanced, maxDurationMs: 450, percentile: 95 }).sweetSpot!;
    expect(target.cellId).toBe('f/256MB/chunkSizeMb=10');
    expect(target.rule).toBe('cheapest cell whose p95 duration is within 450 ms');
    const impossible = analyze(samples, plan, [fn], { ...balanced, maxDurationMs: 10, percentile: 95 }).sweetSpot!;
    expect(impossible.notes[0]).toContain('No cell met the target of 10 ms');
  });

  it('never recommends a failed cell, and counts its errors by type', () => {
    const failing = [...cell(128, 50, 100, 0.02, { status: 'error', errorType: 'Runtime.OutOfMemory' }), ...cell(512, 50, 900)];
    const result = analyze(failing, { functions: ['f'], memoryMb: [128, 512], axes: [{ name: 'chunkSizeMb', values: [50] }] }, [fn], {
      ...balanced,
      strategy: 'cost',
    });
    const oom = result.cells[0]!;
    expect(oom).toMatchObject({ failed: true, errors: 20, errorTypes: { 'Runtime.OutOfMemory': 20 }, durationMs: null, costPerInvocationUsd: null });
    expect(result.sweetSpot!.cellId).toBe('f/512MB/chunkSizeMb=50');
  });

  it('prefers the cheaper of two cells it cannot tell apart', () => {
    const close = [...cell(512, 10, 200, 0.3), ...cell(1024, 10, 198, 0.3)];
    const result = analyze(close, { functions: ['f'], memoryMb: [512, 1024], axes: [{ name: 'chunkSizeMb', values: [10] }] }, [fn], {
      ...balanced,
      strategy: 'speed',
    });
    expect(result.sweetSpot!.cellId).toBe('f/512MB/chunkSizeMb=10');
    expect(result.sweetSpot!.notes[0]).toContain('cannot be told apart');
  });

  it('keeps cold starts and warm-ups out of warm statistics', () => {
    const withCold = [...cell(512, 10, 200), { ...cell(512, 10, 900)[0]!, cold: true, initDurationMs: 300 }, { ...cell(512, 10, 5000)[0]!, warmup: true }];
    const [c] = analyze(withCold, { functions: ['f'], memoryMb: [512], axes: [{ name: 'chunkSizeMb', values: [10] }] }, [fn], balanced).cells;
    expect(c!.durationMs!.max).toBeLessThan(300);
    expect(c!.cold.count).toBe(1);
    expect(c!.cold.initDurationMs!.median).toBe(300);
    expect(c!.invocations).toBe(20);
  });

  it('gives the same analysis for the same samples, byte for byte', () => {
    expect(JSON.stringify(analyze(samples, plan, [fn], balanced))).toBe(JSON.stringify(analyze([...samples], plan, [fn], balanced)));
  });
});
