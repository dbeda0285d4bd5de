import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initReportLine, jsonPlatformStart, type ReportFields, startLine } from '../parse/log-format.js';
import { concludeInvocation, type Ending, errorDocument, exitDescription } from './conclude-invocation.js';
import type { FunctionVersionConfig } from './function-config.js';
import type { CpuLimiter } from './limits/cpu.js';
import { LogTail } from './log-tail.js';
import { MemoryWatch } from './memory-watch.js';
import { processEnvironment } from './process-environment.js';
import { type InvocationRequest, RuntimeApi, type RuntimeResult } from './runtime-api.js';
import { initStartLine, type Launch, launchFor, type RuntimeDeps } from './runtime-launch.js';
import { RuntimeProcess } from './runtime-process.js';

export type { InvocationRequest } from './runtime-api.js';

/** Lambda gives the INIT phase 10 seconds on demand. */
const INIT_TIMEOUT_MS = 10_000;

/** The runtimes' bootstraps (Node.js's, and Python's with the host's interpreter), and what every environment shares. */
export interface EnvironmentDeps extends RuntimeDeps {
  /** Environment variables every function gets besides its own (region, S3 endpoint, throwaway credentials). */
  baseEnvironment: Record<string, string>;
  /** Appends one log event to CloudWatch Logs; `requestId` is the invocation's under way, if any. */
  log: (group: string, stream: string, message: string, requestId: string | undefined) => void;
  cpu: CpuLimiter;
  /** Called when the process ends outside an invocation, so the pool can let the environment go. */
  onDead?: (environment: ExecutionEnvironment) => void;
  /** Where each environment's private HOME folder is made (the system's temporary folder unless said). */
  scratchRoot?: string;
}

export interface InvocationOutcome {
  payload: Buffer;
  /** Set when the function failed: the payload is then AWS's error document. */
  functionError?: 'Unhandled' | undefined;
  report: ReportFields;
  /** The end of this invocation's log (at least its last 4 KB, up to REPORT), newline terminated. */
  logTail: string;
}

type InitFailure = Extract<Ending, { kind: 'init-error' }>;

/** Initializing, then idle and busy in turn; dead is final: a dead environment never takes an invocation again. */
export type EnvironmentState = 'initializing' | 'idle' | 'busy' | 'dead';

interface Invocation {
  request: InvocationRequest;
  /** The end of what was logged while it runs. */
  tail: LogTail;
  deliveredAtMs?: number;
  ended: Promise<Ending>;
  end: (ending: Ending) => void;
}

/**
 * One execution environment: a runtime process, and the Runtime API it talks to on its own
 * loopback port. It takes one invocation at a time, enforces the function's timeout and memory,
 * and writes START/END/REPORT the way Lambda does.
 */
export class ExecutionEnvironment {
  readonly id = randomBytes(16).toString('hex');
  readonly logStreamName: string;
  lastUsedAt = Date.now();

  private readonly api: RuntimeApi;
  private readonly memory: MemoryWatch;
  private current: EnvironmentState = 'initializing';
  private runtime: RuntimeProcess | undefined;
  /** The environment's private folder (mode 0700), its HOME; removed with it. */
  private homeDir: string | undefined;
  private active: Invocation | undefined;
  private initDurationMs: number | undefined;
  private initReported = false;
  private initFailure: InitFailure | undefined;
  private settleInit: ((failure: InitFailure | undefined) => void) | undefined;
  private destroyed: Promise<void> | undefined;
  /** How the process ended, once it has. */
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(
    readonly config: FunctionVersionConfig,
    private readonly deps: EnvironmentDeps,
    now = new Date(),
  ) {
    this.logStreamName = `${now.toISOString().slice(0, 10).replaceAll('-', '/')}/[${config.version}]${this.id}`;
    this.memory = new MemoryWatch(config.memoryMb);
    this.api = new RuntimeApi({
      next: () => {
        this.onRuntimeWaiting();
      },
      initError: (errorType, body) => {
        this.failInit(errorType, undefined, body);
      },
      result: (requestId, result) => this.onResult(requestId, result),
    });
  }

  get state(): EnvironmentState {
    return this.current;
  }

