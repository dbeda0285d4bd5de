import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetFunctionConfigurationCommand, LambdaClient, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import type { TuneConfig } from '../../src/config/tune-config.js';
import { pricesFor } from '../../src/cost/prices.js';
import { runTune } from '../../src/engine/run-tune.js';
import { UserError } from '../../src/errors.js';
import { type GatewayOptions, LambdaGateway } from '../../src/lambda/gateway.js';
import type { FaultInput } from '../../src/local/faults.js';
import { Journal } from '../../src/measure/journal.js';
import { restoreFromJournal } from '../../src/measure/restore.js';
import { measure, type MeasureSpec, type ProgressEvent } from '../../src/measure/run.js';
import type { Sample } from '../../src/result/types.js';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/**
 * Whole runs through the local platform and the real SDK while the platform makes trouble on
 * purpose (see src/local/faults.ts): each must finish or fail clearly, lose no sample, and leave
 * the function as it found it, or its journal open for `tune restore`.
 */
let t: TestPlatform | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const ORIGINAL_MEMORY_MB = 192;
const quick: Partial<GatewayOptions> = { settleSeconds: 5, settlePollMs: 50, logWaitMs: 3000, logPollMs: 50 };

async function platformWith(faults: FaultInput): Promise<TestPlatform> {
  t = await startTestPlatform({ functions: [fixture('chunky', { memoryMb: ORIGINAL_MEMORY_MB, timeoutS: 10 })], faults });
  return t;
}

/** Records the error of every attempt the SDK makes (inside its retries): what the run met. */
function recordAttemptErrors(client: LambdaClient): string[] {
  const met: string[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        met.push((error as Error).name);
        throw error;
      }
    },
    { step: 'deserialize', priority: 'high', name: 'recordAttemptErrors' },
  );
  return met;
}

const spec = (overrides: Partial<MeasureSpec> = {}): MeasureSpec => ({
  functions: ['chunky'],
  memoryMb: [256, 512],
  axes: [{ name: 'chunkSizeMb', values: [1] }],
  payload: {},
  invocations: 4,
  warmup: 1,
  concurrency: 2,
  timings: [],
  maxConsecutiveFailures: 20,
  pricesOf: (snapshot) => pricesFor('us-east-1', snapshot.architecture),
  runId: 'faults',
  ...overrides,
});

function runDeps(gateway: LambdaGateway) {
  const journal = Journal.create(path.join(mkdtempSync(path.join(tmpdir(), 'lambda-tune-faults-')), 'journal.json'), {
    runId: 'faults',
    target: 'local',
    region: 'us-east-1',
    startedAt: 'now',
  });
  const events: ProgressEvent[] = [];
  const written: Sample[] = [];
  return {
    gateway,
    journal,
    signal: new AbortController().signal,
    events,
    written,
    onEvent: (event: ProgressEvent) => void events.push(event),
    onSample: (sample: Sample) => void written.push(sample),
  };
}

/** The function has its memory back and none of the run's versions. */
async function expectLeftAsFound(platform: TestPlatform): Promise<void> {
  const config = await platform.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'chunky' }));
  expect({ memoryMb: config.MemorySize, status: config.LastUpdateStatus }).toEqual({ memoryMb: ORIGINAL_MEMORY_MB, status: 'Successful' });
  const versions = await platform.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'chunky' }));
  expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST']);
}

function expectUniqueRequestIds(samples: readonly Sample[]): void {
  expect(samples.every((s) => s.requestId !== undefined && s.requestId !== '')).toBe(true);
  expect(new Set(samples.map((s) => s.requestId)).size).toBe(samples.length);
}

const warnings = (events: readonly ProgressEvent[]) => events.filter((e) => e.kind === 'warning').map((e) => e.message);

