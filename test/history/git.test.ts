import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { committedVersions, GitFailure, type GitRunner, runGit } from '../../src/history/git.js';
import { loadCommits } from '../../src/history/load.js';
import type { TuneResult } from '../../src/result/types.js';
import { series } from './series.js';

/** git for setting up the repository: no user or system config, the author given with -c flags. */
function git(cwd: string, ...args: string[]): string {
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  const run = spawnSync('git', ['-c', 'user.name=History Test', '-c', 'user.email=history@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/** A repository where perf/result.json was committed three times; the runs' start times say the opposite order, so only commit order can be right. */
function repository(): { dir: string; file: string; results: TuneResult[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-history-git-'));
  git(dir, 'init', '--quiet');
  const file = path.join(dir, 'perf', 'result.json');
  mkdirSync(path.dirname(file));
  const results = series(3, { shiftAt: 3, shifted: 3, factor: 1.3 }).map((result, i) => ({
    ...result,
    run: { ...result.run, startedAt: `2026-11-0${3 - i}T10:00:00.000Z` },
  }));
  for (const [i, result] of results.entries()) {
    writeFileSync(file, JSON.stringify(result));
    git(dir, 'add', 'perf/result.json');
    git(dir, 'commit', '--quiet', '-m', `run ${i + 1}`);
  }
  // Another file in the folder keeps it there when the result is deleted.
  writeFileSync(path.join(dir, 'perf', 'unrelated.txt'), 'x');
  git(dir, 'add', 'perf/unrelated.txt');
  git(dir, 'commit', '--quiet', '-m', 'unrelated');
  return { dir, file, results };
}

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('it did not fail');
}

describe('results from git history', () => {
  const { dir, file, results } = repository();

  it('lists the commits that changed the file, oldest first, and reads each version with git show', async () => {
    const calls: string[][] = [];
    const counting: GitRunner = (args, cwd) => {
      calls.push([...args]);
      return runGit(args, cwd);
    };
    const versions = await committedVersions(file, counting);
    expect(versions.map((v) => v.commit.subject)).toEqual(['run 1', 'run 2', 'run 3']);
    expect(versions.map((v) => v.origin)).toEqual(versions.map((v) => `${v.commit.hash.slice(0, 7)}:result.json`));
    const head = git(dir, 'rev-parse', 'HEAD~1').trim();
    expect(versions[2]!.commit.hash).toBe(head);
    expect(versions[0]!.commit.date).toMatch(/^\d{4}-\d\d-\d\dT/);
    const loaded = await loadCommits(versions, false);
    expect(loaded.digests.map((d) => d.startedAt)).toEqual(results.map((r) => r.run.startedAt));
    expect(loaded.digests.map((d) => d.source.commit?.subject)).toEqual(['run 1', 'run 2', 'run 3']);
    expect(calls.filter((args) => args[0] === 'show').map((args) => args[1])).toEqual(versions.map((v) => `${v.commit.hash}:./result.json`));
  });

  it('reads the history from any folder: the path is resolved by the file, not the current folder', async () => {
    const versions = await committedVersions(path.join(dir, 'perf', '..', 'perf', 'result.json'));
    expect(versions).toHaveLength(3);
  });

  it('stops at a committed version that is not a valid result, naming the commit; with skipInvalid lists it', async () => {
    writeFileSync(file, '{"schemaVersion": 2, "run": ');
    git(dir, 'commit', '--quiet', '-am', 'broken');
    const versions = await committedVersions(file);
    const error = await rejection(loadCommits(versions, false));
    expect(error.code).toBe('RESULT_UNREADABLE');
    expect(error.message).toContain(`${versions[3]!.commit.hash.slice(0, 7)}:result.json: it is not valid JSON`);
    const loaded = await loadCommits(versions, true);
    expect(loaded.digests).toHaveLength(3);
    expect(loaded.skipped).toEqual([{ origin: versions[3]!.origin, reason: expect.stringMatching(/it is not valid JSON/) as string }]);
  });

  it('leaves out the commit that deleted the file', async () => {
    git(dir, 'rm', '--quiet', 'perf/result.json');
    git(dir, 'commit', '--quiet', '-m', 'deleted');
    expect((await committedVersions(file)).map((v) => v.commit.subject)).toEqual(['run 1', 'run 2', 'run 3', 'broken']);
  });

  it.each([
    ['a file no commit holds', () => path.join(dir, 'perf', 'never.json'), /no commit holds it/],
    ['a folder', () => path.join(dir, 'perf'), /it is a folder/],
    ['a file whose folder does not exist', () => path.join(dir, 'nowhere', 'result.json'), /its folder .* does not exist/],
    [
      'a file outside any repository',
      () => path.join(mkdtempSync(path.join(tmpdir(), 'lambda-tune-no-repo-')), 'result.json'),
      /it is not in a git repository/,
    ],
  ])('refuses %s with a clear error (exit 2)', async (_, target, message) => {
    const error = await rejection(committedVersions(target()));
    expect(error).toMatchObject({ code: 'GIT_HISTORY', exitCode: 2 });
    expect(error.message).toMatch(message);
  });

  it('says so when git is not installed', async () => {
    const missing: GitRunner = () => Promise.reject(new GitFailure(true, ''));
    const error = await rejection(committedVersions(file, missing));
    expect(error.message).toMatch(/git is not installed/);
    expect(error.exitCode).toBe(2);
  });

  it('tells a missing git from a failing one', async () => {
    const saved = process.env['PATH'];
    process.env['PATH'] = path.join(dir, 'no-bin');
    try {
      const failure = await runGit(['--version'], dir).catch((error: unknown) => error);
      expect(failure).toMatchObject({ missing: true });
    } finally {
      process.env['PATH'] = saved;
    }
    const failing = await runGit(['show', 'no-such-commit:./result.json'], path.join(dir, 'perf')).catch((error: unknown) => error);
    expect(failing).toMatchObject({ missing: false, stderr: expect.stringMatching(/no-such-commit/) as string });
  });
});

describe('a result whose name would be a glob', () => {
  const { dir } = repository();

  it('follows the file named, even when its name would be a glob: result[1].json is not result1.json', async () => {
    const [result] = series(1);
    writeFileSync(path.join(dir, 'perf', 'result[1].json'), JSON.stringify(result));
    git(dir, 'add', '--', ':(literal)perf/result[1].json');
    git(dir, 'commit', '--quiet', '-m', 'bracketed');
    writeFileSync(path.join(dir, 'perf', 'result1.json'), JSON.stringify(result));
    git(dir, 'add', 'perf/result1.json');
    git(dir, 'commit', '--quiet', '-m', 'plain');
    const versions = await committedVersions(path.join(dir, 'perf', 'result[1].json'));
    expect(versions.map((v) => v.commit.subject)).toEqual(['bracketed']);
  });
});
