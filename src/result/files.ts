import { existsSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { userError } from '../errors.js';
import { FileReadError, readJson, readText } from '../files/read.js';
import { parseWith } from '../validate.js';
import { soundSamples } from './sample-check.js';
import { sampleSchema, tuneResultSchema, versionProblem } from './schema.js';
import type { Sample, TuneResult } from './types.js';
import { upgradeResult } from './upgrade.js';

export const RESULT_FILE = 'result.json';
export const SAMPLES_FILE = 'samples.jsonl';
export const JOURNAL_FILE = 'journal.json';

/** Appends samples as JSON lines as they are measured, so an interruption loses none. */
export function samplesWriter(dir: string, append = false): (sample: Sample) => void {
  mkdirSync(dir, { recursive: true });
  // One descriptor for the run; each line is written through at once, so a crash loses nothing written.
  const file = path.join(dir, SAMPLES_FILE);
  if (append) dropPartialLine(file);
  const fd = openSync(file, append ? 'a' : 'w');
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
  return resultOf(raw, role, file);
}

/**
 * Parsed JSON as a result, checked as a result file is: its schema version, a version 1 result
 * upgraded, then every element. `origin` names it in the problems (a file, a commit, the caller's object).
 */
export function resultOf(raw: unknown, role: 'result' | 'baseline', origin: string): TuneResult {
  const invalid = (problems: string[]) => userError('RESULT_INVALID', { role, file: origin, problems });
  const version = versionProblem(raw);
  if (version !== undefined) throw invalid([version]);
  const upgraded = upgradeResult(raw);
  if (upgraded.problems.length > 0) throw invalid(upgraded.problems);
  return parseResult(upgraded.value, invalid);
}

/**
 * A result checked against the schema. Its samples, most of a big result, are checked by hand
 * (sample-check.ts) and zod checks the rest; should anything be wrong, or unusual, zod checks the
 * whole, and its problems are told as they always were.
 */
export function parseResult(raw: unknown, invalid: (problems: string[]) => Error): TuneResult {
  const samples = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as { samples?: unknown }).samples : undefined;
  if (Array.isArray(samples)) {
    const rest = tuneResultSchema.safeParse({ ...(raw as object), samples: [] });
    const sound = rest.success ? soundSamples(samples, new Set(rest.data.functions.map((fn) => fn.name))) : undefined;
    if (rest.success && sound !== undefined) return { ...rest.data, samples: sound };
  }
  return parseWith(tuneResultSchema, raw, invalid);
}

/** A run killed while writing leaves half a line at the end; cut it off, so what is appended starts a line of its own. */
function dropPartialLine(file: string): void {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  if (text === '' || text.endsWith('\n')) return;
  truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
}

/**
 * The samples an interrupted run wrote, one JSON line each, checked like a result's samples. A last
 * line cut short by the crash is dropped (it was never complete); a sample whose request id was
 * already seen is counted once.
 */
export function readSamplesFile(file: string, invalid: (problems: string[]) => Error): Sample[] {
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    if (error instanceof FileReadError) throw invalid([`${path.basename(file)}: ${error.reason}`]);
    throw error;
  }
  const lines = text.split('\n');
  const samples: Sample[] = [];
  const seen = new Set<string>();
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const sample = sampleOfLine(line, index, index === lines.length - 1, invalid);
    if (sample === undefined || (sample.requestId !== undefined && seen.has(sample.requestId))) continue;
    if (sample.requestId !== undefined) seen.add(sample.requestId);
    samples.push(sample);
  }
  return samples;
}

function sampleOfLine(line: string, index: number, last: boolean, invalid: (problems: string[]) => Error): Sample | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    if (last) return undefined;
    throw invalid([`${SAMPLES_FILE} line ${index + 1}: not a JSON line`]);
  }
  const schema: z.ZodType<Sample> = sampleSchema;
  return parseWith(schema, raw, (problems) => invalid(problems.map((p) => `${SAMPLES_FILE} line ${index + 1}, ${p}`)));
}
