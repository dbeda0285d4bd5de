import { mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { userError } from '../errors.js';
import { SCHEMA_VERSION, type Sample, type TuneResult } from './types.js';

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

/** Reads a result file, refusing one that is not a lambda-tune result of a schema this version knows. */
export function readResult(file: string, role: 'result' | 'baseline' = 'result'): TuneResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : `it is not valid JSON (${(error as Error).message})`;
    throw userError('RESULT_UNREADABLE', { role, file, reason });
  }
  const result = parsed as Partial<TuneResult>;
  if (result.schemaVersion !== SCHEMA_VERSION || !Array.isArray(result.samples) || result.plan === undefined || !Array.isArray(result.functions)) {
    throw userError('RESULT_INVALID', { role, file, problems: [`${file} is not a lambda-tune result of schema version ${SCHEMA_VERSION}${result.schemaVersion === undefined ? '' : ` (it says ${String(result.schemaVersion)})`}.`] });
  }
  return result as TuneResult;
}
