import { changedKeys } from '../lambda/gateway.js';

/**
 * The variable whose new value makes each cold sample's version differ from every other: Lambda
 * then publishes a new version, and a new version has no execution environment yet. Its value is
 * `<runId>-<n>`: the run that set it, and which of its cold samples.
 */
export const COLD_VARIABLE = 'LAMBDA_TUNE_COLD';

export function coldValue(runId: string, n: number): string {
  return `${runId}-${n}`;
}

/**
 * What in $LATEST's variables is not as a --cold run leaves them: the variables it found (by
 * name, never by value) and at most its own cold variable. Empty when they are just that.
 */
export function variablesNotLeftByRun(
  original: Readonly<Record<string, string>>,
  variables: Readonly<Record<string, string>> | undefined,
  runId: string,
): string[] {
  if (variables === undefined) return ['its variables cannot be read'];
  const { [COLD_VARIABLE]: cold, ...rest } = variables;
  const what = changedKeys(original, rest).map((key) => `variable ${key} differs`);
  if (cold !== undefined && (runId === '' || !cold.startsWith(`${runId}-`))) what.push(`${COLD_VARIABLE} is another run's`);
  return what;
}

/** Lambda takes at most 4 KB of variables, measured as their JSON text (the local platform measures them so too). */
export const MAX_ENVIRONMENT_BYTES = 4096;

export function environmentBytes(variables: Readonly<Record<string, string>>): number {
  return Buffer.byteLength(JSON.stringify(variables));
}
