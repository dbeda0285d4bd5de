import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/types.js';
import { awsEnv, BIN } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/platform.js';

/** The CLI, waited for: with --local the platform runs inside it. No endpoint is reachable. */
function tune(...args: string[][]) {
  return spawnSync(process.execPath, [BIN, ...args.flat()], { encoding: 'utf8', timeout: 120_000, env: awsEnv('http://127.0.0.1:9') });
}

function setUp(): { dir: string; config: string; payloads: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-axes-'));
  const config = path.join(dir, 'tune.config.json');
  writeFileSync(
    config,
    JSON.stringify({ local: { functions: [{ name: 'axes', handler: path.join(FIXTURES, 'axes.handler'), timeoutS: 10 }], s3: { buckets: [] } } }),
  );
  const payloads = path.join(dir, 'payloads');
  mkdirSync(payloads);
  writeFileSync(path.join(payloads, 'small.json'), '{"size":1}');
  writeFileSync(path.join(payloads, 'big.json'), '{"size":2}');
  return { dir, config, payloads };
}

describe('parameter axes through the platform', () => {
  it('measures memory × every combination of --param values and payload files, each cell invoked with its own payload', () => {
    const { dir, config, payloads } = setUp();
    const out = path.join(dir, 'out');
    const run = tune(
      ['--local', '--config', config, '--function', 'axes', '--memory', '128', '--param', 'mode=fast,slow', '--param', 'label="a,b",c'],
      ['--payload', `@${payloads}`, '--invocations', '2', '--warmup', '1', '--out', out],
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.status).toBe(0);
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as TuneResult;
    expect(result.plan.axes).toEqual([
      { name: 'mode', values: ['fast', 'slow'] },
      { name: 'label', values: ['a,b', 'c'] },
      { name: 'payload', values: ['big', 'small'] },
    ]);
    expect(result.run.payloads).toEqual({ big: { size: 2 }, small: { size: 1 } });
    expect(result.analysis.cells.map((c) => c.id)).toHaveLength(8);
    expect(result.analysis.cells[0]?.id).toBe('axes/128MB/label="a,b",mode=fast,payload=big');
    // What the function saw is what the cell was planned with.
    for (const sample of result.samples) {
      expect(sample.timings).toEqual({
        size: sample.params['payload'] === 'big' ? 2 : 1,
        fast: sample.params['mode'] === 'fast' ? 1 : 0,
        commaLabel: sample.params['label'] === 'a,b' ? 1 : 0,
      });
    }
    expect(run.stdout).toMatch(/mode\s+label\s+payload/);
    expect(run.stdout).toMatch(/★ Sweet spot: axes at 128 MB with mode=(fast|slow), label=("a,b"|c), payload=(big|small):/);
  });

  it("reproduces the run's analysis exactly from its samples.csv", () => {
    const { dir, config } = setUp();
    const out = path.join(dir, 'out');
    const run = tune(
      ['--local', '--config', config, '--function', 'axes', '--memory', '256,128', '--param', 'mode=slow,fast'],
      ['--invocations', '3', '--out', out],
    );
    expect(run.status).toBe(0);
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as TuneResult;
    expect(result.plan.memoryMb).toEqual([128, 256]);
    const again = tune(['analyze', path.join(out, 'samples.csv'), '--function', 'axes', '--json']);
    expect(again.stderr).toBe('');
    const reanalysed = JSON.parse(again.stdout) as TuneResult;
    expect(reanalysed.plan).toEqual(result.plan);
    expect(reanalysed.samples).toHaveLength(result.samples.length);
    expect(reanalysed.analysis).toEqual(result.analysis);
  });
});
