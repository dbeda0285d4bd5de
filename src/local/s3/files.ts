import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/**
 * Files under the S3 root are opened without following a symbolic link in their last step
 * (O_NOFOLLOW), and new ones are created exclusively (O_EXCL, which never follows a link either: the
 * request bodies body.ts writes with flag 'wx' too): a link planted in the folder makes the open
 * fail instead of reaching a file elsewhere.
 */
const READ = constants.O_RDONLY | constants.O_NOFOLLOW;
const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export function openToRead(file: string): Promise<FileHandle> {
  return open(file, READ);
}

/** A new file, readable and writable by this user only; fails if anything is at `file` already. */
export function createFile(file: string): Promise<FileHandle> {
  return open(file, CREATE, 0o600);
}

export async function readText(file: string): Promise<string> {
  const handle = await openToRead(file);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

export async function writeNewFile(file: string, text: string): Promise<void> {
  const handle = await createFile(file);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}
