import { InvokeCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { CPU_PERIOD_MS, CpuThrottle, cpuShare } from '../../src/local/limits/cpu.js';
import { decodeTail, fixture, payloadJson, reportOf, startTestPlatform } from '../helpers/platform.js';

/** What the spin fixture answers: the CPU time it got and the wall time it took. */
interface SpinReply {
  cpuMs: number;
  wallMs: number;
}

describe('cpuShare', () => {
  it('is MemorySize / 1769 of a vCPU, at most 6 and at most the host cores', () => {
    expect(cpuShare(1769, 8)).toBe(1);
    expect(cpuShare(128, 8)).toBeCloseTo(0.0724, 4);
    expect(cpuShare(10_240, 8)).toBeCloseTo(10_240 / 1769, 6);
    expect(cpuShare(12_000, 8)).toBe(6);
    expect(cpuShare(10_240, 2)).toBe(2);
  });
});

describe('CpuThrottle accounting', () => {
  it('lets a process run within its credit and stops it for exactly its debt divided by its share', () => {
    const throttle = new CpuThrottle(0.5);
    // Starts with one period of credit: 0.5 * 20 ms = 10 ms of CPU.
    expect(throttle.account(0, 0)).toBe(0);
    expect(throttle.account(4, 4)).toBe(0); // credit min(10 + 2, 10) - 4 = 6
    expect(throttle.account(10, 10)).toBe(0); // min(6 + 3, 10) - 6 = 3
    // min(3 + 1, 10) - 10 = -6 ms: stop for 6 / 0.5 = 12 ms.
    expect(throttle.account(12, 20)).toBeCloseTo(12, 6);
  });

  it('never stores more than one period of credit while idle', () => {
    const throttle = new CpuThrottle(0.25);
    throttle.account(0, 0);
    throttle.account(10_000, 0);
    // Idle for 10 s, yet only 0.25 * 20 = 5 ms of credit: 8 ms of CPU is 3 ms in debt, 12 ms of stop.
    expect(throttle.account(10_000, 8)).toBeCloseTo(3 / 0.25, 6);
    expect(CPU_PERIOD_MS).toBe(20);
  });
});

describe('the throttle backend on a real process', () => {
  it('holds a CPU-bound function to its share without cgroups', async () => {
    const t = await startTestPlatform({ cpuLimit: 'throttle', functions: [fixture('spin', { name: 'small', memoryMb: 256, timeoutS: 60 })] });
    try {
      expect(t.platform.cpuLimit).toBe('throttle');
      await t.lambda.send(new InvokeCommand({ FunctionName: 'small', Payload: '{"rounds":10}' }));
      const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'small', Payload: '{"rounds":1000}', LogType: 'Tail' }));
      const { cpuMs, wallMs } = payloadJson(result.Payload) as SpinReply;
      // 256 MB is 14.5% of a CPU. The quota is a ceiling: load elsewhere can only push it lower.
      expect(cpuMs / wallMs).toBeLessThan((256 / 1769) * 1.3);
      expect(cpuMs / wallMs).toBeGreaterThan((256 / 1769) * 0.4);
      expect(reportOf(decodeTail(result.LogResult))).toContain('Memory Size: 256 MB');
    } finally {
      await t.stop();
    }
  });
});
