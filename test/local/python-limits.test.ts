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
      pythonFixture('limits', 'app.spin', { name: 'spin-128', memoryMb: 128, timeoutS: 60 }),
      pythonFixture('limits', 'app.spin', { name: 'spin-1024', memoryMb: 1024, timeoutS: 60 }),
    ],
  });
});
afterAll(() => t.stop());

const invoke = (FunctionName: string, payload: unknown) =>
  t.lambda.send(new InvokeCommand({ FunctionName, Payload: JSON.stringify(payload), LogType: 'Tail' }));

const durationOf = (logResult: string | undefined) => Number(/\tDuration: ([\d.]+) ms/.exec(reportOf(decodeTail(logResult)))?.[1]);

describe('a Python function is held to its share of a CPU, as a Node.js one', () => {
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
