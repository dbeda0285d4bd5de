import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetFunctionConfigurationCommand, ListVersionsByFunctionCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/types.js';
import { awsEnv, type Finished, spawnTune } from '../helpers/cli.js';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
let release: string;
beforeAll(async () => {
  t = await startTestPlatform({ functions: [fixture('conditional', { memoryMb: 192 })] });
  release = (await t.lambda.send(new PublishVersionCommand({ FunctionName: 'conditional' }))).Version ?? '';
});
afterAll(() => t.stop());

function tune(args: string[]): Promise<Finished> {
  return spawnTune(args, awsEnv(t.platform.endpoints.lambda, { AWS_REGION: t.platform.region })).done;
}

async function found() {
  const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'conditional' }));
  const versions = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'conditional' }));
  return { memoryMb: config.MemorySize, versions: versions.Versions?.map((v) => v.Version) };
}

const allow = ['--allow-error', 'ConditionalCheckFailedException', '--allow-error', 'ValidationException'];

describe('--allow-error and --sleep-ms on the command line', () => {
  it('are taken (--allow-error repeated), recorded in the result, and shown in the table', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-allow-'));
    const run = await tune(['--function', 'conditional', '--memory', '128', '--invocations', '5', '--warmup', '0', '--sleep-ms', '20', ...allow, '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\d allowed: ConditionalCheckFailedException ×\d/);
    expect(run.stdout).toMatch(/★ Sweet spot: conditional at 128 MB/);
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as TuneResult;
    expect(result.run).toMatchObject({ allowedErrors: ['ConditionalCheckFailedException', 'ValidationException'], sleepMs: 20 });
    expect(readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('Counted as successes: `ConditionalCheckFailedException`, `ValidationException`');
    expect(await found()).toEqual({ memoryMb: 192, versions: ['$LATEST', release] });
  });

  it('are honoured by tune ab', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-allow-ab-'));
    const run = await tune([
      'ab',
      '--function',
      'conditional',
      '--a',
      release,
      '--b',
      '$LATEST',
      '--invocations',
      '4',
      ...allow,
      '--sleep-ms',
      '10',
      '--allow-inconclusive',
      '--out',
      out,
    ]);
    expect(run.stderr).not.toMatch(/unexpected error/);
    for (const side of ['a.json', 'b.json']) {
      const result = JSON.parse(readFileSync(path.join(out, side), 'utf8')) as TuneResult;
      expect(result.run).toMatchObject({ allowedErrors: ['ConditionalCheckFailedException', 'ValidationException'], sleepMs: 10 });
      expect(result.analysis.cells[0]?.failed).toBe(false);
    }
  });

  it.each([
    [['--sleep-ms', '600001'], /--sleep-ms must be a whole number from 0 to 600000 \(got 600001\)/],
    [['--sleep-ms', '0x10'], /--sleep-ms takes a decimal number/],
    [['--allow-error', 'Runtime.OutOfMemory'], /--allow-error cannot allow Runtime\.OutOfMemory: it is Lambda's own failure/],
    [['--allow-error', 'A', '--allow-error', 'A'], /--allow-error names A twice/],
    [['--allow-error', 'has space'], /--allow-error "has space" is not an error type/],
    [['--cold', '1.5'], /--cold must be a whole number from 0 to 1000/],
    [['--optimize', 'hot', '--cold', '2'], /--optimize must be warm or cold \(got hot\)/],
  ])('refuses %j with exit 2, changing nothing', async (flags, message) => {
    const run = await tune(['--function', 'conditional', '--memory', '128', ...flags]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(await found()).toEqual({ memoryMb: 192, versions: ['$LATEST', release] });
  });
});
