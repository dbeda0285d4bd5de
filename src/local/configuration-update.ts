import { z } from 'zod';
import { issuePath } from '../validate.js';
import { invalidParameter } from './aws-error.js';
import { environmentProblem } from './environment-keys.js';
import type { FunctionVersionConfig, LogFormat } from './function-config.js';
import { handlerProblem } from './handler-path.js';
import { runtimeFamily } from './runtimes.js';

export const MEMORY_MIN_MB = 128;
export const MEMORY_MAX_MB = 10_240;
export const TIMEOUT_MAX_S = 900;
const EPHEMERAL_STORAGE_MIN_MB = 512;
const EPHEMERAL_STORAGE_MAX_MB = 10_240;

const maxLength = (max: number) => `Member must have length less than or equal to ${max}`;

/** The Lambda API model's constraints on the fields the platform takes (botocore's lambda/2015-03-31 model). */
const HANDLER = z
  .string()
  .min(1, 'Member must have length greater than or equal to 1')
  .max(128, maxLength(128))
  .regex(/^[^\s]+$/, 'Member must satisfy regular expression pattern: [^\\s]+');
const LOG_GROUP = z
  .string()
  .min(1, 'Member must have length greater than or equal to 1')
  .max(512, maxLength(512))
  .regex(/^[.\-_/#A-Za-z0-9]+$/, 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+');

/** The fields of an UpdateFunctionConfiguration request the platform takes, each of its type; others are ignored. */
const updateSchema = z.object({
  MemorySize: z.number().optional(),
  Timeout: z.number().optional(),
  Description: z.string().max(256, maxLength(256)).optional(),
  Handler: HANDLER.optional(),
  Environment: z.object({ Variables: z.record(z.string(), z.string()).optional() }).optional(),
  LoggingConfig: z.object({ LogFormat: z.string().optional(), LogGroup: LOG_GROUP.optional() }).optional(),
  EphemeralStorage: z.object({ Size: z.number().optional() }).optional(),
  RevisionId: z.string().optional(),
});

export type ConfigurationUpdate = z.infer<typeof updateSchema>;

/** The request's fields, checked for type and Lambda's constraints; InvalidParameterValue names each problem as AWS words it. */
export function parseConfigurationUpdate(request: unknown): ConfigurationUpdate {
  const parsed = updateSchema.safeParse(request);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `Value at '${apiPath(issue.path)}' failed to satisfy constraint: ${constraintOf(issue.message)}`);
  const count = problems.length === 1 ? '1 validation error' : `${problems.length} validation errors`;
  throw invalidParameter(`${count} detected: ${problems.join('; ')}`);
}

/** What Lambda says of a handler it refuses (whitespace, over 128 characters), or undefined. */
export function handlerConstraintProblem(handler: string): string | undefined {
  const parsed = HANDLER.safeParse(handler);
  return parsed.success ? undefined : `1 validation error detected: Value at 'handler' failed to satisfy constraint: ${parsed.error.issues[0]?.message ?? ''}`;
}

/** Validates an UpdateFunctionConfiguration request the way Lambda checks it, and applies it to `config`. */
export function applyConfigurationUpdate(config: FunctionVersionConfig, update: ConfigurationUpdate): void {
  if (update.MemorySize !== undefined) config.memoryMb = constrained('MemorySize', update.MemorySize, MEMORY_MIN_MB, MEMORY_MAX_MB);
  if (update.Timeout !== undefined) config.timeoutS = constrained('Timeout', update.Timeout, 1, TIMEOUT_MAX_S);
  if (update.Description !== undefined) config.description = update.Description;
  if (update.Handler !== undefined) config.handler = containedHandler(config, update.Handler);
  if (update.Environment !== undefined) config.environment = validEnvironment(update.Environment.Variables ?? {});
  if (update.EphemeralStorage?.Size !== undefined) config.ephemeralStorageMb = ephemeralStorageMb(update.EphemeralStorage.Size);
  if (update.LoggingConfig?.LogFormat !== undefined) config.logFormat = logFormat(update.LoggingConfig.LogFormat);
  if (update.LoggingConfig?.LogGroup !== undefined) config.logGroup = update.LoggingConfig.LogGroup;
}

/** Where a problem is, as the API model names members: `loggingConfig.logGroup`; a variable keeps its own name. */
function apiPath(path: readonly PropertyKey[]): string {
  if (path[0] === 'Environment' && path[1] === 'Variables' && path.length > 2) return `environment.variables.${String(path[2])}`;
  return issuePath(path.map((key) => (typeof key === 'string' ? key.charAt(0).toLowerCase() + key.slice(1) : key)));
}

/** zod's type complaints ("Invalid input: expected string, received object") in the API's terms. */
function constraintOf(message: string): string {
  const type = /expected (\w+), received (\w+)/.exec(message);
  return type === null ? message : `Member must be of type ${type[1] ?? ''} (got ${type[2] ?? ''})`;
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

/** Variables a function may have: names Lambda accepts, no reserved or code-loading keys, at most 4 KB. */
function validEnvironment(variables: Record<string, string>): Record<string, string> {
  const problem = environmentProblem(variables);
  if (problem !== undefined) throw invalidParameter(problem);
  return { ...variables };
}

/** A handler whose file lies inside the code folder: no absolute path, no "..", no symbolic link out. */
function containedHandler(config: FunctionVersionConfig, handler: string): string {
  const problem = handlerProblem(config.codeDir, handler, runtimeFamily(config.runtime));
  if (problem !== undefined) throw invalidParameter(problem);
  return handler;
}
