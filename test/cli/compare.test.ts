import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GateReport } from '../../src/gate/compare.js';
import type { TuneResult } from '../../src/result/types.js';
import { durations, normal, resultOf, seeded } from '../helpers/gate.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'tune.js');
const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-gate-'));
const noise = normal(seeded(11));

function save(name: string, result: TuneResult | string): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof result === 'string' ? result : JSON.stringify(result));
  return file;
}

const baseline = save('baseline.json', resultOf([{ memoryMb: 512, durations: durations(noise, 200, 0.05) }]));
const same = save('same.json', resultOf([{ memoryMb: 512, durations: durations(noise, 200, 0.05) }]));
const slower = save('slower.json', resultOf([{ memoryMb: 512, durations: durations(noise, 260, 0.05) }]));

function compare(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, 'compare', ...args], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env['PATH'], ...env } });
}

describe('tune compare as a process', () => {
  it('passes a run like its baseline with exit 0 and a one-line summary naming the test', () => {
    const result = compare([baseline, same]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^gate: PASS: 0 errors, 0 warnings(, \d+ skipped)? in \d+ checks \(Mann–Whitney U, one-sided, on the raw samples .*95% confidence across 3 error and 2 warning checks \(Holm\)\)$/m,
    );
  });

  it('fails a real slowdown with exit 1, a line per failing rule and cell, and Markdown in GITHUB_STEP_SUMMARY', () => {
    const summary = path.join(dir, 'summary.md');
    writeFileSync(summary, '');
    const result = compare([baseline, slower], { GITHUB_STEP_SUMMARY: summary });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /^✗ error {2}f\/512MB {2}duration:p50 > 10% error: \d+ ms → \d+ ms \([\d.]+% worse\); a real change \(p = 0\.000, significant after Holm's correction over 3 checks\)$/m,
    );
    expect(result.stdout).toMatch(/^gate: FAIL: [12] errors?/m);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toContain('### lambda-tune gate: ❌ regression');
    expect(markdown).toContain('| ❌ error | f/512MB | `duration:p50 > 10% error` |');
  });

  it('lets rules from the command line decide, and prints JSON verdicts', () => {
    const lenient = compare([baseline, slower, '--rule', 'duration:p50 > 50% error', '--rule', 'cost > 50% warn']);
    expect(lenient.status).toBe(0);
    const json = compare([baseline, slower, '--json', '--rule', 'duration:p95 > 10% warn']);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as GateReport;
    expect(report).toMatchObject({ errors: 0, warnings: 1, confidence: 0.95, verdicts: [{ metric: 'duration', outcome: 'warn' }] });
  });

  it.each([
    [['missing.json'], /Cannot read the baseline .*missing\.json: it does not exist/],
    [['corrupt.json'], /Cannot read the baseline .*corrupt\.json: it is not valid JSON/],
    [['wrong-schema.json'], /The baseline .*wrong-schema\.json is not a valid lambda-tune result/],
    [['other-region.json'], /not comparable: regions differ/],
  ])('exits 2 for a baseline it cannot use: %j', ([name], message) => {
    save('corrupt.json', '{"schemaVersion": 1,');
    save('wrong-schema.json', '{"schemaVersion": 2}');
    save('other-region.json', resultOf([{ memoryMb: 512, durations: [1, 2, 3] }], { region: 'eu-west-1' }));
    const result = compare([path.join(dir, name!), same]);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('takes rules and confidence from the config file, as text or as fields; flags still win', () => {
    const config = save(
      'tune.config.json',
      JSON.stringify({ gate: { confidence: 0.99, rules: ['duration:p50 > 50% error', { metric: 'cost', increasePercent: 5, level: 'warn' }] } }),
    );
    const json = compare([baseline, slower, '--json', '--config', config]);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as GateReport;
    expect(report.confidence).toBe(0.99);
    expect(report.verdicts.map((v) => [v.rule, v.outcome])).toEqual([
      ['duration:p50 > 50% error', 'pass'],
      ['cost > 5% warn', 'warn'],
    ]);
    expect(compare([baseline, slower, '--config', config, '--rule', 'duration:p50 > 10% error']).status).toBe(1);
    const bad = save('bad.config.json', JSON.stringify({ gate: { rules: [{ metric: 'duration', increasePercent: -5 }] } }));
    const refused = compare([baseline, slower, '--config', bad]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('gate.rules[0]');
  });

  it('exits 2 for a rule it cannot read', () => {
    const result = compare([baseline, same, '--rule', 'speed > 10%']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/The rule "speed > 10%" is not valid/);
  });
});
