import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateAliasCommand, PublishVersionCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/types.js';
import { awsEnv, type Finished, spawnTune } from '../helpers/cli.js';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;

/** Publishes the function with this much work a call (and this memory), returning the version. */
async function publishWith(workFactor: number, memoryMb: number): Promise<string> {
  await t.lambda.send(
    new UpdateFunctionConfigurationCommand({ FunctionName: 'work', MemorySize: memoryMb, Environment: { Variables: { WORK_FACTOR: String(workFactor) } } }),
  );
  await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 20 }, { FunctionName: 'work' });
  const published = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'work', Description: `work ×${workFactor}` }));
  return published.Version ?? '';
}

let same: string;
let slower: string;
let bigger: string;
beforeAll(async () => {
  t = await startTestPlatform({ functions: [fixture('work', { memoryMb: 512, timeoutS: 30 })] });
  same = await publishWith(1, 512);
  await t.lambda.send(new CreateAliasCommand({ FunctionName: 'work', Name: 'live', FunctionVersion: same }));
  slower = await publishWith(3, 512);
  bigger = await publishWith(1, 1024);
});
afterAll(() => t.stop());

/** Work of some 50 ms a call at 512 MB: long enough that three times the work stands clear of a loaded host's scheduling noise. */
function ab(args: string[]): Promise<Finished> {
  const env = awsEnv(t.platform.endpoints.lambda, { AWS_REGION: t.platform.region });
  return spawnTune(['ab', '--function', 'work', '--payload', '{"rounds":400}', ...args], env).done;
}

describe('tune ab through the platform', () => {
  it('fails a version that does three times the work, naming each side and its memory', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'lambda-tune-ab-'));
    const result = await ab(['--a', 'live', '--b', slower, '--invocations', '8', '--rule', 'duration:p50 > 10% error', '--out', out]);
    expect(result.stderr).toContain(`A: work:live (version ${same}) at 512 MB, x86_64`);
    expect(result.stderr).toContain(`B: work:${slower} (version ${slower}) at 512 MB, x86_64`);
    expect(result.stdout).toMatch(/✗ error {2}the payload {2}duration:p50 > 10% error/);
    expect(result.stdout).toMatch(/gate: FAIL/);
    expect(result.status).toBe(1);
    // Both sides were measured in the same rounds: as many warm samples each, and a result file each.
    const [a, b] = ['a.json', 'b.json'].map((name) => JSON.parse(readFileSync(path.join(out, name), 'utf8')) as TuneResult);
    const warm = (r: TuneResult | undefined) => r?.samples.filter((s) => !s.warmup).length;
    expect(warm(a)).toBe(8);
    expect(warm(b)).toBe(8);
  });

  it('passes the same code under two names, each version at its own memory size', async () => {
    const result = await ab(['--a', same, '--b', 'live', '--invocations', '8', '--confidence', '0.999', '--rule', 'duration:p50 > 10% error']);
    expect(result.stdout).toMatch(/gate: PASS/);
    expect(result.status).toBe(0);
    const bigMemory = await ab(['--a', same, '--b', bigger, '--invocations', '4', '--rule', 'maxMemory > 50% warn', '--allow-inconclusive']);
    expect(bigMemory.stderr).toContain(`B: work:${bigger} (version ${bigger}) at 1024 MB`);
    expect(bigMemory.status).toBe(0);
  });

  it('calls a comparison that could judge nothing inconclusive: exit 1, or 0 when allowed', async () => {
    const args = ['--a', same, '--b', slower, '--invocations', '3', '--rule', 'duration:p50 > 10% error'];
    const strict = await ab(args);
    expect(strict.stdout).toMatch(/No relative check could be judged.*Measure 4 or more invocations a cell/);
    expect(strict.stdout).toMatch(/gate: INCONCLUSIVE/);
    expect(strict.status).toBe(1);
    expect((await ab([...args, '--allow-inconclusive'])).status).toBe(0);
  });

  it('refuses the same version on both sides before invoking anything', async () => {
    const result = await ab(['--a', 'live', '--b', 'live']);
    expect(result.stderr).toMatch(/--b names the same version as --a/);
    expect(result.status).toBe(2);
  });
});
