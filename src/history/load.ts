import { UserError, userError } from '../errors.js';
import { stripBom } from '../files/read.js';
import { readResult, resultOf } from '../result/files.js';
import type { TuneResult } from '../result/types.js';
import { digestResult } from './digest.js';
import type { CommittedVersion } from './git.js';
import type { RunDigest, SkippedSource } from './types.js';

/** Loaded runs, and with --skip-invalid the sources that were not valid results. */
export interface Loaded {
  digests: RunDigest[];
  skipped: SkippedSource[];
}

/** A result file, and how reports name it (relative to the current folder where it is under it). */
export interface ResultFile {
  file: string;
  origin: string;
}

/** Each file read, checked as every result is, and reduced at once so only its digest stays in memory. */
export function loadFiles(files: readonly ResultFile[], skipInvalid: boolean): Loaded {
  return split(files.map(({ file, origin }) => digestOrSkipped(origin, skipInvalid, () => digestResult(readResult(file), { origin }), file)));
}

/** How many `git show` run at once: enough to hide each one's start-up, few enough to leave the machine usable. */
const GIT_READERS = 4;

/** Each committed version read and checked, in commit order; a few git processes at a time. */
export async function loadCommits(versions: readonly CommittedVersion[], skipInvalid: boolean): Promise<Loaded> {
  const slots = new Array<RunDigest | SkippedSource>(versions.length);
  let next = 0;
  // Each reader takes the next version no reader has taken yet; the slots keep commit order.
  const reader = async () => {
    for (let i = next++; i < versions.length; i = next++) slots[i] = await loadCommit(versions[i] as CommittedVersion, skipInvalid);
  };
  await Promise.all(Array.from({ length: Math.min(GIT_READERS, versions.length) }, reader));
  return split(slots);
}

async function loadCommit(version: CommittedVersion, skipInvalid: boolean): Promise<RunDigest | SkippedSource> {
  const text = await version.read();
  const source = { origin: version.origin, commit: version.commit };
  return digestOrSkipped(version.origin, skipInvalid, () => digestResult(parseResultText(text, version.origin), source));
}

function split(loaded: readonly (RunDigest | SkippedSource)[]): Loaded {
  return {
    digests: loaded.filter((one): one is RunDigest => 'durationsMs' in one),
    skipped: loaded.filter((one): one is SkippedSource => 'reason' in one),
  };
}

/** The digest `load` makes, or with --skip-invalid, why the source is not a valid result. */
function digestOrSkipped(origin: string, skipInvalid: boolean, load: () => RunDigest, file?: string): RunDigest | SkippedSource {
  try {
    return load();
  } catch (error) {
    const invalid = error instanceof UserError && (error.code === 'RESULT_INVALID' || error.code === 'RESULT_UNREADABLE');
    if (!skipInvalid || !invalid) throw error;
    // The reason names the file as the report does (relative), never by an absolute path that would put a home folder into a committed report.
    const message = file === undefined ? error.message : error.message.split(file).join(origin);
    return { origin, reason: briefReason(message) };
  }
}

/** The problems a message lists (at most three, the file being named beside them), or its one sentence. */
function briefReason(message: string): string {
  const [sentence = '', ...problems] = message.split('\n').map((line) => line.trim());
  if (problems.length === 0) return sentence;
  const more = problems.length > 3 ? `; … and ${problems.length - 3} more` : '';
  return `${problems.slice(0, 3).join('; ')}${more}`;
}

/** A result's text (from git), checked exactly as readResult checks a file; errors name `origin`. */
export function parseResultText(text: string, origin: string): TuneResult {
  const role = 'result';
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(text)) as unknown;
  } catch (error) {
    throw userError('RESULT_UNREADABLE', { role, file: origin, reason: `it is not valid JSON (${(error as Error).message})` });
  }
  return resultOf(raw, role, origin);
}
