import type { Argv } from 'yargs';
import type { NumberFlag } from './numbers.js';

export interface HistoryFlags {
  paths: string[];
  git?: string | undefined;
  out?: string | undefined;
  minChange: NumberFlag;
  skipInvalid: boolean;
  json: boolean;
}

export function historyOptions(yargs: Argv): Argv<HistoryFlags> {
  return yargs
    .usage(
      '$0 history FILES|DIR… [options]\n$0 history --git PATH [options]\n\nThe trend of committed results: the recommended configuration run by run, and the runs where performance shifted beyond the noise.',
    )
    .positional('paths', { type: 'string', array: true, describe: 'result.json files, or folders searched for them (node_modules and .git left out)' })
    .option('git', { type: 'string', describe: 'Follow one committed result file through its git history instead, oldest commit first' })
    .option('out', { type: 'string', describe: 'Folder for report-history.md and chart-history.png/.svg (default: tune-results/history)' })
    .option('min-change', { type: 'string', default: 5, describe: 'A median must move by more than this many percent to count as a shift' })
    .option('skip-invalid', { type: 'boolean', default: false, describe: 'List files that are not valid results as skipped, instead of stopping (exit 2)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the history as JSON instead of the table' }) as unknown as Argv<HistoryFlags>;
}
