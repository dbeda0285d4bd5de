import { AwsError, invalidParameter } from './aws-error.js';
import type { FunctionVersionConfig, LogFormat } from './function-config.js';

export const MEMORY_MIN_MB = 128;
export const MEMORY_MAX_MB = 10_240;
export const TIMEOUT_MAX_S = 900;
const EPHEMERAL_STORAGE_MIN_MB = 512;
const EPHEMERAL_STORAGE_MAX_MB = 10_240;

/** The fields of an UpdateFunctionConfiguration request the platform takes. */
export interface ConfigurationUpdate {
  MemorySize?: number;
  Timeout?: number;
  Description?: string;
  Handler?: string;
  Environment?: { Variables?: Record<string, string> };
  LoggingConfig?: { LogFormat?: string; LogGroup?: string };
  EphemeralStorage?: { Size?: number };
  RevisionId?: string;
}

/** Environment variables Lambda sets itself and refuses to let a function override. */
const RESERVED_ENV_KEYS = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** Validates an UpdateFunctionConfiguration request the way Lambda checks it, and applies it to `config`. */
export function applyConfigurationUpdate(config: FunctionVersionConfig, update: ConfigurationUpdate): void {
  if (update.MemorySize !== undefined) config.memoryMb = constrained('MemorySize', update.MemorySize, MEMORY_MIN_MB, MEMORY_MAX_MB);
  if (update.Timeout !== undefined) config.timeoutS = constrained('Timeout', update.Timeout, 1, TIMEOUT_MAX_S);
  if (update.Description !== undefined) config.description = update.Description;
  if (update.Handler !== undefined) config.handler = update.Handler;
  if (update.Environment !== undefined) config.environment = validEnvironment(update.Environment.Variables ?? {});
  if (update.EphemeralStorage?.Size !== undefined) config.ephemeralStorageMb = ephemeralStorageMb(update.EphemeralStorage.Size);
  if (update.LoggingConfig?.LogFormat !== undefined) config.logFormat = logFormat(update.LoggingConfig.LogFormat);
  if (update.LoggingConfig?.LogGroup !== undefined) config.logGroup = update.LoggingConfig.LogGroup;
}

/** A whole number within Lambda's bounds for the field, or Lambda's validation message. */
function constrained(field: string, value: number, min: number, max: number): number {
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  throw invalidParameter(`'${field}' value failed to satisfy constraint: Member must have value between ${min} and ${max}, inclusive (got ${String(value)}).`);
}

function ephemeralStorageMb(size: number): number {
  if (Number.isInteger(size) && size >= EPHEMERAL_STORAGE_MIN_MB && size <= EPHEMERAL_STORAGE_MAX_MB) return size;
  throw invalidParameter(`'EphemeralStorage.Size' must be between ${EPHEMERAL_STORAGE_MIN_MB} and ${EPHEMERAL_STORAGE_MAX_MB} (got ${String(size)}).`);
}

function logFormat(format: string): LogFormat {
  if (format === 'Text' || format === 'JSON') return format;
  throw invalidParameter(`LogFormat must be Text or JSON (got ${format}).`);
}

/** Variables a function may have: no reserved keys, names Lambda accepts, values as text. */
function validEnvironment(variables: Record<string, unknown>): Record<string, string> {
  const reserved = Object.keys(variables).filter((key) => RESERVED_ENV_KEYS.has(key));
  if (reserved.length > 0) {
    throw new AwsError(
      'InvalidParameterValueException',
      400,
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    if (!/^[a-zA-Z]([a-zA-Z0-9_])*$/.test(key)) throw invalidParameter(`Environment variable name ${key} is not valid.`);
    result[key] = String(value);
  }
  return result;
}
