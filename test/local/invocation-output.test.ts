import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { FilterLogEventsCommand, paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFunctionSchema } from '../../src/config/local-config.js';
import { MAX_EVENT_BYTES } from '../../src/local/output-lines.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const FLOOD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'flood.handler');
const LINES = 3000;

let t: TestPlatform;

beforeAll(async () => {
  t = await startTestPlatform({ functions: [localFunctionSchema.parse({ name: 'flood', handler: FLOOD, timeoutS: 30 })] });
});
afterAll(() => t.stop());

/** Invokes the flood function and returns its request id and every message of its log group, in order. */
async function floodLog(event: { lines: number; exit?: boolean }): Promise<{ requestId: string; messages: string[] }> {
  const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'flood', Payload: JSON.stringify(event) }));
  const messages: string[] = [];
  for await (const page of paginateFilterLogEvents({ client: t.logs }, { logGroupName: '/aws/lambda/flood' })) {
    for (const event of page.events ?? []) messages.push((event.message ?? '').trimEnd());
  }
  return { requestId: result.$metadata.requestId ?? '', messages };
}

/** The messages from this invocation's START to its REPORT. */
function invocationOf(messages: string[], requestId: string): { during: string[]; closing: string[] } {
  const start = messages.indexOf(`START RequestId: ${requestId} Version: $LATEST`);
  const end = messages.indexOf(`END RequestId: ${requestId}`);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return { during: messages.slice(start + 1, end), closing: messages.slice(end) };
}

function numbered(prefix: string): string[] {
  return Array.from({ length: LINES }, (_, i) => `${prefix} ${i} ${'.'.repeat(60)}`);
}

/** Every line the function wrote, stdout's and stderr's each in order (the two may interleave). */
function expectAllWritten(during: string[]): void {
  const out = during.filter((m) => m.startsWith('out '));
  const err = during.filter((m) => m.startsWith('err '));
  expect({ out: out.length, err: err.length }).toEqual({ out: LINES + 1, err: LINES });
  expect(out).toEqual([...numbered('out'), 'out last, without a newline']);
  expect(err).toEqual(numbered('err'));
}

describe("an invocation's output", () => {
  it('is all in the log, in order, before END and REPORT, when the function writes a lot right before it answers', async () => {
    const { requestId, messages } = await floodLog({ lines: LINES });
    const { during, closing } = invocationOf(messages, requestId);
    expectAllWritten(during);
    expect(closing).toHaveLength(2);
    expect(closing[1]).toMatch(/^REPORT RequestId: /);
  });

  it('is all in the log before the error, END and REPORT when the function writes a lot and then exits', async () => {
    const { requestId, messages } = await floodLog({ lines: LINES, exit: true });
    const { during, closing } = invocationOf(messages, requestId);
    expectAllWritten(during);
    expect(during.at(-1)).toBe(`RequestId: ${requestId} Error: Runtime exited with error: exit status 0`);
    expect(closing).toHaveLength(2);
    expect(closing[1]).toMatch(/Error Type: Runtime\.ExitError/);
  });
});

/** The heap in use after a full collection: what is still reachable. */
function liveHeapBytes(): number {
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

describe('a function that writes 100 MB without a newline', () => {
  it('is cut into events of at most 256 KB, and the platform holds a bounded part of it', async () => {
    const handler = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'big-response.handler');
    const own = await startTestPlatform({
      functions: [localFunctionSchema.parse({ name: 'writer', handler, memoryMb: 512, timeoutS: 60 })],
      logLimits: { maxBytesPerGroup: 8 * 1024 * 1024 },
    });
    try {
      const before = liveHeapBytes();
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, liveHeapBytes())), 25);
      const result = await own.lambda.send(new InvokeCommand({ FunctionName: 'writer', Payload: JSON.stringify({ logBytes: 100 * 1024 * 1024 }) }));
      clearInterval(sampler);
      expect(Buffer.from(result.Payload ?? []).toString()).toBe('"logged"');
      const { events } = await own.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/writer', filterPattern: 'yyyy' }));
      expect(events!.length).toBeGreaterThan(0);
      for (const event of events!) expect(Buffer.byteLength(event.message!)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
      // What stays reachable while it writes: the log group's 8 MB and a few pieces in flight, not 100 MB.
      expect(peak - before).toBeLessThan(32 * 1024 * 1024);
    } finally {
      await own.stop();
    }
  }, 60_000);
});
