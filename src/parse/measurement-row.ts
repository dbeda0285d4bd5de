import { MEMORY_MAX_MB, MEMORY_MIN_MB, MEMORY_WORDS } from '../result/fields.js';
import { PARAM_NAME, type Params, readValue, RESERVED_NAMES } from '../plan/axes.js';
import { NOT_PARAMS, SAMPLE_COLUMNS, type SampleColumn, TIMING_PREFIX } from '../result/sample-columns.js';
import type { Sample, SampleStatus } from '../result/types.js';
import { mismatch, oneOf } from '../result/wording.js';
import type { Problems } from './problems.js';

/**
 * One row of CSV or JSON lines as a sample. A row comes from either through a RowSource, so both
 * are checked by the same rules, in the same order, with the same words.
 */

export const STATUSES = ['success', 'error', 'timeout', 'failure'] as const satisfies readonly SampleStatus[];
export const STATUS_SET = new Set<unknown>(STATUSES);
const STATUS_OF_TEXT = new Map<string, SampleStatus>(STATUSES.map((status) => [status, status]));

export interface NumberRule {
  words: string;
  ok: (value: number) => boolean;
}

export const AT_LEAST_ZERO: NumberRule = { words: 'a finite number ≥ 0', ok: (v) => Number.isFinite(v) && v >= 0 };
export const MEMORY: NumberRule = { words: MEMORY_WORDS, ok: (v) => Number.isInteger(v) && v >= MEMORY_MIN_MB && v <= MEMORY_MAX_MB };

/** Says what is wrong with a column's value. */
export type ProblemAt = (column: string, what: string, raw: unknown) => void;

/** Each sample column's position in SAMPLE_COLUMNS, by which a row is asked for its value: a number is looked up faster than a name. */
export const COLUMN = Object.fromEntries(SAMPLE_COLUMNS.map((name, position) => [name, position])) as Record<SampleColumn, number>;

/** A row as the reader sees it: a sample column's raw value (by its COLUMN), and the row's parameters and timings, read with their problems. */
export interface RowSource {
  value(column: number): unknown;
  params(problem: ProblemAt): Params;
  timings(problem: ProblemAt): Record<string, number>;
}

