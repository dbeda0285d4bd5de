import path from 'node:path';
import type { Argv } from 'yargs';
import { userError } from '../errors.js';
import { LambdaGateway } from '../lambda/gateway.js';
import { Journal } from '../measure/journal.js';
import { restoreFromJournal } from '../measure/restore.js';
import { JOURNAL_FILE } from '../result/files.js';
import { explainAwsError } from './aws.js';
import type { CliIo } from './io.js';
import { openTarget, targetOptions, type TargetOptions } from './target.js';

export interface RestoreOptions extends TargetOptions {
  journal?: string | undefined;
  out?: string | undefined;
}

export function buildCommand(yargs: Argv): Argv<RestoreOptions> {
  return targetOptions(yargs)
    .usage(
      '$0 restore --journal FILE\n\nAfter a run that crashed or was killed: put its functions back from the journal it wrote (memory, and no leftover versions).',
    )
    .option('journal', { type: 'string', describe: `The run's journal (default: ${JOURNAL_FILE} in --out)` })
    .option('out', { type: 'string', describe: "The run's output folder" }) as unknown as Argv<RestoreOptions>;
}

export async function runCommand(options: RestoreOptions, io: CliIo): Promise<number> {
  const file = path.resolve(io.cwd, options.journal ?? path.join(options.out ?? '.', JOURNAL_FILE));
  let journal: Journal;
  try {
    journal = Journal.read(file);
  } catch (error) {
    throw userError('JOURNAL_UNREADABLE', { file, reason: (error as Error).message });
  }
  if (journal.state === 'restored') {
    io.stdout.write(`Nothing to do: the run of ${file} already restored its functions.\n`);
    return 0;
  }
  if (journal.target === 'local') {
    throw userError('JOURNAL_LOCAL', {});
  }
  const target = await openTarget({ ...options, region: options.region ?? journal.region }, io);
  try {
    const report = await restoreFromJournal(journal, new LambdaGateway(target.lambda, target.logs));
    if (report.failures.length > 0) throw report.failures[0];
    io.stdout.write(
      `Restored ${report.memoryRestored.join(', ') || 'memory already in place'}; deleted ${report.versionsDeleted.join(', ') || 'no versions'}.\n`,
    );
    return 0;
  } catch (error) {
    throw explainAwsError(error, { functionName: journal.functions.map((f) => f.name).join(', '), region: target.region, profile: target.profile }) ?? error;
  } finally {
    await target.close();
  }
}
