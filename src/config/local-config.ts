import path from 'node:path';
import { z } from 'zod';
import { userError } from '../errors.js';
import { describeIssues } from '../validate.js';
import { type ConfigFile, sectionOf } from './config-file.js';

export { DEFAULT_CONFIG_FILE } from './config-file.js';

const MEMORY = z.number().int().min(128).max(10_240);

export const localFunctionSchema = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, - and _ only, at most 64'),
  /** The handler as a path: `dir/file.export`, relative to the config file. Its directory is the function's code. */
  handler: z.string().regex(/^[^]+\.[A-Za-z_$][\w$]*$/, 'like "src/index.handler": a file path without extension, a dot, an export'),
  runtime: z.string().default('nodejs20.x'),
  description: z.string().default(''),
  memoryMb: MEMORY.default(128),
  timeoutS: z.number().int().min(1).max(900).default(3),
  environment: z.record(z.string(), z.string()).default({}),
  logFormat: z.enum(['Text', 'JSON']).default('Text'),
  architecture: z.enum(['x86_64', 'arm64']).default('x86_64'),
  reservedConcurrency: z.number().int().min(0).optional(),
});

const seedBucketSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
  objects: z.array(z.strictObject({ key: z.string().min(1), sizeMb: z.number().positive().max(10_240) })).default([]),
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
});

export type LocalFunctionConfig = z.infer<typeof localFunctionSchema>;
export type LocalSection = z.infer<typeof localSectionSchema>;

/** The `local` section of a config file (relative paths become absolute), or the bundled examples' when there is no file. */
export function localSectionOf(config: ConfigFile | undefined, cwd: string): LocalSection {
  if (config === undefined) return parseLocalSection({}, cwd);
  return parseLocalSection(sectionOf(config.raw, 'local', config.file), path.dirname(config.file), config.file);
}

export function parseLocalSection(section: unknown, baseDir: string, source = 'the config'): LocalSection {
  const parsed = localSectionSchema.safeParse(section);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues, 'local');
    throw userError('CONFIG_INVALID', { section: 'local', file: source, problems });
  }
  const value = parsed.data;
  if (value.functions !== undefined) {
    const names = value.functions.map((fn) => fn.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined)
      throw userError('CONFIG_INVALID', {
        section: 'local',
        file: source,
        problems: [`functions: the name "${repeated}" appears twice; give each function its own`],
      });
    value.functions = value.functions.map((fn) => ({ ...fn, handler: path.resolve(baseDir, fn.handler) }));
  }
  if (value.s3.directory !== undefined) value.s3.directory = path.resolve(baseDir, value.s3.directory);
  return value;
}
