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
  t = await startTestPlatform({ functions: [fixture('work', { memoryMb: 192, timeoutS: 30 })] });
});
afterAll(() => t.stop());

function tune(args: string[], killWhen?: (out: string) => boolean, out?: string): Promise<Finished> {
  const env = awsEnv(t.platform.endpoints.lambda, { AWS_REGION: t.platform.region });
  if (killWhen === undefined || out === undefined) return spawnTune(args, env).done;
  return spawnTuneKilledWhen(args, env, killWhen, out);
}

const measuredLines = (out: string) =>
  existsSync(path.join(out, 'samples.jsonl')) ? readFileSync(path.join(out, 'samples.jsonl'), 'utf8').split('\n').filter(Boolean).length : 0;
const run = ['--function', 'work', '--memory', '256,512', '--chunks', '1,2', '--payload', '{"rounds":20}', '--invocations', '4', '--concurrency', '2'];

async function leftAsFound() {
  const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'work' }));
  const versions = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'work' }));
  return { memoryMb: config.MemorySize, versions: versions.Versions?.map((v) => v.Version) };
}

describe('a run killed with SIGKILL', () => {
  it('is finished by tune --resume: the function put back, no sample lost or counted twice, every cell complete', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-resume-'));
    const killed = await tune([...run, '--out', out], (dir) => measuredLines(dir) >= 5, out);
    expect(killed.signal).toBe('SIGKILL');
    const before = readFileSync(path.join(out, 'samples.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    const resumed = await tune(['--resume', out]);
    expect(resumed.stderr).toContain('The interrupted run is put back first');
    expect(resumed.status).toBe(0);
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as TuneResult;
    expect(result.samples.length).toBeGreaterThanOrEqual(before);
    const ids = result.samples.map((s) => s.requestId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(result.analysis.cells.map((c) => [c.id, c.invocations])).toEqual([
      ['work/256MB/chunkSizeMb=1', 4],
      ['work/256MB/chunkSizeMb=2', 4],
      ['work/512MB/chunkSizeMb=1', 4],
      ['work/512MB/chunkSizeMb=2', 4],
    ]);
    expect(await leftAsFound()).toEqual({ memoryMb: 192, versions: ['$LATEST'] });
  });

  it('is put back by tune restore, and then a new run may use the folder', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-restore-'));
    await tune([...run, '--out', out], (dir) => measuredLines(dir) >= 2, out);
    const refused = await tune([...run, '--out', out]);
    expect(refused.status).toBe(2);
    const restored = await tune(['restore', '--journal', path.join(out, 'journal.json')]);
    expect(restored.status).toBe(0);
    expect(await leftAsFound()).toEqual({ memoryMb: 192, versions: ['$LATEST'] });
  });

  it('refuses --resume with flags of its own, or a folder with no run', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'lambda-tune-empty-'));
    expect((await tune(['--resume', empty])).stderr).toMatch(/Cannot resume the run in [^\n]*:\n {2}run\.json: it does not exist/);
    expect((await tune(['--resume', empty, '--memory', '512'])).stderr).toMatch(/--resume finishes the run as it was planned, so it takes no --memory/);
  });
});
