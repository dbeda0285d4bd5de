import { userError } from '../../errors.js';

/** Flags that may be given more than once: each use adds one. */
const REPEATABLE = new Set(['rule', 'timing', 'template']);

/**
 * Refuses a single-value flag given twice (`--memory 128 --memory 256`): yargs would hand the
 * command an array where it expects one value, and which one the user meant is a guess.
 */
export function assertNoRepeatedFlags(argv: readonly string[]): void {
  const seen = new Map<string, string[]>();
  for (const [i, token] of argv.entries()) {
    if (token === '--') break;
    if (!token.startsWith('--')) continue;
    const [rawName = '', inline] = token.slice(2).split(/=(.*)/s, 2);
    const name = rawName.startsWith('no-') ? rawName.slice(3) : rawName;
    if (REPEATABLE.has(name)) continue;
    const next = argv[i + 1];
    const value = inline ?? (next !== undefined && !next.startsWith('--') ? next : 'true');
    seen.set(name, [...(seen.get(name) ?? []), value]);
  }
  for (const [name, values] of seen) {
    if (values.length > 1) throw userError('FLAG_REPEATED', { flag: `--${name}`, values });
  }
}
