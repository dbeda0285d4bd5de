import type { FunctionVersionConfig } from './function-config.js';

export interface ProcessEnvironmentInput {
  config: FunctionVersionConfig;
  /** Variables every function gets besides its own (region, S3 endpoint, throwaway credentials). */
  baseEnvironment: Record<string, string>;
  logStreamName: string;
  /** host:port of the environment's Runtime API. */
  runtimeApi: string;
  /** The environment's own private folder, its HOME. */
  homeDir: string;
}

/** Lambda's defaults for the variables a function may set itself (unreserved: PATH, LANG). */
const UNRESERVED_DEFAULTS = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'en_US.UTF-8' };

/**
 * What a function's process sees: the variables Lambda sets, its own, and nothing from the host.
 * Its own come after Lambda's defaults for what it may change (PATH, LANG), before what the
 * platform decides: HOME is always the environment's private folder, whatever was configured.
 */
export function processEnvironment({ config, baseEnvironment, logStreamName, runtimeApi, homeDir }: ProcessEnvironmentInput): Record<string, string> {
  return {
    ...UNRESERVED_DEFAULTS,
    ...config.environment,
    ...baseEnvironment,
    HOME: homeDir,
    TZ: ':UTC',
    LAMBDA_TASK_ROOT: config.codeDir,
    _HANDLER: config.handler,
    AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: config.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: config.version,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: config.logGroup,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    ...(config.logFormat === 'JSON' ? { AWS_LAMBDA_LOG_FORMAT: 'JSON' } : {}),
  };
}
