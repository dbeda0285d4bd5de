import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pricesFor } from '../../src/cost/prices.js';
import type { FunctionSnapshot, Gateway, InvokeOutcome, VersionInfo, VersionSnapshot } from '../../src/lambda/gateway.js';
import { Journal } from '../../src/measure/journal.js';
import { type AdaptiveSampling, measure, type MeasureSpec, type ProgressEvent } from '../../src/measure/run.js';
import { type CellKey, cellId } from '../../src/result/types.js';

/**
 * A Lambda whose durations depend on memory and chunk size alone (a little seeded noise), and which
 * notes how many cells were in flight on a version at once.
 */
class ShapedGateway implements Gateway {
  invocations = 0;
  published: string[] = [];
  deleted: string[] = [];
  mixedOnVersion = 0;
  private memory = 256;
  private readonly memoryOf = new Map<string, number>();
  private readonly running = new Map<string, Map<number, number>>();

  constructor(private readonly durationOf: (memoryMb: number, chunkMb: number) => number | 'oom') {}

  async describe(name: string): Promise<FunctionSnapshot> {
    return { name, arn: `arn:${name}`, memoryMb: this.memory, timeoutS: 3, architecture: 'x86_64', logGroup: `/aws/lambda/${name}`, existingVersions: [] };
  }
  async describeVersion(name: string, qualifier: string): Promise<VersionSnapshot> {
    return { name, version: qualifier, memoryMb: this.memory, timeoutS: 3, architecture: 'x86_64', logGroup: `/aws/lambda/${name}` };
  }
  async versions(): Promise<VersionInfo[]> {
    return this.published.filter((v) => !this.deleted.includes(v)).map((version) => ({ version, description: 'lambda-tune test:' }));
  }
  async setMemory(_name: string, memoryMb: number): Promise<void> {
    this.memory = memoryMb;
  }
  async publish(): Promise<{ version: string; created: boolean }> {
    const version = String(this.published.length + 1);
    this.published.push(version);
    this.memoryOf.set(version, this.memory);
    return { version, created: true };
  }
  async waitActive(): Promise<void> {}
  async deleteVersion(_name: string, version: string): Promise<void> {
    this.deleted.push(version);
  }
  async invoke(_name: string, qualifier: string, payload: string): Promise<InvokeOutcome> {
    const memoryMb = this.memoryOf.get(qualifier) ?? 0;
    const chunkMb = (JSON.parse(payload) as { chunkSizeMb: number }).chunkSizeMb;
    const running = this.running.get(qualifier) ?? new Map<number, number>();
    this.running.set(qualifier, running);
    running.set(chunkMb, (running.get(chunkMb) ?? 0) + 1);
    if (running.size > 1) this.mixedOnVersion++;
    const n = ++this.invocations;
    await new Promise((resolve) => setTimeout(resolve, 1));
    running.set(chunkMb, (running.get(chunkMb) ?? 1) - 1);
    if (running.get(chunkMb) === 0) running.delete(chunkMb);
    const base = this.durationOf(memoryMb, chunkMb);
    const durationMs = base === 'oom' ? 20 : base * (1 + 0.01 * Math.sin(n * 12.9898));
    const tail = base === 'oom' ? '\tStatus: error\tError Type: Runtime.OutOfMemory' : '';
    const report = `REPORT RequestId: r${n}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${memoryMb} MB\tMax Memory Used: 60 MB${tail}\t`;
    return { requestId: `r${n}`, functionError: base === 'oom' ? 'Unhandled' : undefined, payload: '{}', tailLines: [report], tailTruncated: false };
  }
  async findLogLines(): Promise<string[]> {
    return [];
  }
  encounters() {
    return { retried: 0, throttled: 0, logLookups: 0 };
  }
}

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
