import { mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { userError } from '../errors.js';
import { FileReadError, readJson } from '../files/read.js';
import { parseWith } from '../validate.js';
import { tuneResultSchema, versionProblem } from './schema.js';
import type { Sample, TuneResult } from './types.js';

export const RESULT_FILE = 'result.json';
export const SAMPLES_FILE = 'samples.jsonl';
export const JOURNAL_FILE = 'journal.json';

/** Appends samples as JSON lines as they are measured, so an interruption loses none. */
export function samplesWriter(dir: string): (sample: Sample) => void {
  mkdirSync(dir, { recursive: true });
  // One descriptor for the run; each line is written through at once, so a crash loses nothing written.
  const fd = openSync(path.join(dir, SAMPLES_FILE), 'w');
  return (sample) => void writeSync(fd, `${JSON.stringify(sample)}\n`);
}

/**
 * Reads a result file, refusing one that is not a lambda-tune result this version reads; every
 * problem names the file, where in it, and what was expected there.
 */
export function readResult(file: string, role: 'result' | 'baseline' = 'result'): TuneResult {
  let raw: unknown;
  try {
    raw = readJson(file);
  } catch (error) {
    if (error instanceof FileReadError) throw userError('RESULT_UNREADABLE', { role, file, reason: error.reason });
    throw error;
  }
  const invalid = (problems: string[]) => userError('RESULT_INVALID', { role, file, problems });
  const version = versionProblem(raw);
  if (version !== undefined) throw invalid([version]);
  return parseWith(tuneResultSchema, raw, invalid);
}
