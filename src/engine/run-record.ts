import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { TuneConfig } from '../config/tune-config.js';
import { userError } from '../errors.js';
import { FileReadError, readJson } from '../files/read.js';
import { parseTimingPattern } from '../parse/timings.js';
import { choice, flag, fraction, list, name, object, positive, record, text, wholeNumber } from '../result/fields.js';
import { planSchema, selectionSchema } from '../result/schema.js';
import { expected } from '../result/wording.js';
import { parseWith } from '../validate.js';
import type { TuneTarget } from './run-tune.js';

export const RUN_FILE = 'run.json';

/** What a run set out to do, written before its first change, so `tune --resume` can finish it exactly as planned. */
export interface RunRecord {
  recordVersion: 2;
  startedAt: string;
  target: { kind: 'aws' | 'local'; region: string; profile?: string | undefined };
  config: Omit<TuneConfig, 'timings'>;
}

const recordSchema = object({
  recordVersion: z.literal(
    2,
    expected('2, the run record version this lambda-tune reads (a run begun by an older lambda-tune cannot be resumed: tune restore puts its functions back)'),
  ),
  startedAt: name('the time the run started'),
  target: object({ kind: choice(['aws', 'local']), region: name('a region'), profile: text().optional() }),
  config: planSchema.extend({
    payload: record(z.unknown()),
    payloads: record(record(z.unknown())).optional(),
    invocations: wholeNumber(1),
    warmup: wholeNumber(0),
    concurrency: wholeNumber(1),
    // Absent in the run.json of a run begun before these flags: none of each.
    coldStarts: wholeNumber(0).optional(),
    sleepMs: wholeNumber(0).optional(),
    allowedErrors: list(name('an error type'), 'a list of error types').optional(),
    // Absent in the run.json of a run begun before adaptive sampling: it ran the fixed plan.
    sampling: choice(['adaptive', 'fixed']).optional(),
    precision: fraction().optional(),
    minInvocations: wholeNumber(1).optional(),
    memoryRange: object({ fromMb: wholeNumber(128), toMb: wholeNumber(128), stepMb: wholeNumber(1) }).optional(),
    timingSpecs: list(text(), 'a list of timing patterns'),
    selection: selectionSchema,
    budgetUsd: positive().optional(),
    prices: object({ pricePerGbSecondUsd: positive().optional(), pricePerRequestUsd: positive().optional(), billInit: flag() }),
  }),
});

export function writeRunRecord(out: string, config: TuneConfig, target: TuneTarget, startedAt: Date): void {
  // The compiled timing patterns stay out: their specs are kept and compiled again on resume.
  const plain: Partial<Pick<TuneConfig, 'timings'>> & Omit<TuneConfig, 'timings'> = { ...config };
  delete plain.timings;
  const record: RunRecord = {
    recordVersion: 2,
    startedAt: startedAt.toISOString(),
    target: { kind: target.kind, region: target.region, profile: target.profile },
    config: plain,
  };
  writeFileSync(path.join(out, RUN_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** The run a folder holds, checked element by element, with its timing patterns compiled again. */
export function readRunRecord(dir: string): { record: RunRecord; config: TuneConfig } {
  const file = path.join(dir, RUN_FILE);
  let raw: unknown;
  try {
    raw = readJson(file);
  } catch (error) {
    if (error instanceof FileReadError) throw userError('RESUME_UNUSABLE', { dir, problems: [`${RUN_FILE}: ${error.reason}`] });
    throw error;
  }
  const schema: z.ZodType<RunRecord> = recordSchema;
  const record = parseWith(schema, raw, (problems) => userError('RESUME_UNUSABLE', { dir, problems: problems.map((p) => `${RUN_FILE}, ${p}`) }));
  return { record, config: { ...record.config, timings: record.config.timingSpecs.map(parseTimingPattern) } };
}
