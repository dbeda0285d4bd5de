import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetFunctionConfigurationCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TuneConfig } from '../../src/config/tune-config.js';
import { runTune, type TuneDeps } from '../../src/engine/run-tune.js';
import { LambdaGateway } from '../../src/lambda/gateway.js';
import type { ProgressEvent } from '../../src/measure/run.js';
import { JOURNAL_FILE, readResult, RESULT_FILE, SAMPLES_FILE } from '../../src/result/files.js';
import { writeReports } from '../../src/report/write.js';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
beforeEach(async () => {
  t = await startTestPlatform({ functions: [fixture('chunky', { memoryMb: 192, timeoutS: 10 })] });
});
afterEach(() => t.stop());

const config = (overrides: Partial<TuneConfig> = {}): TuneConfig => ({
  functions: ['chunky'],
  memoryMb: [256, 512],
  axes: [{ name: 'chunkSizeMb', values: [1] }],
  payload: {},
  invocations: 3,
  warmup: 1,
  concurrency: 2,
  timings: [],
  timingSpecs: [],
  selection: { strategy: 'balanced', weight: 0.5, percentile: 95 },
  prices: { billInit: true },
  ...overrides,
});

function deps(out: string, interruptAfterSamples?: number): TuneDeps & { events: ProgressEvent[] } {
  const events: ProgressEvent[] = [];
  let interrupt: (() => void) | undefined;
  return {
    events,
    gateway: new LambdaGateway(t.lambda, t.logs, { logWaitMs: 1000, logPollMs: 50 }),
    target: { kind: 'local', region: 'us-east-1', profile: undefined },
    out,
    onEvent: (event) => {
      events.push(event);
      if (event.kind === 'sample' && event.done === interruptAfterSamples) interrupt?.();
    },
    onInterrupt: (callback) => {
      interrupt = callback;
      return () => (interrupt = undefined);
    },
    now: (() => {
      let ms = Date.parse('2026-11-01T00:00:00Z');
      return () => new Date((ms += 1000));
    })(),
  };
}

describe('runTune through the local platform', () => {
  it('returns a result that a later tune reads back whole, with the function as it was found', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-engine-'));
    const result = await runTune(config(), deps(out));
    expect(result.run).toMatchObject({ target: 'local', startedAt: '2026-11-01T00:00:01.000Z', finishedAt: '2026-11-01T00:00:02.000Z', invocationsPerCell: 3 });
    expect(result.functions).toEqual([expect.objectContaining({ name: 'chunky', originalMemoryMb: 192 })]);
    expect(result.analysis.cells.map((c) => c.id)).toEqual(['chunky/256MB/chunkSizeMb=1', 'chunky/512MB/chunkSizeMb=1']);
    expect(result.analysis.sweetSpot).not.toBeNull();
    // What was streamed to samples.jsonl is what the result holds.
    const streamed = readFileSync(path.join(out, SAMPLES_FILE), 'utf8').trim().split('\n');
    expect(streamed).toHaveLength(result.samples.length);
    // The result passes the same checks a baseline does when it is read back.
    writeReports(result, out, ['json']);
    expect(readResult(path.join(out, RESULT_FILE)).samples).toHaveLength(result.samples.length);
    expect(JSON.parse(readFileSync(path.join(out, JOURNAL_FILE), 'utf8'))).toMatchObject({ state: 'restored' });
    expect((await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'chunky' }))).MemorySize).toBe(192);
    expect((await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'chunky' }))).Versions?.map((v) => v.Version)).toEqual(['$LATEST']);
  });

  it('on an interrupt, says how to restore, stops, and records why', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-engine-'));
    const d = deps(out, 2);
    const result = await runTune(config({ invocations: 10 }), d);
    expect(result.run.stoppedBy).toBe('interrupt');
    expect(d.events).toContainEqual({ kind: 'stopping', journalFile: path.join(out, JOURNAL_FILE) });
    expect(d.events).toContainEqual(expect.objectContaining({ kind: 'stopped', reason: 'interrupt' }));
    expect(result.samples.length).toBeLessThan(2 * 11);
    expect((await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'chunky' }))).Versions?.map((v) => v.Version)).toEqual(['$LATEST']);
  });
});
