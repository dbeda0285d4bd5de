import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MeasurementsError, parseMeasurements } from '../../src/parse/measurements.js';
import { tuneResultSchema } from '../../src/result/schema.js';
import type { Params, Sample, SampleStatus } from '../../src/result/types.js';
import { anyText, holds, mostly, numberishText, unlessExpected } from './check.js';
import { invocationArb, jsonReport, textDressArb, textReport, twoDecimals } from './report-lines.js';

const sampleSchema = tuneResultSchema.shape.samples.element;
const STATUSES: readonly SampleStatus[] = ['success', 'error', 'timeout', 'failure'];
/** `workers` is a parameter: any column that is not a measurement is one. */
const COLUMNS = ['function', 'memoryMb', 'workers', 'durationMs', 'billedDurationMs', 'maxMemoryUsedMb', 'initDurationMs', 'status', 'errorType'] as const;

/** Text a reader keeps as written: not blank, nothing to trim. */
const label = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s !== '');
const amount = (max: number) => fc.double({ min: 0, max, noNaN: true });

/** Any sample a measurements file can describe (its warm-up flag, timings and request id are not columns). */
const sampleArb: fc.Arbitrary<Sample> = fc
  .record({
    function: label,
    memoryMb: fc.integer({ min: 128, max: 10_240 }),
    workers: fc.option(fc.integer({ min: 0, max: 64 }), { nil: undefined }),
    durationMs: amount(1e7),
    billedDurationMs: amount(1e7),
    maxMemoryUsedMb: amount(10_240),
    initDurationMs: fc.option(amount(1e5), { nil: undefined }),
    status: fc.constantFrom(...STATUSES),
    errorType: fc.option(label, { nil: undefined }),
  })
  .map(({ initDurationMs, errorType, workers, ...row }) => ({
    ...row,
    params: paramsOf(workers),
    cold: initDurationMs !== undefined,
    warmup: false,
    timings: {},
    ...(initDurationMs === undefined ? {} : { initDurationMs }),
    ...(errorType === undefined ? {} : { errorType }),
  }));

function paramsOf(workers: number | undefined): Params {
  return workers === undefined ? {} : { workers };
}

const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;

function csvCell(sample: Sample, column: (typeof COLUMNS)[number]): string {
  const value = column === 'workers' ? sample.params['workers'] : sample[column];
  if (value === undefined) return '';
  return typeof value === 'string' ? quoted(value) : String(value);
}

/** Samples as CSV, the columns in any order, each line ended by LF or CRLF. */
function csvOf(samples: readonly Sample[], columns: readonly (typeof COLUMNS)[number][], newline: string): string {
  return [columns.join(','), ...samples.map((sample) => columns.map((column) => csvCell(sample, column)).join(','))].join(newline) + newline;
}

/** Every sample parseMeasurements gives is one a result.json may hold, its cold flag saying whether it has an init duration. */
function expectSound(samples: readonly Sample[]): void {
  for (const sample of samples) {
    expect(sampleSchema.safeParse(sample).success).toBe(true);
    expect(sample.cold).toBe(sample.initDurationMs !== undefined);
    expect(sample.warmup).toBe(false);
  }
}

const readOrRefuse = (text: string) =>
  unlessExpected(
    () => parseMeasurements(text, 'fn'),
    (error) => error instanceof MeasurementsError && error.problems.length > 0,
  );

/** A value for a column: one it accepts, or (in a noisy file) sometimes anything. */
function valueFor(column: string, noisy: boolean): fc.Arbitrary<string | number | null> {
  const valid: Record<string, fc.Arbitrary<string | number | null>> = {
    function: label,
    memoryMb: fc.integer({ min: 128, max: 10_240 }),
    workers: fc.option(fc.integer({ min: 0, max: 64 }), { nil: null }),
    durationMs: amount(1e7),
    billedDurationMs: amount(1e7),
    maxMemoryUsedMb: amount(1e4),
    initDurationMs: fc.option(amount(1e5), { nil: null }),
    status: fc.constantFrom(...STATUSES),
    errorType: label,
  };
  const odd = fc.oneof(numberishText, anyText(10));
  const usual = valid[column] ?? odd;
  return noisy ? mostly(usual, odd) : usual;
}

/** A header with the columns every row needs and any of the others, in any order. */
const headerArb = fc
  .subarray(COLUMNS.filter((column) => column !== 'memoryMb' && column !== 'durationMs'))
  .chain((others) => fc.shuffledSubarray([...others, 'memoryMb', 'durationMs'], { minLength: others.length + 2 }));

/** Rows under a header of real and made-up columns, their values all acceptable or, in a noisy file, mostly. */
const rowsish = fc
  .tuple(mostly(headerArb, fc.shuffledSubarray([...COLUMNS, 'memoryMb', 'extra', ''], { minLength: 1 })), fc.boolean())
  .chain(([header, noisy]) => fc.tuple(fc.constant(header), fc.array(fc.tuple(...header.map((column) => valueFor(column, noisy))), { maxLength: 6 })));