describe('a tune through a platform that throttles, fails and lags', () => {
  it('completes with every cell measured, retrying what AWS would have it retry, and restores the function', async () => {
    const platform = await platformWith({
      seed: 11,
      throttle: { invoke: 0.15, control: 0.05 },
      // High enough that a run of some forty requests meets a 500 all but surely (0.88^40 < 1%), whatever order concurrency gives the draws.
      serverError: { invoke: 0.12, control: 0.12 },
      retryAfterSeconds: 0,
      latencyMs: [0, 15],
    });
    // Five attempts instead of the SDK's three, so three faults in a row (which the test's chances allow) cannot fail it by luck.
    const lambda = new LambdaClient({
      endpoint: platform.platform.endpoints.lambda,
      region: 'us-east-1',
      credentials: platform.platform.credentials,
      maxAttempts: 5,
    });
    const met = recordAttemptErrors(lambda);
    const events: ProgressEvent[] = [];
    const config: TuneConfig = {
      ...spec(),
      timingSpecs: [],
      selection: { strategy: 'balanced', weight: 0.5, percentile: 95 },
      prices: { billInit: true },
    };
    const result = await runTune(config, {
      gateway: new LambdaGateway(lambda, platform.logs, quick),
      target: { kind: 'local', region: 'us-east-1', profile: undefined },
      out: mkdtempSync(path.join(tmpdir(), 'lambda-tune-faults-tune-')),
      onEvent: (event) => void events.push(event),
      onInterrupt: () => () => undefined,
    });
    lambda.destroy();
    expect(met).toContain('TooManyRequestsException');
    expect(met).toContain('ServiceException');
    for (const cell of result.analysis.cells) expect(cell).toMatchObject({ failed: false, invocations: 4 });
    expect(result.samples.every((s) => s.status === 'success')).toBe(true);
    expectUniqueRequestIds(result.samples);
    expect(warnings(events)).toEqual([]);
    // It says what it met: the requests sent again and the invocations throttled and waited out.
    const said = events.find((e) => e.kind === 'met');
    expect(said).toMatchObject({ kind: 'met' });
    if (said?.kind === 'met') expect(said.retried + said.throttled).toBeGreaterThan(0);
    expect(events.find((e) => e.kind === 'cleanup')).toMatchObject({ deleted: ['chunky:1', 'chunky:2'] });
    await expectLeftAsFound(platform);
  });
});

describe('a run whose logs come short, late or never', () => {
  it('finds every REPORT the tail lacks in CloudWatch Logs, even when the lines come late', async () => {
    const platform = await platformWith({ seed: 5, logs: { truncatedTail: 0.5, delayMs: 400 } });
    const deps = runDeps(new LambdaGateway(platform.lambda, platform.logs, quick));
    const gateway = deps.gateway;
    const outcome = await measure(spec(), deps);
    expect(warnings(deps.events)).toEqual([]);
    expect(gateway.encounters().logLookups).toBeGreaterThan(0);
    expect(outcome.samples.filter((s) => !s.warmup).length).toBeGreaterThanOrEqual(8);
    expect(deps.written).toEqual(outcome.samples);
    expectUniqueRequestIds(outcome.samples);
    expect(deps.journal.state).toBe('restored');
    await expectLeftAsFound(platform);
  });

  it('leaves out, and warns about, each invocation whose REPORT is nowhere to be found, and keeps the rest', async () => {
    const platform = await platformWith({ seed: 3, logs: { truncatedTail: 1, lost: 0.3 } });
    const deps = runDeps(new LambdaGateway(platform.lambda, platform.logs, { ...quick, logWaitMs: 300 }));
    const outcome = await measure(spec(), deps);
    const missing = warnings(deps.events).filter((m) => m.includes('no REPORT found'));
    expect(missing.length).toBeGreaterThan(0);
    expect(outcome.samples.length).toBeGreaterThan(0);
    // Every attempt is either a sample or a warning: 2 cells of 1 warm-up and 4 measurements, cold ones measured again.
    expect(outcome.samples.length + missing.length).toBeGreaterThanOrEqual(10);
    expectUniqueRequestIds(outcome.samples);
    expect(deps.journal.state).toBe('restored');
    await expectLeftAsFound(platform);
  });
});

describe('a run that meets an update that never finishes', () => {
  it('gives up after settleSeconds with WAIT_TIMEOUT and leaves its journal open for tune restore', async () => {
    const platform = await platformWith({ updateInProgressMs: 'forever' });
    const deps = runDeps(new LambdaGateway(platform.lambda, platform.logs, { ...quick, settleSeconds: 1 }));
    const started = Date.now();
    const error = await measure(spec(), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('WAIT_TIMEOUT');
    expect((error as UserError).message).toBe('Gave up waiting for the update of chunky to finish after 1 s.');
    // One wait for the run's update, one for the clean-up's: bounded, whatever Lambda does.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(Journal.read(deps.journal.file).needsRestore).toBe(true);
  });

  it('restores the function with tune restore once a slow update has finished', async () => {
    const platform = await platformWith({ updateInProgressMs: 1500 });
    const deps = runDeps(new LambdaGateway(platform.lambda, platform.logs, { ...quick, settleSeconds: 1 }));
    const error = await measure(spec(), deps).catch((e: unknown) => e);
    expect((error as UserError).code).toBe('WAIT_TIMEOUT');
    const journal = Journal.read(deps.journal.file);
    expect(journal.needsRestore).toBe(true);
    const report = await restoreFromJournal(journal, new LambdaGateway(platform.lambda, platform.logs, { ...quick, settleSeconds: 5 }));
    expect(report.failures).toEqual([]);
    expect(Journal.read(deps.journal.file).state).toBe('restored');
    await expectLeftAsFound(platform);
  });
});
