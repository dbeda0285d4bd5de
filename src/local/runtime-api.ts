import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeAfterAnswer, readBoundedBody } from './bounded-body.js';
import type { Ending } from './conclude-invocation.js';
import { acceptsHost, misdirectedMessage } from './host-check.js';
import { MAX_SYNC_PAYLOAD_BYTES } from './payload-limits.js';

export interface InvocationRequest {
  requestId: string;
  payload: Buffer;
  invokedFunctionArn: string;
  clientContext?: string | undefined;
}

/** What a runtime can post about an invocation. */
export type RuntimeResult = Extract<Ending, { kind: 'response' | 'error' | 'too-large' }>;

export interface RuntimeApiListener {
  /** The runtime asked for its next event. */
  next(): void;
  /** The runtime could not initialize (the body may be empty). */
  initError(errorType: string, body: Buffer): void;
  /** The runtime posted an invocation's result; false when no invocation with that id is under way. */
  result(requestId: string, result: RuntimeResult): boolean;
}

const PREFIX = '/2018-06-01/runtime';
const RUNTIME_API_HOST = '127.0.0.1';
const RESULT_PATH = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

/**
 * The Lambda Runtime API (2018-06-01) of one execution environment, on its own loopback port: the
 * runtime long-polls /invocation/next for an event and posts the result or an init error.
 */
export class RuntimeApi {
  private readonly server: http.Server;
  /** The runtime's /next request, while it waits for an event. */
  private waiting: http.ServerResponse | undefined;
  /** An event to hand over as soon as the runtime asks. */
  private queued: ((res: http.ServerResponse) => void) | undefined;
  private closed = false;

  constructor(private readonly listener: RuntimeApiListener) {
    this.server = http.createServer((req, res) => {
      this.onRequest(req, res);
    });
    this.server.keepAliveTimeout = 0;
  }

  /** Starts serving; returns the `host:port` the runtime is told (AWS_LAMBDA_RUNTIME_API). Rejects if closed first. */
  async listen(): Promise<string> {
    if (this.closed) throw closedError();
    await new Promise<void>((resolve, reject) => {
      const onClose = () => {
        reject(closedError());
      };
      this.server.once('close', onClose);
      this.server.listen(0, RUNTIME_API_HOST, () => {
        this.server.off('close', onClose);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo | null;
    if (address === null) throw closedError();
    return `${RUNTIME_API_HOST}:${address.port}`;
  }

  /** The runtime waits on /next with nothing to do. */
  get parked(): boolean {
    return this.waiting !== undefined;
  }

  /** Hands the event to the runtime now, or as soon as it asks; `onSent` marks the moment it goes. */
  deliver(request: InvocationRequest, deadlineMs: number, onSent: () => void): void {
    this.queued = (res) => {
      onSent();
      res.writeHead(200, eventHeaders(request, deadlineMs)).end(request.payload.length === 0 ? '{}' : request.payload);
    };
    this.handOver();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }

  /** The runtime must name this server; a body over 6 MB is refused at the limit, unread beyond it. */
  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const port = (this.server.address() as AddressInfo | null)?.port ?? 0;
    if (!acceptsHost(req.headers.host, RUNTIME_API_HOST, port)) {
      closeAfterAnswer(res);
      json(res, 421, { errorMessage: misdirectedMessage(req.headers.host, RUNTIME_API_HOST, port), errorType: 'MisdirectedRequest' });
      return;
    }
    readBoundedBody(req, MAX_SYNC_PAYLOAD_BYTES).then(
      (read) => {
        if (read.kind === 'body') this.route(req, res, read.body);
        else this.refuseTooLarge(req, res, read.declaredBytes);
      },
      () => undefined,
    );
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const url = req.url ?? '';
    const result = RESULT_PATH.exec(url);
    if (req.method === 'GET' && url === `${PREFIX}/invocation/next`) this.onNext(res);
    else if (req.method === 'POST' && url === `${PREFIX}/init/error`) this.onInitError(req, res, body);
    else if (req.method === 'POST' && result !== null) this.onResult(result[1] ?? '', resultOf(result[2], req, body), res);
    else json(res, 404, { errorMessage: 'Not found', errorType: 'NotFound' });
  }

  /** A result too large to pass on fails its invocation (Function.ResponseSizeTooLarge); the runtime hears 413, as on Lambda. */
  private refuseTooLarge(req: http.IncomingMessage, res: http.ServerResponse, declaredBytes: number | undefined): void {
    const result = req.method === 'POST' ? RESULT_PATH.exec(req.url ?? '') : null;
    if (result !== null) this.listener.result(result[1] ?? '', { kind: 'too-large', declaredBytes });
    closeAfterAnswer(res);
    json(res, 413, { errorMessage: `Exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`, errorType: 'RequestEntityTooLarge' });
  }

  private onNext(res: http.ServerResponse): void {
    this.waiting = res;
    res.once('close', () => {
      if (this.waiting === res) this.waiting = undefined;
    });
    this.handOver();
    this.listener.next();
  }

  private handOver(): void {
    const res = this.waiting;
    const send = this.queued;
    if (res === undefined || send === undefined) return;
    this.waiting = undefined;
    this.queued = undefined;
    send(res);
  }

  private onInitError(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    json(res, 202, { status: 'OK' });
    this.listener.initError(errorTypeHeader(req, 'Runtime.Unknown'), body);
  }

  private onResult(requestId: string, result: RuntimeResult, res: http.ServerResponse): void {
    if (this.listener.result(requestId, result)) json(res, 202, { status: 'OK' });
    else json(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
  }
}

function closedError(): Error {
  return new Error('The Runtime API was closed before it was listening.');
}

function resultOf(kind: string | undefined, req: http.IncomingMessage, body: Buffer): RuntimeResult {
  return kind === 'response' ? { kind: 'response', body } : { kind: 'error', errorType: errorTypeHeader(req, 'Unhandled'), body };
}

function errorTypeHeader(req: http.IncomingMessage, fallback: string): string {
  return String(req.headers['lambda-runtime-function-error-type'] ?? fallback);
}

function json(res: http.ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function eventHeaders(request: InvocationRequest, deadlineMs: number): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'Lambda-Runtime-Aws-Request-Id': request.requestId,
    'Lambda-Runtime-Deadline-Ms': String(deadlineMs),
    'Lambda-Runtime-Invoked-Function-Arn': request.invokedFunctionArn,
    'Lambda-Runtime-Trace-Id': traceId(),
    ...(request.clientContext === undefined ? {} : { 'Lambda-Runtime-Client-Context': request.clientContext }),
  };
}

function traceId(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0;Lineage=1:0`;
}
