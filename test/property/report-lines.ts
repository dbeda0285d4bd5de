import fc from 'fast-check';
import type { ReportStatus } from '../../src/parse/log-format.js';

/**
 * REPORT lines as Lambda writes them (AWS-FACTS.md), rendered here from generated metrics so the
 * parser is checked against the format rather than against the local platform's own writer.
 */
export interface Invocation {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs: number | undefined;
  restore: { durationMs: number; billedMs: number } | undefined;
  status: ReportStatus;
  errorType: string | undefined;
}

/** How a text REPORT line is dressed: X-Ray fields, the trailing tab, a CloudWatch export prefix, a CRLF. */
export interface TextDress {
  xray: boolean;
  trailingTab: boolean;
  prefix: string;
  crlf: boolean;
}

const ERROR_TYPES = ['Runtime.OutOfMemory', 'Runtime.ExitError', 'Runtime.Unknown', 'Sandbox.Timedout', 'Function.Unhandled'] as const;

const ms = (max: number) => fc.double({ min: 0, max, noNaN: true });

/** Any invocation Lambda could report: cold or warm, SnapStart or not, succeeded, timed out or failed. */
export const invocationArb = (statuses: readonly ReportStatus[]): fc.Arbitrary<Invocation> =>
  fc
    .record({
      requestId: fc.uuid(),
      durationMs: ms(900_000),
      memorySizeMb: fc.integer({ min: 128, max: 10_240 }),
      usedFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      initDurationMs: fc.option(ms(10_000), { nil: undefined }),
      restore: fc.option(fc.record({ durationMs: ms(10_000), billedMs: fc.integer({ min: 0, max: 10_000 }) }), { nil: undefined }),
      status: fc.constantFrom(...statuses),
      errorType: fc.constantFrom(...ERROR_TYPES),
      timeoutS: fc.integer({ min: 1, max: 900 }),
    })
    .map(({ usedFraction, timeoutS, errorType, ...r }) => {
      const durationMs = r.status === 'timeout' ? timeoutS * 1000 : r.durationMs;
      return {
        ...r,
        durationMs,
        // Billed Duration is Duration rounded up to the ms, and includes the billed restore.
        billedDurationMs: Math.max(1, Math.ceil(durationMs)) + (r.restore?.billedMs ?? 0),
        maxMemoryUsedMb: Math.round(usedFraction * r.memorySizeMb),
        errorType: r.status === 'error' || r.status === 'failure' ? errorType : undefined,
      };
    });

export const textDressArb: fc.Arbitrary<TextDress> = fc.record({
  xray: fc.boolean(),
  trailingTab: fc.boolean(),
  prefix: fc.constantFrom('', '2024-03-14T09:21:04.800Z\t', '2024-03-14T09:21:04.800Z '),
  crlf: fc.boolean(),
});

/** A text REPORT: tab separated fields in Lambda's order, each followed by a tab. */
export function textReport(invocation: Invocation, dress: TextDress): string {
  const fields = [
    `REPORT RequestId: ${invocation.requestId}`,
    `Duration: ${invocation.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${invocation.billedDurationMs} ms`,
    `Memory Size: ${invocation.memorySizeMb} MB`,
    `Max Memory Used: ${invocation.maxMemoryUsedMb} MB`,
  ];
  if (invocation.initDurationMs !== undefined) fields.push(`Init Duration: ${invocation.initDurationMs.toFixed(2)} ms`);
  if (invocation.restore !== undefined) {
    fields.push(`Restore Duration: ${invocation.restore.durationMs.toFixed(2)} ms`, `Billed Restore Duration: ${invocation.restore.billedMs} ms`);
  }
  if (invocation.status !== 'success') fields.push(`Status: ${invocation.status}`);
  if (invocation.errorType !== undefined) fields.push(`Error Type: ${invocation.errorType}`);
  if (dress.xray) fields.push('XRAY TraceId: 1-65f3a1b2-3c4d5e6f7a8b9c0d1e2f3a4b', 'SegmentId: 1a2b3c4d5e6f7a8b', 'Sampled: true');
  const line = fields.join('\t') + (dress.trailingTab ? '\t' : '');
  return `${dress.prefix}${line}${dress.crlf ? '\r' : ''}`;
}

/** A `platform.report` record of the JSON log format, durations with two decimals as Lambda writes them. */
export function jsonReport(invocation: Invocation): string {
  const metrics: Record<string, number> = {
    durationMs: twoDecimals(invocation.durationMs),
    billedDurationMs: invocation.billedDurationMs,
    memorySizeMB: invocation.memorySizeMb,
    maxMemoryUsedMB: invocation.maxMemoryUsedMb,
  };
  if (invocation.initDurationMs !== undefined) metrics['initDurationMs'] = twoDecimals(invocation.initDurationMs);
  if (invocation.restore !== undefined) {
    metrics['restoreDurationMs'] = twoDecimals(invocation.restore.durationMs);
    metrics['billedRestoreDurationMs'] = invocation.restore.billedMs;
  }
  const record: Record<string, unknown> = { requestId: invocation.requestId, metrics, status: invocation.status };
  if (invocation.errorType !== undefined) record['errorType'] = invocation.errorType;
  record['spans'] = [{ name: 'responseLatency', start: '2024-03-14T09:21:04.100Z', durationMs: 1.5 }];
  return JSON.stringify({ time: '2024-03-14T09:21:04.800Z', type: 'platform.report', record });
}

/** A duration as the text format writes it and reads back: two decimals. */
export function twoDecimals(value: number): number {
  return Number(value.toFixed(2));
}
