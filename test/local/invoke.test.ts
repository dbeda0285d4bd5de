import { statSync } from 'node:fs';
import path from 'node:path';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateAliasCommand,
  InvalidParameterValueException,
  InvalidRequestContentException,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  TooManyRequestsException,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTail, fixture, payloadJson, reportOf, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;

/** What the echo fixture answers. */
interface EchoReply {
  event: unknown;
  requestId: string;
  memoryLimitInMB: string;
  remainingMs: number;
  clientContext?: unknown;
  env: Record<string, string | undefined>;
}

interface ErrorDocument {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

interface PlatformReport {
  record: { metrics: { durationMs: number; billedDurationMs: number; initDurationMs?: number } };
}

interface SpinReply {
  cpuMs: number;
  wallMs: number;
}

beforeAll(async () => {
  process.env['LAMBDA_TUNE_HOST_SECRET'] = 'must-not-leak';
  t = await startTestPlatform({
    functions: [
      fixture('noop'),
      fixture('echo', { environment: { GREETING: 'hello' } }),
      fixture('sleep', { name: 'pair', timeoutS: 30 }),
      fixture('throws'),
      fixture('callback'),
      fixture('chatty'),
      fixture('broken'),
      fixture('multiline'),
      fixture('noop', { name: 'json-logs', logFormat: 'JSON' }),
      fixture('sleep', { name: 'reserved', reservedConcurrency: 1 }),
      fixture('noop', { name: 'retired' }),
      fixture('noop', { name: 'aliased' }),
    ],
  });
});
afterAll(() => t.stop());

const invoke = (FunctionName: string, payload: unknown = {}, extra: Partial<ConstructorParameters<typeof InvokeCommand>[0]> = {}) =>
  t.lambda.send(new InvokeCommand({ FunctionName, Payload: JSON.stringify(payload), LogType: 'Tail', ...extra }));

describe('invoke', () => {
  it('starts cold with Init Duration, then runs warm in the same environment without it', async () => {
    const cold = await invoke('noop');
    const warm = await invoke('noop');
    expect(payloadJson(cold.Payload)).toEqual({ ok: true });
    expect(cold.StatusCode).toBe(200);
    expect(cold.ExecutedVersion).toBe('$LATEST');
    const coldReport = reportOf(decodeTail(cold.LogResult));
    const warmReport = reportOf(decodeTail(warm.LogResult));
    expect(coldReport).toMatch(
      /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d{2} ms\t$/,
    );
    expect(warmReport).not.toContain('Init Duration');
    expect(t.platform.environmentCount('noop')).toBe(1);
  });

  it('answers with x-amzn-RequestId equal to the RequestId in START, END and REPORT', async () => {
    const result = await invoke('noop');
    const requestId = result.$metadata.requestId!;
    const tail = decodeTail(result.LogResult);
    expect(tail).toContain(`START RequestId: ${requestId} Version: $LATEST\n`);
    expect(tail).toContain(`END RequestId: ${requestId}\n`);
    expect(reportOf(tail)).toContain(`REPORT RequestId: ${requestId}\t`);
  });

  it('makes a second environment for two invocations in flight at once', async () => {
    const [a, b] = await Promise.all([invoke('pair', { ms: 300 }), invoke('pair', { ms: 300 })]);
    expect(reportOf(decodeTail(a.LogResult))).toContain('Init Duration');
    expect(reportOf(decodeTail(b.LogResult))).toContain('Init Duration');
    expect(t.platform.environmentCount('pair')).toBe(2);
  });

  it('passes the event and context, formats console lines as Lambda does, and scrubs the host environment', async () => {
    const result = await invoke('echo', { hello: 'world' });
    const body = payloadJson<EchoReply>(result.Payload);
    expect(body.event).toEqual({ hello: 'world' });
    expect(body.requestId).toBe(result.$metadata.requestId);
    expect(body.memoryLimitInMB).toBe('128');
    expect(body.remainingMs).toBeGreaterThan(0);
    expect(body.remainingMs).toBeLessThanOrEqual(3000);
    expect(body.env.GREETING).toBe('hello');
    expect(body.env.AWS_LAMBDA_FUNCTION_NAME).toBe('echo');
    expect(body.env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(body.env.LAMBDA_TUNE_HOST_SECRET).toBeUndefined();
    expect(body.env.HOME).not.toBe(process.env['HOME']);
    expect(path.basename(body.env.HOME ?? '')).toMatch(/^lambda-tune-env-/);
    expect(statSync(body.env.HOME ?? '').mode & 0o777).toBe(0o700);
    expect(body.env.AWS_ACCESS_KEY_ID).not.toBe(process.env['AWS_ACCESS_KEY_ID'] ?? 'unset-on-host');
    expect(decodeTail(result.LogResult)).toMatch(
      new RegExp(`\\n\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${result.$metadata.requestId}\\tINFO\\techo says \\{"hello":"world"\\}\\n`),
    );
  });

  it('passes a client context with any characters through to the function', async () => {
    const clientContext = { custom: { city: '東京', quote: 'a "b"\nc' } };
    const result = await invoke('echo', {}, { ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64') });
    expect(payloadJson<EchoReply>(result.Payload).clientContext).toEqual(clientContext);
    const bad = await invoke('echo', {}, { ClientContext: Buffer.from('not json').toString('base64') }).catch((e: unknown) => e);
    expect((bad as Error).name).toBe('InvalidRequestContentException');
    expect(payloadJson<EchoReply>((await invoke('echo', { after: 'bad context' })).Payload).event).toEqual({ after: 'bad context' });
  });

  it('refuses a client context over 3,583 bytes of base64 before it runs anything, and the environment goes on', async () => {
    const oversized = Buffer.from(JSON.stringify({ custom: { text: '一'.repeat(3000) } })).toString('base64');
    const refused = await invoke('echo', {}, { ClientContext: oversized }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidParameterValueException);
    expect((refused as Error).message).toContain('3583 bytes');
    // The largest one allowed, of the characters that grow most on their way to the runtime.
    const largest = { custom: { text: '😀'.repeat(660) } };
    const base64 = Buffer.from(JSON.stringify(largest)).toString('base64');
    expect(base64.length).toBeLessThanOrEqual(3583);
    expect(payloadJson<EchoReply>((await invoke('echo', {}, { ClientContext: base64 })).Payload).clientContext).toEqual(largest);
  });

  it('keeps a multi-line console message as one log event', async () => {
    const result = await invoke('multiline');
    const events = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/multiline', filterPattern: `"second line"` }));
    expect(events.events).toHaveLength(1);
    expect(events.events![0]!.message).toContain('first line\nsecond line');
    expect(payloadJson(result.Payload)).toBe('done');
  });

  it('runs CommonJS callback-style handlers', async () => {
    const result = await invoke('callback', { n: 1 });
    expect(payloadJson(result.Payload)).toEqual({ style: 'callback', got: { n: 1 } });
  });

  it('reports a handler that throws as an Unhandled function error and keeps the environment warm', async () => {
    const first = await invoke('throws');
    expect(first.StatusCode).toBe(200);
    expect(first.FunctionError).toBe('Unhandled');
    expect(payloadJson(first.Payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'boom' });
    expect(payloadJson<ErrorDocument>(first.Payload).trace[0]).toContain('TypeError: boom');
    expect(decodeTail(first.LogResult)).toContain('\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"boom"');
    const second = await invoke('throws');
    expect(reportOf(decodeTail(second.LogResult))).not.toContain('Init Duration');
  });

  it('reports a handler that fails to import as Runtime.ImportModuleError', async () => {
    const result = await invoke('broken');
    expect(result.FunctionError).toBe('Unhandled');
    expect(payloadJson(result.Payload)).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
    expect(payloadJson<ErrorDocument>(result.Payload).errorMessage).toContain('a-module-that-does-not-exist');
    expect(reportOf(decodeTail(result.LogResult))).toMatch(/Init Duration: [\d.]+ ms\tStatus: error\tError Type: Runtime\.ImportModuleError\t$/);
  });

  it('returns only the last 4 KB of the log as the tail, and CloudWatch Logs has the rest by request id', async () => {
    const result = await invoke('chatty', { lines: 200 });
    const tail = decodeTail(result.LogResult);
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(tail)).toBeGreaterThan(4000);
    expect(tail).not.toContain('line 0000');
    expect(tail).toContain('line 0199');
    expect(tail.trimEnd().split('\n').at(-1)).toMatch(/^REPORT /);
    const requestId = result.$metadata.requestId!;
    const found = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/chatty', filterPattern: `"${requestId}"` }));
    const messages = found.events!.map((e) => e.message!);
    expect(messages[0]).toBe(`START RequestId: ${requestId} Version: $LATEST`);
    expect(messages.some((m) => m.includes('line 0000'))).toBe(true);
    expect(messages.at(-1)).toMatch(/^REPORT /);
    expect(messages).toHaveLength(203);
  });

  it('writes platform.start and platform.report records for a function in JSON log format', async () => {
    const cold = await invoke('json-logs');
    const warm = await invoke('json-logs');
    const coldRecord = JSON.parse(reportOf(decodeTail(cold.LogResult))) as PlatformReport;
    expect(coldRecord).toMatchObject({
      type: 'platform.report',
      record: { requestId: cold.$metadata.requestId, status: 'success', metrics: { memorySizeMB: 128 } },
    });
    expect(coldRecord.record.metrics.initDurationMs).toBeGreaterThan(0);
    expect(coldRecord.record.metrics.billedDurationMs).toBe(Math.ceil(coldRecord.record.metrics.durationMs));
    expect((JSON.parse(reportOf(decodeTail(warm.LogResult))) as PlatformReport).record.metrics.initDurationMs).toBeUndefined();
    expect(decodeTail(warm.LogResult)).toContain('"type":"platform.start"');
  });

  it('accepts Event invocations with 202 and DryRun with 204', async () => {
    const event = await t.lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: JSON.stringify({ async: 'yes' }) }));
    expect(event.StatusCode).toBe(202);
    const dry = await t.lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
    expect(dry.StatusCode).toBe(204);
    await expect
      .poll(
        async () =>
          (await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/echo', filterPattern: `"${event.$metadata.requestId}"` }))).events?.length,
        { timeout: 10_000 },
      )
      .toBeGreaterThanOrEqual(4);
  });

  it('refuses a payload over 6 MB with RequestEntityTooLargeException and bad JSON with InvalidRequestContentException', async () => {
    const big = await t.lambda
      .send(new InvokeCommand({ FunctionName: 'noop', Payload: Buffer.from(JSON.stringify('x'.repeat(6 * 1024 * 1024))) }))
      .catch((e: unknown) => e);
    // AWS answers RequestEntityTooLargeException, which the SDK's model does not name: it arrives by name.
    expect((big as Error).name).toBe('RequestEntityTooLargeException');
    expect((big as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(413);
    expect((big as Error).message).toBe('Request must be smaller than 6291456 bytes for the InvokeFunction operation');
    const bad = await t.lambda.send(new InvokeCommand({ FunctionName: 'noop', Payload: Buffer.from('{not json') })).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidRequestContentException);
  });

  it('throttles with TooManyRequestsException beyond reserved concurrency', async () => {
    const once = new LambdaClient({ endpoint: t.platform.endpoints.lambda, region: 'us-east-1', credentials: t.platform.credentials, maxAttempts: 1 });
    const results = await Promise.allSettled([
      once.send(new InvokeCommand({ FunctionName: 'reserved', Payload: JSON.stringify({ ms: 400 }) })),
      once.send(new InvokeCommand({ FunctionName: 'reserved', Payload: JSON.stringify({ ms: 400 }) })),
    ]);
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => r.reason as TooManyRequestsException);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toBeInstanceOf(TooManyRequestsException);
    expect(rejected[0]!.Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    await t.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'reserved', ReservedConcurrentExecutions: 0 }));
    const zero = await once.send(new InvokeCommand({ FunctionName: 'reserved' })).catch((e: unknown) => e);
    expect(zero).toBeInstanceOf(TooManyRequestsException);
    once.destroy();
  });

