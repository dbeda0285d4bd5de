import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPlatformReport, type ReportFields, type ReportStatus, reportLine } from '../../src/parse/log-format.js';
import { type ParsedReport, parseReport } from '../../src/parse/report.js';
import { anyText, holds, numberishText } from './check.js';
import { type Invocation, invocationArb, jsonReport, textDressArb, textReport, twoDecimals } from './report-lines.js';

const STATUSES: readonly ReportStatus[] = ['success', 'error', 'timeout', 'failure'];
const REQUIRED = ['durationMs', 'billedDurationMs', 'memorySizeMb', 'maxMemoryUsedMb'] as const;
const OPTIONAL = ['initDurationMs', 'restoreDurationMs', 'billedRestoreDurationMs'] as const;
const TEXT_LABELS = ['Duration', 'Billed Duration', 'Memory Size', 'Max Memory Used', 'Init Duration', 'Restore Duration', 'Billed Restore Duration'];
const JSON_METRICS = ['durationMs', 'billedDurationMs', 'memorySizeMB', 'maxMemoryUsedMB', 'initDurationMs', 'restoreDurationMs', 'billedRestoreDurationMs'];

/** What parseReport should read from an invocation's REPORT, durations at the two decimals the line carries. */
function expectedReport(invocation: Invocation): ParsedReport {
  const report: ParsedReport = {
    requestId: invocation.requestId,
    durationMs: twoDecimals(invocation.durationMs),
    billedDurationMs: invocation.billedDurationMs,
    memorySizeMb: invocation.memorySizeMb,
    maxMemoryUsedMb: invocation.maxMemoryUsedMb,
    status: invocation.status,
  };
  if (invocation.initDurationMs !== undefined) report.initDurationMs = twoDecimals(invocation.initDurationMs);
  if (invocation.restore !== undefined) {
    report.restoreDurationMs = twoDecimals(invocation.restore.durationMs);
    report.billedRestoreDurationMs = invocation.restore.billedMs;
  }
  if (invocation.errorType !== undefined) report.errorType = invocation.errorType;
  return report;
}

/** Whatever parseReport makes of a line is either nothing or a report whose every figure is a finite amount ≥ 0. */
export function isSaneReport(report: ParsedReport | undefined): boolean {
  if (report === undefined) return true;
  const amount = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
  const numbersOk = REQUIRED.every((key) => amount(report[key])) && OPTIONAL.every((key) => report[key] === undefined || amount(report[key]));
  return (
    numbersOk &&
    STATUSES.includes(report.status) &&
    typeof report.requestId === 'string' &&
    report.requestId !== '' &&
    (report.errorType === undefined || typeof report.errorType === 'string')
  );
}

/** Text shaped like a REPORT line, its fields' labels right and their values anything. */
const textReportish = fc
  .tuple(
    fc.oneof(fc.uuid(), anyText(40)),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...TEXT_LABELS, 'Status', 'Error Type', 'XRAY TraceId'), anyText(20)), fc.oneof(numberishText, anyText(30))), {
      maxLength: 12,
    }),
    fc.constantFrom(' ms', ' MB', '', ' ms\t', 'ms', ' '),
    fc.constantFrom('\t', ' ', '\t\t', ': ', ''),
  )
  .map(([id, fields, unit, separator]) => `REPORT RequestId: ${id}\t${fields.map(([label, value]) => `${label}: ${value}${unit}`).join(separator)}`);

/** JSON shaped like a platform.report record, its metrics and record fields any JSON. */
const jsonReportish = fc
  .record(
    {
      requestId: fc.oneof(fc.uuid(), fc.jsonValue()),
      status: fc.oneof(fc.constantFrom(...STATUSES), fc.jsonValue()),
      errorType: fc.jsonValue(),
      metrics: fc.oneof(
        fc.dictionary(fc.constantFrom(...JSON_METRICS), fc.oneof(fc.double(), fc.integer({ min: -1000, max: 100_000 }), fc.jsonValue())),
        fc.jsonValue(),
      ),
    },
    { requiredKeys: [] },
  )
  .chain((record) => fc.constantFrom(JSON.stringify({ type: 'platform.report', record }), `{"type":"platform.report","record":${JSON.stringify(record)}`));

