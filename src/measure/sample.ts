import { invocationCostUsd } from '../cost/prices.js';
import { parseReport } from '../parse/report.js';
import { extractTimings, type TimingPattern } from '../parse/timings.js';
import type { CellKey, Prices, RunShape, Sample } from '../result/types.js';
import type { FunctionSnapshot, Gateway, InvokeOutcome } from '../lambda/gateway.js';
import { cellPayload } from './cells.js';

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
  const allowed = errorType !== undefined && !platformFailed(report, lines) && isAllowed(report.status, errorType, allowedErrors);
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
 * Whether Lambda itself reports the invocation failed, not just its handler: a REPORT with a status
 * and an error type of its own (a failed INIT, whatever type the code raised there; a runtime that
 * exited), or an INIT_REPORT / platform.initReport that did not succeed.
 */
function platformFailed(report: { status: string; errorType?: string | undefined }, lines: readonly string[]): boolean {
  if (report.status !== 'success' && report.errorType !== undefined) return true;
  return lines.some(
    (line) =>
      (line.startsWith('INIT_REPORT') && /\tStatus: (?!success)/.test(line)) ||
      (line.includes('"platform.initReport"') && /"status":\s*"(?!success)/.test(line)),
  );
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

/** The invocation of a cell on one version (or alias): the cell's payload, the run's timings and allowed errors, the function's log group and timeout. */
export function cellInvocation(
  spec: Pick<RunShape, 'payload' | 'payloads' | 'allowedErrors'> & { timings: readonly TimingPattern[] },
  cell: CellKey & { snapshot: Pick<FunctionSnapshot, 'name' | 'logGroup' | 'timeoutS'> },
  qualifier: string,
  warmup: boolean,
): Invocation {
  return {
    cell,
    functionName: cell.snapshot.name,
    qualifier,
    logGroup: cell.snapshot.logGroup,
    payload: cellPayload(spec, cell.params),
    timings: spec.timings,
    warmup,
    allowedErrors: spec.allowedErrors,
    timeoutS: cell.snapshot.timeoutS,
  };
}

/** What one sample cost: its billed duration at its memory, its request, and its INIT when that is billed. */
export function sampleCostUsd(sample: Sample, prices: Prices): number {
  return invocationCostUsd(sample.billedDurationMs, sample.memoryMb, prices, sample.initDurationMs, sample.durationMs);
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
