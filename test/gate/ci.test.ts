import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/platform.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('templates/iam-policy.json', () => {
  it('allows every Lambda and Logs call the tune command makes, and nothing more', () => {
    const gateway = readFileSync(path.join(root, 'src', 'lambda', 'gateway.ts'), 'utf8');
    const commands = [...gateway.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]!);
    // Invoke is authorised as InvokeFunction.
    const expected = new Set([
      ...commands.filter((c) => c !== 'FilterLogEvents').map((c) => `lambda:${c === 'Invoke' ? 'InvokeFunction' : c}`),
      ...(commands.includes('FilterLogEvents') ? ['logs:FilterLogEvents'] : []),
    ]);
    const policy = JSON.parse(readFileSync(path.join(root, 'templates', 'iam-policy.json'), 'utf8')) as { Statement: { Action: string[] }[] };
    const allowed = new Set(policy.Statement.flatMap((s) => s.Action));
    expect([...allowed].sort()).toEqual([...expected].sort());
  });
});

describe('examples/ci/gate.sh', () => {
  it('writes the baseline on its first run and gates against it on the next', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-ci-'));
    const config = path.join(dir, 'tune.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        local: { functions: [{ name: 'chunky', handler: path.join(FIXTURES, 'chunky.handler'), memoryMb: 192, timeoutS: 20 }], s3: { buckets: [] } },
      }),
    );
    const env = {
      PATH: process.env['PATH'],
      TUNE: `${process.execPath} ${path.join(root, 'bin', 'tune.js')}`,
      FUNCTION: 'chunky',
      MEMORY: '256',
      CHUNKS: '1',
      INVOCATIONS: '3',
      BASELINE: path.join(dir, 'perf', 'chunky-baseline.json'),
      OUT: path.join(dir, 'out'),
      TUNE_FLAGS: `--local --config ${config} --rule errorRate>10%`,
    };
    const script = path.join(root, 'examples', 'ci', 'gate.sh');
    const first = spawnSync('bash', [script], { encoding: 'utf8', env, timeout: 120_000 });
    expect(first.status, first.stderr).toBe(0);
    expect(existsSync(env.BASELINE)).toBe(true);
    const second = spawnSync('bash', [script], { encoding: 'utf8', env, timeout: 120_000 });
    expect(second.status, second.stderr).toBe(0);
    expect(readFileSync(path.join(env.OUT, 'gate.md'), 'utf8')).toContain('### lambda-tune gate: ✅ passed');
  });
});
