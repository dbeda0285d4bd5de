import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import type { History } from '../../src/history/types.js';
import type { TuneResult } from '../../src/result/types.js';
import { BIN } from '../helpers/cli.js';
import { series } from './series.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-history-cli-'));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function save(relative: string, content: TuneResult | string): string {
  const file = path.join(dir, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function history(args: string[], cwd = dir) {
  const env = { PATH: process.env['PATH'], HOME: dir, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  return spawnSync(process.execPath, [BIN, 'history', ...args], { encoding: 'utf8', timeout: 60_000, env, cwd });
}

function git(cwd: string, ...args: string[]): void {
  const run = spawnSync('git', ['-c', 'user.name=History Test', '-c', 'user.email=history@example.com', ...args], { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
}

// Eight runs of hasher, saved out of order in folders of their own; the 512 MB, 20 MB cell slows down by 20% from run 4.
for (const [i, result] of series(8, { shiftAt: 4, shifted: 3, factor: 1.2 }).entries()) save(`perf/${(i * 5) % 8}/result.json`, result);

describe('tune history as a process', () => {
  it('prints the runs in order with the change point and the cell that moved, and writes the report and the chart', async () => {
    const out = path.join(dir, 'out');
    const run = history(['perf', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => /^\d+ {2}2026-11-/.test(line));
    expect(rows.map((row) => row.slice(0, 19))).toEqual(Array.from({ length: 8 }, (_, i) => `${i + 1}  2026-11-0${i + 1} 10:00`));
    expect(rows[3]).toMatch(/hasher 512 MB, chunkSizeMb=10 +\d+ ms +\d+ ms +\$\d\.\d\d {2}▲ shifted: 1 of 4 cells$/);
    expect(run.stdout).toMatch(
      /^▲ Run 4 \(2026-11-04 10:00\): performance shifted in 1 of 4 cells:\n {4}hasher\/512MB\/chunkSizeMb=20: median \d+ ms → \d+ ms \(\+\d+%, p < 0\.001\)$/m,
    );
    expect(run.stdout).toContain('8 runs in the order they started, 1 change point (run 4).');
    const markdown = readFileSync(path.join(out, 'report-history.md'), 'utf8');
    expect(markdown).toContain('**8 runs, 1 change point (run 4)**, in the order they started.');
    expect(markdown).toContain('![Median duration and cost per million of the recommended configuration, run by run](chart-history.svg)');
    expect(markdown).toMatch(/^\| 4 \| 2026-11-04 10:00 \| hasher 512 MB, chunkSizeMb=10 \| \d+ ms \| \d+ ms \| \$\d\.\d\d \| ▲ shifted: 1 of 4 cells \|$/m);
    expect(markdown).toMatch(
      /^- \*\*Run 4\*\* \(2026-11-04 10:00, `perf\/\d\/result\.json`\): performance shifted in 1 of 4 cells:\n {2}- `hasher\/512MB\/chunkSizeMb=20`: median/m,
    );
    const png = readFileSync(path.join(out, 'chart-history.png'));
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([960, 600]);
    const svg = readFileSync(path.join(out, 'chart-history.svg'), 'utf8');
    expect((await loadImage(Buffer.from(svg))).width).toBe(960);
    const words = [...svg.matchAll(/<text[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]).join(' ');
    expect(words).toContain('hasher 512 MB, chunkSizeMb=20');
    expect(words).toContain('hasher 512 MB, chunkSizeMb=10');
    expect(words).toContain('change point');
  });

  it('writes to tune-results/history under the current folder by default, the same bytes for the same results', () => {
    const first = history(['perf']);
    expect(first.status).toBe(0);
    const folder = path.join(dir, 'tune-results', 'history');
    const files = ['report-history.md', 'chart-history.png', 'chart-history.svg'].map((name) => readFileSync(path.join(folder, name)));
    expect(history(['perf']).status).toBe(0);
    expect(['report-history.md', 'chart-history.png', 'chart-history.svg'].map((name) => readFileSync(path.join(folder, name)))).toEqual(files);
  });

  it('prints the history as JSON with --json', () => {
    const run = history(['perf', '--json', '--out', path.join(dir, 'json-out')]);
    expect(run.status).toBe(0);
    const parsed = JSON.parse(run.stdout) as History;
    expect(parsed).toMatchObject({ confidence: 0.95, minChangePercent: 5, orderedBy: 'startedAt', changePoints: [4], skipped: [] });
    expect(parsed.runs.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parsed.runs[3]!.comparison).toMatchObject({ status: 'compared', shifts: [{ cellId: 'hasher/512MB/chunkSizeMb=20', direction: 'slower' }] });
  });

  it('takes --min-change, with or without a % sign', () => {
    const lenient = history(['perf', '--json', '--min-change', '40%', '--out', path.join(dir, 'json-out')]);
    expect(lenient.status).toBe(0);
    expect((JSON.parse(lenient.stdout) as History).changePoints).toEqual([]);
  });

  it('shows a single result, and one where every cell failed', () => {
    const [one] = series(1);
    const single = history([save('single/result.json', one!), '--out', path.join(dir, 'single-out')]);
    expect(single.status).toBe(0);
    expect(single.stdout).toContain('1 run in the order they started, 0 change points.');
    const failed = structuredClone(one!);
    for (const sample of failed.samples.filter((_, i) => i % 20 === 0)) Object.assign(sample, { status: 'error', errorType: 'Runtime.OutOfMemory' });
    failed.analysis.sweetSpot = null;
    failed.run.startedAt = '2026-11-02T10:00:00.000Z';
    const both = history([path.join(dir, 'single'), save('failed/result.json', failed), '--out', path.join(dir, 'failed-out')]);
    expect(both.status).toBe(0);
    expect(both.stdout).toMatch(/^2 {2}2026-11-02 10:00 {2}none: every cell failed/m);
  });

  it('follows one file through git with --git, in commit order', () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'lambda-tune-history-repo-'));
    git(repo, 'init', '--quiet');
    mkdirSync(path.join(repo, 'perf'));
    // Saved with start times in the opposite order: commit order must win.
    for (const [i, result] of series(3, { shiftAt: 3, shifted: 3, factor: 1.3 }).entries()) {
      writeFileSync(
        path.join(repo, 'perf', 'baseline.json'),
        JSON.stringify({ ...result, run: { ...result.run, startedAt: `2026-11-0${5 - i}T10:00:00.000Z` } }),
      );
      git(repo, 'add', 'perf/baseline.json');
      git(repo, 'commit', '--quiet', '-m', `baseline ${i + 1}`);
    }
    const run = history(['--git', 'perf/baseline.json', '--json'], repo);
    expect(run.stderr).toBe('');
    const parsed = JSON.parse(run.stdout) as History;
    expect(parsed.orderedBy).toBe('commit');
    expect(parsed.runs.map((r) => r.commit?.subject)).toEqual(['baseline 1', 'baseline 2', 'baseline 3']);
    expect(parsed.runs.map((r) => r.startedAt)).toEqual(['2026-11-05T10:00:00.000Z', '2026-11-04T10:00:00.000Z', '2026-11-03T10:00:00.000Z']);
    expect(parsed.changePoints).toEqual([3]);
    expect(existsSync(path.join(repo, 'tune-results', 'history', 'report-history.md'))).toBe(true);
    const table = history(['--git', 'perf/baseline.json'], repo);
    expect(table.stdout).toMatch(/^1 {2}[0-9a-f]{7} \d{4}-\d\d-\d\d {2}hasher 512 MB/m);
    expect(table.stdout).toContain('3 runs in commit order, 1 change point (run 3).');
  });

  it('stops at a corrupt result with exit 2, naming it; --skip-invalid lists it and goes on', () => {
    save('mixed/a/result.json', series(1)[0]!);
    save('mixed/b/result.json', '{"schemaVersion": 2, "run": {}}');
    const strict = history(['mixed']);
    expect(strict.status).toBe(2);
    expect(strict.stderr).toMatch(/^tune: The result .*mixed\/b\/result\.json is not a valid lambda-tune result:\n {2}run\.tool: /);
    expect(strict.stderr).not.toMatch(/\n\s+at /);
    const lenient = history(['mixed', '--skip-invalid', '--out', path.join(dir, 'mixed-out')]);
    expect(lenient.status).toBe(0);
    expect(lenient.stdout).toMatch(/^Skipped 1 file that is not a valid result:\n {4}mixed\/b\/result\.json: run\.tool: expected "lambda-tune"/m);
    expect(readFileSync(path.join(dir, 'mixed-out', 'report-history.md'), 'utf8')).toContain(
      '## Skipped (not valid results)\n\n- `mixed/b/result.json`: run.tool',
    );
    // A committed report names files as given, never by an absolute path (a home folder).
    expect(readFileSync(path.join(dir, 'mixed-out', 'report-history.md'), 'utf8')).not.toContain(dir);
  });

  it.each([
    [[], /Say which results to follow with result files or --git PATH/],
    [['missing.json'], /Cannot read the result .*missing\.json: it does not exist/],
    [['empty'], /No result files were found in .*empty/],
    [['perf', '--git', 'perf/0/result.json'], /--git follows one file through git; result files were given too/],
    [['perf', '--min-change', 'lots'], /--min-change takes a decimal number \(got "lots"\)/],
    [['perf', '--min-change', '-3'], /--min-change must be a percentage from 0/],
    [['perf', '--out', 'perf/0/result.json'], /Cannot use the output folder \(--out\) .*: it is a file, not a folder/],
    [['--git', 'perf/0/result.json'], /Cannot read the git history of .*result\.json: it is not in a git repository/],
    [['only-bad', '--skip-invalid'], /No result files were found in what was given \(every file was skipped as not a valid result\)/],
    [['perf', '--bogus'], /Unknown argument: bogus/],
  ])('refuses %j with exit 2 and one clear message', (args, message) => {
    mkdirSync(path.join(dir, 'empty'), { recursive: true });
    save('only-bad/result.json', 'not json');
    const run = history(args);
    expect(run.stderr).toMatch(message);
    expect(run.status).toBe(2);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
