import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MeasurementsError, parseMeasurements } from '../../src/parse/measurements.js';

const log = (name: string) => readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'logs', name), 'utf8');

/** The problems parseMeasurements names, or a failure when it accepts the text. */
function problems(text: string): string[] {
  try {
    parseMeasurements(text, 'f');
  } catch (error) {
    expect(error).toBeInstanceOf(MeasurementsError);
    return (error as MeasurementsError).problems;
  }
  throw new Error('the text was accepted');
}

const HEADER = 'function,memoryMb,chunkMb,durationMs,billedDurationMs,maxMemoryUsedMb,initDurationMs,status,errorType';

describe('measurements from elsewhere', () => {
  it('reads CSV with the documented columns, quoted fields included', () => {
    const csv = [
      HEADER,
      'hasher,512,10,812.4,813,140,,success,',
      'hasher,512,10,1203.1,1204,141,402.5,success,',
      '"hasher",128,50,3000,3000,128,,error,"Runtime.OutOfMemory"',
    ].join('\n');
    const samples = parseMeasurements(csv, 'unused');
    expect(samples).toHaveLength(3);
    expect(samples[0]).toMatchObject({
      function: 'hasher',
      memoryMb: 512,
      params: { chunkMb: 10 },
      durationMs: 812.4,
      billedDurationMs: 813,
      cold: false,
      status: 'success',
    });
    expect(samples[1]).toMatchObject({ cold: true, initDurationMs: 402.5 });
    expect(samples[2]).toMatchObject({ status: 'error', errorType: 'Runtime.OutOfMemory', memoryMb: 128 });
  });

  it('reads JSON lines, filling what may be left out', () => {
    const samples = parseMeasurements('{"memoryMb":256,"durationMs":10.2}\n\n{"memoryMb":256,"durationMs":11,"chunkMb":5}\n', 'fn');
    expect(samples.map((s) => [s.function, s.params, s.billedDurationMs])).toEqual([
      ['fn', {}, 11],
      ['fn', { chunkMb: 5 }, 11],
    ]);
  });

  it('keeps the type of a parameter in JSON lines: the string "20" is not the number 20, and "" is a value', () => {
    const lines = [
      { memoryMb: 512, durationMs: 1, n: 20 },
      { memoryMb: 512, durationMs: 1, n: '20' },
      { memoryMb: 512, durationMs: 1, n: 'true' },
      { memoryMb: 512, durationMs: 1, n: '"x"' },
      { memoryMb: 512, durationMs: 1, n: '' },
      { memoryMb: 512, durationMs: 1, n: null },
      { memoryMb: 512, durationMs: 1, params: { n: '20', m: ' spaced ' } },
    ];
    const samples = parseMeasurements(lines.map((line) => JSON.stringify(line)).join('\n'), 'f');
    expect(samples.map((s) => s.params)).toEqual([{ n: 20 }, { n: '20' }, { n: 'true' }, { n: '"x"' }, { n: '' }, {}, { n: '20', m: ' spaced ' }]);
  });

  it('reads a CSV parameter as samples.csv writes it: 20 a number, "20" a string, a blank field none', () => {
    const csv = ['memoryMb,durationMs,n', '512,1,20', '512,1,"""20"""', '512,1,true', '512,1,"""true"""', '512,1,'].join('\n');
    expect(parseMeasurements(csv, 'f').map((s) => s.params)).toEqual([{ n: 20 }, { n: '20' }, { n: true }, { n: 'true' }, {}]);
  });

  it("reads a run's samples.jsonl back to its samples, parameters of any value included", () => {
    const sample = {
      function: 'f',
      memoryMb: 512,
      durationMs: 10,
      billedDurationMs: 10,
      maxMemoryUsedMb: 70,
      status: 'success',
      cold: false,
      warmup: false,
      timings: {},
    };
    const samples = [{}, { n: 20 }, { n: '20' }, { n: '' }, { n: 'false' }, { n: '"quoted"' }, { n: ' ' }].map((params) => ({ ...sample, params }));
    expect(parseMeasurements(samples.map((s) => JSON.stringify(s)).join('\n'), 'unused')).toEqual(samples);
  });

  it('reads a --cold sample as one, and a coldProbe field is not a parameter', () => {
    const [probe, plain] = parseMeasurements('{"memoryMb":512,"durationMs":10,"initDurationMs":200,"coldProbe":true}\n{"memoryMb":512,"durationMs":10}\n', 'f');
    expect(probe).toMatchObject({ cold: true, coldProbe: true, params: {} });
    expect(plain).not.toHaveProperty('coldProbe');
    expect(problems('memoryMb,durationMs,coldProbe\n512,10,maybe\n')).toEqual(['line 2, coldProbe: expected true or false, got "maybe"']);
  });

  it('reads a log export full of REPORT lines', () => {
    const samples = parseMeasurements(log('text-cold.log') + log('text-warm.log') + log('json-warm.log'), 'hasher');
    expect(samples.map((s) => [s.memoryMb, s.durationMs, s.cold])).toEqual([
      [512, 1402.61, true],
      [128, 3.01, false],
      [128, 12.5, false],
    ]);
  });

  it('accepts a byte order mark and Windows line ends', () => {
    expect(parseMeasurements('\uFEFFmemoryMb,durationMs\r\n512,10\r\n', 'f')).toMatchObject([{ memoryMb: 512, durationMs: 10 }]);
    expect(parseMeasurements('\uFEFF{"memoryMb":512,"durationMs":10}\r\n', 'f')).toMatchObject([{ memoryMb: 512, durationMs: 10 }]);
  });

  it('names the line and the column of every problem in a CSV, counting the lines of the file', () => {
    const csv = [
      HEADER,
      'hasher,512,10,812.4,813,140,,success,',
      '',
      'hasher,512,10,800,801,140,,success,"two',
      'lines"',
      'hasher,512,10,790,791,140,,success,',
      'hasher,512,10,banana,791,140,,success,',
      'hasher,100,0,-1,,,Infinity,ok,',
    ].join('\n');
    expect(problems(csv)).toEqual([
      'line 7, durationMs: expected a finite number ≥ 0, got "banana"',
      'line 8, memoryMb: expected a whole number of MB from 128 to 10240, got "100"',
      'line 8, durationMs: expected a finite number ≥ 0, got "-1"',
      'line 8, initDurationMs: expected a finite number ≥ 0, got "Infinity"',
      'line 8, status: expected "success", "error", "timeout" or "failure", got "ok"',
    ]);
  });

  it('says so when there is nothing to analyse', () => {
    expect(problems('')).toEqual(['the file is empty']);
    expect(problems('\n  \n')).toEqual(['the file is empty']);
    expect(problems(`${HEADER}\n`)).toEqual(['it has a CSV header but no measurements under it']);
    expect(problems('START RequestId: 3e1f Version: 7\nsomething else\n')).toEqual([
      'line 1: expected a CSV header naming memoryMb and durationMs (or JSON lines, or a log export with REPORT lines), and it names no memoryMb or durationMs column',
    ]);
  });

  it('says what is wrong with JSON lines', () => {
    const lines = ['{"memoryMb":512,"durationMs":1}', '{"memoryMb":512}', '[1, 2]', '{"memoryMb":512,', '{"memoryMb":"512","durationMs":true,"function":7}'];
    expect(problems(lines.join('\n'))).toEqual([
      'line 2, durationMs: expected a finite number ≥ 0, but it is missing',
      'line 3: expected an object, got a list',
      expect.stringMatching(/^line 4: not JSON \(.+\)$/),
      'line 5, durationMs: expected a finite number ≥ 0, got true',
      'line 5, function: expected a string, got 7',
    ]);
  });

  it('names a REPORT line it cannot read instead of skipping it', () => {
    const warm = log('text-warm.log');
    const text = [warm, warm.replace('Duration: 3.01 ms', 'Duration: banana ms'), warm.replace('\tMemory Size: 128 MB', '')].join('');
    expect(problems(text)).toEqual([
      'line 6, Duration: expected a finite number of ms ≥ 0, got "banana ms"',
      'line 9, Memory Size: expected a whole number of MB from 128 to 10240, but it is missing',
    ]);
    const json = log('json-warm.log').trim();
    expect(problems([json, json.replace('"durationMs":12.5', '"durationMs":"12.5"'), json.replace('"success"', '"fine"')].join('\n'))).toEqual([
      'line 2, durationMs: expected a finite number of ms ≥ 0, got "12.5"',
      'line 3, status: expected "success", "error", "timeout" or "failure", got "fine"',
    ]);
  });

  it('tells the first twenty problems and counts the rest', () => {
    const rows = Array.from({ length: 100 }, () => '512,slow');
    const told = problems(['memoryMb,durationMs', ...rows].join('\n'));
    expect(told).toHaveLength(21);
    expect(told[0]).toBe('line 2, durationMs: expected a finite number ≥ 0, got "slow"');
    expect(told[20]).toBe('… and 80 more');
  });
});
