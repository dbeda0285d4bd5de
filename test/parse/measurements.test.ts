import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MeasurementsError, parseMeasurements } from '../../src/parse/measurements.js';

describe('measurements from elsewhere', () => {
  it('reads CSV with the documented columns, quoted fields included', () => {
    const csv = [
      'function,memoryMb,chunkMb,durationMs,billedDurationMs,maxMemoryUsedMb,initDurationMs,status,errorType',
      'hasher,512,10,812.4,813,140,,success,',
      'hasher,512,10,1203.1,1204,141,402.5,success,',
      '"hasher",128,50,3000,3000,128,,error,"Runtime.OutOfMemory"',
    ].join('\n');
    const samples = parseMeasurements(csv, 'unused');
    expect(samples).toHaveLength(3);
    expect(samples[0]).toMatchObject({
      function: 'hasher',
      memoryMb: 512,
      chunkMb: 10,
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
    expect(samples.map((s) => [s.function, s.chunkMb, s.billedDurationMs])).toEqual([
      ['fn', null, 11],
      ['fn', 5, 11],
    ]);
  });

  it('reads a log export full of REPORT lines', () => {
    const text = ['text-cold.log', 'text-warm.log', 'json-warm.log']
      .map((f) => readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'logs', f), 'utf8'))
      .join('');
    const samples = parseMeasurements(text, 'hasher');
    expect(samples.map((s) => [s.memoryMb, s.durationMs, s.cold])).toEqual([
      [512, 1402.61, true],
      [128, 3.01, false],
      [128, 12.5, false],
    ]);
  });

  it.each([
    ['', /empty/],
    ['memoryMb,durationMs\n512,abc', /line 2: durationMs is not a number/],
    ['{"memoryMb":512}', /line 1 has no durationMs/],
    ['{"memoryMb":512,"durationMs":1,"status":"ok"}', /status must be success, error, timeout or failure/],
    ['{"memoryMb":512,', /line 1 is not JSON/],
  ])('says what is wrong with %j', (text, message) => {
    expect(() => parseMeasurements(text, 'f')).toThrow(MeasurementsError);
    expect(() => parseMeasurements(text, 'f')).toThrow(message);
  });
});
