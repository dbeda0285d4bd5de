import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CPU_PERIOD_MS } from '../../src/local/limits/cpu.js';
import { pythonFixture } from '../fixtures/python/fixture.js';
import { decodeTail, payloadJson, reportOf, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** What the spin handler answers: the CPU time it got and the wall time it took. */
interface SpinReply {
  cpuMs: number;
  wallMs: number;
}

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform({
    functions: [
      pythonFixture('limits', 'app.sleep', { name: 'sleeper', timeoutS: 1 }),
      pythonFixture('limits', 'app.hog', { name: 'hog', memoryMb: 128, timeoutS: 30 }),
      pythonFixture('limits', 'app.spin', { name: 'spin-128', memoryMb: 128, timeoutS: 60 }),
      pythonFixture('limits', 'app.spin', { name: 'spin-1024', memoryMb: 1024, timeoutS: 60 }),
    ],
  });
});
afterAll(() => t.stop());

const invoke = (FunctionName: string, payload: unknown) =>
  t.lambda.send(new InvokeCommand({ FunctionName, Payload: JSON.stringify(payload), LogType: 'Tail' }));

const durationOf = (logResult: string | undefined) => Number(/\tDuration: ([\d.]+) ms/.exec(reportOf(decodeTail(logResult)))?.[1]);

describe('a Python function is held to the limits of a Node.js one', () => {
  it('is stopped at its timeout: Status timeout, Duration equal to the timeout', async () => {
    const result = await invoke('sleeper', { ms: 5000 });
    expect(result.FunctionError).toBe('Unhandled');
    expect(payloadJson(result.Payload)).toMatchObject({ errorType: 'Sandbox.Timedout' });
    const tail = decodeTail(result.LogResult);
    expect(tail).toContain(`${result.$metadata.requestId} Task timed out after 1.00 seconds`);
    expect(reportOf(tail)).toMatch(/\tDuration: 1000\.00 ms\tBilled Duration: 1000 ms\t.*\tStatus: timeout\t$/);
  });

  it('is killed over its memory: Runtime.OutOfMemory, and the next invocation starts cold', async () => {
    const result = await invoke('hog', { mb: 300 });
    expect(payloadJson(result.Payload)).toMatchObject({ errorType: 'Runtime.OutOfMemory' });
    const report = reportOf(decodeTail(result.LogResult));
    expect(report).toMatch(/\tMemory Size: 128 MB\tMax Memory Used: (\d+) MB\t.*Status: error\tError Type: Runtime\.OutOfMemory\t$/);
    expect(Number(/Max Memory Used: (\d+)/.exec(report)![1])).toBeGreaterThanOrEqual(128);
    const next = await invoke('hog', { mb: 1 });
    expect(next.FunctionError).toBeUndefined();
    expect(reportOf(decodeTail(next.LogResult))).toContain('Init Duration');
  });

  it('gets its share of a CPU: a CPU-bound loop at 128 MB takes about 8× as long as at 1024 MB', async () => {
    await invoke('spin-128', { rounds: 10 });
    await invoke('spin-1024', { rounds: 10 });
    const small = await invoke('spin-128', { rounds: 5000 });
    const large = await invoke('spin-1024', { rounds: 5000 });
    const smallMs = durationOf(small.LogResult);
    const largeMs = durationOf(large.LogResult);
    // As the Node.js test holds it: over its Duration a function gets at most its share plus one
    // period's quota, and a busy machine can only push the share lower, never higher.
    const share = 128 / 1769;
    const { cpuMs } = payloadJson<SpinReply>(small.Payload);
    expect(cpuMs).toBeLessThanOrEqual(share * smallMs * 1.05 + share * CPU_PERIOD_MS);
    expect(cpuMs).toBeGreaterThan(share * smallMs * 0.3);
    // 1024 / 128 = 8; generous bounds, since a busy host slows the larger share more than the smaller.
    expect(smallMs / largeMs).toBeGreaterThan(4);
    expect(smallMs / largeMs).toBeLessThan(12);
  });
});
