import type { Argv } from 'yargs';
import type { GateFlags } from './compare.js';
import { gateOptions } from './gate.js';
import type { NumberFlag } from './numbers.js';
import { targetOptions } from './target.js';
import { workloadOptions } from './tune.js';

export interface AbFlags extends GateFlags {
  local: boolean;
  region?: string | undefined;
  profile?: string | undefined;
  seedMb: NumberFlag;
  function?: string | undefined;
  functionB?: string | undefined;
  a?: string | undefined;
  b?: string | undefined;
  chunks?: string | undefined;
  param: string[];
  payload: string[];
  chunkKey: string;
  invocations: NumberFlag;
  warmup: NumberFlag;
  timing: string[];
  allowError: string[];
  sleepMs: NumberFlag;
  json: boolean;
  out?: string | undefined;
}

export function abOptions(yargs: Argv): Argv<AbFlags> {
  return workloadOptions(gateOptions(targetOptions(yargs)))
    .usage(
      '$0 ab --function NAME --a QUALIFIER --b QUALIFIER [--chunks 1,10,...] [--rule ...]\n\nMeasure two versions or aliases in one run, interleaved invocation by invocation, and gate B against A.',
    )
    .option('function', { type: 'string', describe: 'The function (name or ARN) whose versions are compared' })
    .option('a', { type: 'string', describe: 'The version or alias to compare against (the baseline), e.g. live or 12' })
    .option('b', { type: 'string', describe: 'The version or alias to judge, e.g. 13 or $LATEST' })
    .option('function-b', { type: 'string', describe: 'Take B from this function instead (two builds of one function, e.g. x86_64 and arm64)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the verdicts as JSON' })
    .option('out', { type: 'string', describe: 'Also write both sides as results: a.json and b.json in this folder' })
    .example(
      '$0 ab --function hasher --a live --b 14 --chunks 10 --invocations 10',
      'gate version 14 against what the alias live serves',
    ) as unknown as Argv<AbFlags>;
}
