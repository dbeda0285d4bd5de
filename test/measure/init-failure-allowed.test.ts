import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaGateway } from '../../src/lambda/gateway.js';
import { measureInvocation } from '../../src/measure/sample.js';
import { pythonFixture } from '../fixtures/python/fixture.js';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
let gateway: LambdaGateway;

beforeAll(async () => {
  t = await startTestPlatform({ functions: [pythonFixture('init-raises', 'app.handler'), fixture('init-throws'), fixture('conditional')] });
  gateway = new LambdaGateway(t.lambda, t.logs, { logWaitMs: 1000, logPollMs: 50 });
});
afterAll(() => t.stop());

function invoke(name: string) {
  return measureInvocation(gateway, {
    cell: { function: name, memoryMb: 128, params: {} },
    functionName: name,
    qualifier: '$LATEST',
    logGroup: `/aws/lambda/${name}`,
    payload: {},
    timings: [],
    warmup: false,
    allowedErrors: ['ConditionalCheckFailedException'],
    timeoutS: 3,
  });
}

describe('--allow-error and a function whose INIT fails', () => {
  it.each(['init-raises', 'init-throws'])('%s: the allowed type raised at import is a failure, every time', async (name) => {
    for (let i = 0; i < 2; i++) expect((await invoke(name))?.status).toBe('error');
  });

  it('while the same type raised by the handler is allowed', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await invoke('conditional'));
    expect(statuses.map((s) => [s?.status, s?.errorType])).toContainEqual(['success', 'ConditionalCheckFailedException']);
  });
});
