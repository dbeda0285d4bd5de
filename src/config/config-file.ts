import { existsSync } from 'node:fs';
import path from 'node:path';
import { userError } from '../errors.js';
import { FileReadError, readJson } from '../files/read.js';

/** The config file read when --config is not given, if it exists. */
export const DEFAULT_CONFIG_FILE = 'tune.config.json';

export interface ConfigFile {
  file: string;
  raw: unknown;
}

/** The config file named by --config, else ./tune.config.json when there is one; read once, its sections parsed by who needs them. */
export function findConfigFile(configFlag: string | undefined, cwd: string): ConfigFile | undefined {
  const file = path.resolve(cwd, configFlag ?? DEFAULT_CONFIG_FILE);
  if (configFlag === undefined && !existsSync(file)) return undefined;
  return { file, raw: readConfigFile(file) };
}

/** A config file's JSON; what cannot be read says why. */
export function readConfigFile(file: string): unknown {
  try {
    return readJson(file);
  } catch (error) {
    if (error instanceof FileReadError) throw userError('CONFIG_UNREADABLE', { file, reason: error.reason });
    throw error;
  }
}

/** A section of a config file (empty when absent); a file that is not a JSON object is refused. */
export function sectionOf(raw: unknown, section: string, file: string): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw userError('CONFIG_INVALID', { section, file, problems: ['(the whole document): expected a JSON object with "local" and "gate" sections'] });
  }
  return (raw as Record<string, unknown>)[section] ?? {};
}
