/**
 * A Node.js runtime for the Lambda Runtime API: loads `_HANDLER` from `LAMBDA_TASK_ROOT`, then
 * loops on /invocation/next, runs the handler and posts its result or error. It formats console
 * output the way Lambda's Node.js runtime does, one line per message.
 * It is started as its own process per execution environment; any runtime that speaks the same
 * API could take its place.
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { handlerModule, resolveHandlerFile } from '../handler-path.js';

type Handler = (event: unknown, context: Context, callback?: (error?: unknown, result?: unknown) => void) => unknown;

interface Context {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  clientContext?: unknown;
  getRemainingTimeInMillis(): number;
}

const RUNTIME_API = `http://${process.env['AWS_LAMBDA_RUNTIME_API']}/2018-06-01/runtime`;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
// Error reports get their own connection: a crash must not wait behind the /next long-poll.
const errorAgent = new http.Agent({ keepAlive: false });
const jsonLogs = process.env['AWS_LAMBDA_LOG_FORMAT'] === 'JSON';
let currentRequestId: string | undefined;

function request(method: string, url: string, body?: string, headers: Record<string, string> = {}, via = agent) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(url, { method, agent: via, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function writeLog(level: string, args: unknown[]): void {
  const message = format(...args);
  const timestamp = new Date().toISOString();
  const line = jsonLogs
    ? JSON.stringify({ timestamp, level, requestId: currentRequestId, message })
    : `${timestamp}\t${currentRequestId ?? 'undefined'}\t${level}\t${message.replace(/\n/g, '\r')}`;
  process.stdout.write(`${line}\n`);
}

/**
 * Lambda's runtime writes its log synchronously, so a line is out before the result is posted or
 * the process exits. Node writes to a full pipe later, from a queue, unless the pipe blocks.
 */
function blockingOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const handle = (stream as unknown as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle;
    handle?.setBlocking?.(true);
  }
}

function patchConsole(): void {
  const levels: [keyof Console, string][] = [
    ['log', 'INFO'],
    ['info', 'INFO'],
    ['warn', 'WARN'],
    ['error', 'ERROR'],
    ['debug', 'DEBUG'],
    ['trace', 'TRACE'],
  ];
  for (const [method, level] of levels) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      writeLog(level, args);
    };
  }
}

