import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../../src/parse/report.js';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'logs', name), 'utf8').split('\n');
const reportIn = (name: string) =>
  fixture(name)
    .map(parseReport)
    .find((r) => r !== undefined);

describe('parseReport over Lambda log formats', () => {
  it('reads a cold text REPORT with Init Duration', () => {
    expect(reportIn('text-cold.log')).toEqual({
      requestId: '8f507cfc-b0c2-4c1b-9bd9-2a5c4b7e0e0a',
      durationMs: 1402.61,
      billedDurationMs: 1403,
      memorySizeMb: 512,
      maxMemoryUsedMb: 138,
      initDurationMs: 412.37,
      status: 'success',
    });
  });

  it('reads a warm text REPORT with no Init Duration', () => {
    const report = reportIn('text-warm.log')!;
    expect(report).toMatchObject({ durationMs: 3.01, billedDurationMs: 4, memorySizeMb: 128, maxMemoryUsedMb: 36, status: 'success' });
    expect(report).not.toHaveProperty('initDurationMs');
  });

  it('reads SnapStart restore fields', () => {
    expect(reportIn('text-snapstart.log')).toMatchObject({ durationMs: 45.29, billedDurationMs: 349, restoreDurationMs: 511.25, billedRestoreDurationMs: 303 });
  });

  it('reads a timeout, with no trailing tab', () => {
    expect(reportIn('text-timeout.log')).toMatchObject({ durationMs: 3000, status: 'timeout', maxMemoryUsedMb: 1201 });
  });

  it('reads an out-of-memory error with its type', () => {
    expect(reportIn('text-oom.log')).toMatchObject({ status: 'error', errorType: 'Runtime.OutOfMemory', initDurationMs: 298.11 });
  });

  it('ignores X-Ray fields, on their own line or inline', () => {
    for (const name of ['text-xray.log', 'text-xray-inline.log']) {
      expect(reportIn(name)).toEqual({
        requestId: '1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b',
        durationMs: 25.12,
        billedDurationMs: 26,
        memorySizeMb: 256,
        maxMemoryUsedMb: 71,
        status: 'success',
      });
    }
  });

  it('reads JSON platform.report records, cold and warm (no initDurationMs is normal)', () => {
    expect(reportIn('json-cold.log')).toEqual({
      requestId: '6d68ca91-49c9-448d-89b8-7ca3e6dc66aa',
      durationMs: 693.92,
      billedDurationMs: 694,
      memorySizeMb: 128,
      maxMemoryUsedMb: 84,
      initDurationMs: 397.68,
      status: 'success',
    });
    expect(reportIn('json-warm.log')).not.toHaveProperty('initDurationMs');
    expect(reportIn('json-timeout.log')).toMatchObject({ status: 'timeout', durationMs: 3000 });
  });

  it('finds a REPORT behind a CloudWatch export prefix, and ignores everything else', () => {
    expect(parseReport(`2024-03-14T09:21:04.800Z\t${fixture('text-warm.log')[2]}`)?.durationMs).toBe(3.01);
    expect(parseReport('START RequestId: x Version: $LATEST')).toBeUndefined();
    expect(parseReport('REPORT RequestId: x\tDuration: 1 ms')).toBeUndefined();
    expect(parseReport('{"type":"platform.report", broken')).toBeUndefined();
  });
});
