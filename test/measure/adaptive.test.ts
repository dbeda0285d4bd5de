import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pricesFor } from '../../src/cost/prices.js';
import { Journal } from '../../src/measure/journal.js';
import { type AdaptiveSampling, measure, type MeasureSpec, type ProgressEvent } from '../../src/measure/run.js';
import { type CellKey, cellId } from '../../src/result/types.js';
import { ShapedGateway } from '../helpers/shaped-gateway.js';

const sampling: AdaptiveSampling = { minInvocations: 3, precision: 0.05, selection: { strategy: 'balanced', weight: 0.5, percentile: 95 } };

function run(gateway: ShapedGateway, overrides: Partial<MeasureSpec> = {}) {
  const journal = Journal.create(path.join(mkdtempSync(path.join(tmpdir(), 'lambda-tune-adaptive-')), 'journal.json'), {
    runId: 'test',
    target: 'aws',
    region: 'us-east-1',
    startedAt: 'now',
  });
  const events: ProgressEvent[] = [];
  const spec: MeasureSpec = {
    functions: ['f'],
    memoryMb: [128, 256, 512, 1024],
    axes: [{ name: 'chunkSizeMb', values: [1, 10, 20, 50] }],
    payload: {},
    invocations: 10,
    warmup: 1,
    concurrency: 4,
    timings: [],
    maxConsecutiveFailures: 3,
    pricesOf: () => pricesFor('us-east-1', 'x86_64'),
    runId: 'test',
    adaptive: sampling,
    ...overrides,
  };
  const outcome = measure(spec, { gateway, journal, onSample: () => undefined, onEvent: (e) => void events.push(e), signal: new AbortController().signal });
  return { outcome, events, journal };
}

// Hashing 32 MB in chunks: faster with memory, 20 MB chunks best, 50 MB chunks out of memory at 128 MB.
const hasher = (memoryMb: number, chunkMb: number) =>
  chunkMb === 50 && memoryMb === 128 ? 'oom' : 50 + (32 / chunkMb) * 20 + (400 * 1024) / memoryMb + chunkMb ** 2 / 4;

describe('adaptive sampling in the engine', () => {
  it('measures every cell at least the least it may get, far fewer than the plan in all, and says why each stopped', async () => {
    const gateway = new ShapedGateway(hasher);
    const { outcome, journal } = run(gateway);
    const result = await outcome;
    const measured = (id: string) => result.samples.filter((s) => cellId(s) === id && !s.warmup && !s.cold).length;
    const stops = result.stops ?? {};
    expect(Object.keys(stops)).toHaveLength(16);
    for (const [id, reason] of Object.entries(stops)) {
      if (reason === 'failed') expect(measured(id)).toBe(1);
      else expect(measured(id)).toBeGreaterThanOrEqual(3);
    }
    expect(stops['f/128MB/chunkSizeMb=50']).toBe('failed');
    expect(Object.values(stops)).toContain('dominated');
    expect(gateway.invocations).toBeLessThan(0.7 * 16 * 11);
    expect(gateway.deleted.sort()).toEqual(gateway.published.sort());
    expect(journal.state).toBe('restored');
  });

  it('serves the cells of a version one after another in the plan order, never two at once, never going back', async () => {
    const gateway = new ShapedGateway(hasher);
    const result = await run(gateway, { concurrency: 8 }).outcome;
    expect(gateway.mixedOnVersion).toBe(0);
    for (const memoryMb of [128, 256, 512, 1024]) {
      const chunks = result.samples.filter((s) => s.memoryMb === memoryMb).map((s) => Number(s.params['chunkSizeMb']));
      expect(chunks).toEqual([...chunks].sort((a, b) => a - b));
    }
  });

  it('adds the cells a search asks for as it goes, publishing their versions only then', async () => {
    const gateway = new ShapedGateway((m) => 40 + (300 * 1024) / Math.min(m, 640));
    const asked: number[][] = [];
    const explore = (): CellKey[] => {
      const next = [[128, 1024], [512], []][asked.length] ?? [];
      asked.push(next);
      return next.map((memoryMb) => ({ function: 'f', memoryMb, params: {} }));
    };
    const { outcome } = run(gateway, { memoryMb: [128, 256, 512, 768, 1024], axes: [], adaptive: { ...sampling, explore } });
    const result = await outcome;
    expect(asked).toEqual([[128, 1024], [512], []]);
    expect(gateway.published).toHaveLength(3);
    expect([...new Set(result.samples.map((s) => s.memoryMb))].sort((a, b) => a - b)).toEqual([128, 512, 1024]);
    expect(Object.keys(result.stops ?? {}).sort()).toEqual(['f/1024MB', 'f/128MB', 'f/512MB']);
  });

  it('keeps the plan exactly without it: every cell to --invocations', async () => {
    const gateway = new ShapedGateway(hasher);
    const result = await run(gateway, { adaptive: undefined }).outcome;
    const id = 'f/512MB/chunkSizeMb=20';
    expect(result.samples.filter((s) => cellId(s) === id && !s.warmup && !s.cold)).toHaveLength(10);
    expect(result.stops).toBeUndefined();
  });
});
