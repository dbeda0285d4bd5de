import path from 'node:path';
import { z } from 'zod';
import { userError } from '../errors.js';
import { codeLoadingKeys, environmentSizeProblem, RESERVED_ENV_KEYS, VARIABLE_NAME } from '../local/environment-keys.js';
import { MAX_TIMER_MS } from '../local/timers.js';
import { handlerProblem } from '../local/handler-path.js';
import { LOCAL_RUNTIME_NAMES, runtimeFamily } from '../local/runtimes.js';
import { describeIssues } from '../validate.js';
import { type ConfigFile, sectionOf } from './config-file.js';

export { DEFAULT_CONFIG_FILE } from './config-file.js';

const MEMORY = z.number().int().min(128).max(10_240);

/** A function's own variables: none Lambda reserves, none that make the runtime load other code. */
const environmentSchema = z.record(z.string(), z.string()).superRefine((variables, context) => {
  const keys = Object.keys(variables);
  for (const key of keys.filter((k) => !VARIABLE_NAME.test(k))) {
    context.addIssue({ code: 'custom', path: [key], message: 'a variable name is a letter, then letters, digits and _' });
  }
  for (const key of keys.filter((k) => RESERVED_ENV_KEYS.has(k))) {
    context.addIssue({ code: 'custom', path: [key], message: 'Lambda reserves this variable and sets it itself; remove it' });
  }
  for (const key of codeLoadingKeys(keys)) {
    context.addIssue({ code: 'custom', path: [key], message: "it would make the runtime load code from outside the function's folder; remove it" });
  }
  if (environmentSizeProblem(variables) !== undefined) {
    context.addIssue({ code: 'custom', message: 'the variables take more than 4 KB as JSON, which Lambda refuses; make them shorter or fewer' });
  }
});

export const localFunctionSchema = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, - and _ only, at most 64'),
  /** The handler as a path: `dir/file.export`, relative to the config file. Its directory is the function's code. */
  handler: z.string().regex(/^[^]+\.[A-Za-z_$][\w$]*$/, 'like "src/index.handler": a file path without extension, a dot, an export'),
  runtime: z
    .string()
    .refine((runtime) => runtimeFamily(runtime) !== undefined, { message: `a runtime the local platform runs: ${LOCAL_RUNTIME_NAMES.join(', ')}` })
    .default('nodejs20.x'),
  description: z.string().default(''),
  memoryMb: MEMORY.default(128),
  timeoutS: z.number().int().min(1).max(900).default(3),
  environment: environmentSchema.default({}),
  logFormat: z.enum(['Text', 'JSON']).default('Text'),
  architecture: z.enum(['x86_64', 'arm64']).default('x86_64'),
  reservedConcurrency: z.number().int().min(0).optional(),
});

const seedBucketSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
  objects: z.array(z.strictObject({ key: z.string().min(1), sizeMb: z.number().positive().max(10_240) })).default([]),
});

const probability = z.number().min(0).max(1);
const perOperation = z.strictObject({ invoke: probability.default(0), control: probability.default(0) });

