import type { Argv } from 'yargs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { TUNE_OBJECT_MB } from '../local/examples.js';
import { awsTarget } from './aws.js';
import type { CliIo } from './io.js';
import { resolveLocalSection } from './local.js';

export interface TargetOptions {
  local: boolean;
  region?: string | undefined;
  profile?: string | undefined;
  config?: string | undefined;
  seedMb: number;
}

/** Where the functions live: AWS, or the embedded platform started in this process. The engine cannot tell them apart. */
export interface Target {
  kind: 'aws' | 'local';
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  region: string;
  profile: string | undefined;
  /** On the local platform: the CPU share a memory size gets there. */
  cpuShare?: (memoryMb: number) => number;
  close(): Promise<void>;
}

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
      describe: 'Config file: its "local" section (with --local) and "gate" section (with --baseline); default ./tune.config.json if present',
    })
    .option('seed-mb', {
      type: 'number',
      default: TUNE_OBJECT_MB,
      describe: 'With --local: size of the example object seeded into S3 when the config names no buckets',
    });
}

export async function openTarget(options: TargetOptions, io: CliIo): Promise<Target> {
  if (!options.local) {
    const aws = await awsTarget(options.region, options.profile, io.env);
    return { kind: 'aws', ...aws, close: async () => aws.destroy() };
  }
  const section = resolveLocalSection(options.config, io.cwd);
  const [{ startPlatform }, { bundledBuckets, bundledFunctions }, { cpuShare }] = await Promise.all([
    import('../local/platform.js'),
    import('../local/examples.js'),
    import('../local/limits/cpu.js'),
  ]);
  const platform = await startPlatform({
    functions: section.functions ?? bundledFunctions(),
    port: 0,
    region: section.region,
    s3: { directory: section.s3.directory, buckets: section.s3.buckets ?? bundledBuckets(options.seedMb) },
    cpuLimit: section.limits.cpu,
    maxEnvironments: section.limits.maxEnvironments,
  });
  const config = { region: platform.region, credentials: platform.credentials };
  const lambda = new LambdaClient({ ...config, endpoint: platform.endpoints.lambda });
  const logs = new CloudWatchLogsClient({ ...config, endpoint: platform.endpoints.logs });
  return {
    kind: 'local',
    lambda,
    logs,
    region: platform.region,
    profile: undefined,
    cpuShare: (memoryMb) => cpuShare(memoryMb),
    close: async () => {
      lambda.destroy();
      logs.destroy();
      await platform.stop();
    },
  };
}