interface ErrorBody {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

function errorBody(error: unknown, fallbackType = 'Error'): ErrorBody {
  if (error instanceof Error) {
    return { errorType: error.name || fallbackType, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: fallbackType, errorMessage: String(error), trace: [] };
}

async function loadHandler(): Promise<Handler> {
  const taskRoot = process.env['LAMBDA_TASK_ROOT'] ?? process.cwd();
  const spec = process.env['_HANDLER'] ?? '';
  const dot = spec.lastIndexOf('.');
  if (dot <= 0) throw named('Runtime.MalformedHandlerName', 'Bad handler');
  const modulePath = handlerModule(spec);
  const exportName = spec.slice(dot + 1);
  // The platform refuses such a handler; a symbolic link made since is refused here.
  const { file, problem } = resolveHandlerFile(taskRoot, spec);
  if (problem !== undefined) throw named('Runtime.ImportModuleError', `Error: ${problem}`);
  if (file === undefined) {
    throw named('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}'\nRequire stack:\n- ${taskRoot}`);
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const cause = errorBody(error);
    throw named(error instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError', `${cause.errorType}: ${cause.errorMessage}`);
  }
  const candidate = loaded[exportName] ?? (loaded['default'] as Record<string, unknown> | undefined)?.[exportName];
  if (typeof candidate !== 'function') throw named('Runtime.HandlerNotFound', `${spec} is undefined or not exported`);
  return candidate as Handler;
}

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function invokeHandler(handler: Handler, event: unknown, context: Context): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error?: unknown, result?: unknown) => {
      if (settled) return;
      settled = true;
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a handler may fail with anything; errorBody describes non-Errors too
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    try {
      const returned = handler(event, context, callback);
      if (handler.length < 3 || (returned !== undefined && typeof (returned as Promise<unknown>).then === 'function')) {
        Promise.resolve(returned).then(
          (value: unknown) => {
            callback(undefined, value);
          },
          (error: unknown) => {
            callback(error ?? new Error('null'));
          },
        );
      }
    } catch (error) {
      callback(error);
    }
  });
}

function contextFor(headers: http.IncomingHttpHeaders, requestId: string): Context {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const clientContext = headers['lambda-runtime-client-context'];
  return {
    functionName: process.env['AWS_LAMBDA_FUNCTION_NAME'] ?? '',
    functionVersion: process.env['AWS_LAMBDA_FUNCTION_VERSION'] ?? '$LATEST',
    invokedFunctionArn: String(headers['lambda-runtime-invoked-function-arn'] ?? ''),
    memoryLimitInMB: process.env['AWS_LAMBDA_FUNCTION_MEMORY_SIZE'] ?? '',
    awsRequestId: requestId,
    logGroupName: process.env['AWS_LAMBDA_LOG_GROUP_NAME'] ?? '',
    logStreamName: process.env['AWS_LAMBDA_LOG_STREAM_NAME'] ?? '',
    callbackWaitsForEmptyEventLoop: true,
    ...(typeof clientContext === 'string' ? { clientContext: JSON.parse(clientContext) as unknown } : {}),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

async function postError(url: string, body: ErrorBody): Promise<void> {
  await request('POST', url, JSON.stringify(body), { 'Lambda-Runtime-Function-Error-Type': body.errorType }, errorAgent);
}

async function loop(handler: Handler): Promise<never> {
  for (;;) {
    const next = await request('GET', `${RUNTIME_API}/invocation/next`);
    const requestId = String(next.headers['lambda-runtime-aws-request-id']);
    currentRequestId = requestId;
    process.env['_X_AMZN_TRACE_ID'] = String(next.headers['lambda-runtime-trace-id'] ?? '');
    await runOne(handler, next, requestId);
  }
}

/** Runs the handler on one event and posts its result, or its error. */
async function runOne(handler: Handler, next: { headers: http.IncomingHttpHeaders; body: string }, requestId: string): Promise<void> {
  let response: string;
  try {
    const event: unknown = next.body === '' ? {} : JSON.parse(next.body);
    response = JSON.stringify((await invokeHandler(handler, event, contextFor(next.headers, requestId))) ?? null);
  } catch (error) {
    const body = errorBody(error);
    writeLog('ERROR', [`Invoke Error \t${JSON.stringify({ errorType: body.errorType, errorMessage: body.errorMessage, stack: body.trace })}`]);
    await postError(`${RUNTIME_API}/invocation/${requestId}/error`, body);
    return;
  }
  // A response over 6 MB is refused (413, its connection closed before it is all sent): the invocation has failed already.
  await request('POST', `${RUNTIME_API}/invocation/${requestId}/response`, response).catch(() => undefined);
}

async function main(): Promise<void> {
  blockingOutput();
  patchConsole();
  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    const body = errorBody(error, 'Runtime.ImportModuleError');
    writeLog('ERROR', [`Uncaught Exception \t${JSON.stringify({ errorType: body.errorType, errorMessage: body.errorMessage, stack: body.trace })}`]);
    await postError(`${RUNTIME_API}/init/error`, body);
    process.exit(1);
  }
  process.on('uncaughtException', (error) => {
    void exitWithError('Runtime.UncaughtException', error);
  });
  process.on('unhandledRejection', (reason) => {
    void exitWithError('Runtime.UnhandledPromiseRejection', reason);
  });
  await loop(handler);
}

/** An error outside the handler's promise ends the process, as on Lambda; the invocation under way gets the error. */
async function exitWithError(type: string, error: unknown): Promise<void> {
  const body = { ...errorBody(error), errorType: type };
  writeLog('ERROR', [`${type} \t${JSON.stringify({ errorType: body.errorType, errorMessage: body.errorMessage })}`]);
  if (currentRequestId !== undefined) await postError(`${RUNTIME_API}/invocation/${currentRequestId}/error`, body).catch(() => undefined);
  process.exit(129);
}

void main();
