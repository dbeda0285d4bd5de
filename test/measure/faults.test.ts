import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pricesFor } from '../../src/cost/prices.js';
import type { FunctionSnapshot, Gateway, InvokeOutcome, VersionInfo, VersionSnapshot } from '../../src/lambda/gateway.js';
import { Journal } from '../../src/measure/journal.js';
import { measure, type MeasureSpec } from '../../src/measure/run.js';

/**
 * Faults the local platform cannot produce (reports that never arrive, AWS failing mid-run),
 * through a stand-in gateway that records what was asked of it.
 */
class FakeGateway implements Gateway {
  invocations = 0;
  deleted: string[] = [];
  memory = 256;
  private nextVersion = 1;
  private readonly published: VersionInfo[] = [];
  constructor(private readonly behaviour: { report?: boolean; failInvocationAt?: number; failSetMemory?: boolean } = {}) {}

  async describe(name: string): Promise<FunctionSnapshot> {
    return { name, arn: `arn:${name}`, memoryMb: this.memory, timeoutS: 3, architecture: 'x86_64', logGroup: `/aws/lambda/${name}`, existingVersions: [] };
  }
  async describeVersion(name: string, qualifier: string): Promise<VersionSnapshot> {
    return { name, version: qualifier, memoryMb: this.memory, timeoutS: 3, architecture: 'x86_64', logGroup: `/aws/lambda/${name}` };
  }
  async versions(): Promise<VersionInfo[]> {
    return this.published.filter((v) => !this.deleted.includes(v.version));
  }
  async setMemory(_name: string, memoryMb: number): Promise<void> {
    if (this.behaviour.failSetMemory === true && memoryMb === 256) throw new Error('AWS said no');
    this.memory = memoryMb;
  }
  async publish(_name: string, description: string): Promise<{ version: string; created: boolean }> {
    const version = String(this.nextVersion++);
    this.published.push({ version, description });
    return { version, created: true };
  }
  async waitActive(): Promise<void> {}
  async deleteVersion(_name: string, version: string): Promise<void> {
    this.deleted.push(version);
  }
  async invoke(): Promise<InvokeOutcome> {
    this.invocations++;
    if (this.invocations === this.behaviour.failInvocationAt) throw new Error('ServiceException');
    await new Promise((resolve) => setTimeout(resolve, 2));
    const requestId = `r${this.invocations}`;
    const report = `REPORT RequestId: ${requestId}\tDuration: 10.00 ms\tBilled Duration: 10 ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB\t`;
    return { requestId, functionError: undefined, payload: '{}', tailLines: this.behaviour.report === false ? [] : [report], tailTruncated: false };
  }
  async findLogLines(): Promise<string[]> {
    return [];
  }
  encounters() {
    return { retried: 0, throttled: 0, logLookups: 0 };
  }
}

function run(gateway: FakeGateway, overrides: Partial<MeasureSpec> = {}) {
  const journal = Journal.create(path.join(mkdtempSync(path.join(tmpdir(), 'lambda-tune-faults-')), 'journal.json'), {
    runId: 'test',
    target: 'aws',
    region: 'us-east-1',
    startedAt: 'now',
  });
  const spec: MeasureSpec = {
    functions: ['f'],
    memoryMb: [512, 1024],
    axes: [],
    payload: {},
    invocations: 10,
    warmup: 0,
    concurrency: 4,
    timings: [],
    maxConsecutiveFailures: 3,
    pricesOf: () => pricesFor('us-east-1', 'x86_64'),
    runId: 'test',
    ...overrides,
  };
  const promise = measure(spec, {
    gateway,
    journal,
    onSample: () => {},
    onEvent: () => {},
    signal: new AbortController().signal,
  });
  return { promise, journal };
}

describe('measure when things go wrong', () => {
  it('stops a cell whose REPORT never arrives instead of invoking for ever', async () => {
    const gateway = new FakeGateway({ report: false });
    const { promise } = run(gateway);
    const outcome = await promise;
    expect(outcome.samples).toEqual([]);
    // Two cells, each stopped after 3 failures in a row (plus what was in flight).
    expect(gateway.invocations).toBeLessThanOrEqual(2 * (3 + 4));
    expect(gateway.deleted.sort()).toEqual(['1', '2']);
  });

  it('stops launching at the first error, waits for what is in flight, then cleans up and reports the error', async () => {
    const gateway = new FakeGateway({ failInvocationAt: 5 });
    const { promise, journal } = run(gateway, { invocations: 50 });
    await expect(promise).rejects.toThrow('ServiceException');
    const atCleanUp = gateway.invocations;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gateway.invocations).toBe(atCleanUp);
    expect(gateway.invocations).toBeLessThan(20);
    expect(gateway.deleted.sort()).toEqual(['1', '2']);
    expect(journal.state).toBe('restored');
  });

  it('cleans up when the very first invocation (a cold start) fails, with no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', note);
    try {
      const gateway = new FakeGateway({ failInvocationAt: 1 });
      const { promise, journal } = run(gateway, { memoryMb: [512], axes: [{ name: 'chunkSizeMb', values: [1, 2] }], invocations: 3 });
      await expect(promise).rejects.toThrow('ServiceException');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
      expect(gateway.deleted).toEqual(['1']);
      expect(journal.state).toBe('restored');
    } finally {
      process.off('unhandledRejection', note);
    }
  });

  it('still deletes its versions when putting the memory back fails, and leaves the journal open for tune restore', async () => {
    const gateway = new FakeGateway({ failSetMemory: true });
    const { promise, journal } = run(gateway);
    await expect(promise).rejects.toThrow('AWS said no');
    expect(gateway.deleted.sort()).toEqual(['1', '2']);
    expect(journal.state).toBe('running');
    expect(journal.needsRestore).toBe(true);
  });

  it('keeps within its budget with many invocations in flight', async () => {
    const gateway = new FakeGateway();
    const budgetUsd = 0.000005;
    const outcome = await run(gateway, { invocations: 200, concurrency: 8, budgetUsd }).promise;
    expect(outcome.stoppedBy).toBe('budget');
    const spent = outcome.samples.reduce((total, s) => total + (s.billedDurationMs / 1000) * (s.memoryMb / 1024) * 0.0000166667 + 0.0000002, 0);
    expect(spent).toBeLessThanOrEqual(budgetUsd);
  });
});
