import type { Argv } from 'yargs';
import { TUNE_OBJECT_MB } from '../../local/examples.js';

/** Where the functions live: AWS (region, profile) or the embedded platform (--local, its config). */
export function targetOptions(yargs: Argv): Argv {
  return yargs
    .option('local', {
      type: 'boolean',
      default: false,
      describe: "Run on the embedded local platform instead of AWS (serves the bundled examples, or the config's functions)",
    })
    .option('region', { type: 'string', describe: "AWS region (default: AWS_REGION or the profile's)" })
    .option('profile', { type: 'string', describe: 'AWS profile (default: AWS_PROFILE or default)' })
    .option('config', {
      type: 'string',
      describe: 'Config file: its "local" section (with --local) and "gate" section (rules); default ./tune.config.json if present',
    })
    .option('seed-mb', {
      type: 'string',
      default: TUNE_OBJECT_MB,
      describe: 'With --local: size of the example object seeded into S3 when the config names no buckets',
    });
}
