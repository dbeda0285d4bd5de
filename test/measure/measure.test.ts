import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GetFunctionConfigurationCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { pricesFor } from '../../src/cost/prices.js';
import { LambdaGateway } from '../../src/lambda/gateway.js';
import { Journal } from '../../src/measure/journal.js';
import { restoreFromJournal } from '../../src/measure/restore.js';
import { measure, type MeasureSpec, type ProgressEvent, versionDescription } from '../../src/measure/run.js';
import { parseTimingPattern } from '../../src/parse/timings.js';
import type { Sample } from '../../src/result/types.js';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
let gateway: LambdaGateway;

beforeEach(async () => {
  t = await startTestPlatform({
    functions: [fixture('chunky', { memoryMb: 192, timeoutS: 10, environment: { KEEP: '1' }, description: 'before' }), fixture('verbose')],
  });
  gateway = new LambdaGateway(t.lambda, t.logs, { logWaitMs: 1000, logPollMs: 50 });
});
afterEach(() => t.stop());

const spec = (overrides: Partial<MeasureSpec> = {}): MeasureSpec => ({
  functions: ['chunky'],
  memoryMb: [128, 512],
  axes: [{ name: 'chunkSizeMb', values: [1, 100] }],
  payload: { label: 'x' },
  invocations: 4,
  warmup: 1,
  concurrency: 3,
  timings: [],
  maxConsecutiveFailures: 3,
  pricesOf: (snapshot) => pricesFor('us-east-1', snapshot.architecture),
  runId: 'test',
  ...overrides,
});

function deps(signal = new AbortController().signal) {
  const journal = Journal.create(path.join(mkdtempSync(path.join(tmpdir(), 'lambda-tune-journal-')), 'journal.json'), {
    runId: 'test',
    target: 'local',
    region: 'us-east-1',
    startedAt: 'now',
  });
  const events: ProgressEvent[] = [];
  const written: Sample[] = [];
  return { gateway, journal, signal, events, written, onEvent: (e: ProgressEvent) => void events.push(e), onSample: (s: Sample) => void written.push(s) };
}

async function configuration() {
  const c = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'chunky' }));
  return {
    MemorySize: c.MemorySize,
    Timeout: c.Timeout,
    Environment: c.Environment,
    Description: c.Description,
    Handler: c.Handler,
    LastUpdateStatus: c.LastUpdateStatus,
  };
}

async function versions() {
  return (await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'chunky' }))).Versions!.map((v) => v.Version);
}

