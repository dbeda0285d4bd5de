import type { Argv } from 'yargs';
import type { NumberFlag } from './numbers.js';
import { targetOptions } from './target.js';

export interface RestoreFlags {
  local: boolean;
  region?: string | undefined;
  profile?: string | undefined;
  config?: string | undefined;
  seedMb: NumberFlag;
  journal?: string | undefined;
  out?: string | undefined;
}

export function restoreOptions(yargs: Argv): Argv<RestoreFlags> {
  return targetOptions(yargs)
    .usage(
      '$0 restore --journal FILE\n\nAfter a run that crashed or was killed: put its functions back from the journal it wrote (memory, and no leftover versions).',
    )
    .option('journal', { type: 'string', describe: "The run's journal (default: journal.json in --out)" })
    .option('out', { type: 'string', describe: "The run's output folder" }) as unknown as Argv<RestoreFlags>;
}
