/** Exit codes, as DESIGN.md fixes them. */
export const EXIT = { ok: 0, regression: 1, usage: 2, failure: 3 } as const;

/** An error the user can fix: a message saying what went wrong and a hint saying what to do. */
export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Bad flags, bad config: exit 2. */
export class UsageError extends UserError {
  constructor(code: string, message: string, hint: string) {
    super(code, message, hint, EXIT.usage);
  }
}

/** Something failed at run time (AWS, the local platform, the file system): exit 3. */
export class RuntimeFailure extends UserError {
  constructor(code: string, message: string, hint: string) {
    super(code, message, hint, EXIT.failure);
  }
}

/** One paragraph for the user; the stack only with --debug. */
export function describeError(error: unknown, debug: boolean): { text: string; exitCode: number } {
  if (error instanceof UserError) {
    const text = `tune: ${error.message}\n${error.hint}`;
    return { text: debug && error.stack !== undefined ? `${text}\n${error.stack}` : text, exitCode: error.exitCode };
  }
  const message = error instanceof Error ? error.message : String(error);
  const detail = debug && error instanceof Error && error.stack !== undefined ? `\n${error.stack}` : '\nRun again with --debug to see where it happened.';
  return { text: `tune: unexpected error: ${message}${detail}`, exitCode: EXIT.failure };
}
