import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ResourceConflictException,
  ServiceException,
  TooManyRequestsException,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { parseLocalSection } from '../../src/config/local-config.js';
import { UserError } from '../../src/errors.js';
import { type FaultInput, Faults } from '../../src/local/faults.js';
import { decodeTail, fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** A platform with these faults, a client that tries once, and what it does with them. */
async function withFaults(faults: FaultInput, test: (t: TestPlatform, once: LambdaClient) => Promise<void>): Promise<void> {
  const t = await startTestPlatform({ functions: [fixture('noop')], faults });
  const once = new LambdaClient({ endpoint: t.platform.endpoints.lambda, region: 'us-east-1', credentials: t.platform.credentials, maxAttempts: 1 });
  try {
    await test(t, once);
  } finally {
    once.destroy();
    await t.stop();
  }
}

const outcomes = (faults: Faults, operation: 'invoke' | 'control', count: number) =>
  Array.from({ length: count }, () => faults.lambdaFault(operation)?.code ?? 'ok');

describe('Faults', () => {
  it('meets the same faults for the same seed, and others for another', () => {
    const settings = { seed: 7, throttle: { invoke: 0.2 }, serverError: { invoke: 0.1 } };
    expect(outcomes(new Faults(settings), 'invoke', 50)).toEqual(outcomes(new Faults(settings), 'invoke', 50));
    expect(outcomes(new Faults(settings), 'invoke', 50)).not.toEqual(outcomes(new Faults({ ...settings, seed: 8 }), 'invoke', 50));
  });

  it('throttles and fails about as often as asked, each kind of call on its own', () => {
    const faults = new Faults({ throttle: { invoke: 0.2 }, serverError: { invoke: 0.1 } });
    const drawn = outcomes(faults, 'invoke', 5000);
    expect(drawn.filter((o) => o === 'TooManyRequestsException').length / 5000).toBeCloseTo(0.2, 1);
    expect(drawn.filter((o) => o === 'ServiceException').length / 5000).toBeCloseTo(0.1, 1);
    expect(outcomes(faults, 'control', 100)).toEqual(Array(100).fill('ok'));
  });

  it('says for every line of an invocation alike whether its logs are lost', () => {
    const faults = new Faults({ logs: { lost: 0.5 } });
    const verdicts = Array.from({ length: 100 }, (_, i) => faults.losesLogsOf(`request-${i}`));
    expect(verdicts.some(Boolean) && !verdicts.every(Boolean)).toBe(true);
    expect(Array.from({ length: 100 }, (_, i) => faults.losesLogsOf(`request-${i}`))).toEqual(verdicts);
  });

  it('keeps an update in progress for the time asked, or for ever', () => {
    expect(new Faults({}).updateInProgressMs).toBeUndefined();
    expect(new Faults({ updateInProgressMs: 300 }).updateInProgressMs).toBe(300);
    expect(new Faults({ updateInProgressMs: 'forever' }).updateInProgressMs).toBe(Number.POSITIVE_INFINITY);
  });

  it('takes no longer stay than a timer holds, and says to write "forever"', () => {
    expect(new Faults({ updateInProgressMs: 2 ** 31 - 1 }).updateInProgressMs).toBe(2 ** 31 - 1);
    expect(() => parseLocalSection({ faults: { updateInProgressMs: 2 ** 31 } }, '/p')).toThrow(UserError);
    expect(() => parseLocalSection({ faults: { updateInProgressMs: 2 ** 31 } }, '/p')).toThrow(/use "forever" for longer/);
  });
});

describe('the local.faults section', () => {
  it('fills in what is left out', () => {
    expect(parseLocalSection({ faults: { throttle: { invoke: 0.1 } } }, '/p').faults).toEqual({
      seed: 1,
      throttle: { invoke: 0.1, control: 0 },
      serverError: { invoke: 0, control: 0 },
      retryAfterSeconds: 1,
      latencyMs: 0,
      logs: { truncatedTail: 0, delayMs: 0, lost: 0 },
    });
  });

  it('names what is wrong', () => {
    let message = '';
    try {
      parseLocalSection(
        { faults: { throttle: { invoke: 0.7 }, serverError: { invoke: 0.5 }, latencyMs: [50, 10], logs: { lost: 2 } } },
        '/p',
        'tune.config.json',
      );
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      message = (error as UserError).message;
    }
    expect(message).toContain('local.faults.throttle.invoke: throttle.invoke and serverError.invoke add up to more than 1');
    expect(message).toContain('local.faults.latencyMs: the range must be [least, most]');
    expect(message).toContain('local.faults.logs.lost');
  });
});

describe('a platform with faults', () => {
  it('throttles Invoke with TooManyRequestsException, its Reason and Retry-After, and leaves control calls alone', async () => {
    await withFaults({ throttle: { invoke: 1 }, retryAfterSeconds: 3 }, async (_t, once) => {
      const error = await once.send(new InvokeCommand({ FunctionName: 'noop' })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TooManyRequestsException);
      expect((error as TooManyRequestsException).Reason).toBe('ConcurrentInvocationLimitExceeded');
      expect((error as { $response?: { headers: Record<string, string> } }).$response?.headers['retry-after']).toBe('3');
      expect((await once.send(new GetFunctionConfigurationCommand({ FunctionName: 'noop' }))).FunctionName).toBe('noop');
    });
  });

  it('fails control calls with ServiceException (500)', async () => {
    await withFaults({ serverError: { control: 1 } }, async (_t, once) => {
      const error = await once.send(new GetFunctionConfigurationCommand({ FunctionName: 'noop' })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceException);
      expect((error as ServiceException).$metadata.httpStatusCode).toBe(500);
    });
  });

  it('adds latency to every request', async () => {
    await withFaults({ latencyMs: [150, 200] }, async (_t, once) => {
      const started = performance.now();
      await once.send(new GetFunctionConfigurationCommand({ FunctionName: 'noop' }));
      expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    });
  });

  it('cuts the REPORT line off the log tail, while CloudWatch Logs has it', async () => {
    await withFaults({ logs: { truncatedTail: 1 } }, async (t) => {
      const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'noop', LogType: 'Tail' }));
      const tail = decodeTail(result.LogResult);
      expect(tail).toMatch(/^START RequestId: /);
      expect(tail).not.toContain('REPORT');
      const found = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/noop', filterPattern: `"${result.$metadata.requestId}"` }));
      expect(found.events?.at(-1)?.message).toMatch(/^REPORT /);
    });
  });

  it("shows an invocation's lines in CloudWatch Logs only after the delay", async () => {
    await withFaults({ logs: { delayMs: 400 } }, async (t) => {
      const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'noop' }));
      const lines = async () =>
        (await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/noop', filterPattern: `"${result.$metadata.requestId}"` }))).events?.length;
      expect(await lines()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 450));
      expect(await lines()).toBe(3);
    });
  });

  it("loses an invocation's lines for good, though its tail has them", async () => {
    await withFaults({ logs: { lost: 1 } }, async (t) => {
      const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'noop', LogType: 'Tail' }));
      expect(decodeTail(result.LogResult)).toContain('REPORT RequestId:');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const found = await t.logs
        .send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/noop', filterPattern: `"${result.$metadata.requestId}"` }))
        .catch((e: unknown) => e);
      expect((found as { events?: unknown[] }).events ?? []).toEqual([]);
    });
  });

  it('keeps an update InProgress for ever: later updates are refused as conflicts', async () => {
    await withFaults({ updateInProgressMs: 'forever' }, async (t, once) => {
      await once.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'noop', MemorySize: 256 }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await once.send(new GetFunctionConfigurationCommand({ FunctionName: 'noop' }))).LastUpdateStatus).toBe('InProgress');
      expect(await once.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'noop', MemorySize: 128 })).catch((e: unknown) => e)).toBeInstanceOf(
        ResourceConflictException,
      );
      expect(t.platform.environmentCount()).toBe(0);
    });
  });

  it('keeps an update InProgress for good when asked for longer than a timer holds, rather than ending it at once', async () => {
    const t = await startTestPlatform({ functions: [fixture('noop')], updateDelayMs: 2 ** 32 });
    try {
      await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'noop', MemorySize: 256 }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'noop' }))).LastUpdateStatus).toBe('InProgress');
    } finally {
      await t.stop();
    }
  });

  it('keeps an update InProgress for the time asked', async () => {
    await withFaults({ updateInProgressMs: 400 }, async (_t, once) => {
      await once.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'noop', MemorySize: 256 }));
      const status = async () => (await once.send(new GetFunctionConfigurationCommand({ FunctionName: 'noop' }))).LastUpdateStatus;
      expect(await status()).toBe('InProgress');
      await new Promise((resolve) => setTimeout(resolve, 450));
      expect(await status()).toBe('Successful');
    });
  });
});
