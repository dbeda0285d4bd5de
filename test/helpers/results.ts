import { analyze } from '../../src/analyze/analyze.js';
import { pricesFor } from '../../src/cost/prices.js';
import type { FunctionInfo, Sample, TuneResult } from '../../src/result/types.js';

/** Twenty warm samples around a duration, spread deterministically, plus a cold start. */
function cell(fn: string, memoryMb: number, chunkMb: number, durationMs: number, extra: Partial<Sample> = {}): Sample[] {
  const warm = Array.from({ length: 20 }, (_, i): Sample => {
    const d = durationMs * (1 + 0.02 * ((i % 5) - 2));
    return {
      function: fn,
      memoryMb,
      params: { chunkSizeMb: chunkMb },
      durationMs: d,
      billedDurationMs: Math.ceil(d),
      maxMemoryUsedMb: 90 + chunkMb,
      status: 'success',
      cold: false,
      warmup: false,
      timings: { readMs: d * 0.7 },
      ...extra,
    };
  });
  return [
    { ...warm[0]!, cold: true, initDurationMs: 300 + memoryMb / 10, durationMs: durationMs * 1.4, billedDurationMs: Math.ceil(durationMs * 1.4) },
    ...warm,
  ];
}

/** A fixed result: an x86_64 and an arm64 build, two memory sizes, two chunk sizes, one cell out of memory. */
export function twoFunctionResult(): TuneResult {
  const samples = [
    ...cell('hasher', 128, 1, 2400),
    ...cell('hasher', 128, 20, 2000, { status: 'error', errorType: 'Runtime.OutOfMemory' }).slice(0, 4),
    ...cell('hasher', 512, 1, 640),
    ...cell('hasher', 512, 20, 560),
    ...cell('hasher-arm', 128, 1, 2600),
    ...cell('hasher-arm', 128, 20, 2100, { status: 'error', errorType: 'Runtime.OutOfMemory' }).slice(0, 4),
    ...cell('hasher-arm', 512, 1, 700),
    ...cell('hasher-arm', 512, 20, 600),
  ];
  const functions: FunctionInfo[] = [
    { name: 'hasher', architecture: 'x86_64', originalMemoryMb: 128, prices: pricesFor('us-east-1', 'x86_64') },
    { name: 'hasher-arm', architecture: 'arm64', originalMemoryMb: 512, prices: pricesFor('us-east-1', 'arm64') },
  ];
  const plan = { functions: ['hasher', 'hasher-arm'], memoryMb: [128, 512], axes: [{ name: 'chunkSizeMb', values: [1, 20] }] };
  return {
    schemaVersion: 2,
    run: {
      tool: 'lambda-tune',
      toolVersion: '0.1.0',
      target: 'local',
      region: 'us-east-1',
      startedAt: '2026-11-21T10:00:00.000Z',
      finishedAt: '2026-11-21T10:01:22.000Z',
      invocationsPerCell: 20,
      warmupPerCell: 0,
      concurrency: 4,
      payload: { bucket: 'lambda-tune-examples' },
      timingPatterns: [],
    },
    plan,
    functions,
    samples,
    analysis: analyze(samples, plan, functions, { strategy: 'balanced', weight: 0.5, percentile: 95 }),
  };
}
