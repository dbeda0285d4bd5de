import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetFunctionConfigurationCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/types.js';
import { awsEnv, type Finished, spawnTune, spawnTuneKilledWhen } from '../helpers/cli.js';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform({ functions: [fixture('noop', { memoryMb: 192, environment: { KEEP: '1', TABLE: 'orders' } })] });
});
afterAll(() => t.stop());

function tune(args: string[], killWhen?: (out: string) => boolean, out?: string): Promise<Finished> {
  const env = awsEnv(t.platform.endpoints.lambda, { AWS_REGION: t.platform.region });
  if (killWhen === undefined || out === undefined) return spawnTune(args, env).done;
  return spawnTuneKilledWhen(args, env, killWhen, out);
}

/** How many cold samples the run has written to samples.jsonl. */
const coldLines = (out: string) =>
  existsSync(path.join(out, 'samples.jsonl'))
    ? readFileSync(path.join(out, 'samples.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('"coldProbe":true')).length
    : 0;

const run = ['--function', 'noop', '--memory', '128,256', '--invocations', '2', '--warmup', '0', '--cold', '3'];

async function found() {
  const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'noop' }));
  const versions = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'noop' }));
  return { memoryMb: config.MemorySize, environment: config.Environment?.Variables, versions: versions.Versions?.map((v) => v.Version) };
}

const asFound = { memoryMb: 192, environment: { KEEP: '1', TABLE: 'orders' }, versions: ['$LATEST'] };

describe('a --cold run killed mid-way', () => {
  it('is put back by tune restore: the variables exactly as they were, no version left', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-cold-restore-'));
    const killed = await tune([...run, '--out', out], (dir) => coldLines(dir) >= 2, out);
    expect(killed.signal).toBe('SIGKILL');
    const journal = JSON.parse(readFileSync(path.join(out, 'journal.json'), 'utf8')) as { functions: { originalEnvironment?: unknown }[] };
    expect(journal.functions[0]?.originalEnvironment).toEqual({ KEEP: '1', TABLE: 'orders' });
    expect((await found()).environment).toHaveProperty('LAMBDA_TUNE_COLD');

    const restored = await tune(['restore', '--journal', path.join(out, 'journal.json')]);
    expect(restored.stderr).toBe('');
    expect(restored.stdout).toContain('noop → 192 MB and its environment variables');
    expect(await found()).toEqual(asFound);
  });

  it('is finished by tune --resume with every cell holding its cold samples, once each', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-cold-resume-'));
    await tune([...run, '--out', out], (dir) => coldLines(dir) >= 3, out);
    const resumed = await tune(['--resume', out]);
    expect(resumed.stderr).toContain('The interrupted run is put back first');
    expect(resumed.status).toBe(0);
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as TuneResult;
    expect(result.run.coldStartsPerCell).toBe(3);
    expect(result.analysis.cells.map((c) => [c.id, c.invocations, c.cold.count])).toEqual([
      ['noop/128MB', 2, 3],
      ['noop/256MB', 2, 3],
    ]);
    const ids = result.samples.map((s) => s.requestId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(resumed.stdout).toMatch(/Cold starts \(medians; each on a fresh environment, 3 a cell\)/);
    expect(await found()).toEqual(asFound);
  });

  it('says in the plan what the cold starts cost in versions, and refuses --optimize cold without them', async () => {
    const plan = await tune([...run, '--dry-run']);
    expect(plan.status).toBe(0);
    expect(plan.stderr).toMatch(/about 12 invocations \(0 warm-up \+ 2 measured \+ 3 cold starts per cell/);
    expect(plan.stderr).toMatch(/Cold starts: 6, one at a time/);
    const refused = await tune(['--function', 'noop', '--memory', '128', '--optimize', 'cold']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--optimize cold judges each cell by its cold starts, and the run measures none/);
    expect(await found()).toEqual(asFound);
  });
});
