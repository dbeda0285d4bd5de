import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, LambdaClient, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFunctionSchema } from '../../src/config/local-config.js';
import { MAX_SYNC_PAYLOAD_BYTES } from '../../src/local/payload-limits.js';
import { RuntimeApi, type RuntimeResult } from '../../src/local/runtime-api.js';
import { decodeTail, fixture, payloadJson, reportOf, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const BIG_RESPONSE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'big-response.handler');

let t: TestPlatform;
let once: LambdaClient;
beforeAll(async () => {
  t = await startTestPlatform({
    functions: [
      fixture('noop'),
      fixture('sleep', { timeoutS: 10, reservedConcurrency: 1 }),
      localFunctionSchema.parse({ name: 'big', handler: BIG_RESPONSE, memoryMb: 512, timeoutS: 30 }),
    ],
    queueLimits: { maxEventsPerFunction: 3, maxQueuedBytes: 4096 },
  });
  once = new LambdaClient({ endpoint: t.platform.endpoints.lambda, region: 'us-east-1', credentials: t.platform.credentials, maxAttempts: 1 });
});
afterAll(async () => {
  once.destroy();
  await t.stop();
});

/** Sends headers that announce `declaredBytes` and a little of the body, then reads what comes back until the server closes. */
function announceHugeBody(declaredBytes: number): Promise<{ reply: string; sentBytes: number }> {
  const { hostname, port } = new URL(t.platform.endpoints.lambda);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let reply = '';
    let sentBytes = 0;
    socket.on('connect', () => {
      socket.write(`POST /2015-03-31/functions/noop/invocations HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Length: ${declaredBytes}\r\n\r\n`);
      sentBytes = 64 * 1024;
      socket.write(Buffer.alloc(sentBytes, 0x20));
    });
    socket.setEncoding('utf8').on('data', (chunk: string) => (reply += chunk));
    socket.on('close', () => {
      resolve({ reply, sentBytes });
    });
    socket.on('error', reject);
  });
}

interface StreamOutcome {
  /** The answer's status, when it got through before the connection was cut. */
  status?: number;
  body?: string;
  /** Why the client's request failed, when the connection was cut first. */
  errorCode?: string;
  sentMb: number;
}

/** Streams a chunked body of 1 MB pieces for as long as the server takes it; resolves with the answer or the cut, and how much went out. */
function streamBody(url: string, host: string, totalMb: number): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    let sentMb = 0;
    const req = http.request(url, { method: 'POST', headers: { Host: host, 'Transfer-Encoding': 'chunked' }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, sentMb });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ errorCode: error.code ?? error.message, sentMb });
    });
    const writeNext = () => {
      if (sentMb >= totalMb || req.destroyed) return;
      sentMb++;
      if (req.write(Buffer.alloc(1024 * 1024, 0x20))) setImmediate(writeNext);
      else req.once('drain', writeNext);
    };
    writeNext();
  });
}

/** The server stopped taking the body: it answered 413, or cut the connection while the client was still sending. */
function expectRefusedEarly(outcome: StreamOutcome, totalMb: number): void {
  expect(outcome.sentMb).toBeLessThan(totalMb);
  if (outcome.errorCode === undefined) expect(outcome.status).toBe(413);
  else expect(outcome.errorCode).toMatch(/ECONNRESET|EPIPE/);
}

describe('request bodies over the limit', () => {
  it('are refused with 413 from their Content-Length, before the body is read, and the connection is closed', async () => {
    const { reply, sentBytes } = await announceHugeBody(100 * 1024 * 1024);
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toMatch(/connection: close/i);
    expect(reply).toContain(`Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`);
    expect(sentBytes).toBeLessThan(1024 * 1024);
  });

  it('are refused with 413 once a streamed body passes the limit, without reading the rest', async () => {
    const { host } = new URL(t.platform.endpoints.lambda);
    expectRefusedEarly(await streamBody(`${t.platform.endpoints.lambda}/2015-03-31/functions/noop/invocations`, host, 100), 100);
  });

  it('still reach the SDK as RequestEntityTooLargeException', async () => {
    const big = await once.send(new InvokeCommand({ FunctionName: 'noop', Payload: Buffer.alloc(MAX_SYNC_PAYLOAD_BYTES + 1, 0x20) })).catch((e: unknown) => e);
    expect((big as Error).name).toBe('RequestEntityTooLargeException');
    expect((await t.lambda.send(new InvokeCommand({ FunctionName: 'noop' }))).StatusCode).toBe(200);
  });
});

