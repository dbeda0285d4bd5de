import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import type { TuneConfig } from '../../src/config/tune-config.js';
import { runTune, type TuneDeps } from '../../src/engine/run-tune.js';
import { type Gateway, LambdaGateway } from '../../src/lambda/gateway.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform({ functions: [fixture('conditional')] });
});
afterAll(() => t.stop());

const config = (overrides: Partial<TuneConfig> = {}): TuneConfig => ({
  functions: ['conditional'],
  memoryMb: [256],
  axes: [],
  payload: {},
  invocations: 6,
  warmup: 0,
  concurrency: 1,
  timings: [],
  timingSpecs: [],
  selection: { strategy: 'balanced', weight: 0.5, percentile: 95, optimize: 'warm' },
  prices: { billInit: true },
  ...overrides,
});

/** The gateway, noting when each invocation was sent. */
function timedGateway(sentAt: number[]): Gateway {
  const inner = new LambdaGateway(t.lambda, t.logs, { logWaitMs: 1000, logPollMs: 50, settlePollMs: 50 });
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property !== 'invoke') return Reflect.get(target, property, receiver) as unknown;
      return (...args: Parameters<Gateway['invoke']>) => {
        sentAt.push(Date.now());
        return target.invoke(...args);
      };
    },
  });
}

function deps(gateway: Gateway): TuneDeps {
  return {
    gateway,
    target: { kind: 'local', region: 'us-east-1', profile: undefined },
    out: mkdtempSync(path.join(tmpdir(), 'lambda-tune-side-effects-')),
    onEvent: () => undefined,
    onInterrupt: () => () => undefined,
  };
}

describe('a function with side effects', () => {
  it('fails a cell whose handler throws, unless its error type is allowed: then it counts as a success, is shown, and re-analysis agrees', async () => {
    const strict = await runTune(config(), deps(timedGateway([])));
    expect(strict.analysis.cells[0]?.failed).toBe(true);
    expect(strict.analysis.cells[0]?.errorTypes['ConditionalCheckFailedException']).toBeGreaterThan(0);
    expect(strict.analysis.sweetSpot).toBeNull();

    const allowed = await runTune(config({ allowedErrors: ['ConditionalCheckFailedException'] }), deps(timedGateway([])));
    const cell = allowed.analysis.cells[0]!;
    expect(cell).toMatchObject({ failed: false, errors: 0, invocations: 6, errorTypes: {} });
    // Every third call in an environment throws: two of the six measured ones at least (the first call was the cold one).
    expect(cell.allowedErrorTypes?.['ConditionalCheckFailedException']).toBeGreaterThanOrEqual(2);
    expect(cell.durationMs?.n).toBe(6);
    expect(allowed.analysis.sweetSpot?.cellId).toBe('conditional/256MB');
    expect(allowed.run.allowedErrors).toEqual(['ConditionalCheckFailedException']);
    expect(allowed.samples.filter((s) => s.errorType !== undefined).every((s) => s.status === 'success')).toBe(true);
    expect(renderTerminal(allowed)).toMatch(/\d allowed: ConditionalCheckFailedException ×\d/);
    expect(analyze(allowed.samples, allowed.plan, allowed.functions, allowed.analysis.selection)).toEqual(allowed.analysis);
  });

  it('--sleep-ms spaces the invocations of a cell, and is recorded', async () => {
    const sentAt: number[] = [];
    const result = await runTune(config({ invocations: 4, sleepMs: 300, allowedErrors: ['ConditionalCheckFailedException'] }), deps(timedGateway(sentAt)));
    expect(sentAt).toHaveLength(5);
    const gaps = sentAt.slice(1).map((at, i) => at - (sentAt[i] ?? 0));
    // Each gap holds an invocation and then the pause; nothing here bounds it from above.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(290);
    expect(result.run.sleepMs).toBe(300);
  });
});
