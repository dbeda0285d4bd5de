import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { ApiRequest, ApiResponse } from './api-request.js';
import { AwsError } from './aws-error.js';
import { closeAfterAnswer, readBoundedBody } from './bounded-body.js';
import { acceptsHost, misdirectedMessage } from './host-check.js';
import { MAX_SYNC_PAYLOAD_BYTES } from './payload-limits.js';

export type LambdaApi = (request: ApiRequest) => Promise<ApiResponse>;
export type LogsApi = (target: string, input: Record<string, unknown>) => unknown;

/** Made-up trouble for each request, for testing what calls the platform (see faults.ts). */
export interface RequestFaults {
  /** Waits the latency added to one request. */
  delay(): Promise<void>;
  /** The failure to answer this Lambda API request with instead of doing it, if any. */
  lambdaFault(operation: 'invoke' | 'control'): AwsError | undefined;
}

export interface FrontDoor {
  lambdaApi: LambdaApi;
  logsApi: LogsApi;
  /** The address the server is bound to and its port, which the Host header must name. */
  address: () => { host: string; port: number };
  faults: RequestFaults;
}

/** Request bodies beyond this are refused as soon as their size is known: an Invoke payload may be 6 MB. */
const MAX_BODY_BYTES = MAX_SYNC_PAYLOAD_BYTES;
const LOGS_CONTENT_TYPE = 'application/x-amz-json-1.1';
const INVOKE_PATH = /^\/2015-03-31\/functions\/[^/]+\/invocations$/;
/** Answers after which the connection is closed, so the rest of the request is never read. */
const CLOSING_STATUSES = new Set([403, 413, 421]);

interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | undefined;
}

/**
 * The platform's one endpoint: a request with `X-Amz-Target` is a CloudWatch Logs call (JSON 1.1),
 * anything else goes to the Lambda REST API. Errors are answered the way each protocol shapes them.
 */
export function platformRequestHandler(door: FrontDoor): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    void serve(req, res, door);
  };
}

async function serve(req: http.IncomingMessage, res: http.ServerResponse, door: FrontDoor): Promise<void> {
  const target = req.headers['x-amz-target'];
  const isLogs = typeof target === 'string';
  const requestId = randomUUID();
  try {
    checkCaller(req, door.address());
    const body = await readBody(req);
    await door.faults.delay();
    send(res, isLogs ? answerLogs(door.logsApi, target, body, requestId) : await answerLambda(door, req, body, requestId));
  } catch (error) {
    send(res, errorAnswer(asAwsError(error, isLogs), isLogs, requestId));
  }
}

/** Only clients that name this server, and no web page: a browser sends Origin, the SDK never does. */
function checkCaller(req: http.IncomingMessage, { host, port }: { host: string; port: number }): void {
  if (!acceptsHost(req.headers.host, host, port)) throw new AwsError('MisdirectedRequestException', 421, misdirectedMessage(req.headers.host, host, port));
  if (req.headers.origin !== undefined) {
    throw new AwsError(
      'AccessDeniedException',
      403,
      `Requests from web pages (Origin ${req.headers.origin}) are refused: the platform runs code on this machine.`,
    );
  }
}

function answerLogs(logsApi: LogsApi, target: string, body: Buffer, requestId: string): HttpAnswer {
  const input = logsInput(body);
  const output = logsApi(target, input);
  return { status: 200, headers: { 'Content-Type': LOGS_CONTENT_TYPE, 'x-amzn-RequestId': requestId }, body: Buffer.from(JSON.stringify(output)) };
}

/** A Logs request's JSON object (an empty body is an empty one); anything else is a SerializationException. */
function logsInput(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const parsed: unknown = JSON.parse(body.toString());
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  throw new AwsError('SerializationException', 400, 'The request body must be a JSON object.');
}

/** The Lambda answer carries the operation's own request id when it made one (Invoke). */
async function answerLambda(door: FrontDoor, req: http.IncomingMessage, body: Buffer, requestId: string): Promise<HttpAnswer> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const fault = door.faults.lambdaFault(INVOKE_PATH.test(url.pathname) ? 'invoke' : 'control');
  if (fault !== undefined) throw fault;
  const response = await door.lambdaApi({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body });
  const payload = response.body === undefined || Buffer.isBuffer(response.body) ? response.body : Buffer.from(JSON.stringify(response.body));
  const headers = { 'Content-Type': 'application/json', ...response.headers, 'x-amzn-RequestId': response.requestId ?? requestId };
  return { status: response.status, headers, body: payload };
}

function asAwsError(error: unknown, isLogs: boolean): AwsError {
  if (error instanceof AwsError) return error;
  if (error instanceof SyntaxError && isLogs) return new AwsError('SerializationException', 400, 'The request body is not valid JSON.');
  return new AwsError('ServiceException', 500, `The local platform failed: ${(error as Error).message}`);
}

/** Logs errors are `{__type, message}`; Lambda's are `{Type, message}` plus the error's own fields. Both name the code in x-amzn-ErrorType. */
function errorAnswer(error: AwsError, isLogs: boolean, requestId: string): HttpAnswer {
  const body = isLogs
    ? { __type: error.code, message: error.message }
    : { Type: error.statusCode >= 500 ? 'Service' : 'User', message: error.message, ...error.extra };
  const headers = {
    'Content-Type': isLogs ? LOGS_CONTENT_TYPE : 'application/json',
    'x-amzn-ErrorType': error.code,
    'x-amzn-RequestId': requestId,
    ...error.headers,
  };
  return { status: error.statusCode, headers, body: Buffer.from(JSON.stringify(body)) };
}

function send(res: http.ServerResponse, answer: HttpAnswer): void {
  if (res.headersSent || res.destroyed) return;
  if (CLOSING_STATUSES.has(answer.status)) closeAfterAnswer(res);
  res.writeHead(answer.status, { ...answer.headers, 'Content-Length': String(answer.body?.length ?? 0) });
  res.end(answer.body);
}

/** The request's body, refused (413) as soon as its declared or its streamed size passes the limit. */
async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const read = await readBoundedBody(req, MAX_BODY_BYTES);
  if (read.kind === 'body') return read.body;
  throw new AwsError('RequestEntityTooLargeException', 413, `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`);
}
