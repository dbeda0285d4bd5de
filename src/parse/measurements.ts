import { parse as parseCsv } from 'csv-parse/sync';
import { stripBom } from '../files/read.js';
import { MEMORY_MAX_MB, MEMORY_MIN_MB, MEMORY_WORDS } from '../result/fields.js';
import { PARAM_NAME, type Params, readValue, RESERVED_NAMES } from '../plan/axes.js';
import { NOT_PARAMS, TIMING_PREFIX } from '../result/sample-columns.js';
import type { Sample, SampleStatus } from '../result/types.js';
import { mismatch, oneOf } from '../result/wording.js';
import { type ParsedReport, parseReport } from './report.js';

/**
 * Measurements from elsewhere, for `tune analyze`: CSV or JSON lines with the columns of
 * samples.csv (memoryMb and durationMs at least; billedDurationMs, maxMemoryUsedMb,
 * initDurationMs, status, errorType, cold, warmup, requestId, function and timing.NAME if known),
 * where every other column is a parameter of the cell; or a plain log export full of REPORT lines.
 * Every row is checked on the one pass that reads it; a problem names its line and column.
 */
export class MeasurementsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'MeasurementsError';
  }
}

/** As many problems as a reader takes in; the rest are counted. */
const PROBLEM_LIMIT = 20;

const STATUSES = ['success', 'error', 'timeout', 'failure'] as const satisfies readonly SampleStatus[];
const STATUS_SET = new Set<unknown>(STATUSES);
const REQUIRED_COLUMNS = ['memoryMb', 'durationMs'];

interface NumberRule {
  words: string;
  ok: (value: number) => boolean;
}

const AT_LEAST_ZERO: NumberRule = { words: 'a finite number ≥ 0', ok: (v) => Number.isFinite(v) && v >= 0 };
const MEMORY: NumberRule = { words: MEMORY_WORDS, ok: (v) => Number.isInteger(v) && v >= MEMORY_MIN_MB && v <= MEMORY_MAX_MB };

/** The problems met on the way through a file: all counted, the first PROBLEM_LIMIT kept for the message. */
class Problems {
  private readonly kept: string[] = [];
  count = 0;

  add(problem: string): void {
    this.count++;
    if (this.kept.length < PROBLEM_LIMIT) this.kept.push(problem);
  }

  throwIfAny(): void {
    if (this.count === 0) return;
    const more = this.count - this.kept.length;
    throw new MeasurementsError(more > 0 ? [...this.kept, `… and ${more} more`] : this.kept);
  }
}

export function parseMeasurements(input: string, defaultFunction: string): Sample[] {
  const text = stripBom(input);
  const first = firstLine(text);
  if (first === undefined) throw new MeasurementsError(['the file is empty']);
  const problems = new Problems();
  const samples =
    /REPORT RequestId: |"platform\.report"/.test(text) && !first.includes('memoryMb')
      ? fromLogExport(text, defaultFunction, problems)
      : first.trimStart().startsWith('{')
        ? fromJsonLines(text, defaultFunction, problems)
        : fromCsv(text, defaultFunction, problems);
  problems.throwIfAny();
  return samples;
}

/** The first line with anything on it; undefined when there is none. */
function firstLine(text: string): string | undefined {
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end);
    if (line.trim() !== '') return line;
    if (end === -1) break;
    start = end + 1;
  }
  return undefined;
}

function fromJsonLines(text: string, defaultFunction: string, problems: Problems): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      problems.add(`line ${index + 1}: not JSON (${(error as Error).message})`);
      continue;
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      problems.add(`line ${index + 1}: ${mismatch('an object', row)}`);
      continue;
    }
    const sample = rowSample(row as Record<string, unknown>, index + 1, defaultFunction, problems);
    if (sample !== undefined) samples.push(sample);
  }
  return samples;
}

function fromCsv(text: string, defaultFunction: string, problems: Problems): Sample[] {
  let samples: Sample[];
  try {
    samples = parseCsv<Sample, Record<string, string>>(text, {
      columns: headerColumns,
      skip_empty_lines: true,
      trim: true,
      on_record: (row, context) => rowSample(row, context.lines, defaultFunction, problems),
    });
  } catch (error) {
    if (error instanceof MeasurementsError) throw error;
    throw new MeasurementsError([`it is not valid CSV: ${(error as Error).message}`]);
  }
  if (samples.length === 0 && problems.count === 0) throw new MeasurementsError(['it has a CSV header but no measurements under it']);
  return samples;
}

/** The CSV header, refused when it lacks a column every row needs. */
function headerColumns(header: string[]): string[] {
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new MeasurementsError([
      `line 1: expected a CSV header naming ${REQUIRED_COLUMNS.join(' and ')} (or JSON lines, or a log export with REPORT lines), and it names no ${missing.join(' or ')} column`,
    ]);
  }
  return header;
}

