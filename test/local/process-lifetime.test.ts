import { readFileSync } from 'node:fs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import type { LocalFunctionConfig } from '../../src/config/local-config.js';
import type { CpuLimitMode } from '../../src/local/limits/cpu.js';
import { pythonFixture } from '../fixtures/python/fixture.js';
import { fixture, payloadJson, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** A process's state letter from /proc (S sleeping, R running, T stopped, Z zombie), or "gone". */
function processState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!;
  } catch {
    return 'gone';
  }
}

/** Killed is enough: an orphan may stay a zombie until the machine's init reaps it. */
const ENDED = /^(gone|Z)$/;

/** Starts a platform serving one function, invokes it once with `event`, and hands over the pid it reports. */
async function startedProcess(config: LocalFunctionConfig, event: unknown, cpuLimit: CpuLimitMode = 'auto'): Promise<{ t: TestPlatform; pid: number }> {
  const t = await startTestPlatform({ functions: [config], cpuLimit });
  const result = await t.lambda.send(new InvokeCommand({ FunctionName: config.name, Payload: JSON.stringify(event) }));
  expect(result.FunctionError).toBeUndefined();
  return { t, pid: payloadJson<{ pid: number }>(result.Payload).pid };
}

describe('stopping', () => {
  it('takes the processes a function started down with its environment', async () => {
    const { t, pid } = await startedProcess(fixture('spawner'), {});
    expect(processState(pid)).not.toMatch(ENDED);
    await t.stop();
    await expect.poll(() => processState(pid)).toMatch(ENDED);
  });
});

describe.each([
  ['Node.js', fixture('detacher', { timeoutS: 10 })],
  ['Python', pythonFixture('detached', 'app.handler', { timeoutS: 10 })],
])('a process a %s function starts in a session of its own', (_runtime, config) => {
  it('is stopped while the environment is frozen, and killed with the environment', async () => {
    const { t, pid } = await startedProcess(config, {});
    try {
      await expect.poll(() => processState(pid)).toBe('T');
    } finally {
      await t.stop();
    }
    await expect.poll(() => processState(pid)).toMatch(ENDED);
  });

  it('is stopped with the function by the CPU throttle: a busy one does not hold the invocation up', async () => {
    const { t, pid } = await startedProcess(config, { busy: true }, 'throttle');
    try {
      await expect.poll(() => processState(pid)).toBe('T');
      const next = await t.lambda.send(new InvokeCommand({ FunctionName: config.name, Payload: '{}' }));
      expect(next.FunctionError).toBeUndefined();
    } finally {
      await t.stop();
    }
    await expect.poll(() => processState(pid)).toMatch(ENDED);
  });
});
