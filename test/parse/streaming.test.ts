import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSource } from '../../src/files/read.js';
import { Keeper } from '../../src/parse/measurement-row.js';
import { csvWhole, MeasurementsError, parseMeasurements, readMeasurements } from '../../src/parse/measurements.js';
import { renderSamplesCsv } from '../../src/report/csv.js';
import type { Sample } from '../../src/result/types.js';
import { twoFunctionResult } from '../helpers/results.js';
import { holds } from '../property/check.js';
import { HOSTILE_WORDS, resultWith } from '../report/hostile.js';

/** What a reading gives: the samples, or the problems it names. */
function outcome(read: () => Sample[]): Sample[] | string[] {
  try {
    return read();
  } catch (error) {
    if (error instanceof MeasurementsError) return error.problems;
    throw error;
  }
}

const HEADER = 'function,memoryMb,chunkMb,durationMs,billedDurationMs,maxMemoryUsedMb,initDurationMs,status,errorType';

/** The CSV of the measurements tests, and samples.csv as tune writes it, plain and with hostile names. */
const FIXTURES: Record<string, string> = {
  'quoted fields': [
    HEADER,
    'hasher,512,10,812.4,813,140,,success,',
    'hasher,512,10,1203.1,1204,141,402.5,success,',
    '"hasher",128,50,3000,3000,128,,error,"Runtime.OutOfMemory"',
  ].join('\n'),
  'a record over two lines, and problems': [
    HEADER,
    'hasher,512,10,812.4,813,140,,success,',
    '',
    'hasher,512,10,800,801,140,,success,"two',
    'lines"',
    'hasher,512,10,790,791,140,,success,',
    'hasher,512,10,banana,791,140,,success,',
    'hasher,100,0,-1,,,Infinity,ok,',
  ].join('\n'),
  'a byte order mark and CRLF': '\uFEFFmemoryMb,durationMs\r\n512,10\r\n',
  'a header alone': `${HEADER}\n`,
  'no memoryMb column': 'START RequestId: 3e1f Version: 7\nsomething else\n',
  'a hundred problems': ['memoryMb,durationMs', ...Array.from({ length: 100 }, () => '512,slow')].join('\n'),
  'samples.csv': renderSamplesCsv(twoFunctionResult()),
  'samples.csv with hostile names': renderSamplesCsv(resultWith(HOSTILE_WORDS)),
  'a record too short': 'memoryMb,durationMs\n512\n',
  'a quote that never closes': 'memoryMb,durationMs\n512,"10\n',
  'a lone CR': 'memoryMb,durationMs\r512,10\r',
  'an LF in a CRLF file': 'memoryMb,durationMs\r\n512,10\n512,11\r\n',
  'a record over lines in a CRLF file': 'memoryMb,durationMs,errorType\r\n512,10,"a\r\nb"\r\n',
  'columns twice, empty and numbered': 'memoryMb,durationMs,memoryMb,,7\n512,10,256,x,y\n',
  'whitespace of all kinds': 'memoryMb , durationMs\n 512 ,\t10 \n\u00a0512\u00a0,11\n   \n',
};