/** CSV near the documented columns: quoted or not, any line ending. */
const csvish = fc
  .tuple(rowsish, fc.constantFrom('\n', '\r\n', '\r'))
  .map(([[header, rows], newline]) =>
    [
      header.join(','),
      ...rows.map((row) => row.map((value) => (value === null ? '' : typeof value === 'string' ? quoted(value) : String(value))).join(',')),
    ].join(newline),
  );

/** JSON lines near the documented fields, with the odd line of any JSON. */
const jsonLinesish = fc
  .tuple(rowsish, fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 1 }))
  .map(([[header, rows], odd]) =>
    [...rows.map((row) => JSON.stringify(Object.fromEntries(header.map((column, i) => [column, row[i]])))), ...odd.map((v) => JSON.stringify(v))].join('\n'),
  )
  .map((text) => (text.startsWith('{') ? text : `{}\n${text}`));

/** A log export: REPORT lines, sound or not, among START, END and the function's own lines. */
const logish = fc
  .array(
    fc.oneof(
      fc.tuple(invocationArb(STATUSES), textDressArb).map(([invocation, dress]) => textReport(invocation, dress)),
      invocationArb(STATUSES).map(jsonReport),
      fc
        .tuple(anyText(30), numberishText, numberishText)
        .map(
          ([id, duration, memory]) =>
            `REPORT RequestId: ${id}\tDuration: ${duration} ms\tBilled Duration: 1 ms\tMemory Size: ${memory} MB\tMax Memory Used: 1 MB\t`,
        ),
      fc.jsonValue({ maxDepth: 2 }).map((metrics) => JSON.stringify({ type: 'platform.report', record: { requestId: 'r', metrics } })),
      fc.constantFrom('START RequestId: r Version: $LATEST', 'END RequestId: r', ''),
      anyText(60),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((lines) => lines.join('\n'));

export function measurementProperties(): void {
  describe('measurements files', () => {
    it('any text gives samples a result may hold, or a MeasurementsError naming problems', () => {
      holds(
        fc.property(fc.oneof(anyText(300), csvish, jsonLinesish, logish), fc.boolean(), (text, bom) => {
          const samples = readOrRefuse(bom ? `\uFEFF${text}` : text);
          if (samples !== undefined) expectSound(samples);
        }),
        12_000,
      );
    });

    it('samples written as CSV, in any column order, read back the same', () => {
      const columns = fc.shuffledSubarray([...COLUMNS], { minLength: COLUMNS.length });
      holds(
        fc.property(fc.array(sampleArb, { minLength: 1, maxLength: 8 }), columns, fc.constantFrom('\n', '\r\n'), (samples, order, newline) => {
          expect(parseMeasurements(csvOf(samples, order, newline), 'unused')).toEqual(samples);
        }),
        4_000,
      );
    });

    it('samples written as JSON lines (as samples.jsonl holds them) read back the same', () => {
      holds(
        fc.property(fc.array(sampleArb, { minLength: 1, maxLength: 8 }), fc.uuid(), (samples, requestId) => {
          const lines = samples.map((sample) => JSON.stringify({ ...sample, requestId, timings: { readMs: 1 } }));
          expect(parseMeasurements(lines.join('\n'), 'unused')).toEqual(samples.map((sample) => ({ ...sample, requestId, timings: { readMs: 1 } })));
        }),
        4_000,
      );
    });

    it('a log export of any invocations reads back one sample per REPORT, at two decimals', () => {
      const chatter = fc.constantFrom('START RequestId: r Version: $LATEST', 'END RequestId: r', '2024-03-14T09:21:04.716Z\tr\tINFO\thashed', '');
      const entry = fc.tuple(invocationArb(STATUSES), fc.boolean(), textDressArb, chatter);
      holds(
        fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), (entries) => {
          const lines = entries.flatMap(([invocation, json, dress, line]) => [
            line,
            json || invocation.status === 'failure' ? jsonReport(invocation) : textReport(invocation, dress),
          ]);
          const expected = entries.map(([invocation]): Sample => {
            const sample: Sample = {
              function: 'fn',
              memoryMb: invocation.memorySizeMb,
              params: {},
              durationMs: twoDecimals(invocation.durationMs),
              billedDurationMs: invocation.billedDurationMs,
              maxMemoryUsedMb: invocation.maxMemoryUsedMb,
              status: invocation.status,
              cold: invocation.initDurationMs !== undefined,
              warmup: false,
              timings: {},
              requestId: invocation.requestId,
            };
            if (invocation.initDurationMs !== undefined) sample.initDurationMs = twoDecimals(invocation.initDurationMs);
            if (invocation.errorType !== undefined) sample.errorType = invocation.errorType;
            return sample;
          });
          expect(parseMeasurements(lines.join('\n'), 'fn')).toEqual(expected);
        }),
        4_000,
      );
    });
  });
}
