import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMeasurements } from '../../src/parse/measurements.js';
import { embeddedMetrics, extractTimings, parseTimingPattern } from '../../src/parse/timings.js';
import { renderSamplesCsv } from '../../src/report/csv.js';
import { twoFunctionResult } from '../helpers/results.js';

const lines = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'logs', 'timings.log'), 'utf8').split('\n');
const hasherLine = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'logs', 'text-cold.log'), 'utf8').split('\n');

describe('logged timings', () => {
  it('reads name=REGEX with a value group or a group named after the timing', () => {
    const byValue = parseTimingPattern('read=read (?<value>[\\d.]+) ms');
    const byName = parseTimingPattern('mbps=mbPerSecond=(?<mbps>[\\d.]+)');
    expect(extractTimings(lines, [byValue])).toMatchObject({ read: 812.5 });
    expect(extractTimings(hasherLine, [byName])).toEqual({ mbps: 71.33 });
  });

  it('refuses patterns a user got wrong, saying why', () => {
    expect(() => parseTimingPattern('no-equals')).toThrow(/name=REGEX/);
    expect(() => parseTimingPattern('x=(unclosed')).toThrow(/does not compile/);
    expect(() => parseTimingPattern('x=read ([\\d.]+)')).toThrow(/named group/);
  });

  it('leaves out a timing named as objects name their own (constructor, prototype, __proto__), as tune analyze does', () => {
    const metrics = ['constructor', 'prototype', '__proto__', 'readMs'].map((Name) => ({ Name, Unit: 'Milliseconds' }));
    const line = `{"_aws":{"CloudWatchMetrics":[{"Namespace":"app","Metrics":${JSON.stringify(metrics)}}]},"constructor":1,"prototype":2,"__proto__":3,"readMs":4}`;
    const found = extractTimings([line], []);
    expect(found).toEqual({ readMs: 4 });
    expect(Object.getPrototypeOf(found)).toBe(Object.prototype);
    expect(() => parseTimingPattern('constructor=took (?<value>\\d+)')).toThrow(/not a usable timing name/);
  });

  it('reads timings back from samples.csv as they were extracted', () => {
    const line = '{"_aws":{"CloudWatchMetrics":[{"Metrics":[{"Name":"constructor"},{"Name":"readMs"}]}]},"constructor":1,"readMs":4}';
    const timings = extractTimings([line], []);
    const result = twoFunctionResult();
    const samples = result.samples.map((sample) => ({ ...sample, timings }));
    expect(parseMeasurements(renderSamplesCsv({ ...result, samples }), 'unused').map((s) => s.timings)).toEqual(samples.map((s) => s.timings));
  });

  it('picks up embedded metric format records on their own, averaging array values', () => {
    expect(extractTimings(lines, [])).toEqual({ readMs: 812.5, mbPerSecond: 71 });
    expect(embeddedMetrics('{"_aws": broken')).toEqual({});
    expect(embeddedMetrics('{"readMs": 5}')).toEqual({});
  });
});
