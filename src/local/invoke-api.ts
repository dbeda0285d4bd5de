import { randomUUID } from 'node:crypto';
import { type ApiRequest, type ApiResponse, header } from './api-request.js';
import { AwsError, invalidParameter } from './aws-error.js';
import type { InvocationOutcome, InvocationRequest } from './environment.js';
import type { FunctionRef } from './function-name.js';
import type { FunctionRegistry } from './functions.js';
import type { Invoker } from './invoker.js';
import { LOG_RESULT_BYTES } from './log-tail.js';
import { MAX_ASYNC_PAYLOAD_BYTES, MAX_SYNC_PAYLOAD_BYTES } from './payload-limits.js';

type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

/** Whether an Invoke's log tail is to lose its REPORT line (a fault made up for tests). */
export interface TailFaults {
  truncatesTail(): boolean;
}

/** Invoke (POST …/invocations): checks the request, then runs it now, queues it (Event) or only checks it (DryRun). */
export async function invokeFunction(
  registry: FunctionRegistry,
  invoker: Invoker,
  target: FunctionRef,
  request: ApiRequest,
  faults: TailFaults,
): Promise<ApiResponse> {
  const type = invocationType(request);
  const config = registry.forInvoke(target.name, target.qualifier);
  checkPayload(type, request.body);
  if (type === 'DryRun') return { status: 204 };
  const invocation = invocationOf(registry.arn(target.name, target.qualifier), request);
  if (type === 'Event') {
    invoker.enqueue(config, invocation);
    return { status: 202, requestId: invocation.requestId };
  }
  const outcome = await invoker.invoke(config, invocation);
  const withTail = header(request, 'x-amz-log-type') === 'Tail';
  const headers = responseHeaders(config.version, outcome, withTail ? logResult(outcome.logTail, faults.truncatesTail()) : undefined);
  return { status: 200, headers, body: outcome.payload, requestId: invocation.requestId };
}

function invocationType(request: ApiRequest): InvocationType {
  const type = header(request, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
    throw invalidParameter(`Unsupported invocation type: ${type}. Use RequestResponse, Event or DryRun.`);
  }
  return type;
}

/** A payload must fit the invocation type's limit and, when there is one, be JSON. */
function checkPayload(type: InvocationType, body: Buffer): void {
  const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
  if (body.length > limit) {
    const message =
      type === 'Event'
        ? `${body.length} byte payload is too large for the Event invocation type (limit ${limit} bytes)`
        : `Request must be smaller than ${limit} bytes for the InvokeFunction operation`;
    throw new AwsError('RequestEntityTooLargeException', 413, message);
  }
  if (body.length === 0) return;
  try {
    JSON.parse(body.toString());
  } catch (error) {
    throw new AwsError('InvalidRequestContentException', 400, `Could not parse request body into json: ${(error as Error).message}`);
  }
}

function invocationOf(invokedFunctionArn: string, request: ApiRequest): InvocationRequest {
  return {
    requestId: randomUUID(),
    payload: request.body,
    invokedFunctionArn,
    clientContext: clientContextHeader(header(request, 'x-amz-client-context')),
  };
}

/** Lambda takes up to 3,583 bytes of base64 as the client context (Invoke's API reference). */
export const MAX_CLIENT_CONTEXT_BYTES = 3583;

/**
 * X-Amz-Client-Context is base64 of JSON, at most 3,583 bytes of it: refused (400) before anything
 * runs otherwise. The runtime gets the JSON, ASCII-only so it fits in a header.
 */
function clientContextHeader(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (Buffer.byteLength(raw) > MAX_CLIENT_CONTEXT_BYTES) {
    throw invalidParameter(`Client context must be at most ${MAX_CLIENT_CONTEXT_BYTES} bytes of base64-encoded data (got ${Buffer.byteLength(raw)}).`);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    return JSON.stringify(parsed).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  } catch {
    throw new AwsError('InvalidRequestContentException', 400, 'Client context must be a valid Base64-encoded JSON object.');
  }
}

/** The last 4 KB of the invocation's log, base64; without its last line (the REPORT) when a fault says so. */
function logResult(logTail: string, withoutReport: boolean): string {
  const text = withoutReport ? logTail.slice(0, logTail.lastIndexOf('\n', logTail.length - 2) + 1) : logTail;
  return Buffer.from(text).subarray(-LOG_RESULT_BYTES).toString('base64');
}

/** X-Amz-Log-Result is there when the caller asked for the tail. */
function responseHeaders(version: string, outcome: InvocationOutcome, logResultBase64: string | undefined): Record<string, string> {
  return {
    'X-Amz-Executed-Version': version,
    'Content-Type': 'application/json',
    ...(outcome.functionError === undefined ? {} : { 'X-Amz-Function-Error': outcome.functionError }),
    ...(logResultBase64 === undefined ? {} : { 'X-Amz-Log-Result': logResultBase64 }),
  };
}
