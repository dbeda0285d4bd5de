import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFunctionSchema } from '../../src/config/local-config.js';
import { decodeTail, payloadJson, reportOf, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const CHILD_WORK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'child-work.handler');

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform({ cpuLimit: 'off', functions: [localFunctionSchema.parse({ name: 'child', handler: CHILD_WORK, memoryMb: 128, timeoutS: 20 })] });
});
afterAll(() => t.stop());

describe('the memory limit', () => {
  it('counts what the function starts: a child process over the limit ends the invocation with Runtime.OutOfMemory', async () => {
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'child', Payload: '{"holdMb":300,"holdMs":5000}', LogType: 'Tail' }));
    expect(result.FunctionError).toBe('Unhandled');
    expect(payloadJson(result.Payload)).toMatchObject({ errorType: 'Runtime.OutOfMemory' });
    const report = reportOf(decodeTail(result.LogResult));
    expect(Number(/Max Memory Used: (\d+) MB/.exec(report)?.[1])).toBeGreaterThan(128);
    expect(Number(/\tDuration: ([\d.]+) ms/.exec(report)?.[1])).toBeLessThan(5000);
  });

  it('lets a child within the limit do its work', async () => {
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'child', Payload: '{"holdMb":1,"holdMs":10}' }));
    expect(result.FunctionError).toBeUndefined();
    expect(payloadJson(result.Payload)).toEqual({ child: 1024 * 1024 });
  });
});
