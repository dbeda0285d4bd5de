import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/types.js';
import { awsEnv, type Finished, spawnTune } from '../helpers/cli.js';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
let codeSha256: string | undefined;
beforeAll(async () => {
  t = await startTestPlatform({ functions: [fixture('noop', { memoryMb: 192 })] });
  const published = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'noop', Description: "the user's release" }));
  await t.lambda.send(new CreateAliasCommand({ FunctionName: 'noop', Name: 'live', FunctionVersion: published.Version }));
  codeSha256 = published.CodeSha256;
});
afterAll(() => t.stop());

function tune(args: string[]): Promise<Finished> {
  return spawnTune(args, awsEnv(t.platform.endpoints.lambda, { AWS_REGION: t.platform.region })).done;
}

async function found() {
  const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'noop' }));
  const versions = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'noop' }));
  const alias = await t.lambda.send(new GetAliasCommand({ FunctionName: 'noop', Name: 'live' }));
  return { memoryMb: config.MemorySize, versions: versions.Versions?.map((v) => v.Version), live: alias.FunctionVersion };
}

describe('--function NAME:ALIAS', () => {
  it('tunes the code the alias serves when $LATEST holds it, and the result names the function bare with its qualifier, code and runtime', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-alias-'));
    const run = await tune(['--function', 'noop:live', '--memory', '128,256', '--invocations', '2', '--warmup', '0', '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('live is version 1, whose code $LATEST holds');
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as TuneResult;
    expect(result.plan.functions).toEqual(['noop']);
    expect(result.functions).toEqual([
      expect.objectContaining({ name: 'noop', qualifier: { name: 'live', version: '1' }, codeSha256, runtime: 'nodejs20.x', originalMemoryMb: 192 }),
    ]);
    expect(result.analysis.cells.map((c) => c.id)).toEqual(['noop/128MB', 'noop/256MB']);
    // The user's version and alias stay; the run's versions are gone.
    expect(await found()).toEqual({ memoryMb: 192, versions: ['$LATEST', '1'], live: '1' });
  });

  it('takes a version number, or an ARN with an alias, as well', async () => {
    const arn = (await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'noop' }))).FunctionArn ?? '';
    for (const ref of ['noop:1', `${arn}:live`]) {
      const plan = await tune(['--function', ref, '--memory', '128', '--dry-run']);
      expect(plan.stderr).toMatch(/^Plan: /);
      expect(plan.status).toBe(0);
    }
  });

  it('says so when the alias does not exist, having changed nothing', async () => {
    const run = await tune(['--function', 'noop:nope', '--memory', '128,256']);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/"nope" is not an alias or version of noop/);
    expect(run.stderr).toMatch(/aws lambda list-aliases --function-name noop/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await found()).toEqual({ memoryMb: 192, versions: ['$LATEST', '1'], live: '1' });
  });

  it('refuses to tune one function twice in a run, with and without its alias', async () => {
    const run = await tune(['--function', 'noop,noop:live', '--memory', '128']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--function names noop twice/);
  });
});