  /**
   * Starts the process and resolves once its runtime asks for the first event, or init failed (the
   * environment is then dead, and its first invocation reports why). Rejects when the environment is
   * destroyed before its process started: none is started after that.
   */
  async start(): Promise<void> {
    this.throwIfDestroyed();
    const runtimeApi = await this.api.listen().catch((error: unknown) => {
      this.throwIfDestroyed();
      throw error;
    });
    this.throwIfDestroyed();
    const launch = await launchFor(this.config, this.deps);
    this.throwIfDestroyed();
    const startedAtMs = performance.now();
    const initialized = new Promise<InitFailure | undefined>((resolve) => {
      this.settleInit = resolve;
    });
    const runtime = this.launch(runtimeApi, launch);
    const failure = await withTimeout(initialized, INIT_TIMEOUT_MS, () => {
      this.failInit('Runtime.InitTimeout', `Init phase timed out after ${INIT_TIMEOUT_MS / 1000} seconds`);
    });
    this.initDurationMs = performance.now() - startedAtMs;
    this.initFailure = failure;
    // What the runtime wrote during INIT comes before INIT_REPORT and the first START.
    if (failure !== undefined) await runtime?.exited;
    else await runtime?.drainOutput();
    if (failure !== undefined) this.logText(initReportLine(this.initDurationMs, failure.errorType));
    else if (runtime?.pid !== undefined && this.current !== 'dead') this.deps.cpu.attach(runtime.pid);
  }

  /** Reserves the environment for one invocation: a live one becomes busy, a dead one stays dead. */
  claim(): void {
    this.enter('busy');
  }

