import { parse as parseCsv } from 'csv-parse/sync';
import { type TextSource, textSource } from '../files/read.js';
import type { Sample } from '../result/types.js';
import { csvRecords, NeedsWholeText } from './csv-records.js';
import { fromLogExport, hasReportLine } from './log-export.js';
import { CsvRow, Keeper, ObjectRow, RowReader } from './measurement-row.js';
import { MeasurementsError, Problems } from './problems.js';
import { SampleList, type SampleSink } from './sample-sink.js';
import { mismatch } from '../result/wording.js';

export { MeasurementsError } from './problems.js';
export type { SampleSink } from './sample-sink.js';

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
  return readMeasurementsInto(source, defaultFunction, () => new SampleList());
}

/** The same, each sample given to a sink as it is read (`tune analyze` puts them in columns, and keeps none). */
export function readMeasurementsInto<T>(source: TextSource, defaultFunction: string, start: () => SampleSink<T>): T {
  const first = firstLine(source.lines());
  if (first === undefined) throw new MeasurementsError(['the file is empty']);
  if (!first.includes('memoryMb') && hasReportLine(source.lines())) return fromLogExport(source.lines(), defaultFunction, start());
  return first.trimStart().startsWith('{') ? fromJsonLines(source.lines(), defaultFunction, start()) : fromCsv(source, defaultFunction, start);
}

/** The first line with anything on it; undefined when there is none. */
function firstLine(lines: Iterable<string>): string | undefined {
  for (const line of lines) if (line.trim() !== '') return line;
  return undefined;
}

function fromJsonLines<T>(lines: Iterable<string>, defaultFunction: string, sink: SampleSink<T>): T {
  const problems = new Problems();
  const reader = new RowReader(problems, defaultFunction, new Keeper(sink.keeps));
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
    if (sample !== undefined) sink.add(sample);
  }
  problems.throwIfAny();
  return sink.end();
}

/** CSV a line at a time; what only csv-parse reading the whole text reads exactly is read that way (csv-records.ts). */
function fromCsv<T>(source: TextSource, defaultFunction: string, start: () => SampleSink<T>): T {
  try {
    return csvByLines(source.lines(), defaultFunction, start());
  } catch (error) {
    if (error instanceof NeedsWholeText) return csvWholeInto(source.text(), defaultFunction, start());
    throw error;
  }
}

function csvByLines<T>(lines: Iterable<string>, defaultFunction: string, sink: SampleSink<T>): T {
  const problems = new Problems();
  const keep = new Keeper(sink.keeps);
  const reader = new RowReader(problems, defaultFunction, keep);
  let row: CsvRow | undefined;
  let count = 0;
  for (const record of csvRecords(lines)) {
    if (row === undefined) {
      row = new CsvRow(plainHeader(headerColumns(record.fields)), keep);
      continue;
    }
    row.fields = record.fields;
    const sample = reader.sample(row, record.line);
    if (sample === undefined) continue;
    sink.add(sample);
    count++;
  }
  return csvEnd(count, problems, sink);
}

/**
 * The whole text read by csv-parse, each record as an object of its columns: for CSV the line
 * reader leaves to it. Exported so that tests can hold the line reader to it.
 */
export function csvWhole(text: string, defaultFunction: string): Sample[] {
  return csvWholeInto(text, defaultFunction, new SampleList());
}

function csvWholeInto<T>(text: string, defaultFunction: string, sink: SampleSink<T>): T {
  const problems = new Problems();
  const reader = new RowReader(problems, defaultFunction, new Keeper(sink.keeps));
  let count = 0;
  try {
    parseCsv<Sample, Record<string, string>>(text, {
      columns: headerColumns,
      skip_empty_lines: true,
      trim: true,
      on_record: (row, context) => {
        const sample = reader.sample(new ObjectRow(row, 'text'), context.lines);
        if (sample !== undefined) {
          sink.add(sample);
          count++;
        }
        // Given to the sink, not gathered by csv-parse.
        return null;
      },
    });
  } catch (error) {
    if (error instanceof MeasurementsError) throw error;
    throw new MeasurementsError([`it is not valid CSV: ${(error as Error).message}`]);
  }
  return csvEnd(count, problems, sink);
}

function csvEnd<T>(count: number, problems: Problems, sink: SampleSink<T>): T {
  if (count === 0 && problems.count === 0) throw new MeasurementsError(['it has a CSV header but no measurements under it']);
  problems.throwIfAny();
  return sink.end();
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
