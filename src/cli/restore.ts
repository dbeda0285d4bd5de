import path from 'node:path';
import { targetConfigFromFlags } from '../config/target-config.js';
import { userError } from '../errors.js';
import { LambdaGateway } from '../lambda/gateway.js';
import { Journal } from '../measure/journal.js';
import { restoreFromJournal } from '../measure/restore.js';
import { JOURNAL_FILE } from '../result/files.js';
import { explainAwsError } from './aws.js';
import type { CliIo } from './io.js';
import type { RestoreFlags } from './options/restore.js';
import { openTarget } from './target.js';

export async function runCommand(options: RestoreFlags, io: CliIo): Promise<number> {
  const file = path.resolve(io.cwd, options.journal ?? path.join(options.out ?? '.', JOURNAL_FILE));
  // Journal.read tells the user what is wrong with the file itself; its errors pass through as they are.
  const journal = Journal.read(file);
  if (journal.state === 'restored') {
    io.stdout.write(`Nothing to do: the run of ${file} already restored its functions.\n`);
    return 0;
  }
  if (journal.target === 'local') {
    throw userError('JOURNAL_LOCAL', {});
  }
  // The journal's region and profile, unless the user says otherwise: the functions are where the run found them.
  const where = { ...options, region: options.region ?? journal.region, profile: options.profile ?? journal.profile };
  const target = await openTarget(targetConfigFromFlags(where, undefined, io.cwd), io);
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
