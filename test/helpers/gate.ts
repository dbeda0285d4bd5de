import { analyze } from '../../src/analyze/analyze.js';
import { pricesFor } from '../../src/cost/prices.js';
import type { Params, Sample, TuneResult } from '../../src/result/types.js';

/** A deterministic pseudo-random source, so statistical tests are repeatable. */
export { seededRandom as seeded } from '../../src/local/seeded-random.js';

/** Normal noise by Box–Muller. */
export function normal(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export interface CellSpec {
  memoryMb: number;
  chunkMb?: number | null;
  durations: number[];
  maxMemoryUsedMb?: number;
  failures?: number;
  timings?: (i: number) => Record<string, number>;
  coldInitMs?: number[];
}

/** A result of one function from cell specifications, analysed as a run would be. */
export function resultOf(
  cells: CellSpec[],
  overrides: { region?: string; architecture?: 'x86_64' | 'arm64'; payload?: Record<string, unknown>; fn?: string } = {},
): TuneResult {
  const fn = overrides.fn ?? 'f';
  const architecture = overrides.architecture ?? 'x86_64';
  const region = overrides.region ?? 'us-east-1';
  const samples: Sample[] = cells.flatMap((cell) => {
    const params: Params = cell.chunkMb === undefined || cell.chunkMb === null ? {} : { chunkSizeMb: cell.chunkMb };
    const warm = cell.durations.map((durationMs, i): Sample => ({
      function: fn,
      memoryMb: cell.memoryMb,
      params,
      durationMs,
      billedDurationMs: Math.ceil(durationMs),
      maxMemoryUsedMb: cell.maxMemoryUsedMb ?? 80,
      status: 'success',
      cold: false,
      warmup: false,
      timings: cell.timings?.(i) ?? {},
    }));
    const failed = Array.from({ length: cell.failures ?? 0 }, (): Sample => ({ ...warm[0]!, status: 'error', errorType: 'Runtime.OutOfMemory' }));
    const cold = (cell.coldInitMs ?? []).map((initDurationMs): Sample => ({ ...warm[0]!, cold: true, initDurationMs }));
    return [...warm, ...failed, ...cold];
  });
  const memoryMb = [...new Set(cells.map((c) => c.memoryMb))];
  const chunks = [...new Set(cells.flatMap((c) => (c.chunkMb === undefined || c.chunkMb === null ? [] : [c.chunkMb])))];
  const functions = [{ name: fn, architecture, originalMemoryMb: 128, prices: pricesFor(region, architecture) }];
  const plan = { functions: [fn], memoryMb, axes: chunks.length === 0 ? [] : [{ name: 'chunkSizeMb', values: chunks }] };
  return {
    schemaVersion: 2,
    run: {
      tool: 'lambda-tune',
      toolVersion: '0.1.0',
      target: 'aws',
      region,
      startedAt: 'x',
      finishedAt: 'y',
      invocationsPerCell: 20,
      warmupPerCell: 0,
      concurrency: 4,
      payload: overrides.payload ?? {},
      timingPatterns: [],
    },
    plan,
    functions,
    samples,
    analysis: analyze(samples, plan, functions, { strategy: 'balanced', weight: 0.5, percentile: 95 }),
  };
}

/** n durations around a mean with a coefficient of variation, from a seeded source. */
export function durations(noise: () => number, meanMs: number, cv: number, n = 20): number[] {
  return Array.from({ length: n }, () => Math.max(1, meanMs * (1 + cv * noise())));
}
