import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type SchemaObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/types.js';
import { spawnTune } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/platform.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'tune.js');

/** An environment with no AWS credentials, region or config files, and no instance metadata lookups. */
function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(path.join(tmpdir(), 'lambda-tune-home-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
  return env;
}

function tune(args: string[], env: NodeJS.ProcessEnv = isolatedEnv(), cwd = root) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, env, cwd });
}

function expectClean(result: ReturnType<typeof tune>, code: number, message: RegExp): void {
  expect(result.stderr).toMatch(message);
  expect(result.status).toBe(code);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

function localConfig(extra: Record<string, unknown> = {}): { dir: string; config: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-run-'));
  const config = path.join(dir, 'tune.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      local: { functions: [{ name: 'chunky', handler: path.join(FIXTURES, 'chunky.handler'), memoryMb: 192, timeoutS: 20 }], s3: { buckets: [] }, ...extra },
    }),
  );
  return { dir, config };
}

describe('tune --local as a process', () => {
  it('measures the matrix, prints the table with the sweet spot, and writes the result and samples', () => {
    const { dir, config } = localConfig();
    const out = path.join(dir, 'out');
    const result = tune(['--local', '--config', config, '--function', 'chunky', '--memory', '128,256', '--chunks', '1,4', '--invocations', '3', '--out', out]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('★ Sweet spot: chunky at');
    expect(result.stdout).toMatch(/chunky\s+128 MB\s+1\s+3\s+0/);
    const saved = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as TuneResult;
    expect(saved.schemaVersion).toBe(2);
    expect(saved.analysis.cells).toHaveLength(4);
    expect(saved.functions[0]).toMatchObject({ name: 'chunky', architecture: 'x86_64', originalMemoryMb: 192 });
    const lines = readFileSync(path.join(out, 'samples.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBe(saved.samples.length);
    expect((JSON.parse(readFileSync(path.join(out, 'journal.json'), 'utf8')) as { state: string }).state).toBe('restored');
    for (const file of ['report.md', 'report.html', 'chart.png', 'chart.svg', 'chart-memory.png', 'chart-memory.svg', 'samples.csv'])
      expect(existsSync(path.join(out, file)), file).toBe(true);
    const schema = JSON.parse(readFileSync(path.join(root, 'schemas', 'tune-result.schema.json'), 'utf8')) as SchemaObject;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(saved), JSON.stringify(validate.errors)).toBe(true);

    // Re-rendering the run's result changes nothing, and a user's template takes the bundled one's place.
    const before = readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(tune(['report', path.join(out, 'result.json')]).status).toBe(0);
    expect(readFileSync(path.join(out, 'report.md'), 'utf8')).toBe(before);
    const custom = path.join(dir, 'mine.md');
    writeFileSync(custom, 'Our pick: {{recommendation}}\n');
    const rendered = tune(['report', path.join(out, 'result.json'), '--format', 'md', '--template', custom, '--out', path.join(dir, 'mine')]);
    expect(rendered.status).toBe(0);
    expect(readFileSync(path.join(dir, 'mine', 'report.md'), 'utf8')).toMatch(/^Our pick: \*\*Recommended: `chunky` at /);
    expectClean(tune(['report', path.join(out, 'result.json'), '--format', 'pdf']), 2, /--format: pdf is not a report format/);
  });

  it('writes a baseline with --update-baseline and gates the next run against it with --baseline', () => {
    const { dir, config } = localConfig();
    const baseline = path.join(dir, 'baselines', 'chunky.json');
    const args = ['--local', '--config', config, '--function', 'chunky', '--memory', '128', '--chunks', '1', '--invocations', '3'];
    const first = tune([...args, '--out', path.join(dir, 'one'), '--update-baseline', baseline]);
    expect(first.status).toBe(0);
    expect((JSON.parse(readFileSync(baseline, 'utf8')) as TuneResult).schemaVersion).toBe(2);
    // Durations on a shared machine drift between runs; the rule here checks that errors did not rise beyond chance.
    const second = tune([...args, '--out', path.join(dir, 'two'), '--baseline', baseline, '--rule', 'errorRate > 10% error']);
    expect(second.stderr).toMatch(/^gate: PASS/m);
    expect(second.status).toBe(0);
  });

  it('refuses an unusable baseline before measuring anything', () => {
    const { dir, config } = localConfig();
    writeFileSync(path.join(dir, 'bad.json'), 'not json');
    const result = tune([
      '--local',
      '--config',
      config,
      '--function',
      'chunky',
      '--memory',
      '128',
      '--baseline',
      path.join(dir, 'bad.json'),
      '--out',
      path.join(dir, 'out'),
    ]);
    expectClean(result, 2, /Cannot read the baseline .*bad\.json: it is not valid JSON/);
    expect(existsSync(path.join(dir, 'out', 'journal.json'))).toBe(false);
  });

  it('prints the plan for --dry-run and measures nothing', () => {
    const { dir, config } = localConfig();
    const result = tune([
      '--local',
      '--config',
      config,
      '--function',
      'chunky',
      '--memory',
      '128,256',
      '--chunks',
      '1,4',
      '--dry-run',
      '--out',
      path.join(dir, 'out'),
    ]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/Plan: chunky × memory 128, 256 MB × chunkSizeMb 1, 4 = 4 cells/);
    expect(result.stderr).toMatch(/at most \$[\d.]+ if every invocation ran to its timeout/);
    expect(existsSync(path.join(dir, 'out', 'samples.jsonl'))).toBe(false);
  });

  it('warns when the region is not in the price table, naming the flags that give its prices', () => {
    const { dir, config } = localConfig({ region: 'eu-nowhere-1' });
    const result = tune(['--local', '--config', config, '--function', 'chunky', '--memory', '128', '--invocations', '3', '--out', path.join(dir, 'out')]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      "warning: the price table has no x86_64 prices for eu-nowhere-1: chunky is priced as us-east-1. Give --price-per-gb-second and --price-per-request for the region's prices.",
    );
    const priced = tune([
      '--local',
      '--config',
      config,
      '--function',
      'chunky',
      '--memory',
      '128',
      '--invocations',
      '3',
      '--price-per-gb-second',
      '0.00002',
      '--price-per-request',
      '0.0000003',
      '--out',
      path.join(dir, 'priced'),
    ]);
    expect(priced.status, priced.stderr).toBe(0);
    expect(priced.stderr).not.toContain('warning: the price table');
  });

  it('exits 3 when interrupted (a cancelled CI step must not pass), keeping what it measured, and applies nothing', async () => {
    const { dir, config } = localConfig();
    const out = path.join(dir, 'out');
    const args = ['--local', '--config', config, '--function', 'chunky', '--memory', '128,256', '--chunks', '1', '--invocations', '200', '--out', out];
    const run = spawnTune([...args, '--apply', '--yes'], isolatedEnv(), root);
    // Once: a second Ctrl-C quits at once.
    let interrupted = false;
    run.child.stderr.on('data', (chunk: Buffer) => {
      if (interrupted || !chunk.toString().includes(': version ')) return;
      interrupted = true;
      run.child.kill('SIGINT');
    });
    const result = await run.done;
    expect(result.stderr).toContain(
      `The run was interrupted before it measured every cell: the result and reports in ${out} cover only what was measured, and it was not applied.`,
    );
    expect(result.stderr).toContain(`Run "tune --resume ${out}" to measure the rest`);
    expect(result.stderr).not.toContain('Applied:');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(3);
    expect((JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as TuneResult).run.stoppedBy).toBe('interrupt');
  });

  it('names an unknown function with exit 3', () => {
    const { config } = localConfig();
    expectClean(tune(['--local', '--config', config, '--function', 'nope', '--memory', '128']), 3, /Function "nope" was not found \(region us-east-1/);
  });
});

describe('tune with bad input', () => {
  it.each([
    [['--memory', '128'], /Name the function to tune with --function/],
    [['--function', 'f'], /Give the memory sizes to try with --memory/],
    [['--function', 'f', '--memory', '64'], /--memory 64 is not a memory size Lambda accepts/],
    [['--function', 'f', '--memory', '128.5'], /--memory 128.5 is not a memory size/],
    [['--function', 'f', '--memory', '10241'], /--memory 10241 is not a memory size/],
    [['--function', 'f', '--memory', '128,,256'], /--memory has an empty item/],
    [['--function', 'f', '--memory', '128,256,128'], /--memory names 128 twice/],
    [['--function', 'f', '--memory', '128', '--chunks', '0'], /--chunks 0 is not a positive number/],
    [['--function', 'f', '--memory', '128', '--chunks', 'ten'], /--chunks ten is not a positive number/],
    [['--function', 'f', '--memory', '128', '--payload', '{bad'], /--payload is not valid JSON/],
    [['--function', 'f', '--memory', '128', '--payload', '[1]'], /--payload must be a JSON object/],
    [['--function', 'f', '--memory', '128', '--timing', 'read=([0-9]+)'], /--timing the regex of "read" needs a named group/],
    [['--function', 'f', '--memory', '128', '--strategy', 'cheap'], /--strategy must be balanced, cost or speed \(got cheap\)/],
    [['--function', 'f', '--memory', '128', '--invocations', '0'], /--invocations must be a whole number from 1/],
  ])('%j exits 2 with a clear message', (args, message) => {
    expectClean(tune(args), 2, message);
  });

  it('asks for a region when none is set', () => {
    expectClean(tune(['--function', 'f', '--memory', '128']), 2, /No AWS region is set/);
  });

  it('says what to do when there are no credentials, with exit 3, and changes nothing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-nocreds-'));
    const result = tune(['--function', 'f', '--memory', '128', '--region', 'eu-west-1', '--out', dir]);
    expectClean(result, 3, /No AWS credentials were found \(region eu-west-1, default credentials\)/);
    expect(result.stderr).toContain('--local');
  });

  it('refuses a corrupt results file with exit 2', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-corrupt-'));
    writeFileSync(path.join(dir, 'result.json'), '{"schemaVersion": 1, "samples": [');
    expectClean(tune(['analyze', path.join(dir, 'result.json')]), 2, /is not valid JSON/);
    writeFileSync(path.join(dir, 'result.json'), '{"schemaVersion": 99}');
    expectClean(
      tune(['analyze', path.join(dir, 'result.json')]),
      2,
      /not a lambda-tune result of a schema version this lambda-tune reads \(1 or 2; it says 99\)/,
    );
  });
});
