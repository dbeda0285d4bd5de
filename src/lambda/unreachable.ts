/** What a connection that never got an answer fails with. */
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** Whether an error means AWS (or the endpoint) could not be reached or gave no answer in time. */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'TimeoutError' || NETWORK_ERRORS.has((error as NodeJS.ErrnoException).code ?? '');
}
