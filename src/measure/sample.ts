import { parseReport } from '../parse/report.js';
import { extractTimings, type TimingPattern } from '../parse/timings.js';
import type { CellKey, Sample } from '../result/types.js';
import type { Gateway, InvokeOutcome } from '../lambda/gateway.js';

/** The REPORT of this invocation among its log lines, if present. */
export function findReport(lines: readonly string[], requestId: string) {
  for (const line of lines.toReversed()) {
    const report = parseReport(line);
    if (report !== undefined && (requestId === '' || report.requestId === requestId)) return report;
  }
  return undefined;
}

/**
 * Turns one invocation's outcome and log lines into a sample; undefined when its REPORT is not
 * among them. A function error of an allowed type is a success that keeps its error type.
 */
export function toSample(
  cell: CellKey,
  outcome: InvokeOutcome,
  lines: readonly string[],
  patterns: readonly TimingPattern[],
  warmup: boolean,
  allowedErrors: readonly string[] = [],
): Sample | undefined {
  const report = findReport(lines, outcome.requestId);
  if (report === undefined) return undefined;
  const failed = report.status !== 'success' || outcome.functionError !== undefined;
  const errorType = failed ? (report.errorType ?? errorTypeOf(outcome.payload) ?? outcome.functionError ?? 'Unhandled') : undefined;
  const allowed = errorType !== undefined && isAllowed(report.status, errorType, allowedErrors);
  const sample: Sample = {
    function: cell.function,
    memoryMb: cell.memoryMb,
    params: cell.params,
    durationMs: report.durationMs,
    billedDurationMs: report.billedDurationMs,
    maxMemoryUsedMb: report.maxMemoryUsedMb,
    status: failed && !allowed ? (report.status === 'success' ? 'error' : report.status) : 'success',
    cold: report.initDurationMs !== undefined,
    warmup,
    timings: extractTimings(lines, patterns),
    requestId: outcome.requestId,
  };
  if (report.initDurationMs !== undefined) sample.initDurationMs = report.initDurationMs;
  if (errorType !== undefined) sample.errorType = errorType;
  return sample;
}

/**
 * Only an error the handler raised can be allowed: the platform's own (a timeout, running out of
 * memory, a failed init) leave no duration worth counting.
 */
function isAllowed(status: string, errorType: string, allowedErrors: readonly string[]): boolean {
  return status !== 'timeout' && !/^(Runtime|Sandbox)\./.test(errorType) && allowedErrors.includes(errorType);
}

function errorTypeOf(payload: string): string | undefined {
  try {
    const parsed = JSON.parse(payload) as { errorType?: unknown };
    return typeof parsed.errorType === 'string' ? parsed.errorType : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the lines hold all an invocation needs: its REPORT, and each timing pattern's match. */
export function linesComplete(lines: readonly string[], requestId: string, patterns: readonly TimingPattern[]): boolean {
  if (findReport(lines, requestId) === undefined) return false;
  const found = extractTimings(lines, patterns);
  return patterns.every((p) => p.name in found);
}

/** One invocation to measure: where it goes, what it carries, and which cell its sample belongs to. */
export interface Invocation {
  cell: CellKey;
  /** The function (name or ARN) and the qualifier (version or alias) that is invoked. */
  functionName: string;
  qualifier: string;
  logGroup: string;
  payload: Record<string, unknown>;
  timings: readonly TimingPattern[];
  warmup: boolean;
  /** Error types that count as successes (--allow-error). */
  allowedErrors?: readonly string[] | undefined;
  /** The function's timeout: its answer is waited for that long and a margin, no longer. */
  timeoutS: number;
}

/**
 * Invokes once and reads the sample from the log tail, or from CloudWatch Logs when the tail was
 * cut short or lacks a line the run needs; undefined when no REPORT can be found.
 */
export async function measureInvocation(gateway: Pick<Gateway, 'invoke' | 'findLogLines'>, invocation: Invocation): Promise<Sample | undefined> {
  const startedMs = Date.now() - 1000;
  const answerWithinMs = invocation.timeoutS * 1000 + 30_000;
  const outcome = await gateway.invoke(invocation.functionName, invocation.qualifier, JSON.stringify(invocation.payload), answerWithinMs);
  let lines = outcome.tailLines;
  const { timings } = invocation;
  if (!linesComplete(lines, outcome.requestId, timings) && (outcome.tailTruncated || !linesComplete(lines, outcome.requestId, []))) {
    lines = await gateway.findLogLines(invocation.logGroup, outcome.requestId, startedMs, (found) => linesComplete(found, outcome.requestId, timings));
  }
  return toSample(invocation.cell, outcome, lines, timings, invocation.warmup, invocation.allowedErrors);
}
