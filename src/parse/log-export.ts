import type { Sample } from '../result/types.js';
import { mismatch, oneOf } from '../result/wording.js';
import { AT_LEAST_ZERO, isBlank, Keeper, MEMORY, type NumberRule, STATUS_SET, STATUSES } from './measurement-row.js';
import { MeasurementsError, Problems } from './problems.js';
import { type ParsedReport, parseReport } from './report.js';
import type { SampleSink } from './sample-sink.js';

/** A log export full of REPORT lines, in Lambda's text format or as `platform.report` JSON records, read as samples. */

/** A REPORT field: its name in the text format and in a JSON `platform.report` record's metrics, and what it must hold. */
interface ReportField {
  key: 'durationMs' | 'billedDurationMs' | 'memorySizeMb' | 'maxMemoryUsedMb' | 'initDurationMs';
  text: string;
  json: string;
  rule: NumberRule;
  required: boolean;
}

const IN_MS: NumberRule = { ...AT_LEAST_ZERO, words: 'a finite number of ms ≥ 0' };
const IN_MB: NumberRule = { ...AT_LEAST_ZERO, words: 'a finite number of MB ≥ 0' };
const REPORT_FIELDS: readonly ReportField[] = [
  { key: 'durationMs', text: 'Duration', json: 'durationMs', rule: IN_MS, required: true },
  { key: 'billedDurationMs', text: 'Billed Duration', json: 'billedDurationMs', rule: IN_MS, required: true },
  { key: 'memorySizeMb', text: 'Memory Size', json: 'memorySizeMB', rule: MEMORY, required: true },
  { key: 'maxMemoryUsedMb', text: 'Max Memory Used', json: 'maxMemoryUsedMB', rule: IN_MB, required: true },
  { key: 'initDurationMs', text: 'Init Duration', json: 'initDurationMs', rule: IN_MS, required: false },
];
const TEXT_MARK = 'REPORT RequestId: ';
const JSON_MARK = '"platform.report"';

/** The samples of a log export's REPORT lines, given to a sink; every REPORT line that does not read is a problem, with its line. */
export function fromLogExport<T>(lines: Iterable<string>, defaultFunction: string, sink: SampleSink<T>): T {
  const problems = new Problems();
  const keep = new Keeper(sink.keeps);
  let count = 0;
  let number = 0;
  for (const line of lines) {
    number++;
    const report = parseReport(line);
    if (report !== undefined && isSound(report)) {
      sink.add(reportSample(report, defaultFunction, keep));
      count++;
    } else if (report !== undefined || line.includes(TEXT_MARK) || line.includes(JSON_MARK)) {
      for (const problem of reportProblems(line)) problems.add(`line ${number}${problem}`);
    }
  }
  if (count === 0 && problems.count === 0) throw new MeasurementsError(['it holds no REPORT lines']);
  problems.throwIfAny();
  return sink.end();
}

/** Whether any line is a REPORT, in either format: then a file without a memoryMb column is a log export. */
export function hasReportLine(lines: Iterable<string>): boolean {
  for (const line of lines) if (line.includes(TEXT_MARK) || line.includes(JSON_MARK)) return true;
  return false;
}

function isSound(report: ParsedReport): boolean {
  return STATUS_SET.has(report.status) && REPORT_FIELDS.every((f) => (report[f.key] === undefined ? !f.required : f.rule.ok(report[f.key] ?? Number.NaN)));
}

function reportSample(report: ParsedReport, defaultFunction: string, keep: Keeper): Sample {
  const sample: Sample = {
    function: defaultFunction,
    memoryMb: report.memorySizeMb,
    params: {},
    durationMs: report.durationMs,
    billedDurationMs: report.billedDurationMs,
    maxMemoryUsedMb: report.maxMemoryUsedMb,
    status: report.status,
    cold: report.initDurationMs !== undefined,
    warmup: false,
    timings: {},
    requestId: keep.requestId(report.requestId),
  };
  if (report.initDurationMs !== undefined) sample.initDurationMs = report.initDurationMs;
  if (report.errorType !== undefined) sample.errorType = keep.label(report.errorType);
  return sample;
}

/**
 * What is wrong with a REPORT line that did not read as a sound report, each problem starting
 * with the field it is about (", Duration: …") or, for the line as a whole, with ": …".
 * Only lines that failed come here, so the second look at their fields costs nothing otherwise.
 */
function reportProblems(line: string): string[] {
  const fields = line.includes(TEXT_MARK) ? textFields(line) : jsonFields(line);
  if (typeof fields === 'string') return [`: ${fields}`];
  const problems: string[] = [];
  const isText = line.includes(TEXT_MARK);
  if (isBlank(fields.get('requestId'))) problems.push(`, RequestId: ${mismatch('a request id', undefined)}`);
  for (const field of REPORT_FIELDS) {
    const name = isText ? field.text : field.json;
    const raw = fields.get(name);
    if (raw === undefined) {
      if (field.required) problems.push(`, ${name}: ${mismatch(field.rule.words, undefined)}`);
      continue;
    }
    // Text fields carry their unit ("12.50 ms"), which parseFloat reads past, as the REPORT parser does; JSON metrics are numbers.
    const value = isText && typeof raw === 'string' ? Number.parseFloat(raw) : !isText && typeof raw === 'number' ? raw : Number.NaN;
    if (!field.rule.ok(value)) problems.push(`, ${name}: ${mismatch(field.rule.words, raw)}`);
  }
  const status = fields.get(isText ? 'Status' : 'status');
  if (status !== undefined && !STATUS_SET.has(status)) problems.push(`, ${isText ? 'Status' : 'status'}: ${mismatch(oneOf(STATUSES), status)}`);
  return problems.length > 0 ? problems : [': a REPORT line lambda-tune cannot read'];
}

/** A text REPORT line's fields by their label (`Duration` → `12.50 ms`), the request id as `requestId`. */
function textFields(line: string): Map<string, unknown> {
  const [head = '', ...rest] = line.slice(line.indexOf(TEXT_MARK) + TEXT_MARK.length).split('\t');
  const fields = new Map<string, unknown>([['requestId', head.trim()]]);
  for (const field of rest) {
    const colon = field.indexOf(': ');
    if (colon !== -1) fields.set(field.slice(0, colon).trim(), field.slice(colon + 2).trim());
  }
  return fields;
}

/** A `platform.report` record's metrics by name, with its request id and status; a string saying why when it has none. */
function jsonFields(line: string): Map<string, unknown> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.slice(line.indexOf('{')));
  } catch {
    return 'expected a platform.report record in JSON, got text that is not valid JSON';
  }
  const record = (parsed as { record?: unknown } | null)?.record;
  if (typeof record !== 'object' || record === null) return 'expected a platform.report record with a "record" object';
  const { requestId, status, metrics } = record as { requestId?: unknown; status?: unknown; metrics?: unknown };
  const fields = new Map<string, unknown>(typeof metrics === 'object' && metrics !== null ? Object.entries(metrics) : []);
  fields.set('requestId', requestId);
  if (status !== undefined) fields.set('status', status);
  return fields;
}