  it('retires environments when the configuration changes, so the next invocation is cold at the new size', async () => {
    await invoke('retired');
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'retired', MemorySize: 256 }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 20 }, { FunctionName: 'retired' });
    const report = reportOf(decodeTail((await invoke('retired')).LogResult));
    expect(report).toContain('Memory Size: 256 MB');
    expect(report).toContain('Init Duration');
    expect(t.platform.environmentCount('retired')).toBe(1);
  });

  it('runs a published version through its number and an alias, reporting X-Amz-Executed-Version', async () => {
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'aliased', MemorySize: 192 }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 20 }, { FunctionName: 'aliased' });
    const { Version } = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'aliased' }));
    await waitUntilPublishedVersionActive({ client: t.lambda, maxWaitTime: 20 }, { FunctionName: 'aliased', Qualifier: Version });
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'aliased', Name: 'tuning', FunctionVersion: Version }));
    const byVersion = await invoke('aliased', {}, { Qualifier: Version });
    const byAlias = await invoke('aliased:tuning');
    expect(byVersion.ExecutedVersion).toBe(Version);
    expect(byAlias.ExecutedVersion).toBe(Version);
    const tail = decodeTail(byAlias.LogResult);
    expect(tail).toContain(`Version: ${Version}`);
    expect(reportOf(tail)).toContain('Memory Size: 192 MB');
  });
});

describe('CPU limits', () => {
  it('holds a function to its share of a CPU: 128 MB gets 128/1769 of one', async () => {
    const cpu = await startTestPlatform({ functions: [fixture('spin', { name: 'small', memoryMb: 128, timeoutS: 60 })] });
    try {
      await cpu.lambda.send(new InvokeCommand({ FunctionName: 'small', Payload: '{"rounds":10}' }));
      const result = await cpu.lambda.send(new InvokeCommand({ FunctionName: 'small', Payload: '{"rounds":300}', LogType: 'Tail' }));
      const { cpuMs } = JSON.parse(Buffer.from(result.Payload ?? []).toString()) as SpinReply;
      const durationMs = Number(/\tDuration: ([\d.]+) ms/.exec(reportOf(decodeTail(result.LogResult)))?.[1]);
      // Over its Duration a function gets at most its share plus one 20 ms period's quota, by cgroup
      // or by throttle; a busy machine can only push the share lower, never higher.
      const share = 128 / 1769;
      expect(cpuMs).toBeLessThanOrEqual(share * durationMs * 1.05 + share * 20);
      expect(cpuMs).toBeGreaterThan(share * durationMs * 0.3);
    } finally {
      await cpu.stop();
    }
  });
});
