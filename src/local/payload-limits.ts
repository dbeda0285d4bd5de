/** Synchronous invocations carry at most 6 MB each way: the request and the response. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Asynchronous (`Event`) invocations are accepted up to 1 MB. */
export const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;