describe('the Event queue', () => {
  const event = (FunctionName: string, payload: unknown) =>
    once.send(new InvokeCommand({ FunctionName, InvocationType: 'Event', Payload: JSON.stringify(payload) })).catch((e: unknown) => e);

  it('takes a bounded number of invocations per function, then answers TooManyRequestsException with a Reason', async () => {
    // The function's one environment is busy, so the Event invocations wait in the queue.
    const busy = t.lambda.send(new InvokeCommand({ FunctionName: 'sleep', Payload: JSON.stringify({ ms: 1500 }) }));
    await expect.poll(() => t.platform.environmentCount('sleep')).toBe(1);
    const accepted = [await event('sleep', { ms: 300 }), await event('sleep', { ms: 300 }), await event('sleep', { ms: 300 })];
    expect(accepted.map((r) => (r as { StatusCode: number }).StatusCode)).toEqual([202, 202, 202]);
    const refused = await event('sleep', { ms: 300 });
    expect(refused).toBeInstanceOf(TooManyRequestsException);
    expect((refused as TooManyRequestsException).Reason).toBe('FunctionInvocationRateLimitExceeded');
    expect((refused as Error).message).toContain('The Event queue of sleep is full (3 invocations waiting)');
    await busy;
    // Once it drains it takes more.
    await expect.poll(async () => ((await event('sleep', { ms: 1 })) as { StatusCode?: number }).StatusCode, { timeout: 10_000, interval: 200 }).toBe(202);
  });

  it('holds a bounded number of payload bytes across functions', async () => {
    const refused = await event('noop', { filler: 'x'.repeat(5000) });
    expect(refused).toBeInstanceOf(TooManyRequestsException);
    expect((refused as TooManyRequestsException).Reason).toBe('CallerRateLimitExceeded');
  });
});

describe('a function response over 6 MB', () => {
  it('fails the invocation with Function.ResponseSizeTooLarge and keeps the environment', async () => {
    await t.lambda.send(new InvokeCommand({ FunctionName: 'big', Payload: JSON.stringify({ bytes: 10 }) }));
    const bytes = 7 * 1024 * 1024;
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'big', Payload: JSON.stringify({ bytes }), LogType: 'Tail' }));
    expect(result.FunctionError).toBe('Unhandled');
    expect(payloadJson(result.Payload)).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size (${bytes + 2} bytes) exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`,
    });
    expect(reportOf(decodeTail(result.LogResult))).toMatch(/\tStatus: error\tError Type: Function\.ResponseSizeTooLarge\t$/);
    const next = await t.lambda.send(new InvokeCommand({ FunctionName: 'big', Payload: JSON.stringify({ bytes: 10 }), LogType: 'Tail' }));
    expect(payloadJson(next.Payload)).toBe('x'.repeat(10));
    expect(reportOf(decodeTail(next.LogResult))).not.toContain('Init Duration');
  });

  it('is refused by the Runtime API at the limit when it streams without a Content-Length', async () => {
    const results: RuntimeResult[] = [];
    const api = new RuntimeApi({
      next: () => undefined,
      initError: () => undefined,
      result: (_id, result) => results.push(result) > 0,
    });
    const address = await api.listen();
    try {
      expectRefusedEarly(await streamBody(`http://${address}/2018-06-01/runtime/invocation/some-id/response`, address, 50), 50);
      expect(results).toEqual([{ kind: 'too-large', declaredBytes: undefined }]);
    } finally {
      await api.close();
    }
  });
});
