import { readFileSync } from 'node:fs';
import { fileSystemReason } from '../errors.js';

/** Why a file could not be read or parsed, in words for the user. */
export class FileReadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FileReadError';
  }
}

/** A file's text, without the byte order mark some editors write; a file-system failure becomes a FileReadError. */
export function readText(file: string): string {
  try {
    return stripBom(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = fileSystemReason(error);
    if (reason === undefined) throw error;
    throw new FileReadError(reason);
  }
}

/** A file's JSON; what cannot be read or is not JSON becomes a FileReadError that says which. */
export function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new FileReadError(`it is not valid JSON (${(error as Error).message})`);
  }
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