  /** Runs one invocation. The environment must be claimed (or have failed init, which this reports). */
  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    this.claim();
    const invocation = this.begin(request);
    const { ending, endedAtMs } = await this.run(invocation);
    const outcome = this.conclude(invocation, ending, endedAtMs);
    this.active = undefined;
    this.lastUsedAt = Date.now();
    this.becomeIdle();
    return outcome;
  }

  /** Stops the process and frees the Runtime API port. Safe to call more than once. */
  destroy(): Promise<void> {
    this.destroyed ??= this.teardown();
    return this.destroyed;
  }

  /**
   * Starts the runtime process, saying first who serves it when that is not what its name says; a
   * runtime that cannot start fails INIT with no process.
   */
  private launch(runtimeApi: string, launch: Launch): RuntimeProcess | undefined {
    if (launch.kind === 'unavailable') {
      this.failInit(launch.errorType, launch.message);
      return undefined;
    }
    if (launch.servedBy !== undefined) this.log(initStartLine(this.config, launch.servedBy, new Date()));
    this.runtime = this.spawn(runtimeApi, launch);
    return this.runtime;
  }

  private spawn(runtimeApi: string, launch: Extract<Launch, { kind: 'command' }>): RuntimeProcess {
    const { config, deps, logStreamName } = this;
    const homeDir = mkdtempSync(path.join(deps.scratchRoot ?? tmpdir(), 'lambda-tune-env-'));
    this.homeDir = homeDir;
    return new RuntimeProcess({
      executable: launch.executable,
      args: launch.args,
      cwd: config.codeDir,
      env: processEnvironment({ config, baseEnvironment: deps.baseEnvironment, logStreamName, runtimeApi, homeDir }),
      onLine: (line) => {
        this.log(line);
      },
      onExit: (code, signal) => {
        this.onExit(code, signal);
      },
      onSpawnError: (error) => {
        this.failInit('Runtime.ExitError', `Runtime failed to start: ${error.message}`);
        this.enter('dead');
      },
    });
  }

  private begin(request: InvocationRequest): Invocation {
    const invocation = newInvocation(request);
    this.active = invocation;
    const { logFormat, version } = this.config;
    this.log(logFormat === 'JSON' ? jsonPlatformStart(new Date(), request.requestId, version) : startLine(request.requestId, version));
    return invocation;
  }

  /**
   * Hands the event to the runtime and waits for the invocation to end, within its timeout and
   * memory. It ends once its CPU time is paid for, and returns once all it wrote has been read.
   */
  private async run(invocation: Invocation): Promise<{ ending: Ending; endedAtMs: number }> {
    if (this.initFailure !== undefined) return { ending: this.initFailure, endedAtMs: performance.now() };
    // Its process ended after INIT, before this invocation: nothing will answer it.
    if (this.exit !== undefined) return { ending: { kind: 'exit', ...this.exit }, endedAtMs: performance.now() };
    const deadlineMs = Date.now() + this.config.timeoutS * 1000;
    this.runtime?.thaw();
    this.deps.cpu.begin();
    this.api.deliver(invocation.request, deadlineMs, () => {
      invocation.deliveredAtMs = performance.now();
    });
    const stopWatching = this.watchLimits(invocation);
    const ending = await invocation.ended;
    stopWatching();
    await this.deps.cpu.end();
    const endedAtMs = performance.now();
    await this.outputOf(ending);
    return { ending, endedAtMs };
  }

  /** Kills the process at the function's timeout or over its memory; returns what stops watching. */
  private watchLimits(invocation: Invocation): () => void {
    const timer = setTimeout(() => {
      this.runtime?.kill();
      invocation.end({ kind: 'timeout' });
    }, this.config.timeoutS * 1000);
    this.memory.watch(this.runtime?.group, () => {
      this.runtime?.kill();
      invocation.end({ kind: 'oom' });
    });
    return () => {
      clearTimeout(timer);
      this.memory.stop();
    };
  }

  /** Waits for what the function wrote before its invocation ended: all of it comes before END and REPORT. */
  private async outputOf(ending: Ending): Promise<void> {
    const processEnded = ending.kind === 'timeout' || ending.kind === 'oom' || ending.kind === 'exit';
    if (processEnded) await this.runtime?.exited;
    else await this.runtime?.drainOutput();
  }

  private conclude(invocation: Invocation, ending: Ending, endedAtMs: number): InvocationOutcome {
    const { response, report, logLines, shutDown } = concludeInvocation(ending, {
      requestId: invocation.request.requestId,
      timeoutS: this.config.timeoutS,
      memorySizeMb: this.config.memoryMb,
      logFormat: this.config.logFormat,
      maxMemoryUsedMb: this.memory.maxUsedMb(this.runtime?.group),
      deliveredAtMs: invocation.deliveredAtMs,
      endedAtMs,
      initDurationMs: this.initReported ? undefined : this.initDurationMs,
      stderrTail: this.runtime?.stderrTail ?? '',
      now: new Date(),
    });
    this.initReported = true;
    for (const line of logLines) this.log(line);
    if (shutDown) void this.destroy();
    return { ...response, report, logTail: invocation.tail.text() };
  }

  private becomeIdle(): void {
    if (this.current !== 'busy') return;
    this.enter('idle');
    this.freezeIfParked();
  }

  /** Freezes an idle environment once its runtime waits on /next, so a thaw goes straight to delivering the next event. */
  private freezeIfParked(): void {
    if (this.current === 'idle' && this.active === undefined && this.api.parked) this.runtime?.freeze();
  }

  private async teardown(): Promise<void> {
    this.enter('dead');
    this.active?.end({ kind: 'exit', code: null, signal: 'SIGKILL' });
    this.runtime?.kill();
    await this.runtime?.exited;
    this.deps.cpu.close();
    await this.api.close();
    if (this.homeDir !== undefined) await rm(this.homeDir, { recursive: true, force: true });
  }

  /** The runtime asks for an event: the first time, INIT is over. */
  private onRuntimeWaiting(): void {
    this.endInit(undefined);
    this.freezeIfParked();
  }

  private onResult(requestId: string, result: RuntimeResult): boolean {
    if (this.active?.request.requestId !== requestId) return false;
    this.active.end(result);
    return true;
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exit = { code, signal };
    this.failInit('Runtime.ExitError', `Runtime exited with error: ${exitDescription(code, signal)}`);
    const inInvocation = this.active !== undefined;
    this.active?.end({ kind: 'exit', code, signal });
    this.enter('dead');
    if (!inInvocation) this.deps.onDead?.(this);
  }

  /** Fails INIT (if it is still under way) and stops the process: the environment is dead from then on. */
  private failInit(errorType: string, message?: string, body?: Buffer): void {
    if (!this.endInit({ kind: 'init-error', errorType, body: errorDocument(errorType, message, body) })) return;
    this.enter('dead');
    this.runtime?.kill();
  }

  /** Moves to another state, unless dead: nothing brings an environment back. */
  private enter(next: EnvironmentState): void {
    if (this.current !== 'dead') this.current = next;
  }

  private throwIfDestroyed(): void {
    if (this.destroyed !== undefined) throw new Error('The execution environment was shut down before its process started.');
  }

  /** Ends INIT once; false when it had ended already. */
  private endInit(failure: InitFailure | undefined): boolean {
    const settle = this.settleInit;
    if (settle === undefined) return false;
    this.settleInit = undefined;
    settle(failure);
    return true;
  }

  /** A platform line that only exists in the text log format (INIT_REPORT). */
  private logText(message: string): void {
    if (this.config.logFormat === 'Text') this.log(message);
  }

  private log(message: string): void {
    this.deps.log(this.config.logGroup, this.logStreamName, message, this.active?.request.requestId);
    this.active?.tail.push(message);
  }
}

function newInvocation(request: InvocationRequest): Invocation {
  let end: (ending: Ending) => void = () => undefined;
  const ended = new Promise<Ending>((resolve) => {
    end = resolve;
  });
  return { request, tail: new LogTail(), ended, end };
}

/** Waits for a promise, calling `onTimeout` if it has not settled in time (the promise is still awaited). */
async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, onTimeout: () => void): Promise<T> {
  const timer = setTimeout(onTimeout, timeoutMs);
  try {
    return await promise;
  } finally {
    clearTimeout(timer);
  }
}