/** Made-up trouble, for testing what calls the platform: each Lambda API request draws its fate from a seeded sequence. */
export const faultsSchema = z
  .strictObject({
    /** The same seed meets the same faults, request for request (in the order the requests arrive). */
    seed: z.number().int().default(1),
    /** Chance of a 429 TooManyRequestsException, for Invoke and for the other (control) calls. */
    throttle: perOperation.default({ invoke: 0, control: 0 }),
    /** Chance of a 500 ServiceException. */
    serverError: perOperation.default({ invoke: 0, control: 0 }),
    /** The Retry-After header of a made-up 429. */
    retryAfterSeconds: z.number().int().min(0).max(60).default(1),
    /** Added to every API request: a fixed number of ms, or [least, most] for a random one. */
    latencyMs: z.union([z.number().min(0).max(60_000), z.tuple([z.number().min(0).max(60_000), z.number().min(0).max(60_000)])]).default(0),
    logs: z
      .strictObject({
        /** Chance that an Invoke's LogResult lacks its REPORT line. */
        truncatedTail: probability.default(0),
        /** CloudWatch Logs shows a line only this long after it was written. */
        delayMs: z.number().int().min(0).default(0),
        /** Chance that an invocation's lines never reach CloudWatch Logs. */
        lost: probability.default(0),
      })
      .default({ truncatedTail: 0, delayMs: 0, lost: 0 }),
    /** How long an update stays LastUpdateStatus InProgress, or "forever"; at most what a timer holds (about 24.8 days). */
    updateInProgressMs: z
      .union([z.number().int().min(0).max(MAX_TIMER_MS, 'at most 2147483647 ms (about 24.8 days); use "forever" for longer'), z.literal('forever')])
      .optional(),
  })
  .superRefine((faults, context) => {
    for (const operation of ['invoke', 'control'] as const) {
      if (faults.throttle[operation] + faults.serverError[operation] > 1) {
        context.addIssue({
          code: 'custom',
          path: ['throttle', operation],
          message: `throttle.${operation} and serverError.${operation} add up to more than 1`,
        });
      }
    }
    if (Array.isArray(faults.latencyMs) && faults.latencyMs[0] > faults.latencyMs[1]) {
      context.addIssue({ code: 'custom', path: ['latencyMs'], message: 'the range must be [least, most]' });
    }
  });

export const localSectionSchema = z.strictObject({
  region: z.string().default('us-east-1'),
  functions: z.array(localFunctionSchema).min(1).optional(),
  s3: z
    .strictObject({
      directory: z.string().optional(),
      buckets: z.array(seedBucketSchema).optional(),
    })
    .default({}),
  limits: z
    .strictObject({
      cpu: z.enum(['auto', 'cgroup', 'throttle', 'off']).default('auto'),
      maxEnvironments: z.number().int().min(1).max(256).default(32),
    })
    .default({ cpu: 'auto', maxEnvironments: 32 }),
  faults: faultsSchema.optional(),
});

export type LocalFunctionConfig = z.infer<typeof localFunctionSchema>;
export type FaultSettings = z.infer<typeof faultsSchema>;
export type LocalSection = z.infer<typeof localSectionSchema>;

/** The `local` section of a config file (relative paths become absolute), or the bundled examples' when there is no file. */
export function localSectionOf(config: ConfigFile | undefined, cwd: string): LocalSection {
  if (config === undefined) return parseLocalSection({}, cwd);
  return parseLocalSection(sectionOf(config.raw, 'local', config.file), path.dirname(config.file), config.file);
}

export function parseLocalSection(section: unknown, baseDir: string, source = 'the config'): LocalSection {
  const parsed = localSectionSchema.safeParse(section);
  if (!parsed.success) throw invalid(source, describeIssues(parsed.error.issues, 'local'));
  const value = parsed.data;
  if (value.functions !== undefined) {
    const names = value.functions.map((fn) => fn.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) throw invalid(source, [`functions: the name "${repeated}" appears twice; give each function its own`]);
    value.functions = value.functions.map((fn) => ({ ...fn, handler: path.resolve(baseDir, fn.handler) }));
    const escapes = value.functions.flatMap((fn, index) => handlerEscape(fn, index));
    if (escapes.length > 0) throw invalid(source, escapes);
  }
  if (value.s3.directory !== undefined) value.s3.directory = path.resolve(baseDir, value.s3.directory);
  return value;
}

function invalid(file: string, problems: string[]) {
  return userError('CONFIG_INVALID', { section: 'local', file, problems });
}

/** A handler file that is a symbolic link out of its folder (the folder is the handler's own). */
function handlerEscape({ handler, runtime }: LocalFunctionConfig, index: number): string[] {
  const problem = handlerProblem(path.dirname(handler), path.basename(handler), runtimeFamily(runtime));
  return problem === undefined ? [] : [`local.functions[${index}].handler: ${problem}`];
}
