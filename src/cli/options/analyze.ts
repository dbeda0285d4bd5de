import type { Argv } from 'yargs';
import type { NumberFlag } from './numbers.js';
import { selectionOptions } from './tune.js';

export interface AnalyzeFlags {
  file: string;
  function: string;
  architecture: string;
  region: string;
  strategy: string;
  weight: NumberFlag;
  maxDurationMs?: NumberFlag | undefined;
  percentile: NumberFlag;
  out?: string | undefined;
  json: boolean;
}

export function analyzeOptions(yargs: Argv): Argv<AnalyzeFlags> {
  return selectionOptions(yargs)
    .usage('$0 analyze FILE [options]\n\nAnalyse measurements from elsewhere (CSV, JSON lines, a log export of REPORT lines) or re-analyse a result.json.')
    .positional('file', {
      type: 'string',
      describe:
        'CSV or JSON lines in the columns of samples.csv (memoryMb, durationMs, …; other columns are parameters), a log export of REPORT lines, or a result.json',
    })
    .option('function', { type: 'string', default: 'function', describe: 'Function name for rows that carry none' })
    .option('architecture', { type: 'string', default: 'x86_64', describe: 'Architecture to price at: x86_64 or arm64' })
    .option('region', { type: 'string', default: 'us-east-1', describe: 'Region to price at' })
    .option('out', { type: 'string', describe: 'Write result.json, report.md and samples.csv to this folder' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the result JSON instead of the table' }) as unknown as Argv<AnalyzeFlags>;
}
