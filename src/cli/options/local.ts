import type { Argv } from 'yargs';
import { EXAMPLE_OBJECT_MB } from '../../local/examples.js';
import type { NumberFlag } from './numbers.js';

export interface LocalFlags {
  port: NumberFlag;
  host: string;
  json: boolean;
  config: string | undefined;
  seedMb: NumberFlag;
  cpuLimit: 'auto' | 'cgroup' | 'throttle' | 'off' | undefined;
}

export function localOptions(yargs: Argv): Argv<LocalFlags> {
  return yargs
    .usage('$0 local [options]\n\nServe the embedded Lambda + CloudWatch Logs + S3 platform on loopback until Ctrl-C.')
    .option('port', { type: 'string', default: 9001, describe: 'Port for the Lambda and Logs APIs (0: any free port)' })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to bind to' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the endpoints as one JSON line' })
    .option('config', {
      type: 'string',
      describe: 'Config file with a "local" section (default: ./tune.config.json if present, else the bundled examples)',
    })
    .option('seed-mb', {
      type: 'string',
      default: EXAMPLE_OBJECT_MB,
      describe: 'Size of the example object seeded into S3 when no config names buckets',
    })
    .option('cpu-limit', { choices: ['auto', 'cgroup', 'throttle', 'off'] as const, describe: "How CPU is limited (default: the config's, else auto)" })
    .example('$0 local --port 0 --json', 'serve on any free port and print the endpoints as JSON') as unknown as Argv<LocalFlags>;
}
