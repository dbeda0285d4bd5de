import { existsSync } from 'node:fs';
import path from 'node:path';
import { findConfigFile } from '../config/config-file.js';
import type { GateSettings } from '../config/gate-config.js';
import { type TargetConfig, targetConfigFromFlags } from '../config/target-config.js';
import { type TuneConfig, tuneConfigFromFlags } from '../config/tune-config.js';
import { userError } from '../errors.js';
import { assertUsableFile, assertUsableFolder } from '../files/paths.js';
import { Journal } from '../measure/journal.js';
import { userTemplates } from '../report/template.js';
import type { Templates } from '../report/write.js';
import { JOURNAL_FILE, readResult } from '../result/files.js';
import type { TuneResult } from '../result/types.js';
import { gateSettingsFromFlags } from './compare.js';
import type { CliIo } from './io.js';
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
}

export function prepareTune(flags: TuneFlags, io: CliIo): TuneJob {
  const config = findConfigFile(flags.config, io.cwd);
  const run = tuneConfigFromFlags({ ...flags, concurrency: flags.concurrency ?? (flags.local ? 8 : 4) }, io.cwd);
  const job: TuneJob = {
    run,
    target: targetConfigFromFlags(flags, config, io.cwd),
    out: path.resolve(io.cwd, flags.out ?? path.join('tune-results', run.functions.map(safeName).join('+'))),
    templates: userTemplates(flags.template.map((t) => path.resolve(io.cwd, t))),
    gateSettings: gateSettingsFromFlags(flags, io),
    baseline: flags.baseline === undefined ? undefined : readResult(path.resolve(io.cwd, flags.baseline), 'baseline'),
    updateBaseline: flags.updateBaseline === undefined ? undefined : path.resolve(io.cwd, flags.updateBaseline),
    json: flags.json,
    dryRun: flags.dryRun,
  };
  assertUsableFolder('the output folder (--out)', job.out);
  assertNoPendingRestore(path.join(job.out, JOURNAL_FILE));
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
