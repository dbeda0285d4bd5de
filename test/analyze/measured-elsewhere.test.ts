import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import type { CliIo } from '../../src/cli/io.js';
import { pricesFor } from '../../src/cost/prices.js';
import { run } from '../../src/cli/main.js';
import { renderSamplesCsv } from '../../src/report/csv.js';
import { renderTerminal } from '../../src/report/terminal.js';
import type { TuneResult } from '../../src/result/types.js';
import { twoFunctionResult } from '../helpers/results.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-analyze-'));

/** tune in this process: its exit code and what it wrote. */
async function tune(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    argv,
    env: {},
    cwd: dir,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stderrIsTty: false,
    onInterrupt: () => () => undefined,
  };
  const code = await run(io);
  return { code, stdout, stderr };
}

function written(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** One function's samples, analysed as tune analyze does by default: priced at x86_64 in us-east-1, judged on warm invocations. */
function hasherOnly(): TuneResult {
  const result = twoFunctionResult();
  const samples = result.samples.filter((s) => s.function === 'hasher');
  const plan = { ...result.plan, functions: ['hasher'] };
  const functions = [{ name: 'hasher', architecture: 'x86_64' as const, prices: pricesFor('us-east-1', 'x86_64') }];
  return { ...result, plan, functions, samples, analysis: analyze(samples, plan, functions, { ...result.analysis.selection, optimize: 'warm' }) };
}

const FILES: Record<string, string> = {
  'samples.csv': renderSamplesCsv(twoFunctionResult()),
  'samples.jsonl': `${hasherOnly()
    .samples.map((s) => JSON.stringify(s))
    .join('\n')}\n`,
  'report.log': [
    'REPORT RequestId: a\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t',
    'REPORT RequestId: b\tDuration: 10.25 ms\tBilled Duration: 11 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\tInit Duration: 180.00 ms\t',
    'REPORT RequestId: c\tDuration: 6.00 ms\tBilled Duration: 6 ms\tMemory Size: 256 MB\tMax Memory Used: 72 MB\t',
  ].join('\n'),
};

describe('tune analyze of measurements, the table alone (samples put into columns as they are read)', () => {
  it.each(Object.keys(FILES))('prints the table --json gives the result for: %s', async (name) => {
    const file = written(name, FILES[name] ?? '');
    const table = await tune('analyze', file, '--strategy', 'cost');
    const json = await tune('analyze', file, '--strategy', 'cost', '--json');
    expect([table.code, json.code, table.stderr, json.stderr]).toEqual([0, 0, '', '']);
    expect(table.stdout).toBe(renderTerminal(JSON.parse(json.stdout) as TuneResult));
    expect(table.stdout).toMatch(/^This run: \d+ invocations/m);
  });

  it('reproduces the analysis of the run that wrote samples.csv', async () => {
    const result = hasherOnly();
    const json = await tune('analyze', written('hasher.csv', renderSamplesCsv(result)), '--json');
    expect((JSON.parse(json.stdout) as TuneResult).analysis).toStrictEqual(result.analysis);
  });

  it('says what is wrong with a file either way, in the same words', async () => {
    const file = written('bad.csv', 'memoryMb,durationMs\n512,slow\n');
    const table = await tune('analyze', file);
    const json = await tune('analyze', file, '--json');
    expect(table.code).not.toBe(0);
    expect(table.stderr).toContain('line 2, durationMs: expected a finite number ≥ 0, got "slow"');
    expect(json).toEqual(table);
  });
});
