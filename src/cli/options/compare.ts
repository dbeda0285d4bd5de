import type { Argv } from 'yargs';
import type { GateFlags } from '../../config/gate-config.js';
import { gateOptions } from './gate.js';

export type { GateFlags } from '../../config/gate-config.js';

export interface CompareFlags extends GateFlags {
  baseline: string;
  current: string;
  json: boolean;
}

export function compareOptions(yargs: Argv): Argv<CompareFlags> {
  return gateOptions(yargs)
    .usage(
      '$0 compare BASELINE CURRENT [--rule ...]\n\nFail when CURRENT (a result.json) is slower, dearer or hungrier than BASELINE beyond the rules, and the change is real.',
    )
    .positional('baseline', { type: 'string', describe: 'The committed baseline result.json' })
    .positional('current', { type: 'string', describe: 'The result.json of the run to check' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the verdicts as JSON' })
    .option('config', {
      type: 'string',
      describe: 'Config file whose "gate" section holds rules and confidence (default ./tune.config.json if present)',
    }) as unknown as Argv<CompareFlags>;
}
