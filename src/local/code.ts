import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** CodeSha256 and CodeSize of a function's code folder (dependencies in node_modules and Python's bytecode caches left out). */
export function digestCode(dir: string): { codeSha256: string; codeSize: number } {
  const hash = createHash('sha256');
  let size = 0;
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => compareText(a.name, b.name))) {
      if (entry.name === 'node_modules' || entry.name === '__pycache__' || entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const content = readFileSync(full);
        hash.update(path.relative(dir, full)).update('\0').update(content);
        size += statSync(full).size;
      }
    }
  };
  walk(dir);
  return { codeSha256: hash.digest('base64'), codeSize: size };
}

/** Plain code-unit order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
