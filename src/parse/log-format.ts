/**
 * The platform lines Lambda writes around every invocation, in its text and JSON log formats.
 * Field order and separators follow AWS's output: tab separated, each field followed by a tab.
 */

export type ReportStatus = 'success' | 'error' | 'timeout' | 'failure';

export interface ReportFields {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number | undefined;
  restoreDurationMs?: number | undefined;
  billedRestoreDurationMs?: number | undefined;
  /** Absent for a plain successful invocation. */
  status?: Exclude<ReportStatus, 'success'> | undefined;
  errorType?: string | undefined;
}

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export function reportLine(report: ReportFields): string {
  const fields = [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${report.billedDurationMs} ms`,
    `Memory Size: ${report.memorySizeMb} MB`,
    `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
  ];
  if (report.initDurationMs !== undefined) fields.push(`Init Duration: ${report.initDurationMs.toFixed(2)} ms`);
  if (report.restoreDurationMs !== undefined) fields.push(`Restore Duration: ${report.restoreDurationMs.toFixed(2)} ms`);
  if (report.billedRestoreDurationMs !== undefined) fields.push(`Billed Restore Duration: ${report.billedRestoreDurationMs} ms`);
  if (report.status !== undefined) fields.push(`Status: ${report.status}`);
  if (report.errorType !== undefined) fields.push(`Error Type: ${report.errorType}`);
  return fields.map((field) => `${field}\t`).join('');
}

export function initReportLine(initDurationMs: number, errorType: string): string {
  return `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: error\tError Type: ${errorType}\t`;
}

export function jsonPlatformStart(time: Date, requestId: string, version: string): string {
  return JSON.stringify({ time: time.toISOString(), type: 'platform.start', record: { requestId, version } });
}

export function jsonPlatformReport(time: Date, report: ReportFields): string {
  const metrics: Record<string, number> = {
    durationMs: round2(report.durationMs),
    billedDurationMs: report.billedDurationMs,
    memorySizeMB: report.memorySizeMb,
    maxMemoryUsedMB: report.maxMemoryUsedMb,
  };
  if (report.initDurationMs !== undefined) metrics['initDurationMs'] = round2(report.initDurationMs);
  if (report.restoreDurationMs !== undefined) metrics['restoreDurationMs'] = round2(report.restoreDurationMs);
  const record: Record<string, unknown> = { requestId: report.requestId, metrics, status: report.status ?? 'success' };
  if (report.errorType !== undefined) record['errorType'] = report.errorType;
  return JSON.stringify({ time: time.toISOString(), type: 'platform.report', record });
}

/** Lambda bills duration rounded up to the next millisecond (since December 2020). */
export function billedDurationMs(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
