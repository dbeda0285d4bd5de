import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  billedDurationMs,
  endLine,
  initReportLine,
  jsonPlatformReport,
  jsonPlatformStart,
  type ReportFields,
  reportLine,
  startLine,
} from '../parse/log-format.js';
import type { FunctionVersionConfig } from './function-config.js';
import type { CpuLimiter } from './limits/cpu.js';
import { readMemoryMb } from './limits/proc.js';

/** Lambda gives the INIT phase 10 seconds on demand. */
const INIT_TIMEOUT_MS = 10_000;
/** Response payloads are capped like requests: 6 MB each way for synchronous invocations. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
const MEMORY_POLL_MS = 10;

export interface EnvironmentDeps {
  /** The Node.js runtime bootstrap script. */
  bootstrapPath: string;
  /** Environment variables every function gets besides its own (region, S3 endpoint, throwaway credentials). */
  baseEnvironment: Record<string, string>;
  /** Appends one log event to CloudWatch Logs. */
  log: (group: string, stream: string, message: string) => void;
  cpu: CpuLimiter;
  /** Called when the process ends outside an invocation, so the pool can let the environment go. */
  onDead?: (environment: ExecutionEnvironment) => void;
}

export interface InvocationRequest {
  requestId: string;
  payload: Buffer;
  invokedFunctionArn: string;
  clientContext?: string | undefined;
}

export interface InvocationOutcome {
  payload: Buffer;
  /** Set when the function failed: the payload is then AWS's error document. */
  functionError?: 'Unhandled' | undefined;
  report: ReportFields;
  /** Every log line of this invocation, START to REPORT, newline terminated. */
  logText: string;
}

type Ending =
  | { kind: 'response'; body: Buffer }
  | { kind: 'error'; body: Buffer; errorType: string }
  | { kind: 'timeout' }
  | { kind: 'oom' }
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null };

interface ActiveInvocation {
  request: InvocationRequest;
  lines: string[];
  deliveredAt?: number;
  end: (ending: Ending) => void;
}

interface InitFailure {
  errorType: string;
  body: Buffer;
}

/**
 * One execution environment: a process running a runtime bootstrap against a Runtime API that
 * this object serves on its own loopback port. It takes one invocation at a time, enforces the
 * function's timeout and memory, and writes START/END/REPORT the way Lambda does.
 */
export class ExecutionEnvironment {
  readonly id = randomBytes(16).toString('hex');
  readonly logStreamName: string;
  state: 'initializing' | 'idle' | 'busy' | 'dead' = 'initializing';
  lastUsedAt = Date.now();

  private child: ChildProcess | undefined;
  private readonly server: http.Server;
  private pendingNext: http.ServerResponse | undefined;
  private queued: { request: InvocationRequest; deliver: () => void } | undefined;
  private active: ActiveInvocation | undefined;
  private initStartedAt = 0;
  private initDurationMs: number | undefined;
  private initReported = false;
  private initFailure: InitFailure | undefined;
  private initDone: ((failure?: InitFailure) => void) | undefined;
  private readonly partial = { stdout: '', stderr: '' };
  private stderrTail = '';
  private exited: Promise<void> | undefined;

  constructor(
    readonly config: FunctionVersionConfig,
    private readonly deps: EnvironmentDeps,
    now = new Date(),
  ) {
    const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
    this.logStreamName = `${day}/[${config.version}]${this.id}`;
    this.server = http.createServer((req, res) => this.onRuntimeRequest(req, res));
    this.server.keepAliveTimeout = 0;
  }

