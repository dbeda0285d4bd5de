import type { ReportFields, ReportStatus } from './log-format.js';

/** One REPORT, whichever log format it came in; `status` is always present once parsed. */
export interface ParsedReport extends Omit<ReportFields, 'status'> {
  status: ReportStatus;
}

const STATUSES = new Set<unknown>(['success', 'error', 'timeout', 'failure'] satisfies ReportStatus[]);

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
    const label = field.slice(0, colon).trim();
    if (Object.hasOwn(TEXT_FIELDS, label)) TEXT_FIELDS[label]?.(report, field.slice(colon + 2));
  }
  return complete(report);
}

function parseJsonReport(line: string): ParsedReport | undefined {
  let parsed: {
    type?: unknown;
    record?: { requestId?: unknown; status?: unknown; errorType?: unknown; metrics?: Record<string, unknown> | null } | null;
  } | null;
  try {
    parsed = JSON.parse(line.slice(line.indexOf('{'))) as typeof parsed;
  } catch {
    return undefined;
  }
  const record = parsed?.record;
  if (
    parsed?.type !== 'platform.report' ||
    typeof record?.requestId !== 'string' ||
    record.requestId.trim() === '' ||
    typeof record.metrics !== 'object' ||
    record.metrics === null
  )
    return undefined;
  const m = record.metrics;
  return complete({
    requestId: record.requestId,
    durationMs: amount(m['durationMs']),
    billedDurationMs: amount(m['billedDurationMs']),
    memorySizeMb: amount(m['memorySizeMB']),
    maxMemoryUsedMb: amount(m['maxMemoryUsedMB']),
    initDurationMs: amount(m['initDurationMs']),
    restoreDurationMs: amount(m['restoreDurationMs']),
    billedRestoreDurationMs: amount(m['billedRestoreDurationMs']),
    status: (record.status ?? 'success') as ReportStatus,
    errorType: typeof record.errorType === 'string' ? record.errorType : undefined,
  });
}

/** The report, or undefined when a figure it needs is missing or unreadable, or its status is not one Lambda writes. */
function complete(report: Partial<ParsedReport>): ParsedReport | undefined {
  const { requestId, durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb } = report;
  if (requestId === undefined || durationMs === undefined || billedDurationMs === undefined || memorySizeMb === undefined || maxMemoryUsedMb === undefined) {
    return undefined;
  }
  if (report.status !== undefined && !STATUSES.has(report.status)) return undefined;
  const result: ParsedReport = { requestId, durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb, status: report.status ?? 'success' };
  for (const key of ['initDurationMs', 'restoreDurationMs', 'billedRestoreDurationMs', 'errorType'] as const) {
    if (report[key] !== undefined) (result as unknown as Record<string, unknown>)[key] = report[key];
  }
  return result;
}

function ms(value: string): number | undefined {
  return amount(Number.parseFloat(value.replace(/\s*ms\s*$/, '')));
}

function mb(value: string): number | undefined {
  return amount(Number.parseFloat(value.replace(/\s*MB\s*$/, '')));
}

/** A figure a REPORT can hold: a finite amount ≥ 0; anything else (`Duration: banana`, `-3 ms`, `1e999 ms`) reads as missing. */
function amount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
