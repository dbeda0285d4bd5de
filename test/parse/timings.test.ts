import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedMetrics, extractTimings, parseTimingPattern } from '../../src/parse/timings.js';

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

  it('picks up embedded metric format records on their own, averaging array values', () => {
    expect(extractTimings(lines, [])).toEqual({ readMs: 812.5, mbPerSecond: 71 });
    expect(embeddedMetrics('{"_aws": broken')).toEqual({});
    expect(embeddedMetrics('{"readMs": 5}')).toEqual({});
  });
});