describe('measure on the local platform', () => {
  it('measures every cell, reports the out-of-memory one, and leaves the function as it found it', async () => {
    const before = await configuration();
    const d = deps();
    const outcome = await measure(spec({ invocations: 8 }), d);
    expect(outcome.stoppedBy).toBeUndefined();
    expect(await configuration()).toEqual(before);
    expect(await versions()).toEqual(['$LATEST']);
    expect(d.journal.state).toBe('restored');
    expect(d.written).toEqual(outcome.samples);

    const plan = { functions: ['chunky'], memoryMb: [128, 512], axes: [{ name: 'chunkSizeMb', values: [1, 100] }] };
    const analysis = analyze(outcome.samples, plan, [{ name: 'chunky', architecture: 'x86_64', prices: pricesFor('us-east-1', 'x86_64') }], {
      strategy: 'balanced',
      weight: 0.5,
      percentile: 95,
    });
    const cells = Object.fromEntries(analysis.cells.map((c) => [c.id, c]));
    expect(cells['chunky/128MB/chunkSizeMb=100']).toMatchObject({ failed: true });
    expect(cells['chunky/128MB/chunkSizeMb=100']!.errorTypes['Runtime.OutOfMemory']).toBeTypeOf('number');
    for (const id of ['chunky/128MB/chunkSizeMb=1', 'chunky/512MB/chunkSizeMb=1', 'chunky/512MB/chunkSizeMb=100']) {
      expect(cells[id]).toMatchObject({ failed: false, invocations: 8 });
      expect(cells[id]!.timings['workMs']!.median).toBeGreaterThan(0);
    }
    expect(cells['chunky/512MB/chunkSizeMb=1']!.cold.count).toBeGreaterThanOrEqual(1);
    expect(analysis.sweetSpot!.cellId).not.toBe('chunky/128MB/chunkSizeMb=100');
    // The failing cell stopped after three failures in a row (plus what was already in flight) instead of spending eight.
    expect(outcome.samples.filter((s) => s.memoryMb === 128 && s.params['chunkSizeMb'] === 100 && !s.warmup).length).toBeLessThanOrEqual(3 + 2);
  });

  it('never deletes a version it did not publish', async () => {
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'chunky', MemorySize: 128 }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 20 }, { FunctionName: 'chunky' });
    const mine = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'chunky' }));
    const d = deps();
    await measure(spec({ axes: [{ name: 'chunkSizeMb', values: [1] }], invocations: 2 }), d);
    expect(await versions()).toEqual(['$LATEST', mine.Version]);
    expect(d.events.some((e) => e.kind === 'warning' && e.message.includes(`version ${mine.Version} already had 128 MB`))).toBe(true);
    expect((await configuration()).MemorySize).toBe(128);
  });

  it('stops when interrupted and still restores everything', async () => {
    const before = await configuration();
    const abort = new AbortController();
    const d = deps(abort.signal);
    d.onEvent = (e) => {
      if (e.kind === 'sample') abort.abort();
    };
    const outcome = await measure(spec(), d);
    expect(outcome.stoppedBy).toBe('interrupt');
    expect(outcome.samples.length).toBeLessThan(10);
    expect(await configuration()).toEqual(before);
    expect(await versions()).toEqual(['$LATEST']);
  });

  it('stops before exceeding its budget', async () => {
    const outcome = await measure(spec({ axes: [{ name: 'chunkSizeMb', values: [1] }], budgetUsd: 0.000002 }), deps());
    expect(outcome.stoppedBy).toBe('budget');
    const spent = outcome.samples.reduce((total, s) => total + (s.billedDurationMs / 1000) * (s.memoryMb / 1024) * 0.0000166667 + 0.0000002, 0);
    expect(spent).toBeLessThanOrEqual(0.000002 + 0.0000003);
  });

  it('finds a timing the 4 KB tail lost in CloudWatch Logs, by request id', async () => {
    const outcome = await measure(
      spec({ functions: ['verbose'], memoryMb: [256], axes: [], invocations: 2, timings: [parseTimingPattern('setup=setup took (?<value>\\d+) ms')] }),
      deps(),
    );
    const measured = outcome.samples.filter((s) => !s.warmup);
    expect(measured.length).toBeGreaterThanOrEqual(2);
    for (const sample of measured) expect(sample.timings).toEqual({ setup: 42 });
  });

  it('puts a function back from the journal of a run that crashed', async () => {
    const d = deps();
    d.journal.addFunction('chunky', 'chunky', 192);
    expect(d.journal.needsRestore).toBe(false);
    d.journal.memoryChanged('chunky');
    await gateway.setMemory('chunky', 512);
    const { version } = await gateway.publish('chunky', 'left behind', new Set());
    d.journal.published('chunky', version);
    expect(Journal.read(d.journal.file).needsRestore).toBe(true);
    const report = await restoreFromJournal(Journal.read(d.journal.file), gateway);
    expect(report.versionsDeleted).toEqual([`chunky:${version}`]);
    expect((await configuration()).MemorySize).toBe(192);
    expect(await versions()).toEqual(['$LATEST']);
    expect(Journal.read(d.journal.file).state).toBe('restored');
  });

  it("finds a version whose PublishVersion answer was lost by the run id in its description, and deletes only the run's", async () => {
    const d = deps();
    d.journal.addFunction('chunky', 'chunky', 192);
    const users = await gateway.publish('chunky', "the user's own", new Set());
    d.journal.memoryChanged('chunky');
    await gateway.setMemory('chunky', 512);
    d.journal.publishing('chunky');
    // The run dies here: the version exists, the journal never heard its number.
    const lost = await gateway.publish('chunky', versionDescription('test', 512), new Set());
    const journal = Journal.read(d.journal.file);
    expect(journal.needsRestore).toBe(true);
    const report = await restoreFromJournal(journal, gateway);
    expect(report.versionsDeleted).toEqual([`chunky:${lost.version}`]);
    expect(await versions()).toEqual(['$LATEST', users.version]);
    expect((await configuration()).MemorySize).toBe(192);
    expect(Journal.read(d.journal.file).needsRestore).toBe(false);
  });
});
