/**
 * What the crash and drift benchmarks share: the platform in this process with the `work`
 * fixture, the CLI run as a child process against it (as against AWS, through AWS_ENDPOINT_URL),
 * and a seeded random source so a run of the bench can be repeated.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { awsEnv, type Finished as CliFinished, spawnTune } from '../test/helpers/cli.js';
import path from 'node:path';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { localFunctionSchema } from '../src/config/local-config.js';
import { type Platform, startPlatform } from '../src/local/platform.js';
import { packageRoot } from '../src/package-root.js';

export { seededRandom as seeded } from '../src/local/seeded-random.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

const FIXTURES = path.join(packageRoot(), 'test', 'fixtures', 'functions');

export interface Bench {
  platform: Platform;
  lambda: LambdaClient;
  stop(): Promise<void>;
}

/** The platform with one function, `work`, whose work a version's WORK_FACTOR scales. */
export async function startBench(memoryMb: number): Promise<Bench> {
  const fn = localFunctionSchema.parse({ name: 'work', handler: path.join(FIXTURES, 'work.handler'), memoryMb, timeoutS: 60 });
  const platform = await startPlatform({ functions: [fn], port: 0, s3: false });
  const lambda = new LambdaClient({ endpoint: platform.endpoints.lambda, region: platform.region, credentials: platform.credentials });
  return {
    platform,
    lambda,
    stop: async () => {
      lambda.destroy();
      await platform.stop();
    },
  };
}

/** Publishes `work` with this factor of work a call, then puts $LATEST back to factor 1. */
export async function publishWork(bench: Bench, workFactor: number): Promise<string> {
  await setWorkFactor(bench, workFactor);
  const published = await bench.lambda.send(new PublishVersionCommand({ FunctionName: 'work', Description: `work ×${workFactor}` }));
  await setWorkFactor(bench, 1);
  return published.Version ?? '';
}

async function setWorkFactor(bench: Bench, workFactor: number): Promise<void> {
  await bench.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'work', Environment: { Variables: { WORK_FACTOR: String(workFactor) } } }));
  for (;;) {
    const config = await bench.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'work' }));
    if (config.LastUpdateStatus !== 'InProgress') return;
    await sleep(50);
  }
}

/** The function's memory and its versions, to check it is as it was found. */
export async function stateOf(bench: Bench): Promise<{ memoryMb: number | undefined; versions: string[] }> {
  const config = await bench.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'work' }));
  const versions = await bench.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'work' }));
  return { memoryMb: config.MemorySize, versions: (versions.Versions ?? []).map((v) => v.Version ?? '') };
}

export type Finished = CliFinished & { ms: number };

/** The CLI as a child process against the bench's platform, timed. */
export function tune(bench: Bench, args: string[]): { child: ChildProcessWithoutNullStreams; done: Promise<Finished> } {
  const started = Date.now();
  const env = awsEnv(bench.platform.endpoints.lambda, { AWS_REGION: bench.platform.region, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  const run = spawnTune(args, env);
  return { child: run.child, done: run.done.then((finished) => ({ ...finished, ms: Date.now() - started })) };
}

/** A process that keeps one core busy until it is stopped: the host getting busier for a while. */
export function cpuHog(): { stop: () => void } {
  const hog = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  return { stop: () => hog.kill('SIGKILL') };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
