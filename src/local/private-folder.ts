import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

/**
 * The platform's own folder in the system's temporary folder, one per user (`lambda-tune-<uid>`):
 * the temporary folder is shared, so one user could otherwise make the folder first and plant
 * links in it for another's platform to follow.
 */
export function userTempFolder(root = tmpdir()): string {
  return privateFolder(path.join(root, `lambda-tune-${String(process.getuid?.() ?? userInfo().username)}`));
}

/**
 * `dir`, made with mode 0700 if it is not there; refused if it is there and is not a folder of this
 * user's that only this user may write in.
 */
export function privateFolder(dir: string): string {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const problem = folderProblem(dir);
  if (problem !== undefined) {
    throw new Error(`The folder ${dir} ${problem}, so another user may have made it to plant files in it. Remove it, or name a folder of your own.`);
  }
  return dir;
}

function folderProblem(dir: string): string | undefined {
  const info = lstatSync(dir);
  if (!info.isDirectory()) return 'is not a folder (it may be a symbolic link)';
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) return `belongs to another user (uid ${info.uid})`;
  if ((info.mode & 0o022) !== 0) return `may be written by other users (mode ${(info.mode & 0o777).toString(8)})`;
  return undefined;
}
