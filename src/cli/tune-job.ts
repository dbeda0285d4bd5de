import { existsSync } from 'node:fs';
import path from 'node:path';
import { findConfigFile } from '../config/config-file.js';
import type { GateSettings } from '../config/gate-config.js';
import { type TargetConfig, targetConfigFromFlags } from '../config/target-config.js';
import { type TuneConfig, tuneConfigFromFlags } from '../config/tune-config.js';
import { userError } from '../errors.js';
import { plannedComparable } from '../gate/compare.js';
import { assertUsableFile, assertUsableFolder } from '../files/paths.js';
import { splitQualifier } from '../lambda/gateway.js';
import { Journal } from '../measure/journal.js';
import { userTemplates } from '../report/template.js';
import type { Templates } from '../report/write.js';
import { readRunRecord } from '../engine/run-record.js';
import type { Resumed } from '../engine/run-tune.js';
import { JOURNAL_FILE, readResult, readSamplesFile, SAMPLES_FILE } from '../result/files.js';
import type { TuneResult } from '../result/types.js';
import { gateSettingsFromFlags } from './compare.js';
import type { CliIo } from './io.js';
import { typedFlags } from './options/repeats.js';
import type { TuneFlags } from './options/tune.js';

/** Everything a tune run needs, read and checked before the first request: a bad input costs nothing. */
export interface TuneJob {
  run: TuneConfig;
  target: TargetConfig;
  out: string;
  templates: Templates;
  gateSettings: GateSettings;
  baseline?: TuneResult | undefined;
  updateBaseline?: string | undefined;
  json: boolean;
  dryRun: boolean;
  /** With --resume: what the interrupted run measured, and its journal if it still needs a restore. */
  resumed?: (Resumed & { pendingJournal?: Journal | undefined }) | undefined;
}

export function prepareTune(flags: TuneFlags, io: CliIo): TuneJob {
  return flags.resume === undefined ? prepareNewRun(flags, io) : prepareResume(flags, path.resolve(io.cwd, flags.resume), io);
}

function prepareNewRun(flags: TuneFlags, io: CliIo): TuneJob {
  const run = tuneConfigFromFlags({ ...flags, concurrency: flags.concurrency ?? (flags.local ? 8 : 4) }, io.cwd);
  const out = path.resolve(io.cwd, flags.out ?? path.join('tune-results', run.functions.map(safeName).join('+')));
  const job = commonJob(flags, io, run, targetConfigFromFlags(flags, findConfigFile(flags.config, io.cwd), io.cwd, io.env), out);
  assertNoPendingRestore(path.join(job.out, JOURNAL_FILE));
  // A result names each function bare (hasher, not hasher:live): so is the plan compared with it.
  if (job.baseline !== undefined) plannedComparable(job.baseline, { ...run, functions: run.functions.map((ref) => splitQualifier(ref).functionName) });
  return job;
}

/** The flags that say what to measure: a resumed run takes them from the run it finishes. */
const MATRIX_FLAGS = [
  'function',
  'memory',
  'chunks',
  'param',
  'payload',
  'chunk-key',
  'invocations',
  'warmup',
  'timing',
  'allow-error',
  'sleep-ms',
  'cold',
  'optimize',
  'concurrency',
  'strategy',
  'weight',
  'max-duration-ms',
  'percentile',
  'budget',
  'price-per-gb-second',
  'price-per-request',
  'bill-init',
];

function prepareResume(flags: TuneFlags, dir: string, io: CliIo): TuneJob {
  const given = new Set(typedFlags(io.argv).map((flag) => flag.name));
  const typed = MATRIX_FLAGS.filter((name) => given.has(name));
  if (typed.length > 0) {
    throw userError('FLAG_INVALID', {
      flag: '--resume',
      problem: `finishes the run as it was planned, so it takes no ${typed.map((t) => `--${t}`).join(', ')}.`,
      hint: 'Leave those out; they are read from run.json in the folder.',
    });
  }
  const { record, config } = readRunRecord(dir);
  if ((record.target.kind === 'local') !== flags.local) {
    const problem = record.target.kind === 'local' ? 'the run was on the local platform: add --local' : 'the run was on AWS: leave out --local';
    throw userError('RESUME_UNUSABLE', { dir, problems: [problem] });
  }
  const where = { ...flags, region: flags.region ?? record.target.region, profile: flags.profile ?? record.target.profile };
  const job = commonJob(flags, io, config, targetConfigFromFlags(where, findConfigFile(flags.config, io.cwd), io.cwd, io.env), dir);
  const samplesFile = path.join(dir, SAMPLES_FILE);
  const prior = existsSync(samplesFile) ? readSamplesFile(samplesFile, (problems) => userError('RESUME_UNUSABLE', { dir, problems })) : [];
  const journalFile = path.join(dir, JOURNAL_FILE);
  const journal = existsSync(journalFile) ? Journal.read(journalFile) : undefined;
  return { ...job, resumed: { prior, startedAt: new Date(record.startedAt), pendingJournal: journal?.needsRestore === true ? journal : undefined } };
}

function commonJob(flags: TuneFlags, io: CliIo, run: TuneConfig, target: TargetConfig, out: string): TuneJob {
  const job: TuneJob = {
    run,
    target,
    out,
    templates: userTemplates(flags.template.map((t) => path.resolve(io.cwd, t))),
    gateSettings: gateSettingsFromFlags(flags, io),
    baseline: flags.baseline === undefined ? undefined : readResult(path.resolve(io.cwd, flags.baseline), 'baseline'),
    updateBaseline: flags.updateBaseline === undefined ? undefined : path.resolve(io.cwd, flags.updateBaseline),
    json: flags.json,
    dryRun: flags.dryRun,
  };
  assertUsableFolder('the output folder (--out)', job.out);
  if (job.updateBaseline !== undefined) assertUsableFile('the baseline to write (--update-baseline)', job.updateBaseline);
  return job;
}

/** A journal that still needs a restore holds the only record of the functions' original memory: never write over it. */
function assertNoPendingRestore(journalFile: string): void {
  if (existsSync(journalFile) && Journal.read(journalFile).needsRestore) throw userError('JOURNAL_PENDING', { file: journalFile });
}

function safeName(name: string): string {
  return name.replace(/^arn:.*:function:/, '').replace(/[^a-zA-Z0-9_-]/g, '_');
}
