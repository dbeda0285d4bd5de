import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFunctionSchema } from '../../src/config/local-config.js';
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
