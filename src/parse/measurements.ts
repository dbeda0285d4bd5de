import { parse as parseCsv } from 'csv-parse/sync';
import type { Sample, SampleStatus } from '../result/types.js';
import { parseReport } from './report.js';

/**
 * Measurements from elsewhere, for `tune analyze`: CSV or JSON lines with the columns
 * memoryMb, chunkMb, durationMs, billedDurationMs, maxMemoryUsedMb, initDurationMs, status
 * (and optionally function, errorType), or a plain log export full of REPORT lines.
 */
export class MeasurementsError extends Error {}

const STATUSES = new Set<SampleStatus>(['success', 'error', 'timeout', 'failure']);

export function parseMeasurements(text: string, defaultFunction: string): Sample[] {
  const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
  if (firstLine === '') throw new MeasurementsError('the file is empty');
  if (/REPORT RequestId: |"platform\.report"/.test(text) && !firstLine.includes('memoryMb')) return fromLogExport(text, defaultFunction);
  if (firstLine.trimStart().startsWith('{')) {
    return text
      .split('\n')
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => line.trim() !== '')
      .map(({ line, index }) => {
        let row: unknown;
        try {
          row = JSON.parse(line);
        } catch {
          throw new MeasurementsError(`line ${index + 1} is not JSON`);
        }
        return toSample(row as Record<string, unknown>, index + 1, defaultFunction);
      });
  }
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (error) {
    throw new MeasurementsError(`it is not valid CSV: ${(error as Error).message}`);
  }
  return rows.map((row, index) => toSample(row, index + 2, defaultFunction));
}

function fromLogExport(text: string, defaultFunction: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const report = parseReport(line);
    if (report === undefined) continue;
    const sample: Sample = {
      function: defaultFunction,
      memoryMb: report.memorySizeMb,
      chunkMb: null,
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
    samples.push(sample);
  }
  if (samples.length === 0) throw new MeasurementsError('it holds no REPORT lines');
  return samples;
}

function toSample(row: Record<string, unknown>, line: number, defaultFunction: string): Sample {
  const number = (name: string, required: boolean): number | undefined => {
    const raw = row[name];
    if (raw === undefined || raw === null || raw === '') {
      if (required) throw new MeasurementsError(`line ${line} has no ${name}`);
      return undefined;
    }
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new MeasurementsError(`line ${line}: ${name} is not a number (${String(raw)})`);
    return value;
  };
  const durationMs = number('durationMs', true)!;
  const status = String(row['status'] ?? 'success') as SampleStatus;
  if (!STATUSES.has(status)) throw new MeasurementsError(`line ${line}: status must be success, error, timeout or failure (got ${status})`);
  const initDurationMs = number('initDurationMs', false);
  const sample: Sample = {
    function: typeof row['function'] === 'string' && row['function'] !== '' ? row['function'] : defaultFunction,
    memoryMb: number('memoryMb', true)!,
    chunkMb: number('chunkMb', false) ?? null,
    durationMs,
    billedDurationMs: number('billedDurationMs', false) ?? Math.ceil(durationMs),
    maxMemoryUsedMb: number('maxMemoryUsedMb', false) ?? 0,
    status,
    cold: initDurationMs !== undefined,
    warmup: false,
    timings: {},
  };
  if (initDurationMs !== undefined) sample.initDurationMs = initDurationMs;
  if (typeof row['errorType'] === 'string' && row['errorType'] !== '') sample.errorType = row['errorType'];
  return sample;
}
