import path from 'node:path';
import { badFlag, EXIT, userError } from '../errors.js';
import { decimal } from '../config/numbers.js';
import { assertUsableFolder } from '../files/paths.js';
import { writeHistoryFiles } from '../history/files.js';
import { committedVersions, type GitRunner, runGit } from '../history/git.js';
import { buildHistory } from '../history/history.js';
import { type Loaded, loadCommits, loadFiles } from '../history/load.js';
import { byStartTime } from '../history/order.js';
import { resultFiles } from '../history/sources.js';
import { renderHistoryTerminal } from '../history/terminal.js';
import type { History } from '../history/types.js';
import type { CliIo } from './io.js';
import type { HistoryFlags } from './options/history.js';

/** The change a test must find real before a shift counts: as the gate's default. */
const CONFIDENCE = 0.95;

/** Where the files go when --out is not given, under the current folder. */
const DEFAULT_OUT = path.join('tune-results', 'history');

/** Flags checked → results read (files by start time, or one file commit by commit) → history → files and output. */
export async function runCommand(flags: HistoryFlags, io: CliIo, git: GitRunner = runGit): Promise<number> {
  const minChangePercent = minChange(flags.minChange);
  const out = path.resolve(io.cwd, flags.out ?? DEFAULT_OUT);
  assertUsableFolder('the output folder (--out)', out);
  const { loaded, orderedBy } = await load(flags, io.cwd, git);
  const digests = orderedBy === 'commit' ? loaded.digests : byStartTime(loaded.digests);
  if (digests.length === 0) throw userError('NO_RESULTS', { where: 'what was given (every file was skipped as not a valid result)' });
  const history = buildHistory(digests, { confidence: CONFIDENCE, minChangePercent, orderedBy }, loaded.skipped);
  const written = writeHistoryFiles(history, out);
  io.stdout.write(
    flags.json ? `${JSON.stringify(history, null, 2)}\n` : `${renderHistoryTerminal(history)}\nWrote:\n${written.map((f) => `  ${f}`).join('\n')}\n`,
  );
  return EXIT.ok;
}

async function load(flags: HistoryFlags, cwd: string, git: GitRunner): Promise<{ loaded: Loaded; orderedBy: History['orderedBy'] }> {
  const paths = flags.paths;
  if (flags.git !== undefined && paths.length > 0)
    throw badFlag('--git', 'follows one file through git; result files were given too.', 'Give either --git PATH or the files.');
  if (flags.git !== undefined) {
    const versions = await committedVersions(path.resolve(cwd, flags.git), git);
    return { loaded: await loadCommits(versions, flags.skipInvalid), orderedBy: 'commit' };
  }
  if (paths.length === 0)
    throw userError('FLAG_MISSING', {
      flag: 'result files or --git PATH',
      what: 'Say which results to follow',
      example: 'tune history perf/ or tune history --git perf/hasher-baseline.json',
    });
  const files = resultFiles(paths.map((p) => path.resolve(cwd, p))).map((file) => ({ file, origin: shownPath(cwd, file) }));
  return { loaded: loadFiles(files, flags.skipInvalid), orderedBy: 'startedAt' };
}

/** A path as the reports show it: relative to the current folder when it is under it, so a committed report names no one's home folder. */
function shownPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** --min-change in percent: a decimal, with or without a % sign. */
function minChange(raw: HistoryFlags['minChange']): number {
  const text = typeof raw === 'string' ? raw.trim().replace(/%$/, '') : raw;
  const value = decimal('--min-change', text);
  if (value < 0 || value >= 1000)
    throw badFlag(
      '--min-change',
      `must be a percentage from 0 to below 1000 (got ${String(raw)}).`,
      'For example --min-change 5 (a median must move by more than 5%).',
    );
  return value;
}
