import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localFunctionSchema } from '../../src/config/local-config.js';
import { CPU_PERIOD_MS, cpuShare } from '../../src/local/limits/cpu.js';
import { CpuThrottle } from '../../src/local/limits/cpu-throttle.js';
import { CpuMeter } from '../../src/local/limits/proc.js';
import { decodeTail, fixture, payloadJson, reportOf, startTestPlatform } from '../helpers/platform.js';

const CHILD_WORK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'child-work.handler');

/** What the spin fixture answers: the CPU time it got and the wall time it took. */
interface SpinReply {
  cpuMs: number;
  wallMs: number;
}

/**
 * A process that uses `cores` ms of CPU per ms of wall time whenever it is not stopped, on a fake
 * clock (vitest's): moving the clock without running timers is the platform's event loop being late.
 */
function fakeProcess(cores: number) {
  let cpuMs = 0;
  let stopped = false;
  let sinceMs = Date.now();
  const settle = () => {
    if (!stopped) cpuMs += cores * (Date.now() - sinceMs);
    sinceMs = Date.now();
    return cpuMs;
  };
  const signals: string[] = [];
  return {
    signals,
    cpuMs: settle,
    /** CPU time it takes besides its steady use (a burst between two looks). */
    burn: (ms: number) => (cpuMs += ms),
    deps: {
      now: () => Date.now(),
      processes: () => ({
        readMs: settle,
        signal: (signal: 'SIGSTOP' | 'SIGCONT') => {
          settle();
          stopped = signal === 'SIGSTOP';
          signals.push(signal);
        },
      }),
    },
  };
}

/** Runs fake timers until the promise settles; returns how long that took on the fake clock. */
async function timeToSettle(promise: Promise<unknown>): Promise<number> {
  const startMs = Date.now();
  const progress = { settled: false };
  void promise.then(() => {
    progress.settled = true;
  });
  while (!progress.settled) await vi.advanceTimersByTimeAsync(1);
  return Date.now() - startMs;
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
    const throttle = new CpuThrottle(0.5, CPU_PERIOD_MS);
    // Starts with one period of credit: 0.5 * 20 ms = 10 ms of CPU.
    expect(throttle.account(0, 0)).toBe(0);
    expect(throttle.account(4, 4)).toBe(0); // credit min(10 + 2, 10) - 4 = 6
    expect(throttle.account(10, 10)).toBe(0); // min(6 + 3, 10) - 6 = 3
    // min(3 + 1, 10) - 10 = -6 ms: stop for 6 / 0.5 = 12 ms.
    expect(throttle.account(12, 20)).toBeCloseTo(12, 6);
  });

  it('never stores more than one period of credit while idle', () => {
    const throttle = new CpuThrottle(0.25, CPU_PERIOD_MS);
    throttle.account(0, 0);
    throttle.account(10_000, 0);
    // Idle for 10 s, yet only 0.25 * 20 = 5 ms of credit: 8 ms of CPU is 3 ms in debt, 12 ms of stop.
    expect(throttle.account(10_000, 8)).toBeCloseTo(3 / 0.25, 6);
    expect(CPU_PERIOD_MS).toBe(20);
  });
});

describe('CpuThrottle on a process', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('charges what ran after its last look when the invocation ends, and ends it only once that is repaid', async () => {
    const process = fakeProcess(0);
    const throttle = new CpuThrottle(0.5, CPU_PERIOD_MS, process.deps);
    throttle.attach(1);
    throttle.begin();
    // The platform's loop stalls for 20 ms while the process burns 40 ms of CPU on two cores.
    vi.setSystemTime(20);
    process.burn(40);
    // Credit min(10 + 10, 10) - 40 = -30 ms: 60 ms stopped before the invocation may end.
    expect(await timeToSettle(throttle.end())).toBe(60);
    expect(process.signals).toEqual(['SIGSTOP', 'SIGCONT']);
  });

  it('charges what ran between invocations when the next one begins', async () => {
    const process = fakeProcess(0);
    const throttle = new CpuThrottle(0.5, CPU_PERIOD_MS, process.deps);
    throttle.attach(1);
    throttle.begin();
    await throttle.end();
    // After its answer the process went on for 5 ms, using 25 ms of CPU before it was frozen.
    vi.setSystemTime(5);
    process.burn(25);
    throttle.begin();
    // min(10 + 2.5, 10) - 25 = -15 ms: stopped at once for 30 ms.
    expect(process.signals).toEqual(['SIGSTOP']);
    await vi.advanceTimersByTimeAsync(30);
    expect(process.signals).toEqual(['SIGSTOP', 'SIGCONT']);
    throttle.close();
  });

  it('holds a process on two cores to its share when the looks come late: never more than share × wall + one period', async () => {
    const share = 0.25;
    const process = fakeProcess(2);
    const throttle = new CpuThrottle(share, CPU_PERIOD_MS, process.deps);
    throttle.attach(1);
    throttle.begin();
    for (let round = 0; round < 20; round++) {
      // A stall of 7 to 45 ms with no look at all, then the loop runs on time for a while.
      vi.setSystemTime(Date.now() + 7 + ((round * 13) % 39));
      await vi.advanceTimersByTimeAsync(10 + ((round * 7) % 30));
    }
    await timeToSettle(throttle.end());
    const wallMs = Date.now();
    expect(process.cpuMs()).toBeLessThanOrEqual(share * wallMs + share * CPU_PERIOD_MS + 1e-6);
    expect(process.cpuMs()).toBeGreaterThan(share * wallMs * 0.5);
  });
});

