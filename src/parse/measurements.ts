import { parse as parseCsv } from 'csv-parse/sync';
import { type TextSource, textSource } from '../files/read.js';
import type { Sample } from '../result/types.js';
import { csvRecords, NeedsWholeText } from './csv-records.js';
import { fromLogExport, hasReportLine } from './log-export.js';
import { CsvRow, Keeper, ObjectRow, RowReader } from './measurement-row.js';
import { MeasurementsError, Problems } from './problems.js';
import { mismatch } from '../result/wording.js';

export { MeasurementsError } from './problems.js';

/**
 * Measurements from elsewhere, for `tune analyze`: CSV or JSON lines with the columns of
 * samples.csv (memoryMb and durationMs at least; billedDurationMs, maxMemoryUsedMb,
 * initDurationMs, status, errorType, cold, warmup, requestId, function and timing.NAME if known),
 * where every other column is a parameter of the cell; or a plain log export full of REPORT lines.
 * Every row is checked on the one pass that reads it; a problem names its line and column.
 */
export function parseMeasurements(input: string, defaultFunction: string): Sample[] {
  return readMeasurements(textSource(input), defaultFunction);
}

/** The same from a source read line by line (a file of a million rows is never held whole). */
export function readMeasurements(source: TextSource, defaultFunction: string): Sample[] {
  const first = firstLine(source.lines());
  if (first === undefined) throw new MeasurementsError(['the file is empty']);
  if (!first.includes('memoryMb') && hasReportLine(source.lines())) return fromLogExport(source.lines(), defaultFunction);
  return first.trimStart().startsWith('{') ? fromJsonLines(source.lines(), defaultFunction) : fromCsv(source, defaultFunction);
}

/** The first line with anything on it; undefined when there is none. */
function firstLine(lines: Iterable<string>): string | undefined {
  for (const line of lines) if (line.trim() !== '') return line;
  return undefined;
}

function fromJsonLines(lines: Iterable<string>, defaultFunction: string): Sample[] {
  const problems = new Problems();
  const reader = new RowReader(problems, defaultFunction, new Keeper());
  const samples: Sample[] = [];
  let number = 0;
  for (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      problems.add(`line ${number}: not JSON (${(error as Error).message})`);
      continue;
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      problems.add(`line ${number}: ${mismatch('an object', row)}`);
      continue;
    }
    const sample = reader.sample(new ObjectRow(row as Record<string, unknown>, 'json'), number);
    if (sample !== undefined) samples.push(sample);
  }
  problems.throwIfAny();
  return samples;
}

/** CSV a line at a time; what only csv-parse reading the whole text reads exactly is read that way (csv-records.ts). */
function fromCsv(source: TextSource, defaultFunction: string): Sample[] {
  try {
    return csvByLines(source.lines(), defaultFunction);
  } catch (error) {
    if (error instanceof NeedsWholeText) return csvWhole(source.text(), defaultFunction);
    throw error;
  }
}

function csvByLines(lines: Iterable<string>, defaultFunction: string): Sample[] {
  const problems = new Problems();
  const keep = new Keeper();
  const reader = new RowReader(problems, defaultFunction, keep);
  const samples: Sample[] = [];
  let row: CsvRow | undefined;
  for (const record of csvRecords(lines)) {
    if (row === undefined) {
      row = new CsvRow(plainHeader(headerColumns(record.fields)), keep);
      continue;
    }
    row.fields = record.fields;
    const sample = reader.sample(row, record.line);
    if (sample !== undefined) samples.push(sample);
  }
  return csvSamples(samples, problems);
}

/**
 * The whole text read by csv-parse, each record as an object of its columns: for CSV the line
 * reader leaves to it. Exported so that tests can hold the line reader to it.
 */
export function csvWhole(text: string, defaultFunction: string): Sample[] {
  const problems = new Problems();
  const reader = new RowReader(problems, defaultFunction, new Keeper());
  let samples: Sample[];
  try {
    samples = parseCsv<Sample, Record<string, string>>(text, {
      columns: headerColumns,
      skip_empty_lines: true,
      trim: true,
      on_record: (row, context) => reader.sample(new ObjectRow(row, 'text'), context.lines),
    });
  } catch (error) {
    if (error instanceof MeasurementsError) throw error;
    throw new MeasurementsError([`it is not valid CSV: ${(error as Error).message}`]);
  }
  return csvSamples(samples, problems);
}

function csvSamples(samples: Sample[], problems: Problems): Sample[] {
  if (samples.length === 0 && problems.count === 0) throw new MeasurementsError(['it has a CSV header but no measurements under it']);
  problems.throwIfAny();
  return samples;
}

const REQUIRED_COLUMNS = ['memoryMb', 'durationMs'];

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

/**
 * A header whose columns are the keys of csv-parse's record objects in their order: none twice,
 * none empty, none a key objects treat apart (an index, which goes first; __proto__). Any other is
 * left to csv-parse, so its records are read as they always were.
 */
function plainHeader(header: string[]): string[] {
  const odd = (column: string) => column === '' || /^\d+$/.test(column) || column === '__proto__';
  if (new Set(header).size !== header.length || header.some(odd)) throw new NeedsWholeText('an unusual header');
  return header;
}
