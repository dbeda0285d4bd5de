import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOutputFile, ROOT, RUN_SCRIPT } from './scripts.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'functions');

interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** A workspace as the runner sets one up: a folder with a config for the local platform, serving the chunky fixture. */
function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-action-'));
  const local = { functions: [{ name: 'chunky', handler: path.join(FIXTURES, 'chunky.handler'), memoryMb: 192, timeoutS: 20 }], s3: { buckets: [] } };
  writeFileSync(path.join(dir, 'tune.config.json'), JSON.stringify({ local }));
  return dir;
}

/**
 * The action's step as the composite runs it: the inputs as INPUT_* variables, the runner's
 * GITHUB_* variables with fresh output and summary files, in the workspace, with no AWS config.
 */
function runStep(dir: string, inputs: Record<string, string>, extraEnv: NodeJS.ProcessEnv = {}): StepRun {
  const files = mkdtempSync(path.join(tmpdir(), 'lambda-tune-runner-'));
  const outputFile = path.join(files, 'output');
  const summaryFile = path.join(files, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: files,
    AWS_CONFIG_FILE: path.join(files, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(files, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_RUN_ID: '4242',
    GITHUB_WORKSPACE: dir,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase().replaceAll('-', '_')}`, value])),
    ...extraEnv,
  };
  const result = spawnSync(process.execPath, [RUN_SCRIPT], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
  };
}

/** The tiny matrix every run here measures: 2 memory sizes × 1 chunk size, 3 invocations (the fewest the gate judges). */
const MATRIX = { local: 'true', function: 'chunky', memory: '128,256', chunks: '1', invocations: '3', 'extra-args': '--config tune.config.json' };

describe('the GitHub Action (scripts/action/run.mjs) against the local platform', () => {
  let dir: string;
  let tuned: StepRun;

  beforeAll(() => {
    dir = workspace();
    tuned = runStep(dir, { ...MATRIX, out: 'first' });
  }, 120_000);

  it('tunes, and writes the recommendation to the step outputs and the report to the job summary', () => {
    expect(tuned.stderr).not.toMatch(/\n\s+at /);
    expect(tuned.status, tuned.stderr).toBe(0);
    const result = JSON.parse(readFileSync(path.join(dir, 'first', 'result.json'), 'utf8')) as {
      analysis: { sweetSpot: { cellId: string }; cells: { id: string; memoryMb: number; durationMs: { median: number }; costPerMillionUsd: number }[] };
    };
    const spot = result.analysis.cells.find((c) => c.id === result.analysis.sweetSpot.cellId)!;
    expect(tuned.outputs).toMatchObject({
      function: 'chunky',
      memory: String(spot.memoryMb),
      params: '{"chunkSizeMb":1}',
      verdict: 'none',
      result: path.join(dir, 'first', 'result.json'),
      report: path.join(dir, 'first', 'report.md'),
      verdicts: '',
      out: path.join(dir, 'first'),
      'artifact-name': 'lambda-tune-chunky',
    });
    expect(Number(tuned.outputs['median-ms'])).toBeCloseTo(spot.durationMs.median, 3);
    expect(Number(tuned.outputs['cost-per-million'])).toBeCloseTo(spot.costPerMillionUsd, 5);
    expect(Number(tuned.outputs['p95-ms'])).toBeGreaterThanOrEqual(Number(tuned.outputs['median-ms']));

    expect(tuned.summary).toContain(`**Recommended: \`chunky\` at ${spot.memoryMb} MB with chunkSizeMb=1**`);
    expect(tuned.summary).toMatch(/\| memory \| chunkSizeMb \| n \|.*\n\| ---: \|/);
    expect(tuned.summary).toMatch(/\| 128 MB \| 1 \| 3 \| 0 \|/);
    // Charts cannot show in a job summary: they are links to the run, whose artifact holds them.
    expect(tuned.summary).not.toContain('![');
    expect(tuned.summary).toContain('](https://github.com/octo/app/actions/runs/4242) (`chart.svg` in the artifact `lambda-tune-chunky`)');
    expect(tuned.stdout).not.toMatch(/^::(error|warning)/m);
  });

  it("fences the CLI's output so nothing it prints is read as a workflow command", () => {
    const stop = /^::stop-commands::(\S+)$/m.exec(tuned.stdout);
    expect(stop).not.toBeNull();
    const resume = tuned.stdout.indexOf(`::${stop![1]!}::`);
    const table = tuned.stdout.indexOf('Sweet spot: chunky');
    expect(stop!.index).toBeLessThan(table);
    expect(table).toBeLessThan(resume);
  });

  it('compares with a baseline in compare mode: an annotation per failed rule, the verdicts, exit 1', () => {
    mkdirSync(path.join(dir, 'perf'));
    copyFileSync(path.join(dir, 'first', 'result.json'), path.join(dir, 'perf', 'base.json'));
    const step = runStep(dir, {
      mode: 'compare',
      baseline: 'perf/base.json',
      current: 'first/result.json',
      rules: 'duration:p50 > 1 error\n\n  maxMemory > 1 warn\n',
      out: 'gate',
    });
    expect(step.status, step.stderr).toBe(1);
    const errors = step.stdout.split('\n').filter((line) => line.startsWith('::error'));
    const warnings = step.stdout.split('\n').filter((line) => line.startsWith('::warning'));
    expect(errors).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    // Properties escape ":" and ","; messages escape "%".
    expect(errors[0]).toMatch(
      /^::error file=perf\/base\.json,title=lambda-tune%3A duration%3Ap50 > 1 error::2 cells over the rule: chunky\/128MB\/chunkSizeMb=1: /,
    );
    expect(errors[0]).toMatch(/%25 (worse|better); over the limit of 1\)/);
    expect(warnings[0]).toMatch(/^::warning file=perf\/base\.json,title=lambda-tune%3A maxMemory > 1 warn::2 cells over the rule: /);
    expect(step.outputs).toMatchObject({ verdict: 'fail', verdicts: path.join(dir, 'gate', 'gate.json'), result: path.join(dir, 'first', 'result.json') });
    expect((JSON.parse(readFileSync(step.outputs['verdicts']!, 'utf8')) as { status: string }).status).toBe('fail');
    expect(step.summary).toContain('### lambda-tune gate: ❌ regression');
  });

  it("gates a tune run against its baseline: the verdicts come from the run's gate.json, the exit code from the run", () => {
    const step = runStep(dir, { ...MATRIX, baseline: 'perf/base.json', rules: 'duration:p50 > 1 error', out: 'second' });
    expect(step.status, step.stderr).toBe(1);
    expect(step.stdout).toMatch(/^::error file=perf\/base\.json,title=lambda-tune%3A duration%3Ap50 > 1 error::2 cells over the rule/m);
    expect(step.outputs).toMatchObject({ function: 'chunky', verdict: 'fail', verdicts: path.join(dir, 'second', 'gate.json') });
    expect((JSON.parse(readFileSync(step.outputs['verdicts']!, 'utf8')) as { status: string }).status).toBe('fail');
    // The CLI runs once: the verdicts are read from the gate.json the run wrote, not judged again by `tune compare`.
    expect(step.stdout.match(/^::stop-commands::/gm)).toHaveLength(1);
    expect(step.stdout).not.toMatch(/^lambda-tune compare /m);
    // The run's own Markdown verdicts first, then its report.
    expect(step.summary.match(/### lambda-tune gate/g)).toHaveLength(1);
    expect(step.summary.indexOf('### lambda-tune gate: ❌ regression')).toBeLessThan(step.summary.indexOf('**Recommended: `chunky`'));
  });

  it('reports no recommendation from a result an earlier run left in out (a dry run writes none)', () => {
    const step = runStep(dir, { ...MATRIX, 'extra-args': `${MATRIX['extra-args']} --dry-run`, out: 'first' });
    expect(step.status, step.stderr).toBe(0);
    expect(step.outputs).toMatchObject({ function: '', memory: '', params: '', verdict: 'none', result: '', report: '' });
    expect(step.summary).toBe('');
  });

  it('refuses inputs that do not fit the mode before running anything (exit 2, one error annotation)', () => {
    const step = runStep(dir, { mode: 'ab', function: 'chunky', a: 'live', memory: '128', out: 'ab' });
    expect(step.status).toBe(2);
    expect(step.stdout).toBe('::error title=lambda-tune%3A action inputs::memory: has no effect with mode ab; remove it (it applies to mode tune).\n');
    expect(step.outputs).toEqual({});
    expect(existsSync(path.join(dir, 'ab'))).toBe(false);
  });
});

describe('the action when the CLI itself fails', () => {
  it('reports a crash that exits 1 as a failure of the step (exit 3), not as a failed gate', () => {
    const dir = workspace();
    // Makes the CLI process (and only it) die with an uncaught error, as a bug would: node exits 1.
    const crash = path.join(dir, 'crash.cjs');
    writeFileSync(crash, "if (process.argv.some((a) => a.endsWith('tune.js'))) throw new Error('boom');\n");
    writeFileSync(path.join(dir, 'a.json'), '{}');
    const run = runStep(dir, { mode: 'compare', baseline: 'a.json', current: 'a.json' }, { NODE_OPTIONS: `--require ${crash}` });
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/::error title=lambda-tune%3A failed::lambda-tune exited 1 without a verdict/);
  });
});
