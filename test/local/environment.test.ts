import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { localFunctionSchema } from '../../src/config/local-config.js';
import { type EnvironmentDeps, ExecutionEnvironment } from '../../src/local/environment.js';
import type { FunctionVersionConfig } from '../../src/local/function-config.js';
import { createCpuBackend } from '../../src/local/limits/cpu.js';
import { initialConfig } from '../../src/local/platform.js';
import { EnvironmentPool } from '../../src/local/pool.js';
import { packageRoot } from '../../src/package-root.js';
import { FIXTURES } from '../helpers/platform.js';

const LOCAL_FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const scratch = mkdtempSync(path.join(tmpdir(), 'lambda-tune-environment-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function configOf(handler: string, environment: Record<string, string> = {}): FunctionVersionConfig {
  return initialConfig(localFunctionSchema.parse({ name: path.basename(handler).split('.')[0], handler, environment }));
}

function deps(): EnvironmentDeps {
  return {
    bootstrapPath: path.join(packageRoot(), 'dist', 'local', 'runtime', 'bootstrap.js'),
    baseEnvironment: {},
    log: () => undefined,
    cpu: createCpuBackend('off').create('test', 1),
  };
}

function request() {
  return { requestId: randomUUID(), payload: Buffer.from('{}'), invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test' };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Moments during start() to destroy the environment at, from before its Runtime API listens to the middle of INIT. */
const moments: Record<string, (pidFile: string) => Promise<unknown>> = {
  'at once': async () => undefined,
  'a microtask later': () => Promise.resolve(),
  'a tick later': () =>
    new Promise((resolve) => {
      process.nextTick(resolve);
    }),
  'a turn of the loop later': () => new Promise((resolve) => setImmediate(resolve)),
  'once its process runs': (pidFile) => expect.poll(() => existsSync(pidFile)).toBe(true),
};

describe('destroying an environment while it starts', () => {
  it('leaves no process behind, whenever it comes, and start() settles', async () => {
    const outcomes = await Promise.all(
      Object.entries(moments).map(async ([moment, wait]) => {
        const pidFile = path.join(scratch, `${moment.replaceAll(' ', '-')}.pid`);
        const environment = new ExecutionEnvironment(configOf(path.join(LOCAL_FIXTURES, 'slow-init.handler'), { PID_FILE: pidFile }), deps());
        const started = environment.start().then(
          () => 'resolved',
          () => 'rejected',
        );
        await wait(pidFile);
        await environment.destroy();
        const settled = await Promise.race([started, delay(2000, 'still pending')]);
        // A process started after destroy() would have written its pid by now.
        await delay(500);
        const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined;
        if (pid !== undefined && alive(pid)) process.kill(-pid, 'SIGKILL');
        return { moment, settled, state: environment.state, leftAlive: pid !== undefined && alive(pid) };
      }),
    );
    const wrong = outcomes.filter((outcome) => outcome.settled === 'still pending' || outcome.state !== 'dead' || outcome.leftAlive);
    expect(wrong).toEqual([]);
  });
});

describe('an environment whose init failed', () => {
  it.each([
    ['reports an init error', path.join(FIXTURES, 'broken.handler')],
    ['exits before it can report one', path.join(LOCAL_FIXTURES, 'exits-on-load.handler')],
  ])('is dead from then on, never busy, when its runtime %s', async (_how, handler) => {
    const pool: EnvironmentPool = new EnvironmentPool({
      maxEnvironments: 4,
      idleTimeoutMs: 60_000,
      create: (config) =>
        new ExecutionEnvironment(config, {
          ...deps(),
          onDead: (environment) => {
            pool.died(environment);
          },
        }),
    });
    try {
      const { environment, cold } = await pool.acquire(configOf(handler), undefined);
      expect(cold).toBe(true);
      expect(environment.state).toBe('dead');
      const outcome = await environment.invoke(request());
      expect(outcome.functionError).toBe('Unhandled');
      expect(outcome.report.initDurationMs).toBeGreaterThan(0);
      expect(environment.state).toBe('dead');
      pool.release(environment);
      expect(pool.count()).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
