import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { ApiRequest, ApiResponse } from './api-request.js';
import { AwsError } from './aws-error.js';
import { MAX_SYNC_PAYLOAD_BYTES } from './payload-limits.js';

export type LambdaApi = (request: ApiRequest) => Promise<ApiResponse>;
export type LogsApi = (target: string, input: Record<string, unknown>) => unknown;

/** Request bodies beyond this are refused before they are read whole. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const LOGS_CONTENT_TYPE = 'application/x-amz-json-1.1';

interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | undefined;
}

/**
 * The platform's one endpoint: a request with `X-Amz-Target` is a CloudWatch Logs call (JSON 1.1),
 * anything else goes to the Lambda REST API. Errors are answered the way each protocol shapes them.
 */
export function platformRequestHandler(lambdaApi: LambdaApi, logsApi: LogsApi): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    void serve(req, res, lambdaApi, logsApi);
  };
}

async function serve(req: http.IncomingMessage, res: http.ServerResponse, lambdaApi: LambdaApi, logsApi: LogsApi): Promise<void> {
  const target = req.headers['x-amz-target'];
  const isLogs = typeof target === 'string';
  const requestId = randomUUID();
  try {
    const body = await readBody(req);
    send(res, isLogs ? answerLogs(logsApi, target, body, requestId) : await answerLambda(lambdaApi, req, body, requestId));
  } catch (error) {
    send(res, errorAnswer(asAwsError(error, isLogs), isLogs, requestId));
  }
}

function answerLogs(logsApi: LogsApi, target: string, body: Buffer, requestId: string): HttpAnswer {
  const input = body.length === 0 ? {} : (JSON.parse(body.toString()) as Record<string, unknown>);
  const output = logsApi(target, input);
  return { status: 200, headers: { 'Content-Type': LOGS_CONTENT_TYPE, 'x-amzn-RequestId': requestId }, body: Buffer.from(JSON.stringify(output)) };
}

/** The Lambda answer carries the operation's own request id when it made one (Invoke). */
async function answerLambda(lambdaApi: LambdaApi, req: http.IncomingMessage, body: Buffer, requestId: string): Promise<HttpAnswer> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const response = await lambdaApi({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body });
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
  res.writeHead(answer.status, { ...answer.headers, 'Content-Length': String(answer.body?.length ?? 0) });
  res.end(answer.body);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is read and dropped, so the client still gets its 413.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size <= MAX_BODY_BYTES) resolve(Buffer.concat(chunks));
      else
        reject(
          new AwsError('RequestEntityTooLargeException', 413, `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`),
        );
    });
    req.on('error', reject);
  });
}
