import { type Dirent, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileSystemReason, userError } from '../errors.js';
import { RESULT_FILE } from '../result/files.js';

/** Folders never searched: other people's packages and git's own store hold no results of this project. */
const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git']);

/**
 * The result files the user named: each file as given, each folder searched for result.json files
 * at any depth. Absolute, without repeats, folders' finds in a fixed order.
 */
export function resultFiles(paths: readonly string[]): string[] {
  const found = paths.flatMap((given) => (kindOf(given) === 'folder' ? filesInFolder(given) : [given]));
  return [...new Set(found)];
}

function filesInFolder(dir: string): string[] {
  const found = searchFolder(dir).sort();
  if (found.length === 0) throw userError('NO_RESULTS', { where: dir });
  return found;
}

function searchFolder(dir: string): string[] {
  return entries(dir).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : searchFolder(file);
    return entry.isFile() && entry.name === RESULT_FILE ? [file] : [];
  });
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const reason = fileSystemReason(error);
    if (reason === undefined) throw error;
    throw userError('PATH_UNUSABLE', { what: 'the folder', file: dir, reason });
  }
}

/** A path that does not exist is the user's mistake, said before anything is read (and never skipped as an invalid result). */
function kindOf(given: string): 'file' | 'folder' {
  try {
    return statSync(given).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    const reason = fileSystemReason(error);
    if (reason === undefined) throw error;
    throw userError('RESULT_UNREADABLE', { role: 'result', file: given, reason });
  }
}
