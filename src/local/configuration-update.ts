import { invalidParameter } from './aws-error.js';
import { environmentProblem } from './environment-keys.js';
import type { FunctionVersionConfig, LogFormat } from './function-config.js';
import { handlerProblem } from './handler-path.js';

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

/** Validates an UpdateFunctionConfiguration request the way Lambda checks it, and applies it to `config`. */
export function applyConfigurationUpdate(config: FunctionVersionConfig, update: ConfigurationUpdate): void {
  if (update.MemorySize !== undefined) config.memoryMb = constrained('MemorySize', update.MemorySize, MEMORY_MIN_MB, MEMORY_MAX_MB);
  if (update.Timeout !== undefined) config.timeoutS = constrained('Timeout', update.Timeout, 1, TIMEOUT_MAX_S);
  if (update.Description !== undefined) config.description = update.Description;
  if (update.Handler !== undefined) config.handler = containedHandler(config.codeDir, update.Handler);
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

/** Variables a function may have: no reserved or code-loading keys, names Lambda accepts, values as text. */
function validEnvironment(variables: Record<string, unknown>): Record<string, string> {
  const problem = environmentProblem(Object.keys(variables));
  if (problem !== undefined) throw invalidParameter(problem);
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    if (!/^[a-zA-Z]([a-zA-Z0-9_])*$/.test(key)) throw invalidParameter(`Environment variable name ${key} is not valid.`);
    result[key] = String(value);
  }
  return result;
}

/** A handler whose file lies inside the code folder: no absolute path, no "..", no symbolic link out. */
function containedHandler(codeDir: string, handler: unknown): string {
  if (typeof handler !== 'string' || handler === '') throw invalidParameter('Handler must be a non-empty string, like "index.handler".');
  const problem = handlerProblem(codeDir, handler);
  if (problem !== undefined) throw invalidParameter(problem);
  return handler;
}