export function reportProperties(): void {
  describe('REPORT lines', () => {
    it('a text REPORT of any invocation reads back to its figures, at two decimals', () => {
      holds(
        fc.property(invocationArb(['success', 'timeout', 'error']), textDressArb, (invocation, dress) => {
          const report = parseReport(textReport(invocation, dress));
          expect(report).toEqual(expectedReport(invocation));
          expect(Math.abs(report!.durationMs - invocation.durationMs)).toBeLessThanOrEqual(0.005 + 1e-9 * invocation.durationMs);
        }),
        12_000,
      );
    });

    it('a JSON platform.report record of any invocation reads back to its figures', () => {
      holds(
        fc.property(invocationArb(STATUSES), fc.constantFrom('', '2024-03-14T09:21:04.800Z\t'), (invocation, prefix) => {
          expect(parseReport(prefix + jsonReport(invocation))).toEqual(expectedReport(invocation));
        }),
        10_000,
      );
    });

    it("the local platform's own REPORT lines, text and JSON, read back to what it wrote", () => {
      holds(
        fc.property(invocationArb(STATUSES), (invocation) => {
          const fields: ReportFields = {
            requestId: invocation.requestId,
            durationMs: invocation.durationMs,
            billedDurationMs: invocation.billedDurationMs,
            memorySizeMb: invocation.memorySizeMb,
            maxMemoryUsedMb: invocation.maxMemoryUsedMb,
            initDurationMs: invocation.initDurationMs,
            status: invocation.status === 'success' ? undefined : invocation.status,
            errorType: invocation.errorType,
          };
          const expected = expectedReport({ ...invocation, restore: undefined });
          expect(parseReport(reportLine(fields))).toEqual(expected);
          expect(parseReport(jsonPlatformReport(new Date(0), fields))).toEqual(expected);
        }),
        6_000,
      );
    });

    it('any text at all gives no report or a sane one, and never throws', () => {
      holds(
        fc.property(
          fc.oneof(
            anyText(300),
            anyText(100).map((s) => `REPORT RequestId: ${s}`),
            anyText(100).map((s) => `"platform.report"${s}`),
          ),
          (line) => {
            expect(isSaneReport(parseReport(line))).toBe(true);
          },
        ),
        15_000,
      );
    });

    it('text REPORT lines with any values in their fields (Duration: banana, 1e400, -3) give no report or a sane one', () => {
      holds(
        fc.property(textReportish, (line) => {
          expect(isSaneReport(parseReport(line))).toBe(true);
        }),
        15_000,
      );
    });

    it('platform.report records holding any JSON give no report or a sane one', () => {
      holds(
        fc.property(jsonReportish, (line) => {
          expect(isSaneReport(parseReport(line))).toBe(true);
        }),
        10_000,
      );
    });

    it('counterexamples the properties found: unreadable figures, odd labels and record shapes give no report, and never throw', () => {
      const fields = 'Billed Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 36 MB\t';
      // A Duration that is no number read as NaN, a negative one stayed negative, 1e400 became Infinity.
      for (const duration of ['', 'banana', '-3', '1e400']) expect(parseReport(`REPORT RequestId: r\tDuration: ${duration} ms\t${fields}`)).toBeUndefined();
      // A status Lambda never writes was passed on as if it were one.
      expect(parseReport(`REPORT RequestId: r\tDuration: 3.01 ms\t${fields}Status: banana\t`)).toBeUndefined();
      // A field labelled __proto__ looked up Object.prototype and threw "is not a function".
      expect(parseReport(`REPORT RequestId: r\tDuration: 3.01 ms\t${fields}__proto__: 0 ms\tconstructor: 1\t`)?.durationMs).toBe(3.01);
      // A record with null metrics threw; a missing or empty request id, or metrics that are not numbers, were taken as they came.
      expect(parseReport('{"type":"platform.report","record":{"requestId":null,"metrics":null}}')).toBeUndefined();
      const metrics = '"metrics":{"durationMs":1,"billedDurationMs":1,"memorySizeMB":128,"maxMemoryUsedMB":1}';
      expect(parseReport(`{"type":"platform.report","record":{"requestId":"",${metrics}}}`)).toBeUndefined();
      expect(parseReport(`{"type":"platform.report","record":{"requestId":7,${metrics}}}`)).toBeUndefined();
      expect(
        parseReport(
          '{"type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":"1","billedDurationMs":1,"memorySizeMB":128,"maxMemoryUsedMB":-1}}}',
        ),
      ).toBeUndefined();
      expect(parseReport(`{"type":"platform.report","record":{"requestId":"r",${metrics},"status":"error","errorType":5}}`)).not.toHaveProperty('errorType');
    });
  });
}