  /** Starts the process and resolves once its runtime asks for the first event, or init failed. */
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.initStartedAt = performance.now();
    const initialized = new Promise<InitFailure | undefined>((resolve) => (this.initDone = resolve));
    const child = spawn(process.execPath, [...v8MemoryFlags(this.config.memoryMb), this.deps.bootstrapPath], {
      cwd: this.config.codeDir,
      env: this.processEnvironment(`127.0.0.1:${port}`),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so processes the function starts go with it.
      detached: true,
    });
    this.child = child;
    let markExited = () => {};
    this.exited = new Promise((resolve) => {
      markExited = resolve;
      child.once('exit', () => resolve());
    });
    child.stdout.setEncoding('utf8').on('data', (text: string) => this.onOutput('stdout', text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-4096);
      this.onOutput('stderr', text);
    });
    child.once('exit', (code, signal) => this.onExit(code, signal));
    child.once('error', (error) => {
      // A process that could not be started: there will be no 'exit'.
      this.failInit('Runtime.ExitError', `Runtime failed to start: ${error.message}`);
      this.state = 'dead';
      markExited();
    });
    const initTimer = setTimeout(() => this.failInit('Runtime.InitTimeout', `Init phase timed out after ${INIT_TIMEOUT_MS / 1000} seconds`), INIT_TIMEOUT_MS);
    const failure = await initialized;
    clearTimeout(initTimer);
    this.initDurationMs = performance.now() - this.initStartedAt;
    if (failure === undefined && child.pid !== undefined) {
      this.deps.cpu.attach(child.pid);
    } else {
      this.initFailure = failure;
      this.logText(initReportLine(this.initDurationMs, failure?.errorType ?? 'Runtime.Unknown'));
    }
  }

  /** Runs one invocation. The environment must be idle (or have failed init, which this reports). */
  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    this.state = 'busy';
    const lines: string[] = [];
    const ending = new Promise<Ending>((resolve) => {
      this.active = { request, lines, end: resolve };
    });
    this.log(
      this.config.logFormat === 'JSON'
        ? jsonPlatformStart(new Date(), request.requestId, this.config.version)
        : startLine(request.requestId, this.config.version),
    );
    const timeoutMs = this.config.timeoutS * 1000;
    let timers: NodeJS.Timeout[] = [];
    if (this.initFailure !== undefined) {
      this.active!.end({ kind: 'error', body: this.initFailure.body, errorType: this.initFailure.errorType });
    } else {
      this.freeze(false);
      this.deliver(request, Date.now() + timeoutMs);
      timers = [setTimeout(() => this.active?.end({ kind: 'timeout' }), timeoutMs), setInterval(() => this.checkMemory(), MEMORY_POLL_MS)];
      this.deps.cpu.running(true);
    }
    const result = await ending;
    const endedAt = performance.now();
    for (const timer of timers) clearTimeout(timer);
    this.deps.cpu.running(false);
    // Let output the runtime wrote before it answered reach us before END and REPORT.
    await nextTurn();
    await nextTurn();
    const outcome = this.conclude(request, result, endedAt);
    this.active = undefined;
    this.lastUsedAt = Date.now();
    if (this.state === 'busy') {
      this.state = 'idle';
      this.freezeIfParked();
    }
    return { ...outcome, logText: lines.map((line) => `${line}\n`).join('') };
  }

  private destroyed: Promise<void> | undefined;

  /** Stops the process and frees the Runtime API port. Safe to call more than once. */
  destroy(): Promise<void> {
    this.destroyed ??= this.teardown();
    return this.destroyed;
  }

  private async teardown(): Promise<void> {
    this.state = 'dead';
    this.active?.end({ kind: 'exit', code: null, signal: 'SIGKILL' });
    this.killGroup();
    await this.exited;
    this.deps.cpu.close();
    this.pendingNext?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private killGroup(): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /**
   * Freezes an idle environment once its runtime waits on /next, so a thaw goes straight to
   * delivering the next event.
   */
  private freezeIfParked(): void {
    if (this.state === 'idle' && this.active === undefined && this.pendingNext !== undefined) this.freeze(true);
  }

  /** Lambda freezes an environment between invocations; so does the platform, so nothing runs unmetered. */
  private freeze(frozen: boolean): void {
    const pid = this.child?.pid;
    if (pid === undefined || this.state === 'dead') return;
    try {
      process.kill(-pid, frozen ? 'SIGSTOP' : 'SIGCONT');
    } catch {
      // Gone: its exit is handled on its own.
    }
  }

  private deliver(request: InvocationRequest, deadlineMs: number): void {
    const send = (res: http.ServerResponse) => {
      this.active!.deliveredAt = performance.now();
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'Lambda-Runtime-Aws-Request-Id': request.requestId,
        'Lambda-Runtime-Deadline-Ms': String(deadlineMs),
        'Lambda-Runtime-Invoked-Function-Arn': request.invokedFunctionArn,
        'Lambda-Runtime-Trace-Id': traceId(),
      };
      if (request.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = request.clientContext;
      res.writeHead(200, headers).end(request.payload.length === 0 ? '{}' : request.payload);
    };
    if (this.pendingNext !== undefined) {
      const res = this.pendingNext;
      this.pendingNext = undefined;
      send(res);
    } else {
      this.queued = { request, deliver: () => send(this.pendingNext!) };
    }
  }

  private conclude(request: InvocationRequest, ending: Ending, endedAt: number): Omit<InvocationOutcome, 'logText'> {
    const { requestId } = request;
    const timeoutMs = this.config.timeoutS * 1000;
    const started = this.active?.deliveredAt ?? endedAt;
    const durationMs = ending.kind === 'timeout' ? timeoutMs : Math.max(0, endedAt - started);
    let payload: Buffer;
    let functionError: 'Unhandled' | undefined;
    let status: ReportFields['status'];
    let errorType: string | undefined;
    const fail = (type: string, message: string) => {
      functionError = 'Unhandled';
      errorType = type;
      payload = Buffer.from(JSON.stringify({ errorType: type, errorMessage: message }));
    };
    switch (ending.kind) {
      case 'response':
        payload = ending.body;
        if (payload.length > MAX_SYNC_PAYLOAD_BYTES) {
          fail('Function.ResponseSizeTooLarge', `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`);
          status = 'error';
        }
        break;
      case 'error':
        payload = ending.body;
        functionError = 'Unhandled';
        if (this.initFailure !== undefined) {
          status = 'error';
          errorType = ending.errorType;
        }
        break;
      case 'timeout':
        this.logText(`${new Date().toISOString()} ${requestId} Task timed out after ${this.config.timeoutS.toFixed(2)} seconds`);
        fail('Sandbox.Timedout', `RequestId: ${requestId} Error: Task timed out after ${this.config.timeoutS.toFixed(2)} seconds`);
        status = 'timeout';
        errorType = undefined;
        break;
      case 'oom':
        this.log(`RequestId: ${requestId} Error: Runtime exited with error: signal: killed`);
        fail('Runtime.OutOfMemory', `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`);
        status = 'error';
        break;
      case 'exit': {
        const outOfHeap = /heap out of memory/i.test(this.stderrTail);
        const how = ending.signal !== null ? `signal: ${signalName(ending.signal)}` : `exit status ${ending.code ?? 0}`;
        this.log(`RequestId: ${requestId} Error: Runtime exited with error: ${how}`);
        fail(outOfHeap ? 'Runtime.OutOfMemory' : 'Runtime.ExitError', `RequestId: ${requestId} Error: Runtime exited with error: ${how}`);
        status = 'error';
        break;
      }
    }
    const report: ReportFields = {
      requestId,
      durationMs,
      billedDurationMs: billedDurationMs(durationMs),
      memorySizeMb: this.config.memoryMb,
      maxMemoryUsedMb: this.maxMemoryUsedMb(),
      initDurationMs: this.initReported ? undefined : this.initDurationMs,
      status,
      errorType,
    };
    this.initReported = true;
    if (ending.kind === 'timeout' || ending.kind === 'oom' || this.initFailure !== undefined) void this.destroy();
    this.logText(endLine(requestId));
    this.log(this.config.logFormat === 'JSON' ? jsonPlatformReport(new Date(), report) : reportLine(report));
    return { payload: payload!, functionError, report };
  }

  private peakMb = 0;

  private maxMemoryUsedMb(): number {
    const pid = this.child?.pid;
    const memory = pid === undefined ? undefined : readMemoryMb(pid);
    if (memory !== undefined) this.peakMb = Math.max(this.peakMb, memory.peakRssMb);
    return Math.max(1, Math.round(this.peakMb));
  }

  private checkMemory(): void {
    const pid = this.child?.pid;
    if (pid === undefined || this.active === undefined) return;
    const memory = readMemoryMb(pid);
    if (memory === undefined) return;
    this.peakMb = Math.max(this.peakMb, memory.peakRssMb);
    if (memory.peakRssMb > this.config.memoryMb) {
      this.killGroup();
      this.active.end({ kind: 'oom' });
    }
  }

  private onRuntimeRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => this.route(req, res, Buffer.concat(chunks)));
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const url = req.url ?? '';
    const accepted = () => res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"OK"}');
    if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
      this.pendingNext = res;
      res.once('close', () => {
        if (this.pendingNext === res) this.pendingNext = undefined;
      });
      if (this.initDone !== undefined) {
        const done = this.initDone;
        this.initDone = undefined;
        done();
      }
      const queued = this.queued;
      if (queued !== undefined) {
        this.queued = undefined;
        queued.deliver();
        this.pendingNext = undefined;
      } else {
        this.freezeIfParked();
      }
      return;
    }
    if (req.method === 'POST' && url === '/2018-06-01/runtime/init/error') {
      accepted();
      this.failInit(String(req.headers['lambda-runtime-function-error-type'] ?? 'Runtime.Unknown'), undefined, body);
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method === 'POST' && match !== null) {
      const active = this.active;
      if (active === undefined || active.request.requestId !== match[1]) {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}');
        return;
      }
      accepted();
      if (match[2] === 'response') active.end({ kind: 'response', body });
      else {
        const errorType = String(req.headers['lambda-runtime-function-error-type'] ?? 'Unhandled');
        active.end({ kind: 'error', body: errorPayload(errorType, undefined, body), errorType });
      }
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"errorMessage":"Not found","errorType":"NotFound"}');
  }

  private failInit(errorType: string, message?: string, body?: Buffer): void {
    const done = this.initDone;
    if (done === undefined) return;
    this.initDone = undefined;
    done({ errorType, body: errorPayload(errorType, message, body) });
    this.killGroup();
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.flushOutput();
    if (this.initDone !== undefined) {
      const how = signal !== null ? `signal: ${signalName(signal)}` : `exit status ${code ?? 0}`;
      this.failInit('Runtime.ExitError', `Runtime exited with error: ${how}`);
    }
    const inInvocation = this.active !== undefined;
    this.active?.end({ kind: 'exit', code, signal });
    this.state = 'dead';
    if (!inInvocation) this.deps.onDead?.(this);
  }

  private onOutput(stream: 'stdout' | 'stderr', text: string): void {
    const lines = (this.partial[stream] + text).split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.log(line.replaceAll('\r', '\n'));
  }

  private flushOutput(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') this.log(this.partial[stream].replaceAll('\r', '\n'));
      this.partial[stream] = '';
    }
  }

  /** A platform line that only exists in the text log format (END, INIT_REPORT, the timeout notice). */
  private logText(message: string): void {
    if (this.config.logFormat === 'Text') this.log(message);
  }

  private log(message: string): void {
    this.deps.log(this.config.logGroup, this.logStreamName, message);
    this.active?.lines.push(message);
  }

  /** What a function's process sees: the variables Lambda sets, its own, and nothing from the host. */
  private processEnvironment(runtimeApi: string): Record<string, string> {
    const c = this.config;
    return {
      ...c.environment,
      ...this.deps.baseEnvironment,
      PATH: '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      LAMBDA_TASK_ROOT: c.codeDir,
      _HANDLER: c.handler,
      AWS_EXECUTION_ENV: `AWS_Lambda_${c.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: c.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(c.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: c.version,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: c.logGroup,
      AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName,
      AWS_LAMBDA_RUNTIME_API: runtimeApi,
      ...(c.logFormat === 'JSON' ? { AWS_LAMBDA_LOG_FORMAT: 'JSON' } : {}),
    };
  }
}

/** What the runtime posted is what the caller gets, as on Lambda; an empty body becomes `{errorType, errorMessage}`. */
function errorPayload(errorType: string, message: string | undefined, body: Buffer | undefined): Buffer {
  if (body !== undefined && body.length > 0) return body;
  return Buffer.from(JSON.stringify({ errorType, errorMessage: message ?? errorType }));
}

/**
 * V8's heap sized to the function's memory the way Lambda's Node.js runtime sizes it: a tenth for
 * the young generation (half of that per semi-space), the rest for the old one. Without it V8
 * collects lazily, as if it had the whole host, and a small function runs out of memory early.
 */
export function v8MemoryFlags(memoryMb: number): string[] {
  const newSpaceMb = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpaceMb / 2)}`, `--max-old-space-size=${memoryMb - newSpaceMb}`];
}

function signalName(signal: NodeJS.Signals): string {
  return signal === 'SIGKILL' ? 'killed' : signal.replace(/^SIG/, '').toLowerCase();
}

function traceId(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0;Lineage=1:0`;
}
