import { billedDurationMs, endLine, jsonPlatformReport, type ReportFields, reportLine } from '../parse/log-format.js';
import type { LogFormat } from './function-config.js';
import { MAX_SYNC_PAYLOAD_BYTES } from './payload-limits.js';

/** How an invocation ended, as the execution environment saw it. */
export type Ending =
  | { kind: 'response'; body: Buffer }
  /** The handler failed and the runtime posted the error (the body may be empty). */
  | { kind: 'error'; errorType: string; body: Buffer }
  /** The runtime posted a result over 6 MB; it was refused at the limit (its size is known when it was declared). */
  | { kind: 'too-large'; declaredBytes: number | undefined }
  /** The environment never got through INIT; every invocation it takes ends this way. */
  | { kind: 'init-error'; errorType: string; body: Buffer }
  | { kind: 'timeout' }
  /** The platform killed the process for going over the function's memory. */
  | { kind: 'oom' }
  /** The process ended by itself mid-invocation. */
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null };

/** What else the conclusion depends on besides the ending. */
export interface InvocationFacts {
  requestId: string;
  timeoutS: number;
  memorySizeMb: number;
  logFormat: LogFormat;
  maxMemoryUsedMb: number;
  /** When the event reached the runtime (undefined: it never did) and when the invocation ended, on one clock, in ms. */
  deliveredAtMs: number | undefined;
  endedAtMs: number;
  /** Only for the first invocation an environment reports. */
  initDurationMs: number | undefined;
  /** The end of the runtime's stderr: it tells a heap out of memory apart from other crashes. */
  stderrTail: string;
  now: Date;
}

export interface Conclusion {
  /** What the caller of Invoke gets. */
  response: { payload: Buffer; functionError: 'Unhandled' | undefined };
  report: ReportFields;
  /** The platform's own log lines, in order: any error notice, END (text format only) and REPORT. */
  logLines: string[];
  /** The environment must not take another invocation (a process that exited is gone already). */
  shutDown: boolean;
}

/** The outcome the caller sees, apart from the report. */
interface Verdict {
  payload: Buffer;
  functionError: 'Unhandled' | undefined;
  status: ReportFields['status'];
  errorType: string | undefined;
  notices: string[];
}

/** Concludes an invocation the way Lambda does: the caller's answer, the REPORT, and the lines around it. */
export function concludeInvocation(ending: Ending, facts: InvocationFacts): Conclusion {
  const verdict = verdictOf(ending, facts);
  const report = reportOf(verdict, facts, durationOf(ending, facts));
  return {
    response: { payload: verdict.payload, functionError: verdict.functionError },
    report,
    logLines: [...verdict.notices, ...closingLines(report, facts)],
    shutDown: ending.kind === 'timeout' || ending.kind === 'oom' || ending.kind === 'init-error',
  };
}

function verdictOf(ending: Ending, facts: InvocationFacts): Verdict {
  switch (ending.kind) {
    case 'response':
      return ending.body.length > MAX_SYNC_PAYLOAD_BYTES ? responseTooLarge(ending.body.length) : success(ending.body);
    case 'too-large':
      return responseTooLarge(ending.declaredBytes);
    case 'error':
      return { ...failure(ending.errorType, ending.body), status: undefined, errorType: undefined };
    case 'init-error':
      return failure(ending.errorType, ending.body);
    case 'timeout':
      return timedOut(facts);
    case 'oom':
      return runtimeExited('Runtime.OutOfMemory', 'signal: killed', facts.requestId);
    case 'exit': {
      const outOfHeap = /heap out of memory/i.test(facts.stderrTail);
      return runtimeExited(outOfHeap ? 'Runtime.OutOfMemory' : 'Runtime.ExitError', exitDescription(ending.code, ending.signal), facts.requestId);
    }
  }
}

function success(body: Buffer): Verdict {
  return { payload: body, functionError: undefined, status: undefined, errorType: undefined, notices: [] };
}

/** A function error with Status: error and its type in the REPORT. */
function failure(errorType: string, body: Buffer): Verdict {
  return { payload: errorDocument(errorType, undefined, body), functionError: 'Unhandled', status: 'error', errorType, notices: [] };
}

/** Lambda's words, with the size when it is known. */
function responseTooLarge(sizeBytes: number | undefined): Verdict {
  const size = sizeBytes === undefined ? '' : ` (${sizeBytes} bytes)`;
  const message = `Response payload size${size} exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`;
  return failure('Function.ResponseSizeTooLarge', errorDocument('Function.ResponseSizeTooLarge', message));
}

/** A timeout says so in the log (text format), and its REPORT has Status: timeout with no error type. */
function timedOut(facts: InvocationFacts): Verdict {
  const after = `Task timed out after ${facts.timeoutS.toFixed(2)} seconds`;
  const payload = errorDocument('Sandbox.Timedout', `RequestId: ${facts.requestId} Error: ${after}`);
  const notice = `${facts.now.toISOString()} ${facts.requestId} ${after}`;
  return {
    ...failure('Sandbox.Timedout', payload),
    status: 'timeout',
    errorType: undefined,
    notices: facts.logFormat === 'Text' ? [notice] : [],
  };
}

function runtimeExited(errorType: string, how: string, requestId: string): Verdict {
  const message = `RequestId: ${requestId} Error: Runtime exited with error: ${how}`;
  return { ...failure(errorType, errorDocument(errorType, message)), notices: [message] };
}

/** A timeout lasts exactly the timeout; anything else from delivering the event to its end. */
function durationOf(ending: Ending, facts: InvocationFacts): number {
  if (ending.kind === 'timeout') return facts.timeoutS * 1000;
  return Math.max(0, facts.endedAtMs - (facts.deliveredAtMs ?? facts.endedAtMs));
}

function reportOf(verdict: Verdict, facts: InvocationFacts, durationMs: number): ReportFields {
  return {
    requestId: facts.requestId,
    durationMs,
    billedDurationMs: billedDurationMs(durationMs),
    memorySizeMb: facts.memorySizeMb,
    maxMemoryUsedMb: facts.maxMemoryUsedMb,
    initDurationMs: facts.initDurationMs,
    status: verdict.status,
    errorType: verdict.errorType,
  };
}

function closingLines(report: ReportFields, facts: InvocationFacts): string[] {
  if (facts.logFormat === 'JSON') return [jsonPlatformReport(facts.now, report)];
  return [endLine(report.requestId), reportLine(report)];
}

/** What the runtime posted is what the caller gets, as on Lambda; an empty body becomes `{errorType, errorMessage}`. */
export function errorDocument(errorType: string, message?: string, body?: Buffer): Buffer {
  if (body !== undefined && body.length > 0) return body;
  return Buffer.from(JSON.stringify({ errorType, errorMessage: message ?? errorType }));
}

/** How Lambda words a runtime's end: `signal: killed`, `exit status 1`. */
export function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === null) return `exit status ${code ?? 0}`;
  return `signal: ${signal === 'SIGKILL' ? 'killed' : signal.replace(/^SIG/, '').toLowerCase()}`;
}
