import type { Argv } from 'yargs';
import type { NumberFlag } from './numbers.js';
import { targetOptions } from './target.js';

export interface RestoreFlags {
  local: boolean;
  region?: string | undefined;
  profile?: string | undefined;
  config?: string | undefined;
  seedMb: NumberFlag;
  dir?: string | undefined;
  journal?: string | undefined;
  out?: string | undefined;
  undoApply?: boolean | undefined;
  force?: boolean | undefined;
}

export function restoreOptions(yargs: Argv): Argv<RestoreFlags> {
  return targetOptions(yargs)
    .usage(
      '$0 restore [DIR] [--undo-apply]\n\nAfter a run (or an apply) that crashed or was killed: put its functions back from the journals in its folder (memory, no leftover versions, the alias as it was).',
    )
    .positional('dir', { type: 'string', describe: "The run's folder, holding journal.json and apply.json (default: --out, else the current folder)" })
    .option('journal', { type: 'string', describe: "The run's journal (default: journal.json in DIR)" })
    .option('out', { type: 'string', describe: "The run's output folder (as DIR)" })
    .option('undo-apply', {
      type: 'boolean',
      default: false,
      describe: 'Also undo an apply that finished (the memory or alias it set); an apply cut short is always put back',
    })
    .option('force', {
      type: 'boolean',
      default: false,
      describe: "Put the run's memory and variables back even where someone changed the function since the run (otherwise refused, exit 3)",
    }) as unknown as Argv<RestoreFlags>;
}
