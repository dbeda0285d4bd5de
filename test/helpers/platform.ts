import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { type LocalFunctionConfig, localFunctionSchema } from '../../src/config/local-config.js';
import { type Platform, type PlatformOptions, startPlatform } from '../../src/local/platform.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'functions');

/** A function from the fixtures folder: `fixture('sleep', { timeoutS: 1 })` serves sleep.mjs as "sleep". */
export function fixture(file: string, overrides: Partial<LocalFunctionConfig> & { name?: string } = {}): LocalFunctionConfig {
  return localFunctionSchema.parse({ name: file, handler: path.join(FIXTURES, `${file}.handler`), ...overrides });
}

export interface TestPlatform {
  platform: Platform;
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  stop(): Promise<void>;
}

/** The platform on a free port with real SDK clients pointed at it. */
export async function startTestPlatform(options: Partial<PlatformOptions> & { functions: LocalFunctionConfig[] }): Promise<TestPlatform> {
  const platform = await startPlatform({ port: 0, s3: false, updateDelayMs: 150, publishDelayMs: 100, ...options });
  const clientConfig = { endpoint: platform.endpoints.lambda, region: platform.region, credentials: platform.credentials };
  const lambda = new LambdaClient(clientConfig);
  const logs = new CloudWatchLogsClient({ ...clientConfig, endpoint: platform.endpoints.logs });
  return {
    platform,
    lambda,
    logs,
    stop: async () => {
      lambda.destroy();
      logs.destroy();
      await platform.stop();
    },
  };
}

export function decodeTail(logResult: string | undefined): string {
  return Buffer.from(logResult ?? '', 'base64').toString();
}

export function reportOf(tail: string): string {
  const line = tail.split('\n').find((l) => l.startsWith('REPORT') || l.includes('"platform.report"'));
  if (line === undefined) throw new Error(`no REPORT in:\n${tail}`);
  return line;
}

/** An invocation's reply, parsed; its type is the caller's to give (unknown until then). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T is the caller's statement of the reply's shape, checked by the test's assertions
export function payloadJson<T = unknown>(payload: Uint8Array | undefined): T {
  return JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString()) as T;
}
