import { describe, expect, it } from 'vitest';
import { billedDurationMs, endLine, initReportLine, jsonPlatformReport, reportLine, startLine } from '../../src/parse/log-format.js';

const id = 'c6af9ac6-7b61-11e6-9a41-93e812345678';

/** The parts of a platform.report record these tests read. */
interface PlatformReport {
  record: { metrics: Record<string, number>; status: string };
}

describe('Lambda platform lines', () => {
  it('writes START and END as Lambda does', () => {
    expect(startLine(id, '$LATEST')).toBe(`START RequestId: ${id} Version: $LATEST`);
    expect(endLine(id)).toBe(`END RequestId: ${id}`);
  });

  it('writes a cold REPORT with Init Duration, each field followed by a tab', () => {
    expect(reportLine({ requestId: id, durationMs: 3.006, billedDurationMs: 4, memorySizeMb: 128, maxMemoryUsedMb: 36, initDurationMs: 110.1 })).toBe(
      `REPORT RequestId: ${id}\tDuration: 3.01 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 36 MB\tInit Duration: 110.10 ms\t`,
    );
  });

  it('writes a warm REPORT without Init Duration', () => {
    expect(reportLine({ requestId: id, durationMs: 1.5, billedDurationMs: 2, memorySizeMb: 1024, maxMemoryUsedMb: 80 })).toBe(
      `REPORT RequestId: ${id}\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 1024 MB\tMax Memory Used: 80 MB\t`,
    );
  });

  it('puts Status and Error Type last, after SnapStart restore fields', () => {
    expect(
      reportLine({
        requestId: id,
        durationMs: 3000,
        billedDurationMs: 3000,
        memorySizeMb: 128,
        maxMemoryUsedMb: 128,
        restoreDurationMs: 511.25,
        billedRestoreDurationMs: 303,
        status: 'error',
        errorType: 'Runtime.OutOfMemory',
      }),
    ).toBe(
      `REPORT RequestId: ${id}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tRestore Duration: 511.25 ms\tBilled Restore Duration: 303 ms\tStatus: error\tError Type: Runtime.OutOfMemory\t`,
    );
  });

  it('writes INIT_REPORT for a failed init', () => {
    expect(initReportLine(12.345, 'Runtime.ImportModuleError')).toBe(
      'INIT_REPORT Init Duration: 12.35 ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError\t',
    );
  });

  it('writes the JSON platform.report record, with initDurationMs only on a cold start', () => {
    const time = new Date('2026-11-21T10:00:00.000Z');
    expect(
      JSON.parse(
        jsonPlatformReport(time, {
          requestId: id,
          durationMs: 693.921,
          billedDurationMs: 694,
          memorySizeMb: 128,
          maxMemoryUsedMb: 84,
          initDurationMs: 397.678,
        }),
      ),
    ).toEqual({
      time: '2026-11-21T10:00:00.000Z',
      type: 'platform.report',
      record: {
        requestId: id,
        metrics: { durationMs: 693.92, billedDurationMs: 694, memorySizeMB: 128, maxMemoryUsedMB: 84, initDurationMs: 397.68 },
        status: 'success',
      },
    });
    const warm = JSON.parse(
      jsonPlatformReport(time, { requestId: id, durationMs: 1, billedDurationMs: 1, memorySizeMb: 128, maxMemoryUsedMb: 84, status: 'timeout' }),
    ) as PlatformReport;
    expect(warm.record.metrics).not.toHaveProperty('initDurationMs');
    expect(warm.record.status).toBe('timeout');
  });

  it('bills duration rounded up to the millisecond', () => {
    expect(billedDurationMs(3.01)).toBe(4);
    expect(billedDurationMs(4)).toBe(4);
    expect(billedDurationMs(0.2)).toBe(1);
  });
});
