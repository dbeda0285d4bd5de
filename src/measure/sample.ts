import { parseReport } from '../parse/report.js';
import { extractTimings, type TimingPattern } from '../parse/timings.js';
import type { CellKey, Sample } from '../result/types.js';
import type { InvokeOutcome } from '../lambda/gateway.js';

/** The REPORT of this invocation among its log lines, if present. */
export function findReport(lines: readonly string[], requestId: string) {
  for (const line of lines.toReversed()) {
    const report = parseReport(line);
    if (report !== undefined && (requestId === '' || report.requestId === requestId)) return report;
  }
  return undefined;
}

/** Turns one invocation's outcome and log lines into a sample; undefined when its REPORT is not among them. */
export function toSample(
  cell: CellKey,
  outcome: InvokeOutcome,
  lines: readonly string[],
  patterns: readonly TimingPattern[],
  warmup: boolean,
): Sample | undefined {
  const report = findReport(lines, outcome.requestId);
  if (report === undefined) return undefined;
  const failed = report.status !== 'success' || outcome.functionError !== undefined;
  const sample: Sample = {
    function: cell.function,
    memoryMb: cell.memoryMb,
    chunkMb: cell.chunkMb,
    durationMs: report.durationMs,
    billedDurationMs: report.billedDurationMs,
    maxMemoryUsedMb: report.maxMemoryUsedMb,
    status: failed ? (report.status === 'success' ? 'error' : report.status) : 'success',
    cold: report.initDurationMs !== undefined,
    warmup,
    timings: extractTimings(lines, patterns),
    requestId: outcome.requestId,
  };
  if (report.initDurationMs !== undefined) sample.initDurationMs = report.initDurationMs;
  if (failed) sample.errorType = report.errorType ?? errorTypeOf(outcome.payload) ?? outcome.functionError ?? 'Unhandled';
  return sample;
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
