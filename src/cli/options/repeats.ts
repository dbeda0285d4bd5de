import { userError } from '../../errors.js';

/** Flags that may be given more than once: each use adds one. */
const REPEATABLE = new Set(['rule', 'timing', 'template', 'param', 'payload', 'allow-error']);

interface TypedFlag {
  /** As the flag is declared: kebab case, without `no-` (yargs takes --chunkKey for --chunk-key, --no-json for --json). */
  name: string;
  value: string;
}

/** The flags typed on the command line, each named as it is declared, with the value it was given. */
export function typedFlags(argv: readonly string[]): TypedFlag[] {
  const flags: TypedFlag[] = [];
  for (const [i, token] of argv.entries()) {
    if (token === '--') break;
    if (!token.startsWith('--')) continue;
    const [rawName = '', inline] = token.slice(2).split(/=(.*)/s, 2);
    const kebab = rawName.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    const next = argv[i + 1];
    flags.push({ name: kebab.startsWith('no-') ? kebab.slice(3) : kebab, value: inline ?? (next !== undefined && !next.startsWith('--') ? next : 'true') });
  }
  return flags;
}

/**
 * Refuses a single-value flag given twice (`--memory 128 --memory 256`): yargs would hand the
 * command an array where it expects one value, and which one the user meant is a guess.
 */
export function assertNoRepeatedFlags(argv: readonly string[]): void {
  const seen = new Map<string, string[]>();
  for (const { name, value } of typedFlags(argv)) {
    if (!REPEATABLE.has(name)) seen.set(name, [...(seen.get(name) ?? []), value]);
  }
  for (const [name, values] of seen) {
    if (values.length > 1) throw userError('FLAG_REPEATED', { flag: `--${name}`, values });
  }
}