/** Reads the columns of one row, sending what is wrong with them to `problems`. */
function rowReader(row: Record<string, unknown>, line: number, problems: Problems) {
  const problem = (column: string, what: string, raw: unknown) => {
    problems.add(`line ${line}, ${column}: ${mismatch(what, raw)}`);
  };
  return {
    number(column: string, rule: NumberRule, required: boolean): number | undefined {
      const raw = row[column];
      if (isBlank(raw)) {
        if (required) problem(column, rule.words, undefined);
        return undefined;
      }
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
      if (rule.ok(value)) return value;
      problem(column, rule.words, raw);
      return undefined;
    },
    label(column: string): string | undefined {
      const raw = row[column];
      if (isBlank(raw)) return undefined;
      if (typeof raw === 'string') return raw;
      problem(column, 'a string', raw);
      return undefined;
    },
    flag(column: string): boolean | undefined {
      const raw = row[column];
      if (isBlank(raw)) return undefined;
      if (raw === true || raw === 'true') return true;
      if (raw === false || raw === 'false') return false;
      problem(column, 'true or false', raw);
      return undefined;
    },
    /** The row's parameters: a `params` object (JSON lines), and every column that is not a measurement. */
    params(): Params {
      const params: Params = {};
      const nested = row['params'];
      if (nested !== undefined && (typeof nested !== 'object' || nested === null || Array.isArray(nested))) problem('params', 'an object', nested);
      const entries: [string, unknown][] = [...(typeof nested === 'object' && nested !== null ? Object.entries(nested) : []), ...Object.entries(row)];
      for (const [name, raw] of entries) {
        if (NOT_PARAMS.has(name) || name.startsWith(TIMING_PREFIX) || isBlank(raw)) continue;
        const value = typeof raw === 'string' ? readValue(raw) : raw;
        if (!PARAM_NAME.test(name) || RESERVED_NAMES.has(name)) problem(name, 'a column lambda-tune reads (a parameter name has letters, digits, _ $ -)', name);
        else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' || typeof value === 'string') params[name] = value;
        else problem(name, 'a number, true or false, or a string', raw);
      }
      return params;
    },
    timings(): Record<string, number> {
      const timings: Record<string, number> = {};
      const nested = row['timings'];
      const entries = [
        ...(typeof nested === 'object' && nested !== null ? Object.entries(nested).map(([name, raw]) => [name, raw, `timings.${name}`] as const) : []),
        ...Object.entries(row)
          .filter(([column]) => column.startsWith(TIMING_PREFIX))
          .map(([column, raw]) => [column.slice(TIMING_PREFIX.length), raw, column] as const),
      ];
      for (const [name, raw, column] of entries) {
        if (isBlank(raw) || RESERVED_NAMES.has(name)) continue;
        const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
        if (Number.isFinite(value)) timings[name] = value;
        else problem(column, 'a finite number', raw);
      }
      return timings;
    },
    status(): SampleStatus {
      const raw = isBlank(row['status']) ? 'success' : row['status'];
      if (STATUS_SET.has(raw)) return raw as SampleStatus;
      problem('status', oneOf(STATUSES), raw);
      return 'success';
    },
  };
}

/** One row of CSV or JSON lines as a sample; undefined when it has problems, which go to `problems`. */
function rowSample(row: Record<string, unknown>, line: number, defaultFunction: string, problems: Problems): Sample | undefined {
  const before = problems.count;
  const read = rowReader(row, line, problems);
  const memoryMb = read.number('memoryMb', MEMORY, true);
  const durationMs = read.number('durationMs', AT_LEAST_ZERO, true);
  const billedDurationMs = read.number('billedDurationMs', AT_LEAST_ZERO, false);
  const maxMemoryUsedMb = read.number('maxMemoryUsedMb', AT_LEAST_ZERO, false) ?? 0;
  const initDurationMs = read.number('initDurationMs', AT_LEAST_ZERO, false);
  const fn = read.label('function') ?? defaultFunction;
  const errorType = read.label('errorType');
  const requestId = read.label('requestId');
  const status = read.status();
  const cold = read.flag('cold') ?? initDurationMs !== undefined;
  const warmup = read.flag('warmup') ?? false;
  const params = read.params();
  const timings = read.timings();
  if (problems.count > before || memoryMb === undefined || durationMs === undefined) return undefined;
  return {
    function: fn,
    memoryMb,
    params,
    durationMs,
    billedDurationMs: billedDurationMs ?? Math.ceil(durationMs),
    maxMemoryUsedMb,
    status,
    cold,
    warmup,
    timings,
    ...(initDurationMs === undefined ? {} : { initDurationMs }),
    ...(errorType === undefined ? {} : { errorType }),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

function isBlank(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

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

function fromLogExport(text: string, defaultFunction: string, problems: Problems): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const report = parseReport(line);
    if (report !== undefined && isSound(report)) samples.push(reportSample(report, defaultFunction));
    else if (report !== undefined || line.includes(TEXT_MARK) || line.includes(JSON_MARK)) {
      for (const problem of reportProblems(line)) problems.add(`line ${index + 1}${problem}`);
    }
  }
  if (samples.length === 0 && problems.count === 0) throw new MeasurementsError(['it holds no REPORT lines']);
  return samples;
}

function isSound(report: ParsedReport): boolean {
  return STATUS_SET.has(report.status) && REPORT_FIELDS.every((f) => (report[f.key] === undefined ? !f.required : f.rule.ok(report[f.key] ?? Number.NaN)));
}

function reportSample(report: ParsedReport, defaultFunction: string): Sample {
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
    requestId: report.requestId,
  };
  if (report.initDurationMs !== undefined) sample.initDurationMs = report.initDurationMs;
  if (report.errorType !== undefined) sample.errorType = report.errorType;
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
