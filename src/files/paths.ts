import { statSync } from 'node:fs';
import path from 'node:path';
import { userError } from '../errors.js';

/**
 * Checks, before anything is run, that a folder the user named can be made or used: it is not a
 * file, and nothing on the way to it is a file. The folder itself is made when it is written to.
 */
export function assertUsableFolder(what: string, dir: string): void {
  const kind = kindOf(dir);
  if (kind === 'file') throw userError('PATH_UNUSABLE', { what, file: dir, reason: 'it is a file, not a folder' });
  if (kind === 'missing') assertAncestorIsFolder(what, dir);
}

/** Checks, before anything is run, that a file the user named can be written: it is not a folder, and its folder can be made. */
export function assertUsableFile(what: string, file: string): void {
  if (kindOf(file) === 'folder') throw userError('PATH_UNUSABLE', { what, file, reason: 'it is a folder, not a file' });
  assertAncestorIsFolder(what, file);
}

function assertAncestorIsFolder(what: string, target: string): void {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const kind = kindOf(dir);
    if (kind === 'folder') return;
    if (kind === 'file') throw userError('PATH_UNUSABLE', { what, file: target, reason: `${dir} is a file, not a folder` });
    if (path.dirname(dir) === dir) return;
  }
}

function kindOf(file: string): 'file' | 'folder' | 'missing' {
  try {
    return statSync(file).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}
