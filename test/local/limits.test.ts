import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalFunctionConfig } from '../../src/config/local-config.js';
import { pythonFixture } from '../fixtures/python/fixture.js';
import { decodeTail, fixture, payloadJson, reportOf, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** Each runtime's fixtures for the limits: `sleep` waits `ms`, `hog` holds `mb` more megabytes. */
const RUNTIMES: [string, { sleep: LocalFunctionConfig; hog: LocalFunctionConfig }][] = [
  ['Node.js', { sleep: fixture('sleep', { timeoutS: 1 }), hog: fixture('hog', { memoryMb: 128, timeoutS: 30 }) }],
  [
    'Python',
    {
      sleep: pythonFixture('limits', 'app.sleep', { name: 'sleep', timeoutS: 1 }),
      hog: pythonFixture('limits', 'app.hog', { name: 'hog', memoryMb: 128, timeoutS: 30 }),
    },
  ],
];

describe.each(RUNTIMES)("a %s function is held to Lambda's limits", (_runtime, functions) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform({ functions: [functions.sleep, functions.hog] });
  });
  afterAll(() => t.stop());

  const invoke = (FunctionName: string, payload: unknown) =>
    t.lambda.send(new InvokeCommand({ FunctionName, Payload: JSON.stringify(payload), LogType: 'Tail' }));

  it('is stopped at its timeout: Status timeout, Duration equal to the timeout', async () => {
    const result = await invoke('sleep', { ms: 5000 });
    expect(result.FunctionError).toBe('Unhandled');
    expect(payloadJson(result.Payload)).toMatchObject({ errorType: 'Sandbox.Timedout' });
    const tail = decodeTail(result.LogResult);
    expect(tail).toContain(`${result.$metadata.requestId} Task timed out after 1.00 seconds`);
    expect(reportOf(tail)).toMatch(/\tDuration: 1000\.00 ms\tBilled Duration: 1000 ms\t.*\tStatus: timeout\t$/);
  });

  it('is killed over its memory: Runtime.OutOfMemory, and the next invocation starts cold', async () => {
    const result = await invoke('hog', { mb: 300 });
    expect(result.FunctionError).toBe('Unhandled');
    expect(payloadJson(result.Payload)).toMatchObject({ errorType: 'Runtime.OutOfMemory' });
    const report = reportOf(decodeTail(result.LogResult));
    expect(report).toMatch(/\tMemory Size: 128 MB\tMax Memory Used: (\d+) MB\t.*Status: error\tError Type: Runtime\.OutOfMemory\t$/);
    expect(Number(/Max Memory Used: (\d+)/.exec(report)![1])).toBeGreaterThanOrEqual(128);
    const next = await invoke('hog', { mb: 1 });
    expect(next.FunctionError).toBeUndefined();
    expect(reportOf(decodeTail(next.LogResult))).toContain('Init Duration');
  });
});
