import { z } from 'zod';

// zod compiles each object schema into a function on its first parse. A command parses a schema a
// handful of times, so compiling costs start-up time (about 9 ms for tune compare) and saves little:
// the one big thing a command checks, a result's samples, is checked by hand (result/sample-check.ts),
// zod checking them only to tell what is wrong with them.
z.config({ jitless: true });

/** Where in a document a problem is, as a reader writes it: `samples[12].durationMs`. */
export function issuePath(path: readonly PropertyKey[], root = ''): string {
  let out = root;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(the whole document)' : out;
}

/** One line per problem: the path inside the document, then what was expected there. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root = ''): string[] {
  return issues.map((issue) => `${issuePath(issue.path, root)}: ${plainMessage(issue.message)}`);
}

/** zod's default wording ("Invalid input: expected number, received string") made plainer. */
function plainMessage(message: string): string {
  return message
    .replace(/^Invalid input: /, '')
    .replace(/^Invalid option: /, '')
    .replace(/, received /, ', got ');
}

/**
 * Parses `raw` with `schema`, or throws what `invalid` makes of the problems (at most `limit`
 * of them, so a corrupt file of a million rows gives a readable message).
 */
export function parseWith<T>(schema: z.ZodType<T>, raw: unknown, invalid: (problems: string[]) => Error, root = '', limit = 20): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error.issues, root);
  const shown = problems.slice(0, limit);
  if (problems.length > limit) shown.push(`… and ${problems.length - limit} more`);
  throw invalid(shown);
}
