import type { ReportFields, ReportStatus } from './log-format.js';

/** One REPORT, whichever log format it came in; `status` is always present once parsed. */
export interface ParsedReport extends Omit<ReportFields, 'status'> {
  status: ReportStatus;
}

const TEXT_FIELDS: Record<string, (report: Partial<ParsedReport>, value: string) => void> = {
  Duration: (r, v) => (r.durationMs = ms(v)),
  'Billed Duration': (r, v) => (r.billedDurationMs = ms(v)),
  'Memory Size': (r, v) => (r.memorySizeMb = mb(v)),
  'Max Memory Used': (r, v) => (r.maxMemoryUsedMb = mb(v)),
  'Init Duration': (r, v) => (r.initDurationMs = ms(v)),
  'Restore Duration': (r, v) => (r.restoreDurationMs = ms(v)),
  'Billed Restore Duration': (r, v) => (r.billedRestoreDurationMs = ms(v)),
  Status: (r, v) => (r.status = v.trim() as ReportStatus),
  'Error Type': (r, v) => (r.errorType = v.trim()),
};

/** Reads a REPORT line in Lambda's text format or a `platform.report` JSON record; undefined for any other line. */
export function parseReport(line: string): ParsedReport | undefined {
  const start = line.indexOf('REPORT RequestId: ');
  if (start !== -1) return parseTextReport(line.slice(start));
  if (line.includes('"platform.report"')) return parseJsonReport(line);
  return undefined;
}

function parseTextReport(line: string): ParsedReport | undefined {
  const fields = line.split('\t');
  const requestId = /^REPORT RequestId: (\S+)/.exec(fields[0] ?? '')?.[1];
  if (requestId === undefined) return undefined;
  const report: Partial<ParsedReport> = { requestId };
  for (const field of fields.slice(1)) {
    const colon = field.indexOf(': ');
    if (colon === -1) continue;
    TEXT_FIELDS[field.slice(0, colon).trim()]?.(report, field.slice(colon + 2));
  }
  return complete(report);
}

function parseJsonReport(line: string): ParsedReport | undefined {
  let parsed: { type?: string; record?: { requestId?: string; status?: string; errorType?: string; metrics?: Record<string, number> } };
  try {
    parsed = JSON.parse(line.slice(line.indexOf('{'))) as typeof parsed;
  } catch {
    return undefined;
  }
  const record = parsed.record;
  if (parsed.type !== 'platform.report' || record?.requestId === undefined || record.metrics === undefined) return undefined;
  const m = record.metrics;
  return complete({
    requestId: record.requestId,
    durationMs: m['durationMs'],
    billedDurationMs: m['billedDurationMs'],
    memorySizeMb: m['memorySizeMB'],
    maxMemoryUsedMb: m['maxMemoryUsedMB'],
    initDurationMs: m['initDurationMs'],
    restoreDurationMs: m['restoreDurationMs'],
    billedRestoreDurationMs: m['billedRestoreDurationMs'],
    status: (record.status ?? 'success') as ReportStatus,
    errorType: record.errorType,
  });
}

function complete(report: Partial<ParsedReport>): ParsedReport | undefined {
  const { requestId, durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb } = report;
  if (requestId === undefined || durationMs === undefined || billedDurationMs === undefined || memorySizeMb === undefined || maxMemoryUsedMb === undefined) {
    return undefined;
  }
  const result: ParsedReport = { requestId, durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb, status: report.status ?? 'success' };
  for (const key of ['initDurationMs', 'restoreDurationMs', 'billedRestoreDurationMs', 'errorType'] as const) {
    if (report[key] !== undefined) (result as unknown as Record<string, unknown>)[key] = report[key];
  }
  return result;
}

function ms(value: string): number {
  return Number.parseFloat(value.replace(/\s*ms\s*$/, ''));
}

function mb(value: string): number {
  return Number.parseFloat(value.replace(/\s*MB\s*$/, ''));
}