describe('CpuMeter', () => {
  it('sums CPU time thread by thread, keeping what a thread used before it ended', () => {
    const threads = [
      new Map([
        ['10', 5e6],
        ['11', 1e6],
      ]),
      new Map([
        ['10', 7e6],
        ['11', 4e6],
        ['12', 2e6],
      ]),
      // Thread 11 ended; thread 12's id came back for a new thread with less time than the old one had.
      new Map([
        ['10', 8e6],
        ['12', 1e6],
      ]),
    ];
    const meter = new CpuMeter(() => threads.shift());
    expect(meter.readMs()).toBe(2 + 3 + 2);
    expect(meter.readMs()).toBe(7 + 1 + 1);
    expect(meter.readMs()).toBeUndefined();
  });
});

describe('the throttle backend on a real process', () => {
  it('holds a CPU-bound function to its share without cgroups, over the whole invocation', async () => {
    const memoryMb = 256;
    const t = await startTestPlatform({ cpuLimit: 'throttle', functions: [fixture('spin', { name: 'small', memoryMb, timeoutS: 60 })] });
    try {
      expect(t.platform.cpuLimit).toBe('throttle');
      await t.lambda.send(new InvokeCommand({ FunctionName: 'small', Payload: '{"rounds":10}' }));
      const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'small', Payload: '{"rounds":2000}', LogType: 'Tail' }));
      const { cpuMs } = JSON.parse(Buffer.from(result.Payload ?? []).toString()) as SpinReply;
      const report = reportOf(decodeTail(result.LogResult));
      const durationMs = Number(/\tDuration: ([\d.]+) ms/.exec(report)?.[1]);
      // 256 MB is 14.5% of a CPU. An invocation ends once its CPU time is paid for, so over its
      // Duration it got at most its share plus one period's credit, however late the throttle looked.
      // A busy machine can only push it lower.
      const share = memoryMb / 1769;
      expect(cpuMs).toBeLessThanOrEqual(share * durationMs * 1.05 + share * CPU_PERIOD_MS);
      expect(cpuMs).toBeGreaterThan(share * durationMs * 0.3);
      expect(report).toContain('Memory Size: 256 MB');
    } finally {
      await t.stop();
    }
  });

  it('holds what the function starts to the same share: a child process that spins is stopped with it', async () => {
    const memoryMb = 512;
    const t = await startTestPlatform({
      cpuLimit: 'throttle',
      functions: [localFunctionSchema.parse({ name: 'child', handler: CHILD_WORK, memoryMb, timeoutS: 60 })],
    });
    try {
      const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'child', Payload: '{"spinMs":300}', LogType: 'Tail' }));
      const childCpuMs = payloadJson<{ child: number }>(result.Payload).child;
      const durationMs = Number(/\tDuration: ([\d.]+) ms/.exec(reportOf(decodeTail(result.LogResult)))?.[1]);
      const share = memoryMb / 1769;
      expect(childCpuMs).toBeGreaterThanOrEqual(300);
      expect(childCpuMs).toBeLessThanOrEqual(share * durationMs * 1.05 + share * CPU_PERIOD_MS);
    } finally {
      await t.stop();
    }
  });
});