describe('CSV read a line at a time', () => {
  it('reads every fixture exactly as csv-parse reading the whole text does, problems included', () => {
    for (const [name, text] of Object.entries(FIXTURES)) {
      const whole = text.replace(/^\uFEFF/, '');
      expect(
        outcome(() => parseMeasurements(text, 'f')),
        name,
      ).toEqual(outcome(() => csvWhole(whole, 'f')));
    }
  });

  it('reads any CSV near the documented columns as csv-parse does', () => {
    holds(
      fc.property(csvish, (text) => {
        fc.pre(/\S/.test(text) && !text.trimStart().startsWith('{'));
        expect(outcome(() => parseMeasurements(text, 'f'))).toEqual(outcome(() => csvWhole(text, 'f')));
      }),
      3_000,
    );
  });

  it('needs the whole text only for what csv-parse alone reads exactly', () => {
    const lineByLine = (text: string) => ({
      lines: () => text.split('\n'),
      text: () => {
        throw new Error('the whole text was asked for');
      },
    });
    for (const name of ['quoted fields', 'a record over two lines, and problems', 'a byte order mark and CRLF', 'samples.csv']) {
      const text = (FIXTURES[name] ?? '').replace(/^\uFEFF/, '');
      expect(
        outcome(() => readMeasurements(lineByLine(text), 'f')),
        name,
      ).toEqual(outcome(() => csvWhole(text, 'f')));
    }
    expect(() => readMeasurements(lineByLine(FIXTURES['a lone CR'] ?? ''), 'f')).toThrow('the whole text was asked for');
  });

  it('copies a request id exactly, whatever it holds (lone surrogates included)', () => {
    const keep = new Keeper();
    holds(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(keep.unique(text)).toBe(text);
      }),
      500,
    );
  });

  it('shares one parameter set among the samples of a cell, and freezes it', () => {
    const samples = parseMeasurements('memoryMb,durationMs,mode\n512,10,fast\n512,11,fast\n512,12,slow\n', 'f');
    expect(samples[0]?.params).toBe(samples[1]?.params);
    expect(samples[2]?.params).toEqual({ mode: 'slow' });
    expect(Object.isFrozen(samples[0]?.params)).toBe(true);
  });
});

describe('a measurements file read in blocks', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-streaming-'));
  let files = 0;
  const written = (text: string) => {
    const file = path.join(dir, `${files++}.txt`);
    writeFileSync(file, text);
    return file;
  };

  it('gives the lines String.split gives, whatever the block size, a byte order mark and characters cut by blocks included', () => {
    holds(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.boolean(), fc.integer({ min: 1, max: 9 }), (text, bom, blockBytes) => {
        const file = written(bom ? `\uFEFF${text}` : text);
        expect([...fileSource(file, blockBytes).lines()]).toEqual(text.split('\n'));
      }),
      500,
    );
  });

  it('reads to the same samples and problems as the text', () => {
    const texts = [...Object.values(FIXTURES), '{"memoryMb":512,"durationMs":10}\n{"memoryMb":"x"}\n', 'REPORT RequestId: r\tDuration: 1 ms\n'];
    for (const text of texts) {
      for (const blockBytes of [1, 7, 64, 1 << 20]) {
        expect(outcome(() => readMeasurements(fileSource(written(text), blockBytes), 'f'))).toEqual(outcome(() => parseMeasurements(text, 'f')));
      }
    }
  });
});

/** Columns near the documented ones, and ones csv-parse treats apart: empty, numbered, twice, reserved. */
const COLUMNS = ['memoryMb', 'durationMs', 'function', 'status', 'initDurationMs', 'errorType', 'requestId', 'cold', 'mode', 'timing.readMs', 'params', ''];
const ODD_COLUMNS = ['1', 'memoryMb', '__proto__', 'constructor', 'timing.', ' spaced '];

/** A field: a usual value, or text with what CSV quotes or trims (quotes, commas, line ends, spaces of all kinds). */
const fieldArb = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('512', '1024', '3.25', '', 'success', 'fast', 'true') },
  fc.constantFrom('512', '128', '10.5', '', 'true', 'success', 'error', 'fast', '"quoted, with comma"', '"two\nlines"', '""', ' 512 ', '\t7'),
  fc.string({ unit: fc.constantFrom('a', '1', '.', ',', '"', ' ', '\t', '\n', '\r', '\u00a0', 'é', '-'), maxLength: 6 }),
);

const csvish = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom(...COLUMNS), { minLength: 1, maxLength: 8 }),
    fc.option(fc.constantFrom(...ODD_COLUMNS), { nil: undefined, freq: 4 }),
    fc.integer({ min: 1, max: 8 }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .chain(([columns, odd, width, newline, lastNewline]) => {
    const header = odd === undefined ? columns : [...columns, odd];
    const row = fc.oneof(
      { weight: 12, arbitrary: fc.array(fieldArb, { minLength: header.length, maxLength: header.length }) },
      { weight: 1, arbitrary: fc.array(fieldArb, { minLength: 0, maxLength: width }) },
    );
    return fc.array(row, { maxLength: 6 }).map((rows) => [header, ...rows].map((fields) => fields.join(',')).join(newline) + (lastNewline ? newline : ''));
  });
