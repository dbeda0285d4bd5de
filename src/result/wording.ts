/**
 * How a validation problem is told: what was expected, then what was found, in the words
 * `samples[12].durationMs: expected a finite number ≥ 0, got "banana"` ends with.
 */

const QUOTE_LIMIT = 40;

/** A found value as a message quotes it: text in quotes (cut short), numbers as written, containers by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/** "expected …, got …", or "expected …, but it is missing" when nothing is there. */
export function mismatch(what: string, value: unknown): string {
  return value === undefined ? `expected ${what}, but it is missing` : `expected ${what}, got ${describeValue(value)}`;
}

/** zod's `error` parameter telling every problem of a schema in that wording. */
export function expected(what: string): { error: (issue: { input?: unknown }) => string } {
  return { error: (issue) => mismatch(what, issue.input) };
}

/** `"a", "b" or "c"`: the allowed values of an enumeration, as a sentence lists them. */
export function oneOf(values: readonly (string | number)[]): string {
  const quoted = values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v)));
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1) ?? ''}`;
}
