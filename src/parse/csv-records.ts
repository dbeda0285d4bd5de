import { parse as parseCsv } from 'csv-parse/sync';

/**
 * CSV records one line at a time, for files too big to hold twice. The common line, plain ASCII
 * without quotes, is split at its commas here; a line with quotes or other characters is read by
 * csv-parse, a record at a time. What only csv-parse reading the whole text would answer exactly
 * (a record of the wrong length, a quote that never closes, a lone carriage return, how it counts
 * lines in a multi-line record of a CRLF file) stops the reading with NeedsWholeText, and the
 * caller reads the whole text with csv-parse instead, to give its answer in its words.
 */

/** A record's fields, trimmed, and the line it ends on, as csv-parse counts lines (from 1, blank lines included). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

export class NeedsWholeText extends Error {
  constructor(why: string) {
    super(`the CSV needs reading as a whole: ${why}`);
    this.name = 'NeedsWholeText';
  }
}

/** Tab and printable ASCII but the quote: String.trim trims what csv-parse's trim does among these (space, tab). */
const PLAIN = /^[\t\x20\x21\x23-\x7e]*$/;

/** The records of a file's lines (split at \n, each without it), the header first. */
export function* csvRecords(lines: Iterable<string>): Generator<CsvRecord> {
  const state: ReaderState = { line: 0, crlf: undefined, width: undefined, pending: [] };
  let previous: string | undefined;
  // One line behind, so that the last line, which alone may lack a CR in a CRLF file, is known as the last.
  for (const line of lines) {
    const record = previous === undefined ? undefined : recordOf(previous, false, state);
    if (record !== undefined) yield record;
    previous = line;
  }
  const record = previous === undefined ? undefined : recordOf(previous, true, state);
  if (record !== undefined) yield record;
  if (state.pending.length > 0) throw new NeedsWholeText('a quoted field does not close');
}

interface ReaderState {
  /** The number of the line being read. */
  line: number;
  /** Whether lines end in CR LF, as the first line says (csv-parse takes the first line end it meets for all). */
  crlf: boolean | undefined;
  /** The header's number of fields, which every record must have. */
  width: number | undefined;
  /** The lines of a record whose quoted field is still open. */
  pending: string[];
}

/** The record a line completes, if any. */
function recordOf(raw: string, last: boolean, state: ReaderState): CsvRecord | undefined {
  state.line++;
  const line = withoutLineEnd(raw, last, state);
  const plain = PLAIN.test(line);
  if (!plain && line.includes('\r')) throw new NeedsWholeText('a carriage return inside a line');
  if (state.pending.length > 0 || (!plain && oddQuotes(line))) {
    const text = continued(line, state);
    return text === undefined ? undefined : { fields: fieldsByLibrary(text, state), line: state.line };
  }
  if (!plain) return { fields: fieldsByLibrary(line, state), line: state.line };
  if (line.trim() === '') return undefined;
  const fields = splitAtCommas(line);
  if (line.includes(' ') || line.includes('\t')) for (let i = 0; i < fields.length; i++) fields[i] = (fields[i] ?? '').trim();
  return { fields: checkedWidth(fields, state), line: state.line };
}

/** A line of a record with a quoted field across lines: the record's text once its quotes close. */
function continued(line: string, state: ReaderState): string | undefined {
  if (state.crlf === true) throw new NeedsWholeText('a record spans lines in a CRLF file');
  state.pending.push(line);
  const text = state.pending.join('\n');
  if (oddQuotes(text)) return undefined;
  state.pending = [];
  return text;
}

/**
 * The line without its CR where lines end in CR LF. Any other CR is one csv-parse counts as a line
 * end of its own (recordOf refuses it; a plain line has none).
 */
function withoutLineEnd(raw: string, last: boolean, state: ReaderState): string {
  state.crlf ??= raw.endsWith('\r');
  if (!state.crlf) return raw;
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (!last && line === raw) throw new NeedsWholeText('a line ends without CR in a CRLF file');
  return line;
}

/** The pieces between the commas, as String.split(',') gives them: a loop of indexOf and slice takes about half its time. */
function splitAtCommas(line: string): string[] {
  const fields: string[] = [];
  let start = 0;
  for (let end = line.indexOf(','); end !== -1; end = line.indexOf(',', start)) {
    fields.push(line.slice(start, end));
    start = end + 1;
  }
  fields.push(line.slice(start));
  return fields;
}

function oddQuotes(text: string): boolean {
  let quotes = 0;
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) quotes++;
  return quotes % 2 === 1;
}

/** One record's text read by csv-parse, with the options the whole file would be read with. */
function fieldsByLibrary(text: string, state: ReaderState): string[] {
  let records: string[][];
  try {
    records = parseCsv(text, { skip_empty_lines: true, trim: true });
  } catch {
    throw new NeedsWholeText('csv-parse refuses a record');
  }
  const [record] = records;
  if (records.length !== 1 || record === undefined) throw new NeedsWholeText('a line is not one record');
  return checkedWidth(record, state);
}

function checkedWidth(fields: string[], state: ReaderState): string[] {
  state.width ??= fields.length;
  if (fields.length !== state.width) throw new NeedsWholeText('a record has a different number of fields from the header');
  return fields;
}
