import { availableParallelism } from 'node:os';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { LocalSection } from '../config/local-config.js';
import type { TargetConfig } from '../config/target-config.js';
import type { CpuBudget } from '../measure/run.js';
import { awsTarget } from './aws.js';
import type { CliIo } from './io.js';

/** Where the functions live: AWS, or the embedded platform started in this process. The engine cannot tell them apart. */
export interface Target {
  kind: 'aws' | 'local';
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  region: string;
  profile: string | undefined;
  /** On the local platform: running functions' CPU shares together stay within the host's cores. */
  cpuBudget?: CpuBudget | undefined;
  close(): Promise<void>;
}

export async function openTarget(config: TargetConfig, io: CliIo): Promise<Target> {
  if (config.local === undefined) {
    const aws = await awsTarget(config.region, config.profile, io.env);
    return {
      kind: 'aws',
      ...aws,
      close: async () => {
        aws.destroy();
      },
    };
  }
  return openLocal(config.local, config, io);
}

async function openLocal(section: LocalSection, config: TargetConfig, io: CliIo): Promise<Target> {
  // Loaded only here, so that commands which never run functions do not pay for the platform and the SDK.
  const [{ startPlatform }, { bundledBuckets, bundledFunctions }, { cpuShare }, { LambdaClient }, { CloudWatchLogsClient }] = await Promise.all([
    import('../local/platform.js'),
    import('../local/examples.js'),
    import('../local/limits/cpu.js'),
    import('@aws-sdk/client-lambda'),
    import('@aws-sdk/client-cloudwatch-logs'),
  ]);
  const platform = await startPlatform({
    functions: section.functions ?? bundledFunctions(),
    port: 0,
    region: section.region,
    s3: { directory: section.s3.directory, buckets: section.s3.buckets ?? bundledBuckets(config.seedMb) },
    cpuLimit: section.limits.cpu,
    maxEnvironments: section.limits.maxEnvironments,
    faults: section.faults,
  });
  if (section.faults !== undefined) io.stderr.write('Note: local.faults is set: the platform makes up throttles, errors, delays and lost logs on purpose.\n');
  const clientConfig = { region: platform.region, credentials: platform.credentials };
  const lambda = new LambdaClient({ ...clientConfig, endpoint: platform.endpoints.lambda });
  const logs = new CloudWatchLogsClient({ ...clientConfig, endpoint: platform.endpoints.logs });
  if (config.oversubscribe) {
    io.stderr.write("warning: --oversubscribe lets functions share CPU beyond the host's cores; durations will read slower than Lambda would run them.\n");
  }
  return {
    kind: 'local',
    lambda,
    logs,
    region: platform.region,
    profile: undefined,
    cpuBudget: config.oversubscribe ? undefined : { weightOf: (memoryMb) => cpuShare(memoryMb), capacity: availableParallelism() },
    close: async () => {
      lambda.destroy();
      logs.destroy();
      await platform.stop();
    },
  };
}
