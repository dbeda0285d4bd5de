import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { userError } from '../errors.js';
import type { CommitInfo } from './types.js';

/** Runs git with these arguments in a folder and gives its standard output. Passed in, so tests can count calls. */
export type GitRunner = (args: readonly string[], cwd: string) => Promise<string>;

/** Why git failed: it is missing, or what it said on stderr. */
export class GitFailure extends Error {
  constructor(
    readonly missing: boolean,
    readonly stderr: string,
  ) {
    super(missing ? 'git was not found' : stderr);
  }
}

/**
 * git itself, by its argument list: no shell ever reads the path. Its messages in English
 * (LC_ALL=C), so a missing repository is recognised whatever the user's language.
 */
export const runGit: GitRunner = (args, cwd) =>
  new Promise((resolve, reject) => {
    const options = { cwd, encoding: 'utf8', maxBuffer: 1024 ** 3, windowsHide: true, env: { ...process.env, LC_ALL: 'C' } } as const;
    execFile('git', [...args], options, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new GitFailure((error as NodeJS.ErrnoException).code === 'ENOENT', stderr));
    });
  });

/** A committed version of the file: its commit and the file's text at it. */
export interface CommittedVersion {
  commit: CommitInfo;
  origin: string;
  read: () => Promise<string>;
}

/** Field separator of the log format: a control character no hash, date or subject holds. */
const FIELD = '\u001f';

/**
 * Every commit that changed the file, oldest first, each with a way to read the file as it was
 * then (`git show COMMIT:./NAME`, run in the file's folder so the path needs no repository root).
 * Commits that deleted it are left out.
 */
export async function committedVersions(file: string, git: GitRunner = runGit): Promise<CommittedVersion[]> {
  const cwd = folderOf(file);
  const name = `./${path.basename(file)}`;
  const log = await explained(
    file,
    // Literal pathspecs: a file named result[1].json or *.json means that file, not a pattern.
    git(
      ['--literal-pathspecs', 'log', '--reverse', '--diff-filter=ACMRT', '--no-color', '--no-show-signature', `--format=%H${FIELD}%cI${FIELD}%s`, '--', name],
      cwd,
    ),
  );
  const commits = log
    .split('\n')
    .filter((line) => line !== '')
    .map(commitOf);
  if (commits.length === 0) throw userError('GIT_HISTORY', { file, reason: 'no commit holds it (commit it first)' });
  return commits.map((commit) => ({
    commit,
    origin: `${commit.hash.slice(0, 7)}:${path.basename(file)}`,
    read: () => explained(file, git(['show', `${commit.hash}:${name}`], cwd)),
  }));
}

function commitOf(line: string): CommitInfo {
  const [hash = '', date = '', ...subject] = line.split(FIELD);
  return { hash, date, subject: subject.join(FIELD) };
}

/** The folder git runs in; the file may be gone from it now, but the folder must be there, and the path must not be a folder. */
function folderOf(file: string): string {
  const dir = path.dirname(file);
  if (isFolder(file)) throw userError('GIT_HISTORY', { file, reason: 'it is a folder; --git follows one result file' });
  if (!isFolder(dir)) throw userError('GIT_HISTORY', { file, reason: `its folder ${dir} does not exist` });
  return dir;
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** git's failures in the user's words: no git, no repository, or git's own first line. */
async function explained<T>(file: string, running: Promise<T>): Promise<T> {
  try {
    return await running;
  } catch (error) {
    if (!(error instanceof GitFailure)) throw error;
    throw userError('GIT_HISTORY', { file, reason: gitReason(error) });
  }
}

function gitReason(failure: GitFailure): string {
  if (failure.missing) return 'git is not installed (or not on the PATH)';
  if (/not a git repository/i.test(failure.stderr)) return 'it is not in a git repository';
  const first = failure.stderr.split('\n').find((line) => line.trim() !== '');
  return `git said: ${first?.trim().replace(/^fatal: /, '') ?? 'nothing'}`;
}