export function isBlank(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/** How a row's values are written: as CSV text, or as JSON values of their own types. */
export type Values = 'text' | 'json';

/**
 * A parameter's value into `params`: skipped when absent (in text, a blank field; in JSON, null),
 * refused when its name or value is not one a cell can carry. Text is read as valueText writes a
 * value (20 a number, "20" a string); a JSON value keeps its type, so "20" stays a string and "" is a value.
 */
export function addParam(params: Params, name: string, raw: unknown, problem: ProblemAt, values: Values): void {
  if (NOT_PARAMS.has(name) || name.startsWith(TIMING_PREFIX) || (values === 'text' ? isBlank(raw) : raw === undefined || raw === null)) return;
  const value = values === 'text' && typeof raw === 'string' ? readValue(raw) : raw;
  if (!PARAM_NAME.test(name) || RESERVED_NAMES.has(name)) problem(name, 'a column lambda-tune reads (a parameter name has letters, digits, _ $ -)', name);
  else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' || typeof value === 'string') params[name] = value;
  else problem(name, 'a number, true or false, or a string', raw);
}

/** A timing's value into `timings`: skipped when blank, refused when not a finite number. */
export function addTiming(timings: Record<string, number>, name: string, raw: unknown, column: string, problem: ProblemAt): void {
  if (isBlank(raw) || RESERVED_NAMES.has(name)) return;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
  if (Number.isFinite(value)) timings[name] = value;
  else problem(column, 'a finite number', raw);
}

/**
 * An object as a row: a JSON line's, its own fields and `params` and `timings` objects as
 * samples.jsonl holds them; or a CSV record as csv-parse reads it, its columns' text.
 */
export class ObjectRow implements RowSource {
  constructor(
    private readonly row: Record<string, unknown>,
    private readonly values: Values,
  ) {}

  value(column: number): unknown {
    const name = SAMPLE_COLUMNS[column];
    return name === undefined ? undefined : this.row[name];
  }

  params(problem: ProblemAt): Params {
    const params: Params = {};
    const nested = this.row['params'];
    if (nested !== undefined && (typeof nested !== 'object' || nested === null || Array.isArray(nested))) problem('params', 'an object', nested);
    if (typeof nested === 'object' && nested !== null) for (const [name, raw] of Object.entries(nested)) addParam(params, name, raw, problem, this.values);
    for (const [name, raw] of Object.entries(this.row)) addParam(params, name, raw, problem, this.values);
    return params;
  }

  timings(problem: ProblemAt): Record<string, number> {
    const timings: Record<string, number> = {};
    const nested = this.row['timings'];
    if (typeof nested === 'object' && nested !== null) {
      for (const [name, raw] of Object.entries(nested)) addTiming(timings, name, raw, `timings.${name}`, problem);
    }
    for (const [column, raw] of Object.entries(this.row)) {
      if (column.startsWith(TIMING_PREFIX)) addTiming(timings, column.slice(TIMING_PREFIX.length), raw, column, problem);
    }
    return timings;
  }
}

/**
 * Reads the rows of one file into samples. Each row is checked whole, so that every problem with
 * it is told; a problem names the row's line and the column, and goes to `problems`.
 */
export class RowReader {
  private line = 0;

  constructor(
    private readonly problems: Problems,
    private readonly defaultFunction: string,
    private readonly keep: Keeper,
  ) {}

  /** Says what is wrong with a column's value in the row being read. */
  readonly problem: ProblemAt = (column, what, raw) => {
    this.problems.add(`line ${this.line}, ${column}: ${mismatch(what, raw)}`);
  };

  /** One row as a sample; undefined when it has problems. */
  sample(row: RowSource, line: number): Sample | undefined {
    this.line = line;
    const before = this.problems.count;
    const memoryMb = this.number(row, COLUMN.memoryMb, MEMORY, true);
    const durationMs = this.number(row, COLUMN.durationMs, AT_LEAST_ZERO, true);
    const billedDurationMs = this.number(row, COLUMN.billedDurationMs, AT_LEAST_ZERO, false);
    const maxMemoryUsedMb = this.number(row, COLUMN.maxMemoryUsedMb, AT_LEAST_ZERO, false) ?? 0;
    const initDurationMs = this.number(row, COLUMN.initDurationMs, AT_LEAST_ZERO, false);
    const fn = this.label(row, COLUMN.function) ?? this.defaultFunction;
    const errorType = this.label(row, COLUMN.errorType);
    const requestId = this.label(row, COLUMN.requestId);
    const status = this.status(row);
    const cold = this.flag(row, COLUMN.cold) ?? initDurationMs !== undefined;
    const coldProbe = this.flag(row, COLUMN.coldProbe);
    const warmup = this.flag(row, COLUMN.warmup) ?? false;
    const params = row.params(this.problem);
    const timings = row.timings(this.problem);
    if (this.problems.count > before || memoryMb === undefined || durationMs === undefined) return undefined;
    return inSchemaOrder({
      function: this.keep.label(fn),
      memoryMb,
      params: this.keep.params(params),
      durationMs,
      billedDurationMs: billedDurationMs ?? Math.ceil(durationMs),
      maxMemoryUsedMb,
      initDurationMs,
      status,
      errorType: errorType === undefined ? undefined : this.keep.label(errorType),
      cold,
      coldProbe,
      warmup,
      timings,
      requestId: requestId === undefined ? undefined : this.keep.requestId(requestId),
    });
  }

  private number(row: RowSource, column: number, rule: NumberRule, required: boolean): number | undefined {
    const raw = row.value(column);
    if (isBlank(raw)) {
      if (required) this.problem(nameOf(column), rule.words, undefined);
      return undefined;
    }
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
    if (rule.ok(value)) return value;
    this.problem(nameOf(column), rule.words, raw);
    return undefined;
  }

  private label(row: RowSource, column: number): string | undefined {
    const raw = row.value(column);
    if (isBlank(raw)) return undefined;
    if (typeof raw === 'string') return raw;
    this.problem(nameOf(column), 'a string', raw);
    return undefined;
  }

  private flag(row: RowSource, column: number): boolean | undefined {
    const raw = row.value(column);
    if (isBlank(raw)) return undefined;
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    this.problem(nameOf(column), 'true or false', raw);
    return undefined;
  }

  private status(row: RowSource): SampleStatus {
    const given = row.value(COLUMN.status);
    const raw = isBlank(given) ? 'success' : given;
    // The list's own string, not the row's: a row's text may hold on to the block of the file it was cut from.
    const status = typeof raw === 'string' ? STATUS_OF_TEXT.get(raw) : undefined;
    if (status !== undefined) return status;
    this.problem('status', oneOf(STATUSES), raw);
    return 'success';
  }
}

type OptionalField = 'initDurationMs' | 'errorType' | 'coldProbe' | 'requestId';
/** A sample's fields, every optional one given (undefined when the sample has none). */
type SampleFields = Omit<Sample, OptionalField> & { [K in OptionalField]: Sample[K] | undefined };

/**
 * A sample with its fields in the result schema's order, as a result read back has them (so that
 * result/sample-check.ts keeps each as it is), those undefined left out. Added one by one: spread
 * into one literal between others, they take several times as long.
 */
function inSchemaOrder(fields: SampleFields): Sample {
  const { initDurationMs, errorType, coldProbe, requestId } = fields;
  const sample = { function: fields.function, memoryMb: fields.memoryMb, params: fields.params } as Sample;
  sample.durationMs = fields.durationMs;
  sample.billedDurationMs = fields.billedDurationMs;
  sample.maxMemoryUsedMb = fields.maxMemoryUsedMb;
  if (initDurationMs !== undefined) sample.initDurationMs = initDurationMs;
  sample.status = fields.status;
  if (errorType !== undefined) sample.errorType = errorType;
  sample.cold = fields.cold;
  if (coldProbe !== undefined) sample.coldProbe = coldProbe;
  sample.warmup = fields.warmup;
  sample.timings = fields.timings;
  if (requestId !== undefined) sample.requestId = requestId;
  return sample;
}

function nameOf(column: number): string {
  return SAMPLE_COLUMNS[column] ?? String(column);
}

/** How many distinct labels and parameter sets are shared before new ones are simply kept as they come. */
const SHARED_LIMIT = 10_000;

/**
 * What a sample keeps of the text it was read from. A file read in blocks hands out pieces of a
 * block, and a piece of a string may hold on to the whole of it: a million samples would keep the
 * whole file alive. Labels and parameter sets repeat, so one copy of each is shared (parameter
 * sets frozen, as they are shared); a request id is unique, so it is copied.
 */
export class Keeper {
  private readonly labels = new Map<string, string>();
  private readonly paramSets = new Map<string, Params>();

  /** `keeps`: whether the samples are kept; when each is dropped once read (its fields put in columns), its request id is not copied. */
  constructor(private readonly keeps = true) {}

  requestId(text: string): string {
    return this.keeps ? this.unique(text) : text;
  }

  label(text: string): string {
    const known = this.labels.get(text);
    if (known !== undefined) return known;
    const copy = this.unique(text);
    if (this.labels.size < SHARED_LIMIT) this.labels.set(copy, copy);
    return copy;
  }

  /** The parameter set, shared with every other sample that has the same one. */
  params(params: Params): Params {
    if (Object.isFrozen(params)) return params;
    const key = JSON.stringify(params);
    const known = this.paramSets.get(key);
    if (known !== undefined) return known;
    const shared = this.share(params);
    if (this.paramSets.size < SHARED_LIMIT) this.paramSets.set(key, shared);
    return shared;
  }

  /** A parameter set of its own text, frozen: it is to be shared, so no sample may change it for the others. */
  share(params: Params): Params {
    const copy: Params = {};
    for (const [name, value] of Object.entries(params)) copy[this.label(name)] = typeof value === 'string' ? this.label(value) : value;
    return Object.freeze(copy);
  }

  /**
   * A string of its own, written out and read back through a buffer (UTF-16, which keeps any
   * string as it is). V8 copies pieces shorter than 13 characters anyway.
   */
  unique(text: string): string {
    return text.length < 13 ? text : Buffer.from(text, 'utf16le').toString('utf16le');
  }
}

/**
 * A CSV record as a row, its fields found by the header's columns. The header is read once: which
 * column holds what, and which are parameters and timings, in the header's order.
 */
export class CsvRow implements RowSource {
  /** The record being read; set for each record in turn, so one CsvRow serves a whole file. */
  fields: readonly string[] = [];
  /** Where each sample column is in a record (by its COLUMN), -1 where the header has none. */
  private readonly at = new Int32Array(SAMPLE_COLUMNS.length).fill(-1);
  /** Where a `params` column is, if the header has one. */
  private readonly paramsAt: number;
  private readonly paramColumns: { name: string; index: number }[] = [];
  private readonly timingColumns: { column: string; name: string; index: number }[] = [];
  /** Parameter sets met, by their fields' text: a cell's rows repeat the same few, which are read once. */
  private readonly paramSets = new Map<string, Params>();
  /** The last record's parameter fields and the set they made: rows come cell by cell, so the next record's are most often the same. */
  private last: { fields: string[]; params: Params } | undefined;

  constructor(
    header: readonly string[],
    private readonly keep: Keeper,
  ) {
    header.forEach((column, index) => {
      const position = COLUMN[column as SampleColumn] as number | undefined;
      if (Object.hasOwn(COLUMN, column) && position !== undefined) this.at[position] = index;
      if (column.startsWith(TIMING_PREFIX)) this.timingColumns.push({ column, name: column.slice(TIMING_PREFIX.length), index });
      else if (!NOT_PARAMS.has(column)) this.paramColumns.push({ name: column, index });
    });
    this.paramsAt = header.indexOf('params');
  }

  value(column: number): unknown {
    const index = this.at[column] ?? -1;
    return index === -1 ? undefined : this.fields[index];
  }

  params(problem: ProblemAt): Params {
    // A `params` column holds text, never the object JSON lines may carry there.
    if (this.paramsAt !== -1) problem('params', 'an object', this.fields[this.paramsAt]);
    if (this.last !== undefined && this.sameParamFields(this.last.fields)) return this.last.params;
    // Each field's length before it, so that no two sets of fields make the same key.
    const key = this.paramColumns.map(({ index }) => `${this.fields[index]?.length ?? 0}:${this.fields[index] ?? ''}`).join('');
    const params = this.paramSets.get(key) ?? this.readParams(key, problem);
    if (Object.isFrozen(params)) this.last = { fields: this.paramColumns.map(({ index }) => this.keep.unique(this.fields[index] ?? '')), params };
    return params;
  }

  private sameParamFields(fields: readonly string[]): boolean {
    for (let i = 0; i < fields.length; i++) if (this.fields[this.paramColumns[i]?.index ?? -1] !== fields[i]) return false;
    return true;
  }

  /** A parameter set met for the first time: shared from now on, unless it has problems. */
  private readParams(key: string, problem: ProblemAt): Params {
    const params: Params = {};
    let problems = 0;
    for (const { name, index } of this.paramColumns) {
      addParam(
        params,
        name,
        this.fields[index],
        (...args) => {
          problems++;
          problem(...args);
        },
        'text',
      );
    }
    if (problems > 0) return params;
    const shared = this.keep.share(params);
    if (this.paramSets.size < SHARED_LIMIT) this.paramSets.set(this.keep.unique(key), shared);
    return shared;
  }

  timings(problem: ProblemAt): Record<string, number> {
    const timings: Record<string, number> = {};
    for (const { column, name, index } of this.timingColumns) addTiming(timings, name, this.fields[index], column, problem);
    return timings;
  }
}
